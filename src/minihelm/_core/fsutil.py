"""Bytes + a target path -> a file replaced atomically; a path -> an exclusive lock (package and repo use both)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import RepoError


def atomic_write(path: str | os.PathLike[str], data: bytes, mode: int = 0o644,
                 tmp_prefix: str | None = None) -> Path:
    """Write data to a temp file beside `path`, fsync it, rename it over `path`, fsync the folder.

    Readers see either the old file or the new one, never a torn write; a crash
    leaves at most a stray ``.<name>.*.tmp`` file (``<tmp_prefix>*.tmp`` when given, so a
    caller can recognise and clean up its own litter).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=tmp_prefix or f".{target.name}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, mode: int = 0o644) -> Path:
    """atomic_write of `text` as UTF-8 (lone surrogates from undecodable input kept as bytes)."""
    return atomic_write(path, text.encode("utf-8", "surrogateescape"), mode)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], timeout: float = 60.0) -> Iterator[None]:
    """Hold an exclusive inter-process lock on `path` + '.lock' for the block."""
    lock = FileLock(os.fspath(path) + ".lock", timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise RepoError(f"timed out after {timeout:g}s waiting for the lock on {path}") from None
