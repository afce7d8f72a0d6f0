"""The process's argv -> a replayed earlier output (replay.py), else the typer CLI (cli/).

The console script starts here so that a replayable `minihelm template` run
costs the interpreter's start-up and a few file reads, and a run whose
output cannot be replayed (random passwords) still skips typer: the request
it parsed from the same argv before is remembered.  A first run of a
`template` argv in the usual forms skips typer too (templateargs.py); any
failure there is left to the CLI, which reports it as always.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    import gc

    # deferred: only main() needs it, and it brings hashlib
    from . import replay

    # A short-lived process that builds millions of long-lived objects (template
    # ASTs, values, Jinja2 nodes): with CPython's default first threshold (700)
    # the collector rescans them thousands of times -- a third of building
    # kube-prometheus-stack's code.  Cycles are still collected, just in fewer passes.
    gc.set_threshold(50_000, 20, 20)
    argv = sys.argv[1:]
    try:
        done = replay.replay(argv) or _template_without_typer(argv)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")  # what click prints for Ctrl-C under the CLI
        _leave(1)
        return
    if done:
        _leave()
        return
    replay.arm(argv)
    # deferred: only main() needs it, and it brings typer, click, json
    from .main import main as cli_main

    if argv[:1] != ["template"]:
        cli_main()  # other commands may hold temporary folders cleaned up at exit
        return
    try:
        cli_main()
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            _leave(e.code or 0)
        raise


def _template_without_typer(argv: list[str]) -> bool:
    """A `template` argv in one of the usual forms, rendered without importing typer."""
    if argv[:1] != ["template"]:
        return False
    # deferred: only _template_without_typer() needs it: 1 module this one does not otherwise load
    from . import replay
    from .templateargs import template_fields

    fields = template_fields(argv[1:])
    return fields is not None and replay.run_fields(argv, fields)


def _leave(code: int = 0) -> None:
    """A `template` run is over: exit without tearing the interpreter down.

    Freeing every object of a render (a loaded chart, its values, compiled
    templates) one by one costs 5-10 ms, and tens of milliseconds after a cold
    render, that a finished CLI run does not need.  stdout and stderr are
    flushed first, and nothing else is open: the render thread and any compile
    helpers were joined, cache entries were written atomically, and `template`
    creates no temporary files.
    """
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass  # a closed pipe (`| head`): what was wanted has been read
    os._exit(code)
