"""`minihelm pull` flags -> pull.pull; silent on success, as helm is."""



from __future__ import annotations

from functools import partial

import typer

from . import _run, app


@app.command()
def pull(
    names: list[str] = typer.Argument(..., metavar="NAME...",
                                      help="REPO/CHART, chart names (with --repo) or chart archive URLs"),
    repo: str | None = typer.Option(None, "--repo",
                                       help="chart repository: a folder holding index.yaml, "
                                       "or an http(s) URL"),
    version: str | None = typer.Option(None, "--version",
                                          help="chart version or constraint (default: latest "
                                          "stable)"),
    devel: bool = typer.Option(False, "--devel", help="use development versions, too"),
    destination: str = typer.Option(".", "--destination", "-d",
                                    help="location to write the chart. If this and untardir "
                                    "are specified, untardir is appended to this"),
    untar: bool = typer.Option(False, "--untar", help="untar the chart after downloading it"),
    untardir: str = typer.Option(".", "--untardir",
                                 help="with --untar, the folder the chart is expanded into"),
) -> None:
    """Download a chart from a repository (folder or http), as `helm pull`.

    The archive's sha256 must match the repository index; --untar unpacks it
    (entries are checked: nothing lands outside the target folder).

    \b
    Examples:
      minihelm pull demo --repo /srv/charts --version "^1.2"
      minihelm pull demo --repo https://charts.example.com --untar -d work
      minihelm pull local/demo --version 1.2.0
    """
    from ..pull import pull as do_pull

    if not version and devel:
        version = ">0.0.0-0"
    for name in names:
        _run(partial(do_pull, name, repo, version, destination, untar, untardir))
