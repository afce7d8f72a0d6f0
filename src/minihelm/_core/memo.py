"""Pure computations on file contents -> their results, remembered on disk by content hash.

Reading a large values.yaml the go-yaml way costs tens of milliseconds; the
result depends only on the bytes, so a warm run reads it back with marshal
instead.  Only plain data (dicts, lists, strings, numbers, bools, None) is
stored, and only successful results: errors are recomputed so their text
and position are always fresh.  Entries live next to the template cache and
are written atomically; an unreadable entry is recomputed.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from typing import TypeVar

from .cachedir import blake2b, cache_root, store

T = TypeVar("T")
FORMAT = b"memo1"
_enabled = True


def disable() -> None:
    """Turn the disk memo off for this process (--no-cache)."""
    global _enabled
    _enabled = False


def _directory() -> str:
    return os.path.join(cache_root(), "memo")  # (os.path: pathlib costs a render ~1 ms here)


def remember(kind: str, data: bytes, compute: Callable[[], T]) -> T:
    """compute(), or its stored result for the same `kind` and `data`."""
    if not _enabled:
        return compute()
    key = blake2b(FORMAT + kind.encode() + b"\0" + data, digest_size=32).hexdigest()
    path = os.path.join(_directory(), key)  # flat: see TemplateCache._path
    try:
        with open(path, "rb") as fh:
            return marshal.loads(fh.read())  # type: ignore[no-any-return]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    result = compute()
    try:
        blob = marshal.dumps(result)  # type: ignore[arg-type]
    except ValueError:
        return result  # not plain data: nothing to store

    store(path, blob)
    return result
