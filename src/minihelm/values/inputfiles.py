"""A user's input path (-f, --set-file) -> its bytes, size-bounded, with Go's error text (values/layers.py and values/strvals.py read them).

helm reads these with os.ReadFile and no bound; minihelm stops at
$MINIHELM_MAX_VALUES_BYTES (32 MiB by default) so that `-f /dev/zero` ends.
"""

from __future__ import annotations

import errno
import os
from typing import Any

from minihelm._core.recorder import recorder
from minihelm.errors import ValuesError

__all__ = ["go_read_file", "max_file_bytes", "read_bounded"]

MAX_FILE_BYTES_ENV = "MINIHELM_MAX_VALUES_BYTES"
DEFAULT_MAX_FILE_BYTES = 32 << 20  # ours: helm reads -f/--set-file input without a bound


def max_file_bytes() -> int:
    """The size limit for one -f / --set-file input ($MINIHELM_MAX_VALUES_BYTES, else 32 MiB)."""
    raw = os.environ.get(MAX_FILE_BYTES_ENV, "").strip()
    try:
        return int(raw) if raw else DEFAULT_MAX_FILE_BYTES
    except ValueError:
        return DEFAULT_MAX_FILE_BYTES


def read_bounded(fh: Any, name: str) -> bytes:
    """Everything fh holds, or a ValuesError once it passes max_file_bytes() (/dev/zero ends)."""
    limit = max_file_bytes()
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValuesError(f"read {name}: more than minihelm's limit of {limit} bytes "
                          f"(raise {MAX_FILE_BYTES_ENV} to allow it)")
    return bytes(data)


def go_read_file(path: str) -> bytes:
    """os.ReadFile with Go's error text ("open x: no such file or directory"), size-bounded.

    A named pipe is opened without blocking (then read normally), so `-f <(cmd)` works
    and a pipe nobody writes reads as empty instead of hanging.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as f:
            data = read_bounded(f, path)
        recorder().note_bytes(path, data)  # a pipe or device spoils the replay entry
        return data
    except IsADirectoryError:
        raise ValuesError(f"read {path}: is a directory") from None
    except OSError as e:
        reason = os.strerror(e.errno).lower() if e.errno else str(e)
        if e.errno == errno.ENOENT:
            reason = "no such file or directory"
        raise ValuesError(f"open {path}: {reason}") from None
