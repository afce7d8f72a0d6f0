"""A command line and the bytes of every input it read -> the stdout of an earlier identical run.

CI and developers render the same chart with the same flags over and over.
When `minihelm template` succeeds, prints to stdout only, and calls nothing
that is not hermetic (clock, random, key generation: funcs.NON_HERMETIC),
its output is a pure function of

    the command line, the working directory, the environment, minihelm's code,
    and the bytes of the files and folder listings the run read.

The launcher (launch.py) looks the first four up before importing anything
heavy; the entry names every input the earlier run read, with a digest:

    ("f", path, digest of the bytes)        a chart file, a values file, --set-file
    ("d", path, digest of the sorted names)  a folder the chart loader listed
    ("l", path, the link's target text)     a symbolic link it followed

If every input still matches, the stored stdout is written and nothing else
runs.  Anything else -- a missing or corrupt entry, a changed, added or
removed file, a non-regular input such as stdin or a pipe -- is a miss, and
the full pipeline runs (and records a fresh entry).  Entries are written
atomically (temp file + rename) under `<cache>/replay`; `--no-cache` neither
reads nor writes them, and MINIHELM_REPLAY=0 turns replay off (to measure or
debug the pipeline behind it).  Python callers of the library never use this: it
exists to skip interpreter-level start-up work that only the CLI pays.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

try:  # hashlib imports OpenSSL (~2 ms); the fast path only needs BLAKE2
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds _blake2
    from hashlib import blake2b

FORMAT = "replay1"
# Environment variables that change between identical commands without changing them.
_ENV_NOISE = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=20).digest()


def _code_stamp() -> str:
    """The newest mtime of minihelm's own modules: an edited install never replays old output."""
    newest = 0
    stack = [os.path.dirname(os.path.abspath(__file__))]
    while stack:
        with os.scandir(stack.pop()) as it:
            for e in it:
                if e.name.endswith(".py"):
                    newest = max(newest, e.stat().st_mtime_ns)
                elif e.is_dir() and e.name != "__pycache__":
                    stack.append(e.path)
    return str(newest)


def _key(argv: list[str]) -> str:
    from . import __version__

    h = blake2b(digest_size=20)
    env = sorted((k, v) for k, v in os.environ.items() if k not in _ENV_NOISE)
    for part in (FORMAT, __version__, sys.version, _code_stamp(), os.getcwd(), repr(argv),
                 repr(env)):
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def _entry_path(key: str) -> str:
    from .cachedir import cache_root

    return os.path.join(cache_root(), "replay", key)


# --- the fast path ------------------------------------------------------------------


def lookup(argv: list[str]) -> tuple[bytes | None, dict[str, Any] | None]:
    """(stdout to replay, or None; the remembered request of `argv`, or None)."""
    if ("--no-cache" in argv or not argv or argv[0] != "template"
            or os.environ.get("MINIHELM_REPLAY") == "0"):
        return None, None
    try:
        with open(_entry_path(_key(argv)), "rb") as fh:
            fmt, fields, deps, out = marshal.loads(fh.read())
        if fmt != FORMAT or not isinstance(fields, dict):
            return None, None
        if out is not None and all(_unchanged(*d) for d in deps):
            return out, fields
        return None, fields
    except (OSError, ValueError, EOFError, TypeError):
        return None, None  # no entry, or an unreadable one: the full run rewrites it


def replay(argv: list[str]) -> bool:
    """Finish `argv` from its entry: its stored stdout, else its remembered request.

    False when there is no usable entry, or when the remembered request fails:
    the caller then runs the full CLI, which reports errors the usual way.
    """
    out, fields = lookup(argv)
    if out is not None:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
        return True
    if fields is None:
        return False
    return _run_request(argv, fields)


def _run_request(argv: list[str], fields: dict[str, Any]) -> bool:
    """api.template for the request the CLI parsed from this very argv before (no typer)."""
    from . import api

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    try:
        req = api.TemplateRequest(**fields)
        arm(argv)
        begin(fields)
        out = api.template(req)
    except Exception:  # noqa: BLE001 - the full CLI run reports it exactly
        return False
    sys.stdout.write(out)
    finish(out)
    return True


def _unchanged(kind: str, path: str, want: Any) -> bool:
    try:
        if kind == "f":
            if not _is_regular(path):
                return False
            with open(path, "rb") as fh:
                return bool(_digest(fh.read()) == want)
        if kind == "d":
            return bool(_listing_digest(path) == want)
        return bool(kind == "l" and os.readlink(path) == want)
    except OSError:
        return False


def _is_regular(path: str) -> bool:
    import stat

    return stat.S_ISREG(os.stat(path).st_mode)


def _listing_digest(path: str) -> bytes:
    return _digest("\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape"))


# --- recording a full run -----------------------------------------------------------


class _Recording:
    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.fields: dict[str, Any] | None = None  # the request, once the command has parsed it
        self.output_ok = False  # stdout is the run's only effect, and its inputs are local files
        self.spoiled = False  # a non-hermetic function ran, or an input cannot be re-read
        self.deps: dict[tuple[str, str], Any] = {}


_session: _Recording | None = None


def arm(argv: list[str]) -> None:
    """The launcher's argv: a command of this process may record its output for it."""
    global _session
    if os.environ.get("MINIHELM_REPLAY") != "0":
        _session = _Recording(list(argv))


def begin(fields: dict[str, Any]) -> None:
    """`minihelm template` parsed its flags into these TemplateRequest fields: note inputs.

    Not called for --no-cache (which must not touch the cache) or
    --dependency-update (whose downloads are part of the CLI step).
    """
    if _session is not None:
        _session.fields = dict(fields)
        _session.output_ok = (bool(fields.get("use_cache")) and not fields.get("output_dir")
                              and not fields.get("validate_schema")
                              and os.path.exists(str(fields.get("chart"))))


def recording() -> bool:
    return _session is not None and _session.output_ok and not _session.spoiled


def spoil() -> None:
    """This run's output may differ next time (random, clock, stdin): store nothing."""
    if _session is not None:
        _session.spoiled = True


def note_bytes(path: str, data: bytes) -> None:
    """The run used `data`, read from the regular file at `path`."""
    if recording():
        assert _session is not None
        try:
            regular = _is_regular(path)
        except OSError:
            regular = False
        if not regular:
            spoil()
            return
        _session.deps[("f", os.path.abspath(path))] = _digest(data)


def note_file(path: str) -> None:
    """The run used the whole regular file at `path` (a chart archive)."""
    if recording():
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            spoil()
            return
        note_bytes(path, data)


def note_listing(path: str, names: list[str]) -> None:
    """The run listed the folder `path` and saw `names`."""
    if recording():
        assert _session is not None
        _session.deps[("d", os.path.abspath(path))] = _digest(
            "\0".join(sorted(names)).encode("utf-8", "surrogateescape"))


def note_link(path: str) -> None:
    """The run followed the symbolic link at `path`."""
    if recording():
        assert _session is not None
        try:
            _session.deps[("l", os.path.abspath(path))] = os.readlink(path)
        except OSError:
            spoil()


def finish(out: str) -> None:
    """The command succeeded and printed `out`: store it (or just its request) for later."""
    global _session
    rec, _session = _session, None
    if rec is None or rec.fields is None:
        return
    stored: bytes | None = None
    deps = [(kind, path, want) for (kind, path), want in rec.deps.items()]
    try:
        if rec.output_ok and not rec.spoiled:
            # the bytes the text stream wrote, so a replay is byte-identical
            stored = out.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict")
        blob = marshal.dumps((FORMAT, rec.fields, deps, stored))
        path = _entry_path(_key(rec.argv))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except (OSError, ValueError, LookupError):
        pass  # unmarshallable fields, unencodable output, or a read-only cache folder
