"""The typer app with every command registered -> the console entry point.

Each command module (template, package, repo, lint, ...) registers itself on
`app.app` when imported; importing them here, not in app.py, keeps the
graph acyclic.  launch.py comes here only for argv it cannot serve itself.
"""

from __future__ import annotations

import os
import sys

from . import (  # noqa: F401 - each module adds its commands to `app` on import
    create,
    dependency,
    diff,
    env,
    lint,
    package,
    pull,
    registry,
    repo,
    search,
    show,
    template,
    unittest,
    verify,
)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    app(prog_name="minihelm")


if __name__ == "__main__":
    main()
