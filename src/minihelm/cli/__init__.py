"""Command line (typer) -> library calls: the top floor, and the only one that knows a CLI exists.

No logic lives here: each command parses its flags and calls the library.
`app.py` holds the typer app and the error mapping, `main.py` the entry
point with every command registered, `launch.py` the console script's fast
path (replay.py, templateargs.py) that skips typer when it can.  This file
imports nothing, so that the fast path pays for no typer import.
"""
