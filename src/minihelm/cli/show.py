"""`minihelm show chart|values|readme|crds|all` -> show.show; the text goes to stdout unchanged."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from .app import _run, app
from .registry import registry_flags
from .template import ExternalLinksOpt

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

show_app = typer.Typer(no_args_is_help=True, help="Show information of a chart.")
app.add_typer(show_app, name="show")

ChartArg = typer.Argument(..., metavar="CHART",
                          help="a chart folder or .tgz, or a chart name with --repo")
RepoOpt = typer.Option(None, "--repo",
                       help="chart repository: a folder holding index.yaml, or an http(s) URL")
VersionOpt = typer.Option(None, "--version",
                          help="chart version or constraint (with --repo; default: latest stable)")
DevelOpt = typer.Option(False, "--devel", help="use development versions, too (>0.0.0-0)")


def _show(fmt: str, chart: str, repo: str | None, version: str | None, devel: bool,
          external_links: bool, registry: RegistryOptions | None = None) -> None:
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.show import locate_chart, show

    if not version and devel:
        version = ">0.0.0-0"
    sys.stdout.write(_run(lambda: show(
        locate_chart(chart, repo, version, registry, external_links=external_links), fmt)))


# One command per part, alike but for the help text: (name, help, example).
_PARTS = (
    ("all", "Show everything: Chart.yaml, values.yaml, README and CRDs, `---` between them.",
     "minihelm show all ./demo"),
    ("chart", ("Show the chart's Chart.yaml as helm re-writes it (sorted keys, empty fields "
               "dropped)."), 'minihelm show chart demo --repo ./repo --version "^1.0"'),
    ("values", "Show the chart's values.yaml exactly as written.",
     "minihelm show values demo-1.0.0.tgz"),
    ("readme", "Show the chart's README.", "minihelm show readme ./demo"),
    ("crds", "Show the chart's CustomResourceDefinitions (crds/, then the subcharts').",
     "minihelm show crds ./demo"),
)


def _register(fmt: str, summary: str, example: str) -> None:
    @registry_flags()
    def command(chart: str = ChartArg, repo: str | None = RepoOpt,
                version: str | None = VersionOpt, devel: bool = DevelOpt,
                allow_external_links: bool = ExternalLinksOpt,
                registry: RegistryOptions | None = None) -> None:
        _show(fmt, chart, repo, version, devel, allow_external_links, registry)

    command.__doc__ = f"{summary}\n\n\b\nExample:\n  {example}\n"
    command.__name__ = f"show_{fmt}"
    show_app.command(fmt)(command)


for _part in _PARTS:
    _register(*_part)
