"""Work a `template` run hands over while it renders (replay's recorder) -> done after its output,
in a detached child the command does not wait for.

A cold render evaluates each template's first run from its tree
(engine/tplcache.first_run) and leaves compiling those trees for the cache
to here: a command that prints once and exits should not wait for code only
its next run needs.  The launcher forks one child when the run is over: it
leaves the caller's session and descriptors (a pipe reader sees the end of
the output when the command exits, not when the child does), lowers its
priority, does the work and exits.  Its cache entries are written
atomically, as every entry is, and a cache folder removed in the meantime is
not made again (_core/cachedir.Writes).

MINIHELM_COMPILE_LATER=wait does the work in the command itself, after its
output (the test suite, and anyone timing a run that leaves nothing behind);
MINIHELM_COMPILE_LATER=0 compiles every template before its first run, as
the Python API always does (cli/replay.py decides, engine/run.py obeys).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .._core.cachedir import writes

Work = Callable[[], None]


class Later:
    """What the run left for after its output, in the order it was handed over."""

    def __init__(self) -> None:
        self.work: list[Work] = []

    def add(self, work: Work) -> None:
        self.work.append(work)

    def run_here(self) -> None:
        """Do the work in this process (a render server does it after answering)."""
        work, self.work = self.work, []
        for w in work:
            w()

    def run_detached(self) -> None:
        """Do the work in a child this process does not wait for (the launcher, exiting)."""
        if not self.work:
            return
        if os.environ.get("MINIHELM_COMPILE_LATER") == "wait" or not hasattr(os, "fork"):
            self.run_here()
            return
        try:
            sys.stdout.flush()  # the child must not inherit (and later write) buffered output
            sys.stderr.flush()
        except OSError:
            pass
        if os.fork() != 0:
            self.work = []
            return
        try:  # the child: never returns
            os.setsid()  # a Ctrl-C or a closed terminal meant for the command does not reach it
            os.nice(19)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            # Entries go to folders that still exist: a cache folder removed while the
            # child worked (the next cold run's, or a test's) must not come back.
            writes.hold = True
            self._quietly(self.run_here)
            writes.flush()
        finally:
            os._exit(0)

    @staticmethod
    def _quietly(work: Work) -> None:
        # What fails here only means the next run compiles for itself: the command's
        # output and exit code are already given.
        try:
            work()
        except Exception:  # noqa: BLE001, S110 - the next run compiles what this did not
            pass


later = Later()
