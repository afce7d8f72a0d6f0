"""Untrusted .tgz bytes -> a bounded, path-checked list of chart Files for the loader.

Helm's defences (pkg/chart/loader/archive) plus ours:

* gzip is decompressed incrementally and never past the budget (no bomb can
  inflate in memory); concatenated gzip members are accepted as Go does.
* Content is limited to 100 MiB per chart, and (unlike helm, which resets per
  archive) the same :class:`Budget` is charged by every nested charts/*.tgz;
  5 MiB per file; the raw tar stream and the entry count are bounded too.
* Entry names: absolute, ``..``, backslashes, drive letters, entries outside
  the single top-level chart folder and duplicates are refused; links,
  devices and FIFOs are refused (helm would read them as empty files).
* A header claiming more bytes than the stream holds is an error, and so is a
  corrupt header after the first (tarfile would quietly end the member list
  there, dropping the rest of the chart; Go's archive/tar reports ErrHeader).
"""

from __future__ import annotations

import io
import posixpath
import re
import zlib
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import tarfile

    from typing_extensions import Self

from ..errors import ArchiveError, MinihelmError
from .model import File

MAX_CHART_SIZE = 100 * 1024 * 1024  # helm's MaxDecompressedChartSize
MAX_FILE_SIZE = 5 * 1024 * 1024  # helm's MaxDecompressedFileSize
MAX_STREAM_SIZE = 2 * MAX_CHART_SIZE  # ours: tar headers and padding included
MAX_ENTRIES = 50_000  # ours: bounds work on archives of empty entries
MAX_DEPTH = 32  # ours: charts/ nesting

UTF8_BOM = b"\xef\xbb\xbf"
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024


class Budget:
    """What is left for one top-level chart, shared by all its nested archives.

    (A plain class: loading a chart folder imports this module, and creating a
    dataclass costs every start; tarfile is imported only to read an archive.)
    """

    def __init__(self, content: int = MAX_CHART_SIZE, stream: int = MAX_STREAM_SIZE,
                 entries: int = MAX_ENTRIES) -> None:
        self.content, self.stream, self.entries = content, stream, entries

    def charge_content(self, n: int) -> None:
        self.content -= n
        if self.content < 0:
            raise ArchiveError(
                f"decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
            )


class _Gunzip(io.RawIOBase):
    """A read-only stream of the decompressed bytes, charged to the budget as read."""

    def __init__(self, src: BinaryIO, budget: Budget) -> None:
        self._src = src
        self._budget = budget
        self._d = zlib.decompressobj(31)
        self._pending = b""
        self._done = False
        self._checked = False

    def readable(self) -> bool:
        return True

    def _refill(self) -> bytes:
        """Compressed input to feed next; b'' at the end of the source."""
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._src.read(_CHUNK)

    def readinto(self, buf: memoryview) -> int:  # type: ignore[override]
        want = len(buf)
        while not self._done:
            if self._d.eof:
                rest = self._d.unused_data + self._refill()
                if not rest:
                    self._done = True
                    break
                if not rest.startswith(b"\x1f\x8b"):
                    raise ArchiveError("gzip: invalid header")
                self._d = zlib.decompressobj(31)
                self._pending = rest
                continue
            if not self._checked:
                self._check_first_header()
            data = self._d.unconsumed_tail or self._refill()
            if not data:
                raise ArchiveError("unexpected EOF")
            try:
                out = self._d.decompress(data, want)
            except zlib.error as e:
                raise ArchiveError(_go_gzip_error(str(e))) from None
            if out:
                self._budget.stream -= len(out)
                if self._budget.stream < 0:
                    raise ArchiveError(
                        f"decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
                    )
                buf[: len(out)] = out
                return len(out)
        return 0


    def _check_first_header(self) -> None:
        """gzip.NewReader's first readHeader: io.EOF on no input, unexpected EOF
        on a short one, ErrHeader unless ID1 ID2 and the deflate method byte."""
        self._checked = True
        head = self._refill()
        while 0 < len(head) < 10:
            more = self._src.read(_CHUNK)
            if not more:
                break
            head += more
        if not head:
            raise ArchiveError("EOF")
        if len(head) < 10:
            raise ArchiveError("unexpected EOF")
        if head[:3] != b"\x1f\x8b\x08":
            raise ArchiveError("gzip: invalid header")
        self._pending = head


def _go_gzip_error(zlib_msg: str) -> str:
    """zlib's wording -> compress/gzip's where they name the same fault."""
    if "incorrect data check" in zlib_msg or "incorrect length check" in zlib_msg:
        return "gzip: invalid checksum"
    if "incorrect header check" in zlib_msg or "unknown compression method" in zlib_msg:
        return "gzip: invalid header"
    return f"gzip: {zlib_msg}"


def ensure_gzip(display_name: str, head: bytes) -> None:
    """helm's EnsureArchive: refuse files that do not start like a gzip stream."""
    if head.startswith(b"\x1f\x8b\x08"):
        return
    if display_name.endswith((".yml", ".yaml")):
        raise ArchiveError(
            f"file '{display_name}' seems to be a YAML file, but expected a gzipped archive"
        )
    raise ArchiveError(
        f"file '{display_name}' does not appear to be a gzipped archive; got '{_sniff(head)}'"
    )


def _sniff(head: bytes) -> str:
    """A small part of Go's http.DetectContentType, enough for the usual mistakes."""
    # helm sniffs a zero-filled 512-byte buffer, so a short file always looks binary.
    text = head[:512].ljust(512, b"\0")
    if any(b < 0x20 and b not in b"\t\n\r\x0c\x1b" for b in text):
        return "application/octet-stream"
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain; charset=utf-8"


def _check_name(raw: str, top: list[str]) -> str:
    """Tar entry name -> path inside the chart, or ArchiveError (helm's order of checks first)."""
    if "\\" in raw:
        raise ArchiveError(f"chart contains illegally named files: {raw!r} has a backslash")
    if raw.startswith("/"):
        raise ArchiveError("chart illegally contains absolute paths")
    first, _, rest = raw.partition("/")
    if rest.startswith("/"):
        raise ArchiveError("chart illegally contains absolute paths")
    if ".." in raw.split("/"):
        raise ArchiveError("chart illegally references parent directory")
    n = posixpath.normpath(rest) if rest else "."
    if n == ".":
        raise ArchiveError(
            f'chart illegally contains content outside the base directory: "{raw}"'
        )
    if n.startswith(".."):
        raise ArchiveError("chart illegally references parent directory")
    if _DRIVE.match(n) or _DRIVE.match(first):
        raise ArchiveError("chart contains illegally named files")
    if first == "Chart.yaml":
        raise ArchiveError("chart yaml not in base directory")
    if first in ("", ".", ".."):
        raise ArchiveError(f'chart illegally contains content outside the base directory: "{raw}"')
    if not top:
        top.append(first)
    elif top[0] != first:
        raise ArchiveError(
            f'chart archive has more than one top-level folder: "{top[0]}" and "{first}"'
        )
    return n


# Not in typeshed; both exist in every CPython 3.
@cache
def _strict_tarinfo() -> type[tarfile.TarInfo]:
    """A TarInfo whose corrupt or short headers are errors wherever they occur."""
    import tarfile

    invalid_header: type[Exception] = getattr(tarfile, "InvalidHeaderError")  # noqa: B009
    truncated_header: type[Exception] = getattr(tarfile, "TruncatedHeaderError")  # noqa: B009

    class StrictTarInfo(tarfile.TarInfo):
        @classmethod
        def fromtarfile(cls, tf: tarfile.TarFile) -> Self:
            try:
                return super().fromtarfile(tf)
            except invalid_header:
                # Go's tar.ErrHeader; tarfile only raises it for the first header.
                raise ArchiveError("archive/tar: invalid tar header") from None
            except truncated_header:
                raise ArchiveError("unexpected EOF") from None

    return StrictTarInfo


def _read_member(tf: tarfile.TarFile, m: tarfile.TarInfo, budget: Budget) -> bytes:
    if m.size > budget.content:
        raise ArchiveError(f"decompressed chart is larger than the maximum size {MAX_CHART_SIZE}")
    if m.size > MAX_FILE_SIZE:
        raise ArchiveError(
            f'decompressed chart file "{m.name}" is larger than the maximum file size '
            f"{MAX_FILE_SIZE}"
        )
    fh = tf.extractfile(m)
    data = fh.read(m.size) if fh is not None else b""
    if len(data) != m.size:
        raise ArchiveError("unexpected EOF")
    budget.charge_content(len(data))
    return data.removeprefix(UTF8_BOM)


def read_archive(src: BinaryIO, budget: Budget | None = None) -> list[File]:
    """A gzipped tar stream -> the chart's files (names relative to the chart folder)."""
    import tarfile

    budget = budget if budget is not None else Budget()
    try:
        return _read_tar(_Gunzip(src, budget), budget)
    except MinihelmError:
        raise
    except tarfile.ReadError as e:
        if "empty file" in str(e):
            raise ArchiveError("no files in chart archive") from None
        msg = "unexpected EOF" if "unexpected end" in str(e) else f"archive/tar: {e}"
        raise ArchiveError(msg) from None
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeError) as e:
        raise ArchiveError(f"archive/tar: invalid tar header ({e})") from None


def _read_tar(stream: io.RawIOBase, budget: Budget) -> list[File]:
    import tarfile

    files: list[File] = []
    seen: set[str] = set()
    top: list[str] = []
    buffered = io.BufferedReader(stream, _CHUNK)
    with tarfile.open(fileobj=buffered, mode="r|", errorlevel=2,
                      tarinfo=_strict_tarinfo()) as tf:
        for m in tf:
            budget.entries -= 1
            if budget.entries < 0:
                raise ArchiveError(f"chart has more than {MAX_ENTRIES} entries")
            if m.isdir():
                continue
            if not m.isreg() or m.type == tarfile.GNUTYPE_SPARSE:
                kind = "link" if (m.issym() or m.islnk()) else "irregular file"
                raise ArchiveError(f'chart archive entry "{m.name}" is a {kind}')
            name = _check_name(m.name, top)
            if name in seen:
                raise ArchiveError(f'chart archive contains "{name}" twice')
            seen.add(name)
            files.append(File(name, _read_member(tf, m, budget)))
    if not files:
        raise ArchiveError("no files in chart archive")
    return files
