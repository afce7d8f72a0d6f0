"""`minihelm env list` flags -> envs.environment_files; a table, JSON or YAML on stdout."""



from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from .app import _run, app

env_app = typer.Typer(no_args_is_help=True, help="List the environments of a chart (its ENV values files).")
app.add_typer(env_app, name="env")


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


@env_app.command("list")
def list_(
    chart: str = typer.Argument(..., metavar="CHART", help="a chart folder"),
    output: OutputFormat = typer.Option(OutputFormat.table, "--output", "-o",
                                        help="table, json or yaml", case_sensitive=False),
) -> None:
    """List the environments `--env` accepts: values files named production_values.yaml,
    production-values.yaml, values-production.yaml or values.production.yaml.

    \b
    Examples:
      minihelm env list charts/demo
      minihelm env list charts/demo -o json
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..values.envs import environment_files

    found = _run(lambda: environment_files(chart))
    rows = [{"name": env, "files": [str(f) for f in files]} for env, files in found.items()]
    if output is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2))
    elif output is OutputFormat.yaml:
        from ..goyaml.yamlimport import yaml

        typer.echo(yaml.safe_dump(rows, sort_keys=False, default_flow_style=False), nl=False)
    elif not rows:
        typer.echo(f"no environments in {chart} (add a values file such as "
                   f"{Path(chart) / 'production_values.yaml'})", err=True)
    else:
        typer.echo(_table(["NAME", "VALUES FILE"], [
            [env, ", ".join(map(str, files)) + ("  (ambiguous)" if len(files) > 1 else "")]
            for env, files in found.items()]))


def _table(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns two spaces apart, header first (as helm's list tables look)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return "\n".join(lines)
