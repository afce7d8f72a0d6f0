"""`minihelm repo index` flags -> repo.build_index; silent on success, as helm is."""



from __future__ import annotations

from collections.abc import Callable

import typer

from .app import _run, _state, repo_app


@repo_app.command("index")
def index(
    directory: str = typer.Argument(..., metavar="DIR", help="the folder of chart archives"),
    url: str | None = typer.Option(None, "--url", help="url of chart repository"),
    merge: str | None = typer.Option(None, "--merge",
                                        help="merge the generated index into the given index"),
) -> None:
    """Generate DIR/index.yaml from the chart archives in DIR (and DIR/*/), as `helm repo index`.

    Unlike helm, an archive that does not load is an error, and an unchanged
    folder leaves index.yaml byte for byte as it was.

    \b
    Examples:
      minihelm repo index ./charts --url https://charts.example.com
      minihelm repo index ./charts --merge old-index.yaml
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.repo import build_index

    _run(lambda: build_index(directory, url=url, merge=merge))


# ---------------------------------------------------------------- named repositories

RepoConfigOpt = typer.Option("", "--repository-config",
                             help="path to the file containing repository names and URLs "
                             "(default $HELM_REPOSITORY_CONFIG or "
                             "~/.config/helm/repositories.yaml)")
RepoCacheOpt = typer.Option("", "--repository-cache",
                            help="path to the directory containing cached repository indexes "
                            "(default $HELM_REPOSITORY_CACHE or ~/.cache/helm/repository)")
OutputOpt = typer.Option("table", "--output", "-o",
                         help="prints the output in the specified format. Allowed values: "
                         "table, json, yaml")


DebugOpt = typer.Option(False, "--debug", help="show each HTTP exchange (without secrets)")
TimeoutOpt = typer.Option("", "--timeout", metavar="DURATION",
                          help="time to wait for the index file download (a Go duration, "
                          "e.g. 30s; default: minihelm's own bounds, about 30 s)")


def _out(text: str) -> None:
    typer.echo(text, nl=False)


def _debug_sink(debug: bool) -> Callable[[str], None] | None:
    _state["debug"] = debug
    return (lambda line: typer.echo(line, err=True)) if debug else None


@repo_app.command("add")
def add(
    name: str = typer.Argument(..., metavar="NAME"),
    url: str = typer.Argument(..., metavar="URL"),
    username: str = typer.Option("", "--username", help="chart repository username"),
    password: str = typer.Option("", "--password", help="chart repository password"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="read chart repository password from stdin"),
    force_update: bool = typer.Option(False, "--force-update",
                                      help="replace (overwrite) the repo if it already exists"),
    cert_file: str = typer.Option("", "--cert-file",
                                  help="identify HTTPS client using this SSL certificate file"),
    key_file: str = typer.Option("", "--key-file",
                                 help="identify HTTPS client using this SSL key file"),
    ca_file: str = typer.Option("", "--ca-file", help="verify certificates of HTTPS-enabled "
                                "servers using this CA bundle"),
    insecure_skip_tls_verify: bool = typer.Option(
        False, "--insecure-skip-tls-verify",
        help="skip tls certificate checks for the repository"),
    allow_deprecated_repos: bool = typer.Option(
        False, "--allow-deprecated-repos",
        help="allow adding official repos that have been permanently deleted"),
    pass_credentials: bool = typer.Option(False, "--pass-credentials",
                                          help="pass credentials to all domains"),
    repository_config: str = RepoConfigOpt,
    repository_cache: str = RepoCacheOpt,
    debug: bool = DebugOpt,
    timeout: str = TimeoutOpt,
) -> None:
    """Add a chart repository: its index is fetched and cached, then it goes to repositories.yaml.

    Writes helm's own files, so `helm repo list` sees what minihelm added.

    \b
    Example:
      minihelm repo add local http://127.0.0.1:8879/charts
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import repofile, repos

    entry = repofile.RepoEntry(name=name, url=url, username=username, password=password,
                               cert_file=cert_file, key_file=key_file, ca_file=ca_file,
                               insecure_skip_tls_verify=insecure_skip_tls_verify,
                               pass_credentials_all=pass_credentials)
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.repoindex import parse_timeout

    opts = repos.AddOptions(force_update, allow_deprecated_repos, password_stdin,
                            _debug_sink(debug), _run(lambda: parse_timeout(timeout)))
    _run(lambda: repos.add(entry, repofile.config_path(repository_config),
                           repofile.cache_dir(repository_cache), opts, _out))


def _list(output: str, no_headers: bool, repository_config: str) -> None:
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import repofile, repos

    _out(_run(lambda: repos.list_repos(repofile.config_path(repository_config), output,
                                       no_headers, lambda s: typer.echo(s, err=True, nl=False))))


@repo_app.command("list")
def list_(
    output: str = OutputOpt,
    no_headers: bool = typer.Option(False, "--no-headers", help="suppress headers in the output"),
    repository_config: str = RepoConfigOpt,
) -> None:
    """List chart repositories (alias: ls).

    \b
    Example:
      minihelm repo list -o json
    """
    _list(output, no_headers, repository_config)


@repo_app.command("ls", hidden=True)
def ls(output: str = OutputOpt,
       no_headers: bool = typer.Option(False, "--no-headers"),
       repository_config: str = RepoConfigOpt) -> None:
    """List chart repositories."""
    _list(output, no_headers, repository_config)


def _update(names: list[str] | None, repository_config: str, repository_cache: str,
            debug: bool, timeout: str) -> None:
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import repofile, repos
    from ..dist.repoindex import parse_timeout

    sink = _debug_sink(debug)
    seconds = _run(lambda: parse_timeout(timeout))
    _run(lambda: repos.update(names or [], repofile.config_path(repository_config),
                              repofile.cache_dir(repository_cache), _out, sink, seconds))


@repo_app.command("update")
def update(
    names: list[str] = typer.Argument(None, metavar="[REPO...]"),
    repository_config: str = RepoConfigOpt,
    repository_cache: str = RepoCacheOpt,
    debug: bool = DebugOpt,
    timeout: str = TimeoutOpt,
) -> None:
    """Fetch the latest index of every (or each named) repository into the cache (alias: up).

    \b
    Example:
      minihelm repo update local
    """
    _update(names, repository_config, repository_cache, debug, timeout)


@repo_app.command("up", hidden=True)
def up(names: list[str] = typer.Argument(None, metavar="[REPO...]"),
       repository_config: str = RepoConfigOpt, repository_cache: str = RepoCacheOpt,
       debug: bool = DebugOpt, timeout: str = TimeoutOpt) -> None:
    """Fetch the latest indexes."""
    _update(names, repository_config, repository_cache, debug, timeout)


def _remove(names: list[str], repository_config: str, repository_cache: str) -> None:
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import repofile, repos

    _run(lambda: repos.remove(names, repofile.config_path(repository_config),
                              repofile.cache_dir(repository_cache), _out))


@repo_app.command("remove")
def remove(
    names: list[str] = typer.Argument(..., metavar="REPO..."),
    repository_config: str = RepoConfigOpt,
    repository_cache: str = RepoCacheOpt,
) -> None:
    """Remove one or more chart repositories and their cached indexes (alias: rm).

    \b
    Example:
      minihelm repo remove local
    """
    _remove(names, repository_config, repository_cache)


@repo_app.command("rm", hidden=True)
def rm(names: list[str] = typer.Argument(..., metavar="REPO..."),
       repository_config: str = RepoConfigOpt, repository_cache: str = RepoCacheOpt) -> None:
    """Remove chart repositories."""
    _remove(names, repository_config, repository_cache)
