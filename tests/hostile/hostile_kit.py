"""Hostile-input battery helpers: run the real CLI bounded, and build bad charts on the fly.

Every hostile case runs `python -m minihelm.cli ...` as a child process in a
sandbox folder with a wall-clock timeout (10 s) and its peak RSS read from
wait4() (must stay under 512 MiB).  RLIMIT_AS is set too, but only as a
machine-protecting net at 2 GiB: the engine renders on a thread with a
512 MiB stack reservation, so an address-space limit of 512 MiB would fail
every render before it starts.  Bombs are generated in tmp_path, never
committed.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import tarfile
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT_S = 10.0
RSS_LIMIT = 512 << 20
AS_NET = 2 << 30
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes
    timed_out: bool

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith("Error: ")]


def _limit_child() -> None:
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (AS_NET, AS_NET))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_bounded(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
                timeout: float = TIMEOUT_S, stdin: bytes | None = None) -> Result:
    """Run argv; kill its process group at `timeout`; report rc, output, time and peak RSS."""
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        p = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=out, stderr=err,
                             stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             preexec_fn=_limit_child)  # noqa: PLW1509 (single-threaded parent)
        if stdin is not None:
            assert p.stdin is not None
            p.stdin.write(stdin)
            p.stdin.close()
        timed_out = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                os.killpg(p.pid, signal.SIGKILL)
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
    seconds = time.monotonic() - start
    rd = lambda f: f.read_bytes()[: 4 << 20].decode("utf-8", "replace")
    res = Result(None if timed_out else p.returncode, rd(out_path), rd(err_path), seconds,
                 ru.ru_maxrss * 1024, timed_out)
    out_path.unlink()
    err_path.unlink()
    return res


@dataclass
class Sandbox:
    """A folder holding everything a case may touch: work (cwd), home, cache and tmp."""

    root: Path
    allowed: list[Path] = field(default_factory=list)

    @property
    def work(self) -> Path:
        return self.root / "work"

    def env(self) -> dict[str, str]:
        return {"HOME": str(self.root / "home"), "MINIHELM_CACHE_DIR": str(self.root / "cache"),
                "TMPDIR": str(self.root / "tmp"), "NO_COLOR": "1", "COLUMNS": "200",
                "PYTHONPATH": str(ROOT / "src")}

    def minihelm(self, *args: str, timeout: float = TIMEOUT_S,
                 env: dict[str, str] | None = None) -> Result:
        e = self.env()
        e.update(env or {})
        return run_bounded([sys.executable, "-m", "minihelm.cli", *args], self.work, e, timeout)

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """relative path -> (size, mtime_ns) of everything but the cache and the allowed folders."""
        snap: dict[str, tuple[int, int]] = {}
        skip = [self.root / "cache", *self.allowed]
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            d = Path(dirpath)
            dirnames[:] = [n for n in dirnames if not any(d / n == s for s in skip)]
            for n in filenames + [x for x in dirnames if (d / x).is_symlink()]:
                st = os.lstat(d / n)
                snap[str((d / n).relative_to(self.root))] = (st.st_size, st.st_mtime_ns)
        return snap


def new_sandbox(tmp_path: Path) -> Sandbox:
    sb = Sandbox(tmp_path / "sb")
    for d in ("work", "home", "cache", "tmp"):
        (sb.root / d).mkdir(parents=True)
    return sb


def assert_clean_failure(res: Result, *, code: int = 1, contains: Iterable[str] = ()) -> str:
    """The hostile-input contract: fast, small, the right exit code, one `Error: ` line."""
    assert not res.timed_out, f"still running after {TIMEOUT_S}s; stderr tail: {res.stderr[-500:]}"
    assert res.peak_rss < RSS_LIMIT, f"peak RSS {res.peak_rss >> 20} MiB"
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    # One error: a single line, or helm's traced execution-error form, whose
    # continuation lines are indented ("  executing ... at <...>:").
    assert len(res.error_lines) == 1 and lines[0].startswith("Error: "), res.stderr[-3000:]
    assert all(ln.startswith("  ") for ln in lines[1:]), res.stderr[-3000:]
    assert res.rc == code, (res.rc, res.stderr[-1000:])
    msg = " ".join(ln.strip() for ln in lines)
    for part in contains:
        assert part in msg, msg[:2000]
    return msg


def assert_nothing_written(sb: Sandbox, before: dict[str, tuple[int, int]]) -> None:
    after = sb.snapshot()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert not changed, sorted(changed)[:20]


# ---------------------------------------------------------------- building inputs


CHART_YAML = "apiVersion: v2\nname: {name}\nversion: 0.1.0\n"


def make_chart(folder: Path, name: str = "c", templates: dict[str, str] | None = None,
               values: str | None = None, chart_yaml: str | None = None) -> Path:
    """A chart folder; templates maps a file name under templates/ to its text."""
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "Chart.yaml").write_text(chart_yaml if chart_yaml is not None
                                       else CHART_YAML.format(name=name))
    if values is not None:
        (folder / "values.yaml").write_text(values)
    for fname, text in (templates or {"t.yaml": "a: 1\n"}).items():
        (folder / "templates" / fname).write_text(text)
    return folder


def tar_header(name: str, size: int, typeflag: bytes = b"0", linkname: str = "",
               size_field: bytes | None = None, bad_checksum: bool = False) -> bytes:
    """One ustar header block, built by hand so its fields can lie."""
    def octal(n: int, width: int) -> bytes:
        return (b"%0*o" % (width - 1, n)) + b"\0"
    h = bytearray(512)
    h[0:100] = name.encode()[:100].ljust(100, b"\0")
    h[100:108] = octal(0o644, 8)
    h[108:116] = octal(0, 8)
    h[116:124] = octal(0, 8)
    h[124:136] = size_field if size_field is not None else octal(size, 12)
    h[136:148] = octal(0, 12)
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:257] = linkname.encode()[:100].ljust(100, b"\0")
    h[257:265] = b"ustar\x0000"
    chk = sum(h) + (7 if bad_checksum else 0)
    h[148:156] = b"%06o\0 " % chk
    return bytes(h)


def tar_entry(name: str, data: bytes, typeflag: bytes = b"0", linkname: str = "") -> bytes:
    pad = (-len(data)) % 512
    return tar_header(name, len(data), typeflag, linkname) + data + b"\0" * pad


TAR_END = b"\0" * 1024


def gz(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def tgz(entries: list[tuple[str, bytes]], end: bool = True) -> bytes:
    """A gzipped tar of plain files, names used verbatim (so they may be hostile)."""
    raw = b"".join(tar_entry(n, d) for n, d in entries)
    return gz(raw + (TAR_END if end else b""))


def chart_tgz(name: str, extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
              chart_yaml: str | None = None) -> bytes:
    """A valid chart archive `name/...` plus extra entries (names relative to the chart folder)."""
    cy = (chart_yaml or CHART_YAML.format(name=name)).encode()
    entries = [(f"{name}/Chart.yaml", cy), (f"{name}/templates/t.yaml", b"a: 1\n")]
    entries += [(f"{name}/{n}", d) for n, d in extra]
    return tgz(entries)


def stream_tgz(parts: list[bytes | int]) -> bytes:
    """gzip of the concatenated parts, where an int part stands for that many zero bytes
    (compressed in chunks, so a bomb never exists uncompressed in memory)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = io.BytesIO()
    block = b"\0" * (1 << 20)
    for part in parts:
        if isinstance(part, bytes):
            out.write(c.compress(part))
            continue
        left = part
        while left:
            step = min(left, len(block))
            out.write(c.compress(block[:step]))
            left -= step
    out.write(c.flush())
    return out.getvalue()


def zeros_tgz(name: str, files: int, each: int, extra: list[tuple[str, bytes]] = ()  # type: ignore[assignment]
              ) -> bytes:
    """A chart with `files` extra files of `each` zero bytes (each under the 5 MiB file limit)."""
    head = [(f"{name}/Chart.yaml", CHART_YAML.format(name=name).encode()),
            (f"{name}/templates/t.yaml", b"a: 1\n")] + [(f"{name}/{n}", d) for n, d in extra]
    parts: list[bytes | int] = [tar_entry(n, d) for n, d in head]
    for i in range(files):
        parts += [tar_header(f"{name}/files/z{i}", each), each + (-each) % 512]
    return stream_tgz(parts + [TAR_END])


def stdlib_tgz(members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None) -> bytes:
    """A gzipped tar written by tarfile (for link, device and FIFO entries)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for m in members:
            d = (data or {}).get(m.name)
            if d is not None:
                m.size = len(d)
            tf.addfile(m, io.BytesIO(d) if d is not None else None)
    return buf.getvalue()
