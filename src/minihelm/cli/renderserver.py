"""A `template` argv the replay cache cannot finish -> the same run in a forked copy of a warm
minihelm process (launch.py hands it over, and starts the server).

Python spends 30-50 ms importing and warming minihelm before an edited chart's
first template runs; helm spends nothing.  So once a cache folder is in use
(a second render with it), the launcher starts one render server for it: a
detached process that imports the renderer, renders the triggering request
once to warm it, and waits on a Unix socket.  A later `template` run connects,
passes its stdin, stdout and stderr (SCM_RIGHTS), its argv, working folder,
environment and umask; the server forks, and the child runs exactly what
launch.py would have run in-process (run_template), writing straight to the
caller's descriptors, then sends back the exit code.  The caller exits with it.
Ctrl-C in the caller is forwarded to the child.

A server serves only callers that would have behaved like it: the socket's
name is a digest of the interpreter, minihelm's code (code_stamp), the cache
folder and the whole environment but for the variables that change between
identical commands (PWD, ...), so an edited install, another cache folder or a
changed variable finds no server (and may start its own).  The socket lives
in a folder only this user can open, and the server checks the caller's uid.
It exits after MINIHELM_SERVER_IDLE seconds without a request (600), an hour
after it started, or after 10,000 requests, and when its socket is removed.
MINIHELM_SERVER=0 turns all of this off; the test suite does so except where
it tests the server.  Nothing of this runs for Python callers of the library.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

from .._core.cachedir import cache_root, writes
from .later import later
from .replay import environment_key

# A short-lived process that builds millions of long-lived objects (template
# ASTs, values, Jinja2 nodes): with CPython's default first threshold (700)
# the collector rescans them thousands of times -- a third of building
# kube-prometheus-stack's code.  A full pass (all of them) waits for 1000 middle
# ones: with 20, a cold kube-prometheus-stack render spent 0.5-0.9 s of its 2 s
# rescanning trees it still holds, and freed nothing more (the same peak RSS).
# Cycles are still collected, just in fewer passes.  launch.main sets these too.
GC_THRESHOLDS = (200_000, 50, 1000)

FORMAT = "server1"
IDLE_SECONDS = 600.0
LIFETIME_SECONDS = 3600.0
MAX_REQUESTS = 10_000
_MAX_REQUEST_BYTES = 4 << 20  # argv and environment; a larger one is refused
_WARM = "MINIHELM_SERVER_WARM_UP"
_CONNECT_TIMEOUT = 2.0  # an accepting server answers at once; a wedged one is skipped


def _enabled() -> bool:
    # A run with interpreter options (-X dev, -O, -W ...) must not be served by a
    # server started without them, nor start one.
    # Linux only: the peer check is SO_PEERCRED, and fork + SCM_RIGHTS are what it was tried on.
    return (os.environ.get("MINIHELM_SERVER") != "0" and sys.platform.startswith("linux")
            and not sys.flags.optimize and not sys.flags.dev_mode and not sys._xoptions
            and not sys.warnoptions)


def _key() -> str:
    return environment_key((FORMAT, sys.executable, cache_root()), 16)


def _folder() -> str:
    base = os.environ.get("TMPDIR") or "/tmp"
    if len(base) > 60:  # a Unix socket's path holds at most 107 bytes
        base = "/tmp"
    return os.path.join(base, f"minihelm-{os.getuid()}")


def _socket_path() -> str:
    return os.path.join(_folder(), _key() + ".sock")


def _private_folder() -> str | None:
    """The socket folder, made if missing; None unless it is ours alone (mode 0700, our uid)."""
    folder = _folder()
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


# ----------------------------------------------------------------- caller

def delegate(argv: list[str]) -> int | None:
    """Run `argv` in this cache folder's server -> its exit code; None when there is no
    server to ask (nothing was written then, and the caller renders in-process)."""
    if "--no-cache" in argv or not _enabled():
        return None
    path = _socket_path()
    if not os.path.exists(path):
        return None
    # deferred: only a run that found a server needs them.  The C modules themselves:
    # `socket` and `signal` build enums and import selectors (3.5 ms of a 40 ms edit).
    import _signal
    import _socket

    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.settimeout(_CONNECT_TIMEOUT)
        try:
            conn.connect(path)
        except ConnectionRefusedError:
            _unlink(path)  # its server died without removing it; a new one may start
            raise
        mask = os.umask(0)
        os.umask(mask)
        payload = marshal.dumps(("run", sys.argv[0], list(argv), os.getcwd(),
                                 dict(os.environ), mask))
        data = len(payload).to_bytes(4, "little") + payload
        fds = (0).to_bytes(4, sys.byteorder) + (1).to_bytes(4, sys.byteorder) + \
            (2).to_bytes(4, sys.byteorder)  # an int[3] of stdin, stdout, stderr
        sent = conn.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < len(data):
            conn.sendall(data[sent:])
        pid = int.from_bytes(_read_exactly(conn, 8), "little")
        # The worker writes nothing until this: a caller that gave up waiting for the pid
        # (a busy or wedged server) renders here, and the worker, seeing it gone, does not.
        conn.sendall(b"g")
    except OSError:
        conn.close()
        return None  # no server after all, or it went away before starting: render here
    conn.settimeout(None)  # the render takes what it takes, as in-process

    def pass_on(signum: int, frame: object) -> None:  # `kill` or a closed terminal
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for sig in (_signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(sig, pass_on)  # the worker ends, then answers, then we exit
    while True:
        try:
            status = _read_exactly(conn, 4)
            break
        except KeyboardInterrupt:
            try:
                os.kill(pid, _signal.SIGINT)
            except OSError:
                pass
        except OSError:
            status = b""
            break
    conn.close()
    if len(status) != 4:
        sys.stderr.write("Error: the render server's worker stopped without an exit code\n")
        return 1
    return int.from_bytes(status, "little", signed=True)


def _read_exactly(conn: object, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))  # type: ignore[attr-defined]
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def worth_starting() -> bool:
    """Is this cache folder in use already (an earlier render recorded into it)?  Then a
    server pays off; a first render in a fresh folder (a CI container) starts none."""
    root = cache_root()
    # replay/ holds a successful render's record, memo/ a failed one's parsed values
    return _enabled() and (os.path.isdir(os.path.join(root, "replay"))
                           or os.path.isdir(os.path.join(root, "memo")))


def start(argv: list[str]) -> None:
    """Start this cache folder's server, detached, unless one is running."""
    if "--no-cache" in argv or not _enabled() or _private_folder() is None:
        return
    path = _socket_path()
    if os.path.exists(path):
        return  # running (or its socket is stale: the server that owned it is gone soon)
    devnull = os.devnull
    actions = [(os.POSIX_SPAWN_OPEN, 0, devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, devnull, os.O_WRONLY, 0)]
    code = "from minihelm.cli.launch import serve; serve()"
    # The request to warm up on goes in the environment, which only this user can read:
    # on the command line, `ps` would show a `--set password=...` to everyone.
    env = {**os.environ, _WARM: marshal.dumps(list(argv)).hex()}
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", code], env,
                       file_actions=actions, setsid=True)
    except OSError:
        pass  # only speed is lost


def warm_request() -> list[str]:
    """The server's process: the request start() gave it, taken out of the environment
    (which must be its caller's exactly, for the socket's name)."""
    raw = os.environ.pop(_WARM, "")
    try:
        argv = marshal.loads(bytes.fromhex(raw)) if raw else []
    except (ValueError, EOFError, TypeError):
        return []
    return argv if isinstance(argv, list) and all(isinstance(a, str) for a in argv) else []


# ----------------------------------------------------------------- server

def serve(argv: list[str], run: Callable[[list[str], Any], int]) -> None:
    """The server's main: warm up on `argv`, then keep one spare worker waiting on the socket;
    a worker runs its request with `run(argv, replay entry)` (launch.run_template).

    The server itself only forks: a spare takes the next connection, tells the
    server (which forks the next spare at once), and runs that one request.
    Forking before the request arrives, and having the spare touch the
    warm-up's objects first (copy-on-write faults cost a forked render as
    much as the render itself on a small chart), keeps both off the caller's time.
    """
    import gc
    import socket
    import time

    if not _enabled() or _private_folder() is None:
        return
    path = _socket_path()
    if os.path.exists(path):
        return
    gc.set_threshold(*GC_THRESHOLDS)  # as launch.main does
    writes.hold = True
    _warm_up(argv)
    writes.held.clear()  # what the warm-up would write, its caller has just written
    writes.hold = False
    gc.collect()
    gc.freeze()  # workers never rescan what the warm-up built
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        sock.bind(tmp)
        sock.listen(64)
        os.replace(tmp, path)  # callers see a listening socket or none
        ours = os.stat(path).st_ino
    except OSError:
        _unlink(tmp)
        return
    idle = _idle_seconds()
    started = time.monotonic()
    news, tell = os.pipe()
    failures = 0
    try:
        for _ in range(MAX_REQUESTS):
            if time.monotonic() - started > LIFETIME_SECONDS or not _still_ours(path, ours):
                break
            pid = os.fork()
            if pid == 0:
                os.close(news)
                _spare(sock, tell, idle, run)  # never returns
            word = _await(news, pid, idle)
            failures = failures + 1 if word == b"x" else 0
            if word == b"a" or (word == b"x" and failures < 3):
                continue
            break  # idle, asked to stop, or spares that keep dying
    finally:
        if _still_ours(path, ours):
            _unlink(path)
        sock.close()


def _await(news: int, spare: int, idle: float) -> bytes:
    """The spare's word: b"a" took a request, b"i" idle, b"s" stop; b"x" if it died silently.
    Finished workers are reaped meanwhile."""
    import select
    import time

    deadline = time.monotonic() + idle + 60.0  # the spare gives up after `idle` itself
    while time.monotonic() < deadline:
        ready, _, _ = select.select([news], [], [], 1.0)
        if ready:
            return os.read(news, 1) or b"x"
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return b"x"
            if pid == 0:
                break
            if pid == spare:
                return b"x"
    return b"i"


def _spare(sock: object, tell: int, idle: float, run: Callable[[list[str], Any], int]) -> None:
    """A forked spare: warm its pages, take one connection, run its request, vanish."""
    import socket

    assert isinstance(sock, socket.socket)
    try:
        _touch()
        sock.settimeout(idle)
        try:
            conn, _ = sock.accept()
        except OSError:  # the idle timeout, or a closed socket
            os.write(tell, b"i")
            os._exit(0)
        sock.close()
        request, fds = _read_request(conn)
        if request is not None and request[0] == "stop":
            os.write(tell, b"s")
            os._exit(0)
        os.write(tell, b"a")
        os.close(tell)
        if request is not None and request[0] == "run" and len(fds) == 3:
            _worker(conn, fds, request, run)  # never returns
    except BaseException:  # noqa: BLE001 - a spare must never return into the server's loop
        os._exit(1)
    os._exit(0)


def _touch() -> None:
    """Write to every object the warm-up left (its refcount), so that the copy-on-write
    page faults happen now, before a request, rather than during its render."""
    import gc

    gc.unfreeze()
    live = gc.get_objects()
    gc.freeze()
    for obj in live:
        gc.get_referents(obj)  # and the strings, numbers and bytes they hold


def _idle_seconds() -> float:
    try:
        return max(0.5, float(os.environ.get("MINIHELM_SERVER_IDLE", IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS


def _still_ours(path: str, ino: int) -> bool:
    try:
        return os.stat(path).st_ino == ino
    except OSError:
        return False


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _warm_up(argv: list[str]) -> None:
    """Import the whole renderer and render `argv`'s request once, its output dropped, so
    that workers start with warm imports and in-memory caches.  Requests that reach
    outside the chart (a post-renderer, an output folder) only import."""
    from . import main, replay, templateargs  # noqa: F401 - imported to be warm

    fields = templateargs.template_fields(argv[1:]) if argv[:1] == ["template"] else None
    if not fields or fields.get("post_renderer") or fields.get("output_dir"):
        return
    from .. import api
    from .._core.recorder import install
    from ..engine.tplcache import keep_in_memory

    keep_in_memory()  # its compiled templates, bound, for every worker
    keeper = replay.keep_charts()  # the chart it loads, for workers while its files are unchanged
    replay.arm(argv)
    replay.begin(fields)
    with contextlib.suppress(Exception):  # a warm-up only; the real run reports any error
        api.template(api.TemplateRequest(**fields))
    install(None)
    with contextlib.suppress(Exception):  # its first runs were evaluated: compile them now
        later.run_here()
    keeper.keeping = False


def _read_request(conn: object) -> tuple[tuple[Any, ...] | None, list[int]]:
    """One request and the descriptors sent with it; (None, fds) if it is not one of ours."""
    import socket
    import struct

    assert isinstance(conn, socket.socket)
    fds: list[int] = []
    try:
        conn.settimeout(_CONNECT_TIMEOUT)
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
        if struct.unpack("3i", creds)[1] != os.getuid() or len(data) < 4:
            return None, fds
        size = int.from_bytes(data[:4], "little")
        if size > _MAX_REQUEST_BYTES:
            return None, fds
        body = data[4:]
        while len(body) < size:
            chunk = conn.recv(size - len(body))
            if not chunk:
                return None, fds
            body += chunk
        request = marshal.loads(body)
        conn.settimeout(None)
        return (request if isinstance(request, tuple) and request else None), fds
    except (OSError, ValueError, EOFError, TypeError):
        return None, fds


def _worker(conn: object, fds: list[int], request: tuple[Any, ...],
            run: Callable[[list[str], Any], int]) -> None:
    """Become the caller's process, run its argv, send its exit code, then write the cache
    entries the run made (the caller has gone by then)."""
    import signal

    code = 1
    try:
        _, argv0, argv, cwd, env, mask = request
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP):  # passed on by the caller: end as asked
            signal.signal(sig, _end_by_signal)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(str(cwd))
        os.environ.clear()
        os.environ.update(env)
        os.umask(int(mask))
        sys.argv = [str(argv0), *argv]
        sys.stdout.reconfigure(line_buffering=sys.stdout.isatty())  # type: ignore[union-attr]
        conn.sendall(os.getpid().to_bytes(8, "little"))  # type: ignore[attr-defined]
        conn.settimeout(_CONNECT_TIMEOUT)  # type: ignore[attr-defined]
        if conn.recv(1) != b"g":  # type: ignore[attr-defined]
            os._exit(0)  # the caller gave up and renders itself: write nothing
        conn.settimeout(None)  # type: ignore[attr-defined]
        writes.hold = True
        from . import replay

        try:
            code = run(list(argv), replay.lookup(list(argv)))
        except KeyboardInterrupt:
            sys.stderr.write("\nAborted!\n")
            code = 1
        except SystemExit as e:
            if e.code is not None and not isinstance(e.code, int):
                sys.stderr.write(f"{e.code}\n")
            code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # noqa: BLE001 - a worker must always answer, then vanish
        code = 1
    # The run is over: a TERM or HUP passed on from now would only lose its exit code
    # (SystemExit out of the sendall below), so the answer is given first.
    with contextlib.suppress(BaseException):
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    try:
        conn.sendall(code.to_bytes(4, "little", signed=True))  # type: ignore[attr-defined]
        conn.close()  # type: ignore[attr-defined]
    except OSError:
        pass
    for target in (0, 1, 2):  # the caller's descriptors are its own again
        os.dup2(os.open(os.devnull, os.O_RDWR), target)
    with contextlib.suppress(Exception):  # what the run evaluated uncompiled (cli/later.py)
        later.run_here()
    writes.flush()
    os._exit(0)


def _end_by_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # the shell's code for a process a signal ended


def stop() -> bool:
    """Ask this cache folder's server to end (tests, and anyone who wants it gone now)."""
    import socket

    path = _socket_path()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(_CONNECT_TIMEOUT)
            conn.connect(path)
            payload = marshal.dumps(("stop",))
            conn.sendall(len(payload).to_bytes(4, "little") + payload)
    except OSError:
        return False
    return True
