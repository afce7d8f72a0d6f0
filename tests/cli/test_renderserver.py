"""renderserver.py: a cache folder in use starts a warm render server; served runs print, fail
and exit exactly as in-process runs do; what ends a server, and who may use one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mhtest import ROOT

from minihelm.cli import renderserver

DEMO = ROOT / "charts" / "demo"
PRODUCTION = DEMO / "production_values.yaml"

# The console-script entry, reporting on stderr whether the render server served the run.
LAUNCH = (
    "import sys; sys.argv[0] = 'minihelm'\n"
    "import minihelm.cli.renderserver as S\n"
    "real = S.delegate\n"
    "def delegate(argv):\n"
    "    code = real(argv)\n"
    "    if code is not None:\n"
    "        sys.stderr.write('\\nSERVED\\n'); sys.stderr.flush()\n"
    "    return code\n"
    "S.delegate = delegate\n"
    "import minihelm.cli.launch as L\n"
    "L.main()\n"
)


@pytest.fixture()
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An environment with the server on, its own cache folder and socket folder."""
    root = tmp_path_factory.mktemp("srv")
    e = {**os.environ, "MINIHELM_CACHE_DIR": str(root / "cache"), "TMPDIR": str(root),
         "MINIHELM_SERVER_IDLE": "20"}
    e.pop("MINIHELM_SERVER", None)
    yield e
    _stop(e)


def _stop(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", "from minihelm.cli.renderserver import stop; stop()"],
                   env=env, check=False, timeout=30)


def run(args: list[str], env: dict[str, str], cwd: Path = ROOT, stdin: str | None = None,
        ) -> tuple[int, str, str, bool]:
    p = subprocess.run([sys.executable, "-c", LAUNCH, *args], env=env, cwd=cwd, input=stdin,
                       capture_output=True, text=True, timeout=120, check=False)
    served = p.stderr.endswith("\nSERVED\n")
    return p.returncode, p.stdout, p.stderr.removesuffix("\nSERVED\n"), served


def socket_of(env: dict[str, str]) -> Path:
    out = subprocess.run([sys.executable, "-c", "from minihelm.cli.renderserver import "
                          "_socket_path; print(_socket_path())"], env=env, capture_output=True,
                         text=True, check=True, timeout=30).stdout.strip()
    return Path(out)


def wait_for(predicate, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def started(env: dict[str, str]) -> Path:
    """Two renders with the same cache folder: the second starts the server; its socket."""
    assert run(["template", "warm1", str(DEMO)], env)[3] is False
    sock = socket_of(env)
    assert not sock.exists()  # a fresh cache folder starts nothing
    assert run(["template", "warm2", str(DEMO)], env)[3] is False  # in-process, then starts it
    assert wait_for(sock.exists), "the render server did not start"
    return sock


def test_the_warm_up_request_is_not_on_the_servers_command_line(env: dict[str, str]) -> None:
    # `ps` shows every user a command line: a `--set password=...` must not stay there
    started(env)
    lines = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    servers = [line for line in lines if "minihelm.cli.launch import serve" in line]
    assert servers and not any("warm2" in line for line in servers)


def test_a_terminated_caller_ends_its_worker(env: dict[str, str]) -> None:
    import signal

    started(env)
    # a served run that waits on its stdin (`-f -`) until the caller is terminated
    p = subprocess.Popen([sys.executable, "-c", LAUNCH, "template", "s", str(DEMO), "-f", "-"],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    p.send_signal(signal.SIGTERM)
    # wait() with stdin still open: communicate() would close it, and a worker that read
    # that EOF before the signal reached it would finish the render (a race on a busy machine)
    p.wait(timeout=60)
    out, err = p.stdout.read(), p.stderr.read()  # type: ignore[union-attr]
    p.stdin.close()  # type: ignore[union-attr]
    assert p.returncode == 143, (out, err)


def test_served_runs_are_the_in_process_runs(env: dict[str, str], tmp_path: Path) -> None:
    started(env)
    solo = {**env, "MINIHELM_SERVER": "0"}
    cases = [
        (["template", "prod", str(DEMO), "-f", str(PRODUCTION)], ROOT, None),
        (["template", "rel", "demo", "--namespace", "ns"], ROOT / "charts", None),  # cwd
        (["template", "in", str(DEMO), "-f", "-"], ROOT, "environment: piped\n"),  # stdin
        (["template", "bad", str(DEMO), "-f", str(tmp_path / "none.yaml")], ROOT, None),
        (["template", "x", str(DEMO), "--set", "a.b[x]=1"], ROOT, None),
        (["template", "x", str(DEMO), "--nope"], ROOT, None),  # typer's usage error, exit 2
        (["template", "--help"], ROOT, None),  # typer's help, through rich
    ]
    for args, cwd, stdin in cases:
        code, out, err, served = run(args, env, cwd, stdin)
        assert served, args
        assert (code, out, err) == run(args, solo, cwd, stdin)[:3], args
    assert run(cases[3][0], env)[0] == 1 and run(cases[5][0], env)[0] == 2


def test_the_kept_chart_is_only_reused_while_its_files_are_unchanged(
        env: dict[str, str], tmp_path: Path) -> None:
    # the server's warm-up keeps the chart it loaded; a worker reuses it only while every
    # file, folder and link the load read is as it was
    import shutil

    chart = tmp_path / "demo"
    shutil.copytree(DEMO, chart)
    for name in ("warm1", "warm2"):
        run(["template", name, str(chart)], env)
    assert wait_for(socket_of(env).exists)
    code, out, _, served = run(["template", "one", str(chart)], env)
    assert served and code == 0 and "replicas: 1" in out
    values = chart / "values.yaml"
    values.write_text(values.read_text().replace("replicas: 1", "replicas: 7"))
    code, out, _, served = run(["template", "two", str(chart)], env)
    assert served and "replicas: 7" in out
    (chart / "templates" / "extra.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: x\n")
    code, out, _, served = run(["template", "three", str(chart)], env)
    assert served and "# Source: demo/templates/extra.yaml" in out


def test_a_served_run_is_recorded_for_replay(env: dict[str, str]) -> None:
    started(env)
    args = ["template", "again", str(DEMO)]
    first = run(args, env)
    assert first[3]
    # the worker writes its entries after answering: the next identical run replays
    # them (in the caller, without the server) once they are there
    assert wait_for(lambda: not run(args, env)[3])
    assert run(args, env)[:3] == first[:3]


def test_another_environment_or_no_cache_is_not_served(env: dict[str, str]) -> None:
    started(env)
    args = ["template", "other", str(DEMO)]
    other = {**env, "HELM_NAMESPACE": "elsewhere"}
    assert run(args, other)[3] is False
    assert wait_for(socket_of(other).exists)  # that run started a server of its own
    _stop(other)
    assert run([*args, "--no-cache"], env)[3] is False
    assert run(args, {**env, "MINIHELM_SERVER": "0"})[3] is False
    assert run(args, env)[3] is True


def test_stop_and_idle_end_the_server(env: dict[str, str]) -> None:
    sock = started(env)
    _stop(env)
    assert wait_for(lambda: not sock.exists())
    quick = {**env, "MINIHELM_SERVER_IDLE": "0.5",  # a fresh cache folder: started() asks it
             "MINIHELM_CACHE_DIR": env["MINIHELM_CACHE_DIR"] + "-quick"}
    sock = started(quick)
    assert wait_for(lambda: not sock.exists(), 30.0), "an idle server kept running"


def test_a_stale_socket_is_removed_and_the_run_renders_here(env: dict[str, str]) -> None:
    sock = socket_of(env)
    sock.parent.mkdir(mode=0o700, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(sock))  # bound, never listening: connect is refused
    dead.close()
    code, out, _, served = run(["template", "s", str(DEMO)], env)
    assert code == 0 and "kind: Deployment" in out and not served
    assert not sock.exists() or wait_for(lambda: sock.exists())  # removed (maybe restarted)


def test_a_socket_folder_others_can_open_is_never_used(env: dict[str, str]) -> None:
    folder = socket_of(env).parent
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o777)
    run(["template", "a", str(DEMO)], env)
    run(["template", "b", str(DEMO)], env)
    time.sleep(1.0)
    assert list(folder.iterdir()) == []  # no server started there


def test_the_key_covers_code_cache_folder_and_environment(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("MINIHELM_CACHE_DIR", "/a")
    one = renderserver._key()
    monkeypatch.setenv("PWD", "/elsewhere")  # changes between identical commands
    assert renderserver._key() == one
    monkeypatch.setenv("MINIHELM_CACHE_DIR", "/b")
    assert renderserver._key() != one
    monkeypatch.setenv("MINIHELM_CACHE_DIR", "/a")
    monkeypatch.setenv("HELM_DEBUG", "1")
    assert renderserver._key() != one
    monkeypatch.delenv("HELM_DEBUG")
    monkeypatch.setattr("minihelm.cli.replay.code_stamp", lambda: "edited")
    assert renderserver._key() != one


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_on_the_socket_are_a_request_or_none(data: bytes) -> None:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with a, b:
        a.sendall(data)
        a.shutdown(socket.SHUT_WR)
        request, fds = renderserver._read_request(b)
    for fd in fds:
        os.close(fd)
    assert request is None or (isinstance(request, tuple) and request)
