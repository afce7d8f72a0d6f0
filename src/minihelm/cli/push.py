"""`minihelm push CHART.tgz oci://HOST/PATH` flags -> dist.ocichart.push_chart; helm's lines on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from . import _run, app
from .registry import registry_flags

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions


@app.command()
@registry_flags()
def push(
    archive: str = typer.Argument(..., metavar="CHART"),
    remote: str = typer.Argument(..., metavar="REMOTE"),
    registry: RegistryOptions | None = None,
) -> None:
    """Push a chart archive to an OCI registry, as `helm push` (+ a .prov beside it).

    \b
    Example:
      minihelm push demo-1.0.1.tgz oci://127.0.0.1:5000/charts --plain-http
    """
    from ..dist.ocichart import push_chart
    from ..dist.session import stderr_line

    assert registry is not None
    _run(lambda: push_chart(registry.registry, archive, remote, stderr_line))
