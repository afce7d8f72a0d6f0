"""tests/__snapshot__/<suite>.snap <-> matchSnapshot comparisons of one suite (snapshot/cache.go).

The file maps each test's `it` to {assertion counter: the value as go-yaml v3
prints it}.  A run compares against the stored entries, records what it saw,
and rewrites the file when an entry was added, when stored ones were not met
again (obsolete) or, under -u, always when anything changed.
"""

from __future__ import annotations

import os
from typing import Any

from .._core.fsutil import atomic_write
from ..errors import ChartTestError, MinihelmError
from . import yamlv3
from .path import go_regex


class CompareResult:
    __slots__ = ("cached", "error", "index", "msg", "new", "passed")

    def __init__(self, passed: bool, index: int, new: str, cached: str, msg: str,
                 error: str | None) -> None:
        self.passed, self.index, self.new, self.cached = passed, index, new, cached
        self.msg, self.error = msg, error


class SnapshotCache:
    """The stored and the current snapshots of one suite."""

    def __init__(self, path: str, updating: bool) -> None:
        self.path, self.updating = path, updating
        self.cached: dict[str, dict[int, str]] = {}
        self.current: dict[str, dict[int, str]] = {}
        self.existed = False
        self.updated = self.inserted = self.compared = 0
        self._restore()

    def _restore(self) -> None:
        try:
            with open(self.path, encoding="utf-8", errors="surrogateescape") as fh:
                text = fh.read()
        except FileNotFoundError:
            return
        except OSError as e:
            raise ChartTestError(f"open {self.path}: {e.strerror}") from None
        try:
            doc = yamlv3.load(text, self.path)
        except MinihelmError as e:
            raise ChartTestError(e.message, e.pos) from None
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise ChartTestError(f"yaml: unmarshal errors:\n  line 1: cannot unmarshal into "
                                 f"map[string]map[uint]string ({self.path})")
        for test, entries in doc.items():
            if not isinstance(entries, dict):
                continue
            self.cached[test] = {}
            for k, v in entries.items():
                try:
                    self.cached[test][int(k)] = v if isinstance(v, str) else yamlv3.dump(v)
                except ValueError:
                    continue
        self.existed = True

    def compare(self, test: str, index: int, content: Any, match: str = "",
                not_match: str = "") -> CompareResult:
        """Cache.Compare: one matchSnapshot value against entry (test, index)."""
        self.compared += 1
        stored = self.cached.get(test, {}).get(index)
        existed = stored is not None
        if not existed:
            self.inserted += 1
        cached = stored or ""
        new = yamlv3.dump(content)
        ok, msg, error = True, "", None
        match, not_match = match.strip(), not_match.strip()
        if match or not_match:
            if match:
                ok, error = _search(match, new)
                if not ok:
                    msg = f" pattern '{match}' not found in snapshot"
            if not_match and ok:
                found, error = _search(not_match, new)
                if found:
                    ok, msg = False, f" pattern '{not_match}' should not be in snapshot"
        elif existed and new != cached:
            ok = False
            self.updated += 1
        self.current.setdefault(test, {})[index] = new if (self.updating or not existed) else cached
        return CompareResult(self.updating or ok, index, new, cached, msg, error)

    def failed_count(self) -> int:
        return 0 if self.updating else self.updated

    def vanished(self) -> list[tuple[str, int]]:
        """Stored entries this run did not meet again (obsolete snapshots)."""
        return [(t, i) for t, entries in self.cached.items() for i in entries
                if i not in self.current.get(t, {})]

    def changed(self) -> bool:
        return bool(self.updated or self.inserted or self.vanished())

    def store_if_needed(self, keep_unvisited: bool = False) -> bool:
        """StoreToFileIfNeeded: write the file when entries were added, dropped, or under -u.

        `keep_unvisited` keeps the entries of tests that did not run (pytest -k
        selects some tests of a suite; the others' snapshots are not obsolete).
        """
        if keep_unvisited:
            for test, entries in self.cached.items():
                for i, text in entries.items():
                    self.current.setdefault(test, {}).setdefault(i, text)
        if not self.changed():
            return False
        if not (self.updating or self.inserted or self.vanished()):
            return False
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            atomic_write(self.path, yamlv3.dump_snapshots(self.current).encode(
                "utf-8", "surrogateescape"))
        except OSError as e:
            raise ChartTestError(f"open {self.path}: {e.strerror}") from None
        self.existed = True
        return True


class TestSnapshots:
    """orderedSnapshotComparer: numbers a test's snapshot assertions 1, 2, ..."""

    __test__ = False

    def __init__(self, cache: SnapshotCache, test: str) -> None:
        self.cache, self.test, self.counter = cache, test, 0

    def compare(self, content: Any, match: str = "", not_match: str = "") -> CompareResult:
        self.counter += 1
        return self.cache.compare(self.test, self.counter, content, match, not_match)


def _search(pattern: str, text: str) -> tuple[bool, str | None]:
    try:
        return bool(go_regex(pattern).search(text)), None
    except ChartTestError as e:
        return False, f"failed to compile regex pattern {pattern}: {e.message}"
