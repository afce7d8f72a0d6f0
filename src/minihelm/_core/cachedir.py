"""The environment and minihelm's own files -> where caches live, how entries are written, and
which code wrote them.

`$MINIHELM_CACHE_DIR`, else `$XDG_CACHE_HOME/minihelm`, else `~/.cache/minihelm`.
Only `os` is imported, so the replay fast path can use this module without
paying for jinja2 or pathlib.  Every cache (compiled templates, memo, index
entries, replay) writes through `store` and keys on `code_stamp`; the
template, memo and replay caches hash with `blake2b`.
"""

from __future__ import annotations

import os

try:  # BLAKE2 is built into CPython; hashlib would load OpenSSL first (~2 ms a start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds _blake2
    from hashlib import blake2b

__all__ = ["Writes", "blake2b", "cache_root", "code_stamp", "store", "writes"]

_stamp: str | None = None


def cache_root() -> str:
    explicit = os.environ.get("MINIHELM_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "minihelm")


class Writes:
    """Where `store` sends entries: to disk at once, or, once `hold` is set, kept until
    `flush` (the CLI's render server answers its caller first and writes after)."""

    def __init__(self) -> None:
        self.hold = False
        self.held: list[tuple[str, bytes]] = []

    def put(self, path: str, data: bytes) -> None:
        if self.hold:
            self.held.append((path, data))
        else:
            _store_now(path, data)

    def flush(self) -> None:
        """Write what was held, into folders that still exist: the cache may have been
        removed since the run (its caller has finished), and must not come back."""
        held, self.held = self.held, []
        for path, data in held:
            _store_now(path, data, make_folder=False)


writes = Writes()


def store(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a cache entry atomically (temp file + rename, no fsync: a lost entry is rebuilt).

    A read-only or full cache folder only costs speed, so OSError is swallowed.
    """
    writes.put(os.fspath(path), data)


def _store_now(path: str, data: bytes, make_folder: bool = True) -> None:
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        try:
            _write(tmp, data)
        except FileNotFoundError:  # the first entry of its folder: make the folder then
            if not make_folder:
                return
            os.makedirs(folder, exist_ok=True)
            _write(tmp, data)
        os.replace(tmp, path)
    except OSError:
        pass


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def code_stamp() -> str:
    """The newest mtime of minihelm's own modules: an edited install never reuses old entries."""
    global _stamp
    if _stamp is None:
        newest = 0
        # this file sits in minihelm/_core/: the stamp covers the whole package
        stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        while stack:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.name.endswith(".py"):
                        newest = max(newest, e.stat().st_mtime_ns)
                    elif e.is_dir() and e.name != "__pycache__":
                        stack.append(e.path)
        _stamp = str(newest)
    return _stamp
