"""A command line and the bytes of every input it read -> the stdout of an earlier identical run.

CI and developers render the same chart with the same flags over and over.
When `minihelm template` succeeds, prints to stdout only, and calls nothing
that is not hermetic (clock, random, key generation: funcs.NON_HERMETIC),
its output is a pure function of

    the command line, the working directory, the environment, minihelm's code,
    and the bytes of the files and folder listings the run read.

The launcher (launch.py) looks the first four up before importing anything
heavy; the entry names every input the earlier run read, with a digest:

    ("f", path, (digest of the bytes, stat))  a chart file, a values file, --set-file
    ("d", path, digest of the sorted names)  a folder the chart loader listed
    ("l", path, the link's target text)     a symbolic link it followed

A file whose size, mtime, ctime, inode and device are what they were is not
read again (ctime cannot be set back, so an edit always shows), unless its
ctime falls within two seconds of the recording, where a later edit in the
same clock tick could hide: then its bytes are hashed, as git treats a
"racily clean" index entry.  If every input still matches, the stored
stdout is written and nothing else runs.

A run that called a non-hermetic function cannot be replayed whole (helm
prints a new password every time), but the templates that called none can:
the entry keeps their outputs, and a replay executes only the volatile
templates against the full template set.  That holds only while no template
changes what another one sees: a run that mutates a map reachable from the
templates' scopes (`set`, `unset`, `merge*` on .Values, `.`, ...) keeps no
template outputs, and a replay that does so is discarded and rendered whole.
Either way the request typer parsed from this argv is kept, so a later run
skips typer, and so is the prepared state -- the processed chart and the
top scope (.Values, .Chart, .Release, .Capabilities), pickled before any
template ran -- so a later run skips the loader, the values files and the
dependency and schema steps.  A run that read stdin or a pipe keeps only
the request.

Anything else -- a missing or corrupt entry, a changed, added or removed
file -- is a miss, and the full pipeline runs (and records a fresh entry).
An entry is a marshalled header (request, inputs, template outputs) and one
payload -- the stdout, or the pickled state, megabytes for a large chart --
that is written out or unpickled straight from the bytes read, with its
length checked.  Entries are written atomically (temp file + rename) under
`<cache>/replay`; `--no-cache` neither reads nor writes them, and MINIHELM_REPLAY=0 turns
replay off (to measure or debug the pipeline behind it).  Python callers of
the library never use this: it exists to skip start-up work only the CLI pays.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from .. import __version__
from .._core.cachedir import blake2b, cache_root, code_stamp
from .._core.recorder import Recorder, install, recorder
from .later import later

FORMAT = "replay7"
# Environment variables that change between identical commands without changing them.
_ENV_NOISE = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=20).digest()


def environment_key(parts: tuple[str, ...], digest_size: int) -> str:
    """A digest of `parts`, minihelm's version and code, the interpreter's version and the
    environment but for the variables that change between identical commands: what makes
    two processes behave alike (replay entries and render servers are named by it)."""
    h = blake2b(digest_size=digest_size)
    env = sorted((k, v) for k, v in os.environ.items() if k not in _ENV_NOISE)
    for part in (*parts, __version__, sys.version, code_stamp(), repr(env)):
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def _key(argv: list[str]) -> str:
    return environment_key((FORMAT, os.getcwd(), repr(argv)), 20)


def _entry_path(key: str) -> str:
    return os.path.join(cache_root(), "replay", key)


# --- the fast path ------------------------------------------------------------------


class Entry(NamedTuple):
    """What an earlier identical argv left; all but `fields` only while its inputs match.

    (A NamedTuple: importing dataclasses would cost the fast path 6 ms.)
    """

    fields: dict[str, Any]  # the TemplateRequest typer parsed
    deps: list[tuple[str, str, Any]]  # every input it read, checked just now
    out: bytes | memoryview | None = None  # its whole stdout (a hermetic run)
    texts: dict[str, str] | None = None  # outputs of its hermetic templates (a volatile run)
    heads: dict[str, Any] | None = None  # the document heads of those outputs
    state: bytes | memoryview | None = None  # the processed chart and top scope, pickled


def lookup(argv: list[str]) -> Entry | None:
    """The entry of `argv`, or None; stored results are dropped if an input changed."""
    if ("--no-cache" in argv or not argv or argv[0] != "template"
            or os.environ.get("MINIHELM_REPLAY") == "0"):
        return None
    try:
        with open(_entry_path(_key(argv)), "rb") as fh:
            data = _contents(fh)
        n = int.from_bytes(data[:4], "little")
        fmt, fields, deps, texts, heads, recorded, payload_kind, size = marshal.loads(
            data[4:4 + n])
        if fmt != FORMAT or not isinstance(fields, dict) or len(data) != 4 + n + size:
            return None  # a foreign or truncated entry
        trust_before = recorded - _RACY_NS
        if not deps or not all(
                _unchanged(kind, path, want, trust_before) for kind, path, want in deps):
            return Entry(fields, [])
        payload = data[4 + n:]  # not copied again: written out, or unpickled, from here
        return Entry(fields, deps, payload if payload_kind == "out" else None, texts, heads,
                     payload if payload_kind == "state" else None)
    except (OSError, ValueError, EOFError, TypeError):
        return None  # no entry, or an unreadable one: the full run rewrites it


def write_stored(entry: Entry | None) -> bool:
    """The stored stdout of an entry whose inputs all match, written out; False if it has none."""
    if entry is None or entry.out is None:
        return False
    sys.stdout.buffer.write(entry.out)
    sys.stdout.flush()
    return True


def replay(argv: list[str], entry: Entry | None) -> int | None:
    """Finish `argv` from its entry (lookup's answer): its stored stdout, else its remembered
    request -> the exit code.

    None when there is no usable entry, or when the remembered request fails in
    a way only the full CLI reports exactly: the caller then runs it.
    """
    if entry is None:
        return None
    return 0 if write_stored(entry) else _run_request(argv, entry)


def run_fields(argv: list[str], fields: dict[str, Any]) -> int | None:
    """api.template for request fields read from argv without typer (templateargs.py),
    recording the run as the CLI would -> the exit code, or None (the CLI then runs it)."""
    return _run_request(argv, Entry(fields, []))


def _run_request(argv: list[str], entry: Entry) -> int | None:
    """api.template for the request the CLI parsed from this very argv before (no typer).

    With stored template outputs, only the templates missing from them execute;
    if one of those mutates shared state, or fails, that result is discarded and
    the request renders whole.  A stored prepared state (processed chart and top
    scope) replaces the loader, the values files and the dependency and
    schema steps while their inputs are unchanged (they were all just checked).
    A whole render that fails with a minihelm error prints the line the CLI
    would (cli/app._run: `Error: ` and the message) and gives its exit code, so
    a broken chart is not rendered a second time under typer; with --debug
    (a traceback), or any other exception, the CLI runs it instead.
    """
    # deferred: only _run_request() needs it, and it brings yaml
    from .. import api
    from ..errors import MinihelmError

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    try:
        req = api.TemplateRequest(**entry.fields)
        out = None
        if entry.texts is not None:
            try:
                _start(argv, entry, reusing=entry.texts)
                out = api.template(req)
            except MinihelmError:
                out = None  # rendered whole below, which reports it
            rec = session()
            if rec is not None and rec.stale:
                out = None
        if out is None:
            _start(argv, entry, reusing=None)
            out = api.template(req)
    except MinihelmError as e:
        if "--debug" in argv or "\x1b" in e.message:  # a traceback; click strips escapes
            return None
        install(None)  # a failed run records nothing
        sys.stderr.write(f"Error: {e.message}\n")
        sys.stderr.flush()
        return e.exit_code
    except Exception:  # noqa: BLE001 - the full CLI run reports it exactly
        return None
    sys.stdout.write(out)
    finish(out)
    return 0


def _start(argv: list[str], entry: Entry, reusing: dict[str, str] | None) -> None:
    arm(argv)
    begin(entry.fields)
    rec = session()
    if rec is not None:
        rec.replaying = bool(entry.deps)
        rec.reusing = reusing
        rec.reused_heads = entry.heads if reusing is not None else None
        if entry.state is not None:
            # the loader will not run, so its inputs (checked just now) carry over
            rec.state = entry.state
            rec.deps = {(kind, path): want for kind, path, want in entry.deps}


_RACY_NS = 2_000_000_000
_MAP_FROM = 1 << 20


def _contents(fh: Any) -> memoryview:
    """An entry's bytes; a large one mapped, not copied.

    kube-prometheus-stack's entry is 8 MiB: reading it into a fresh buffer and
    unpickling from there cost 9-12 ms, mapping it 5 ms.  Entries are replaced
    by rename, never rewritten in place, so a mapped one cannot change under us.
    """
    size = os.fstat(fh.fileno()).st_size
    if size >= _MAP_FROM:
        import mmap

        try:
            return memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):
            pass  # a file system that cannot map: read it
    return memoryview(fh.read())


def _unchanged(kind: str, path: str, want: Any, trust_before: int) -> bool:
    try:
        if kind == "f":
            digest, sig = want
            st = os.stat(path)
            if tuple(sig) == _signature(st) and st.st_ctime_ns < trust_before:
                return True  # not written since it was read, and not racily so
            if not _is_regular(st):
                return False
            with open(path, "rb") as fh:
                return bool(_digest(fh.read()) == digest)
        if kind == "d":
            return bool(_names_digest(os.listdir(path)) == want)
        return bool(kind == "l" and os.readlink(path) == want)
    except OSError:
        return False


def _signature(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)


def _is_regular(st: os.stat_result) -> bool:
    import stat

    return stat.S_ISREG(st.st_mode)


def _names_digest(names: list[str]) -> bytes:
    return _digest("\0".join(sorted(names)).encode("utf-8", "surrogateescape"))


# --- recording a full run -----------------------------------------------------------


class _Recording(Recorder):
    """The listener the launcher installs (arm): what this run read and did, for finish()."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.fields: dict[str, Any] | None = None  # the request, once the command has parsed it
        self.output_ok = False  # stdout is the run's only effect, and its inputs are local files
        self.spoiled = False  # an input cannot be read again to check it (stdin, a pipe)
        self.volatiles = 0  # calls of non-hermetic functions so far
        self.deps: dict[tuple[str, str], Any] = {}
        self.texts: dict[str, str] = {}  # top-level templates that stayed hermetic -> output
        self.shared: set[int] = set()  # ids of the maps the templates' scopes reach
        self.mutated = False  # a template changed one of those maps
        self.stale = False  # a replay: a reused output came after a change to shared maps
        self.reusing: dict[str, str] | None = None  # a replay: these outputs are not rendered
        self.heads: dict[str, Any] = {}  # template -> the heads of its documents (sorting)
        self.reused_heads: dict[str, Any] | None = None  # a replay: those of `reusing`
        self.state: bytes | memoryview | None = None  # the processed chart and top scope, pickled
        self.state_used = False
        self.replaying = False  # a replay of an entry whose inputs all matched: keep it
        self.before_chart: set[tuple[str, str]] = set()  # deps noted before the chart's load

    def recording(self) -> bool:
        return self.output_ok and not self.spoiled

    def defer_compiling(self) -> bool:
        # A command that prints once and exits: first runs need no code (cli/later.py).
        return os.environ.get("MINIHELM_COMPILE_LATER") != "0"

    def compile_later(self, work: Callable[[], None]) -> None:
        later.add(work)

    def spoil(self) -> None:
        """An input cannot be read again to check it (stdin, a pipe): store only the request."""
        self.spoiled = True

    # per-template outputs of a volatile run (engine/run.py and engine/functable.py report these)

    def watching(self) -> bool:
        return self.recording() or self.reusing is not None

    def volatile(self) -> None:
        self.volatiles += 1

    def volatile_count(self) -> int:
        return self.volatiles

    def watch_shared(self, roots: list[Any]) -> None:
        self.shared |= _maps(roots)

    def mutating(self, target: Any) -> None:
        if not self.mutated and _maps([target]) & self.shared:
            self.mutated = True

    def changed_shared(self) -> bool:
        return self.mutated

    def note_state(self, state: Any) -> None:
        """Keep `state` pickled now, before any template could change a map inside it, for a
        replay with unchanged inputs."""
        if not self.recording():
            return
        try:  # the accelerator alone, as in stored_state
            from _pickle import dumps
        except ImportError:  # pragma: no cover - CPython always builds _pickle
            from pickle import dumps

        try:
            self.state = dumps(state, protocol=-1)  # the highest protocol
        except Exception:  # noqa: BLE001 - too deep, or unpicklable: prepare it next time
            self.state = None

    def stored_chart(self, path: str, external_links: bool) -> Any:
        """The render server's copy of this chart, while every input of its load is unchanged
        (its inputs then join this run's)."""
        self.before_chart = set(self.deps)
        if charts is None or charts.keeping:
            return None
        got = charts.take(_chart_key(path, external_links))
        if got is None:
            return None
        chart, deps = got
        if self.recording():
            self.deps.update(deps)
        return chart

    def note_chart(self, path: str, external_links: bool, chart: Any) -> None:
        if charts is not None and charts.keeping and self.recording():
            read = {k: v for k, v in self.deps.items() if k not in self.before_chart}
            charts.put(_chart_key(path, external_links), chart, read)

    def stored_state(self) -> Any:
        """The prepared state a replay kept (once), or None: then load and prepare it."""
        if self.state is None or self.state_used:
            return None
        try:  # the accelerator alone: pickle.py itself costs a replay 0.7 ms to import
            from _pickle import loads
        except ImportError:  # pragma: no cover - CPython always builds _pickle
            from pickle import loads

        self.state_used = True
        try:
            return loads(self.state)  # our own cache folder, as trusted as its code
        except Exception:  # noqa: BLE001 - a damaged entry: the pipeline prepares it instead
            return None

    def reused(self, name: str) -> str | None:
        """The stored output of a hermetic top-level template, when replaying.

        Stored outputs are those of templates that ran before any template changed
        shared maps (template_done), so they hold while this run, too, has changed
        nothing before them; otherwise the run is stale and renders whole.
        """
        if self.reusing is None:
            return None
        text = self.reusing.get(name)
        if text is not None and self.mutated:
            self.stale = True
        return text

    def heads_of(self, path: str) -> Any:
        if self.reused_heads is None or self.reusing is None or path not in self.reusing:
            return None
        return self.reused_heads.get(path)

    def note_heads(self, path: str, rows: Any) -> None:
        if self.recording():
            self.heads[path] = rows

    def template_done(self, name: str, text: str, volatile_before: int) -> None:
        """Keep `text` if the template called nothing volatile and no template so far (this
        one included) changed shared maps.

        Templates run in a fixed order, so one that ran before the first change
        to shared maps sees the same scope in every run with the same inputs;
        from the first change on (bitnami charts store generated passwords in
        .Values), every later template may depend on what was changed.
        """
        if self.recording() and self.volatiles == volatile_before and not self.mutated:
            self.texts[name] = text

    # inputs

    def note_bytes(self, path: str, data: bytes) -> None:
        if not self.recording():
            return
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is None or not _is_regular(st):
            self.spoil()
            return
        self.deps[("f", os.path.abspath(path))] = (_digest(data), _signature(st))

    def note_file(self, path: str) -> None:
        if not self.recording():
            return
        try:
            if os.stat(path).st_size > _MAX_NOTED_FILE:
                raise OSError("too large to remember")
            with open(path, "rb") as fh:
                data = fh.read(_MAX_NOTED_FILE + 1)
        except OSError:
            self.spoil()
            return
        self.note_bytes(path, data)

    def note_listing(self, path: str, names: list[str]) -> None:
        if self.recording():
            self.deps[("d", os.path.abspath(path))] = _names_digest(names)

    def note_link(self, path: str) -> None:
        if self.recording():
            try:
                self.deps[("l", os.path.abspath(path))] = os.readlink(path)
            except OSError:
                self.spoil()


# Read whole only to hash it; a larger archive is not worth remembering (and a
# hostile one must not be pulled into memory before the loader's own limits see it).
_MAX_NOTED_FILE = 64 * 1024 * 1024


def _maps(roots: list[Any]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if id(v) not in seen:
                seen.add(id(v))
                stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return seen


class ChartKeeper:
    """Loaded charts the render server keeps in memory (renderserver.py): its warm-up's,
    which a forked worker reuses while every file, folder and link the load read is as it
    was -- the check a replay makes.  Each is a deep copy taken at load time, so what the
    warm-up's render did to its chart is not in it; a worker takes it once."""

    def __init__(self) -> None:
        self.keeping = True  # the warm-up: put; afterwards (the workers): take
        self.charts: dict[tuple[str, ...], tuple[Any, dict[tuple[str, str], Any], int]] = {}

    def put(self, key: tuple[str, ...], chart: Any, deps: dict[tuple[str, str], Any]) -> None:
        import copy

        try:
            self.charts[key] = (copy.deepcopy(chart), deps, time.time_ns())
        except Exception:  # noqa: BLE001 - a chart that will not copy is loaded each time
            self.charts.pop(key, None)

    def take(self, key: tuple[str, ...]) -> tuple[Any, dict[tuple[str, str], Any]] | None:
        got = self.charts.pop(key, None)
        if got is None:
            return None
        chart, deps, kept = got
        trust_before = kept - _RACY_NS
        if not deps or not all(_unchanged(kind, path, want, trust_before)
                               for (kind, path), want in deps.items()):
            return None
        return chart, deps


charts: ChartKeeper | None = None  # installed by the render server only


def keep_charts() -> ChartKeeper:
    """The render server's process keeps its warm-up's chart for its workers."""
    global charts
    charts = ChartKeeper()
    return charts


def _chart_key(path: str, external_links: bool) -> tuple[str, ...]:
    # the path as given, in its folder: a chart keeps names it was loaded by
    return (os.getcwd(), path, str(external_links))


def session() -> _Recording | None:
    """The recording this process armed, if any."""
    current = recorder()
    return current if isinstance(current, _Recording) else None


def arm(argv: list[str]) -> None:
    """The launcher's argv: a command of this process may record its output for it."""
    if os.environ.get("MINIHELM_REPLAY") != "0":
        install(_Recording(list(argv)))


def begin(fields: dict[str, Any]) -> None:
    """`minihelm template` parsed its flags into these TemplateRequest fields: note inputs.

    Not called for --no-cache (which must not touch the cache) or
    --dependency-update (whose downloads are part of the CLI step).
    """
    rec = session()
    if rec is not None:
        rec.fields = dict(fields)
        rec.output_ok = (bool(fields.get("use_cache")) and not fields.get("output_dir")
                         and not fields.get("validate_schema")
                         and os.path.exists(str(fields.get("chart"))))


def finish(out: str) -> None:
    """The command succeeded and printed `out`: store what a later identical argv can reuse.

    Its stdout when the run was hermetic; else the outputs of its hermetic
    templates that ran before any change to shared maps, and the request.
    """
    rec = session()
    install(None)
    if rec is None or rec.fields is None or rec.replaying:
        return  # a replay leaves its (still valid) entry as it is
    checked = rec.output_ok and not rec.spoiled
    deps = [(kind, path, want) for (kind, path), want in rec.deps.items()] if checked else []
    stored: bytes | None = None
    texts = rec.texts if checked and rec.volatiles else None
    heads = {k: v for k, v in rec.heads.items() if k in texts} if texts is not None else None
    try:
        if checked and not rec.volatiles:
            # the bytes the text stream wrote, so a replay is byte-identical
            stored = out.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict")
        state = rec.state if checked and stored is None else None  # dead weight beside stdout
        kind, payload = ("out", stored) if stored is not None else (
            ("state", state) if state is not None else ("", b""))
        header = marshal.dumps((FORMAT, rec.fields, deps, texts, heads, time.time_ns(), kind,
                                len(payload)))
        blob = len(header).to_bytes(4, "little") + header + payload
        path = _entry_path(_key(rec.argv))
        from .._core.cachedir import store

        store(path, blob)
        _prune(os.path.dirname(path))
    except (OSError, ValueError, LookupError):
        pass  # unmarshallable fields, unencodable output, or a read-only cache folder


# Entries hold whole outputs and charts (megabytes for a large chart), one per
# distinct command line: keep the folder bounded, dropping the least recently written.
def _cap() -> int:
    raw = os.environ.get("MINIHELM_MAX_REPLAY_BYTES", "")
    return int(raw) if raw.isdigit() else 256 * 1024 * 1024


MAX_REPLAY_BYTES = _cap()


def _prune(folder: str) -> None:
    entries = []
    with os.scandir(folder) as it:
        for e in it:
            try:
                st = e.stat()
            except OSError:
                continue  # removed meanwhile by another process
            entries.append((st.st_mtime_ns, st.st_size, e.path))
    total = sum(size for _, size, _ in entries)
    if total <= MAX_REPLAY_BYTES:
        return
    for _, size, p in sorted(entries):  # oldest first; down to three quarters of the cap
        if total <= MAX_REPLAY_BYTES * 3 // 4:
            break
        try:
            os.remove(p)
        except OSError:
            pass
        total -= size
