"""`minihelm dependency list|update|build` -> deps; progress lines and the table on stdout, as helm prints them."""



from __future__ import annotations

import sys

import typer

from . import _run, app

dependency_app = typer.Typer(no_args_is_help=True,
                             help="Manage a chart's dependencies (Chart.yaml -> charts/).")
app.add_typer(dependency_app, name="dependency")
app.add_typer(dependency_app, name="dep", hidden=True)

ChartArg = typer.Argument(".", metavar="CHART", help="the chart folder")


@dependency_app.command("list")
def list_(chart: str = ChartArg) -> None:
    """List a chart's dependencies and their status, as `helm dependency list`.

    STATUS is ok, missing, wrong version, unpacked, corrupt, misnamed, ...

    \b
    Example:
      minihelm dependency list ./demo
    """
    from ..deps import list_dependencies

    sys.stdout.write(_run(lambda: list_dependencies(chart)))


SkipRefreshOpt = typer.Option(False, "--skip-refresh",
                              help="do not refresh the local repository cache")


@dependency_app.command("update")
def update(chart: str = ChartArg, skip_refresh: bool = SkipRefreshOpt) -> None:
    """Resolve version ranges, refill charts/ and write Chart.lock, as `helm dependency update`.

    Repositories: file://<chart folder>, file://<repository folder with index.yaml>,
    http(s):// chart repositories, and @NAME / alias:NAME for repositories added with
    `repo add` (their cached indexes are refreshed first unless --skip-refresh).

    \b
    Example:
      minihelm dependency update ./demo
    """
    from ..deps import update as do_update

    _run(lambda: do_update(chart, out=typer.echo, skip_refresh=skip_refresh))


@dependency_app.command("build")
def build(chart: str = ChartArg, skip_refresh: bool = SkipRefreshOpt) -> None:
    """Refill charts/ with exactly what Chart.lock names, as `helm dependency build`.

    An out-of-date lock is an error; without a lock this is `update`.

    \b
    Example:
      minihelm dependency build ./demo
    """
    from ..deps import build as do_build

    _run(lambda: do_build(chart, out=typer.echo, skip_refresh=skip_refresh))
