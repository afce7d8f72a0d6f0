"""`minihelm dependency list|update|build` -> deps; progress lines and the table on stdout, as helm prints them."""



from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from . import _run, app
from .registry import registry_flags

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

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


@dependency_app.command("update")
@registry_flags()
def update(chart: str = ChartArg, registry: RegistryOptions | None = None) -> None:
    """Resolve version ranges, refill charts/ and write Chart.lock, as `helm dependency update`.

    Repositories: file://<chart folder>, file://<repository folder with index.yaml>
    and http(s):// chart repositories (read directly; no `repo add` needed).

    \b
    Example:
      minihelm dependency update ./demo
    """
    from ..deps import update as do_update

    _run(lambda: do_update(chart, out=typer.echo, registry=registry))


@dependency_app.command("build")
@registry_flags()
def build(chart: str = ChartArg, registry: RegistryOptions | None = None) -> None:
    """Refill charts/ with exactly what Chart.lock names, as `helm dependency build`.

    An out-of-date lock is an error; without a lock this is `update`.

    \b
    Example:
      minihelm dependency build ./demo
    """
    from ..deps import build as do_build

    _run(lambda: do_build(chart, out=typer.echo, registry=registry))
