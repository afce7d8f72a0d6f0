"""`minihelm search repo` flags -> dist.search; helm's table (or JSON/YAML) on stdout."""

from __future__ import annotations

import typer

from .app import _run, app
from .repo import OutputOpt, RepoCacheOpt, RepoConfigOpt

search_app = typer.Typer(no_args_is_help=True, help="Search the repositories you have added.")
app.add_typer(search_app, name="search")


@search_app.command("repo")
def repo(
    keywords: list[str] = typer.Argument(None, metavar="[KEYWORD]"),
    regexp: bool = typer.Option(False, "--regexp", "-r",
                                help="use regular expressions for searching"),
    versions: bool = typer.Option(False, "--versions", "-l",
                                  help="show each version of each chart on its own line"),
    devel: bool = typer.Option(False, "--devel",
                               help="use development versions, too (version '>0.0.0-0'); "
                               "ignored when --version is set"),
    version: str = typer.Option("", "--version",
                                help="search using semantic versioning constraints"),
    max_col_width: int = typer.Option(50, "--max-col-width", min=0,
                                      help="maximum column width for output table"),
    fail_on_no_result: bool = typer.Option(False, "--fail-on-no-result",
                                           help="search fails if no results are found"),
    output: str = OutputOpt,
    repository_config: str = RepoConfigOpt,
    repository_cache: str = RepoCacheOpt,
) -> None:
    """Search the cached indexes of the repositories you have added, as `helm search repo`.

    \b
    Examples:
      minihelm search repo nginx
      minihelm search repo demo --versions --devel
      minihelm search repo demo --version "^1.0.0" -o json
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import repofile, search

    opts = search.SearchOptions(versions, regexp, devel, version, max_col_width, output,
                                fail_on_no_result)
    text = _run(lambda: search.search_repo(
        keywords or [], opts, repofile.config_path(repository_config),
        repofile.cache_dir(repository_cache), lambda s: typer.echo(s, err=True)))
    typer.echo(text, nl=False)
