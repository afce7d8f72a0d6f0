"""The process's argv -> a replayed earlier output (replay.py), a warm render process
(renderserver.py), else the typer CLI (cli/).

The console script starts here so that a replayable `minihelm template` run
costs the interpreter's start-up and a few file reads, and a run whose
output cannot be replayed (random passwords) still skips typer: the request
it parsed from the same argv before is remembered.  A `template` run that
cannot be replayed whole goes to the cache folder's render server when one
is running (it has minihelm imported and warm; the run is the same, in a
forked copy of it).  A first run of a `template` argv in the usual forms
skips typer too (templateargs.py); any failure there is left to the CLI,
which reports it as always.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    import gc

    # deferred: only main() needs them; replay brings hashlib
    from . import renderserver, replay
    from .later import later

    gc.set_threshold(*renderserver.GC_THRESHOLDS)
    argv = sys.argv[1:]
    if argv[:1] != ["template"]:
        # deferred: only other commands need it, and it brings typer, click, json
        from .main import main as cli_main

        cli_main()  # other commands may hold temporary folders cleaned up at exit
        return
    try:
        entry = replay.lookup(argv)
        if replay.write_stored(entry):
            _leave()
        served = renderserver.delegate(argv)
        if served is not None:
            _leave(served)
        worth_a_server = renderserver.worth_starting()
        code = run_template(argv, entry)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")  # what click prints for Ctrl-C under the CLI
        _leave(1)
        return
    later.run_detached()  # compiling what the run evaluated from trees, for the next run
    if code in (0, 1) and worth_a_server:  # a failing chart is often edited next
        renderserver.start(argv)
    _leave(code)


def run_template(argv: list[str], entry: object) -> int:
    """A `template` argv in this process -> its exit code (the render server's workers run
    this too).  `entry` is replay.lookup's answer for argv."""
    # deferred: only run_template() needs it (main() loaded it already)
    from . import replay

    code = replay.replay(argv, entry)  # type: ignore[arg-type]
    if code is None:
        code = _template_without_typer(argv)
    if code is not None:
        return code
    replay.arm(argv)
    # deferred: only run_template() needs it, and it brings typer, click, json
    from .main import main as cli_main

    try:
        cli_main()
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        raise
    return 0


def serve() -> None:
    """The render server's process (renderserver.start runs `python -c` with this)."""
    # deferred: only the server's process needs it
    from . import renderserver

    renderserver.serve(renderserver.warm_request(), run_template)


def _template_without_typer(argv: list[str]) -> int | None:
    """A `template` argv in one of the usual forms, rendered without importing typer -> its
    exit code; None to leave it to the CLI."""
    # deferred: only _template_without_typer() needs it: 1 module this one does not otherwise load
    from . import replay
    from .templateargs import template_fields

    fields = template_fields(argv[1:])
    return None if fields is None else replay.run_fields(argv, fields)


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
