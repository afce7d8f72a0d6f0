"""`minihelm create NAME [--starter DIR]` -> minihelm.dist.create; progress and warnings go to stdout."""

from __future__ import annotations

import typer

from .app import _run, app

StarterOpt = typer.Option(None, "--starter", "-p",
                          help="a starter chart: a folder, or a name in helm's starters folder")
NameArg = typer.Argument(..., metavar="NAME")


@app.command()
def create(name: str = NameArg, starter: str | None = StarterOpt) -> None:
    """Create a new chart with the given name (a path: the chart is its last element).

    Example: minihelm create charts/web
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import create as creator

    typer.echo(f"Creating {name}")
    if starter:
        _run(lambda: creator.create_from(name, starter))
    else:
        _run(lambda: creator.create(name, warn=typer.echo))
