"""`minihelm show chart|values|readme|crds|all` -> show.show; the text goes to stdout unchanged."""



from __future__ import annotations

import sys

import typer

from . import _run, app

show_app = typer.Typer(no_args_is_help=True, help="Show information of a chart.")
app.add_typer(show_app, name="show")

ChartArg = typer.Argument(..., metavar="CHART",
                          help="a chart folder or .tgz, or a chart name with --repo")
RepoOpt = typer.Option(None, "--repo",
                       help="chart repository: a folder holding index.yaml, or an http(s) URL")
VersionOpt = typer.Option(None, "--version",
                          help="chart version or constraint (with --repo; default: latest stable)")
DevelOpt = typer.Option(False, "--devel", help="use development versions, too (>0.0.0-0)")


def _show(fmt: str, chart: str, repo: str | None, version: str | None, devel: bool) -> None:
    from ..show import locate_chart, show

    if not version and devel:
        version = ">0.0.0-0"
    sys.stdout.write(_run(lambda: show(locate_chart(chart, repo, version), fmt)))


@show_app.command("all")
def all_(chart: str = ChartArg, repo: str | None = RepoOpt,
         version: str | None = VersionOpt, devel: bool = DevelOpt) -> None:
    """Show everything: Chart.yaml, values.yaml, README and CRDs, `---` between them.

    \b
    Example:
      minihelm show all ./demo
    """
    _show("all", chart, repo, version, devel)


@show_app.command("chart")
def chart_(chart: str = ChartArg, repo: str | None = RepoOpt,
           version: str | None = VersionOpt, devel: bool = DevelOpt) -> None:
    """Show the chart's Chart.yaml as helm re-writes it (sorted keys, empty fields dropped).

    \b
    Example:
      minihelm show chart demo --repo ./repo --version "^1.0"
    """
    _show("chart", chart, repo, version, devel)


@show_app.command("values")
def values(chart: str = ChartArg, repo: str | None = RepoOpt,
           version: str | None = VersionOpt, devel: bool = DevelOpt) -> None:
    """Show the chart's values.yaml exactly as written.

    \b
    Example:
      minihelm show values demo-1.0.0.tgz
    """
    _show("values", chart, repo, version, devel)


@show_app.command("readme")
def readme(chart: str = ChartArg, repo: str | None = RepoOpt,
           version: str | None = VersionOpt, devel: bool = DevelOpt) -> None:
    """Show the chart's README.

    \b
    Example:
      minihelm show readme ./demo
    """
    _show("readme", chart, repo, version, devel)


@show_app.command("crds")
def crds(chart: str = ChartArg, repo: str | None = RepoOpt,
         version: str | None = VersionOpt, devel: bool = DevelOpt) -> None:
    """Show the chart's CustomResourceDefinitions (crds/, then the subcharts').

    \b
    Example:
      minihelm show crds ./demo
    """
    _show("crds", chart, repo, version, devel)
