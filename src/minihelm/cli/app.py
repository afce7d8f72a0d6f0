"""The typer app -> the command modules that register on it (main.py gathers them).

This module holds the app, the `repo` group and the error mapping: `_run`
turns a MinihelmError into one `Error:` line and its exit code (0 success,
1 any minihelm error, 2 a usage error).  It imports no command module, so
each command module may import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer

from .. import __version__
from ..errors import MinihelmError
from .usage import HelmUsageGroup

app = typer.Typer(
    cls=HelmUsageGroup, add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False,
    help="A pure-Python, Helm-compatible chart renderer and packager.",
)
repo_app = typer.Typer(no_args_is_help=True,
                       help="Add, list, remove, update and index chart repositories.")
app.add_typer(repo_app, name="repo")

T = TypeVar("T")
_state = {"debug": False}


def _run(fn: Callable[[], T]) -> T:
    """Run a library call; a MinihelmError becomes one `Error:` line and its exit code."""
    try:
        return fn()
    except MinihelmError as e:
        _show_traceback()
        typer.echo(f"Error: {e.message}", err=True)
        raise typer.Exit(e.exit_code) from None
    except RecursionError:
        _show_traceback()
        typer.echo("Error: input nested too deeply to process", err=True)
        raise typer.Exit(1) from None
    except MemoryError:
        typer.echo("Error: out of memory", err=True)
        raise typer.Exit(1) from None
    except Exception as e:  # noqa: BLE001 - a bug of ours: one line, details under --debug
        _show_traceback()
        typer.echo(f"Error: internal error: {type(e).__name__}: {e} (rerun with --debug "
                   "for a traceback, and please report it)", err=True)
        raise typer.Exit(1) from None


def _show_traceback() -> None:
    if _state["debug"]:
        import traceback

        traceback.print_exc()


@app.command()
def version(short: bool = typer.Option(False, "--short")) -> None:
    """Print minihelm's version and the helm version it matches."""
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..engine.objects import HELM_VERSION

    typer.echo(f"v{__version__}" if short else f"minihelm v{__version__} (helm {HELM_VERSION} compatible)")
