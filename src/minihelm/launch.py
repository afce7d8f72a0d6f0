"""The process's argv -> a replayed earlier output (replay.py), else the typer CLI (cli/).

The console script starts here so that a replayable `minihelm template` run
costs the interpreter's start-up and a few file reads, and a run whose
output cannot be replayed (random passwords) still skips typer: the request
it parsed from the same argv before is remembered.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from . import replay

    argv = sys.argv[1:]
    if replay.replay(argv):
        return
    replay.arm(argv)
    from .cli import main as cli_main

    cli_main()
