"""What the pipeline's stages read and run -> a listener: none by default, the CLI's replay cache when it installs one.

The loader, the values and `--set` readers, the engine, the function table,
the manifest sorter and api report here what they read (files, folder
listings, links), what they run (volatile functions, in-place changes to
shared maps, each template's output) and the prepared state.  They never
learn who listens: `Recorder` does nothing, and only `cli/` (replay.py,
armed by the launcher) installs a subclass that records a run for replay, and
that lets a template's first run skip compiling until the output is written.
Python callers of the library therefore pay one no-op call per report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Recorder", "install", "recorder"]


class Recorder:
    """The listener interface; every report is ignored and every question answers "no"."""

    # -- inputs: what a run read, so that a later run can tell if they changed
    def note_bytes(self, path: str, data: bytes) -> None:
        """The run used `data`, read from the file at `path`."""

    def note_file(self, path: str) -> None:
        """The run used the whole file at `path` (a chart archive)."""

    def note_listing(self, path: str, names: list[str]) -> None:
        """The run listed the folder `path` and saw `names`."""

    def note_link(self, path: str) -> None:
        """The run followed the symbolic link at `path`."""

    def spoil(self) -> None:
        """An input cannot be read again to check it (stdin, a pipe)."""

    # -- execution: what templates did
    def watching(self) -> bool:
        """Should the engine report volatile calls, outputs and changes to shared maps?"""
        return False

    def volatile(self) -> None:
        """A non-hermetic function (clock, random, keys) ran."""

    def volatile_count(self) -> int:
        return 0

    def watch_shared(self, roots: list[Any]) -> None:
        """These are the templates' scopes (what `set` could change)."""

    def mutating(self, target: Any) -> None:
        """A function is about to change `target` (and maps inside it) in place."""

    def changed_shared(self) -> bool:
        """Has a template changed a shared map so far (a `mutating` target among them)?"""
        return False

    def template_done(self, name: str, text: str, volatile_before: int) -> None:
        """A top-level template rendered `text`."""

    def reused(self, name: str) -> str | None:
        """A stored output to use instead of executing template `name`, or None."""
        return None

    # -- prepared state and sorting
    def note_state(self, state: Any) -> None:
        """The run prepared `state` (the processed chart and the top scope)."""

    def stored_state(self) -> Any:
        """A prepared state to use instead of loading and preparing, or None."""
        return None

    def stored_chart(self, path: str, external_links: bool) -> Any:
        """A loaded chart to use instead of loading the one at `path`, or None."""
        return None

    def note_chart(self, path: str, external_links: bool, chart: Any) -> None:
        """The run loaded `chart` from `path` (stored_chart said None just before)."""

    def note_heads(self, path: str, rows: Any) -> None:
        """Sorting read the heads of the documents `path` printed."""

    def heads_of(self, path: str) -> Any:
        """Stored document heads for `path`, or None."""
        return None

    # -- compiling: a command that prints once and exits need not wait for it
    def defer_compiling(self) -> bool:
        """May a template's first run be evaluated from its tree, and compiled by compile_later?"""
        return False

    def compile_later(self, work: Callable[[], None]) -> None:
        """`work` compiles what the run evaluated from trees, for the cache: the listener
        runs it once the command's output is written (here: at once)."""
        work()


class _Plug:
    """Where the one installed listener sits (templates run on another thread, so a
    context variable would not reach them)."""

    __slots__ = ("current",)

    def __init__(self) -> None:
        self.current = Recorder()


_PLUG = _Plug()


def recorder() -> Recorder:
    """The listener stages report to."""
    return _PLUG.current


def install(listener: Recorder | None) -> None:
    """Make `listener` the one stages report to (None: back to the silent default)."""
    _PLUG.current = listener if listener is not None else Recorder()
