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
    import gc

    from . import replay

    # A short-lived process that builds millions of long-lived objects (template
    # ASTs, values, Jinja2 nodes): with CPython's default first threshold (700)
    # the collector rescans them thousands of times -- a third of building
    # kube-prometheus-stack's code.  Cycles are still collected, just in fewer passes.
    gc.set_threshold(50_000, 20, 20)
    argv = sys.argv[1:]
    if replay.replay(argv):
        _leave()
        return
    replay.arm(argv)
    from .cli import main as cli_main

    cli_main()


def _leave() -> None:
    """A replayed output is written: exit without tearing the interpreter down.

    Freeing every object of a render (a loaded chart, its values, compiled
    templates) one by one costs 5-10 ms that a finished CLI run does not need;
    stdout is flushed first, and nothing else is open (the render thread and
    any compile helpers were joined, cache entries were written atomically).
    """
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass  # a closed pipe (`| head`): what was wanted has been read
    os._exit(0)
