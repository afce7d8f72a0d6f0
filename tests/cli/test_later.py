"""later.py: work a run hands over is done after its output, in a detached child that a pipe
reader does not wait for, that writes its cache entries, and that never brings back a removed
cache folder; MINIHELM_COMPILE_LATER=wait does it in the command itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mhtest import ROOT

from minihelm.cli.later import Later

DEMO = ROOT / "charts" / "demo"

# A command that hands over one piece of work, blocked until GO exists (bounded), which
# then stores DATA under FOLDER through the cache's writes and marks DONE.
SCRIPT = """
import os, sys, time
from pathlib import Path
from minihelm._core.cachedir import store
from minihelm.cli.later import later
go, folder, done = map(Path, sys.argv[1:4])
def work():
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    store(folder / "entry", b"data")
    done.write_text(str(os.getpid()))
later.add(work)
later.run_detached()
print("output", flush=True)
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MINIHELM_COMPILE_LATER"}
    env.update(extra)
    return env


def _wait_for(path: Path, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.exists()


def _code_files(cache: Path) -> set[tuple[str, int]]:
    return {(p.name, p.stat().st_mtime_ns) for p in cache.rglob("*.code")}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the detached child needs fork")
def test_the_output_ends_before_the_work_and_the_work_is_done_after(tmp_path: Path) -> None:
    go, folder, done = tmp_path / "go", tmp_path / "cache", tmp_path / "done"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(go), str(folder), str(done)],
                          capture_output=True, text=True, env=_env(), timeout=60, check=False)
    # The pipe closed while the work was still blocked: the reader waited only for the command.
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "output\n", "")
    assert not done.exists()
    go.touch()
    assert _wait_for(done)
    assert int(done.read_text()) != os.getpid()
    assert (folder / "entry").read_bytes() == b"data"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the detached child needs fork")
def test_a_cache_folder_removed_meanwhile_is_not_made_again(tmp_path: Path) -> None:
    go, folder, done = tmp_path / "go", tmp_path / "cache", tmp_path / "done"
    folder.mkdir()
    subprocess.run([sys.executable, "-c", SCRIPT, str(go), str(folder), str(done)],
                   capture_output=True, env=_env(), timeout=60, check=True)
    folder.rmdir()
    go.touch()
    assert _wait_for(done)
    time.sleep(0.2)  # the write comes before the mark; give a stray one time to show
    assert not folder.exists()


def test_wait_does_the_work_in_the_command(tmp_path: Path) -> None:
    go, folder, done = tmp_path / "go", tmp_path / "cache", tmp_path / "done"
    folder.mkdir()
    go.touch()
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(go), str(folder), str(done)],
                            stdout=subprocess.PIPE, text=True,
                            env=_env(MINIHELM_COMPILE_LATER="wait"))
    out, _ = proc.communicate(timeout=60)
    assert out == "output\n"
    assert done.read_text() == str(proc.pid)  # done by the command itself
    assert (folder / "entry").read_bytes() == b"data"


def test_run_here_takes_the_work_in_order_once() -> None:
    seen: list[int] = []
    later = Later()
    later.add(lambda: seen.append(1))
    later.add(lambda: seen.append(2))
    later.run_here()
    later.run_here()
    assert seen == [1, 2]


def test_nothing_handed_over_forks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked with no work"))
    Later().run_detached()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the detached child needs fork")
def test_a_cold_template_run_leaves_compiled_entries_for_the_next(tmp_path: Path) -> None:
    """The first run prints from trees and stores no code; the child stores it, and the next
    run then loads code instead of translating (identical output)."""
    cache = tmp_path / "cache"
    def argv(name: str) -> list[str]:
        return [sys.executable, "-m", "minihelm", "template", name, str(DEMO), "-f",
                str(DEMO / "production_values.yaml")]

    first = subprocess.run(argv("first"), check=False, capture_output=True, text=True, timeout=120,
                           env=_env(MINIHELM_CACHE_DIR=str(cache)))
    assert first.returncode == 0, first.stderr
    deadline = time.monotonic() + 60
    while not _code_files(cache) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _code_files(cache)
    for _ in range(100):  # the child may still be writing its last entries
        before = _code_files(cache)
        time.sleep(0.2)
        if _code_files(cache) == before:
            break
    # Another release name is not a replay: the engine runs, on the child's code.
    second = subprocess.run(argv("second"), check=False, capture_output=True, text=True, timeout=120,
                            env=_env(MINIHELM_CACHE_DIR=str(cache), MINIHELM_COMPILE_LATER="wait"))
    assert second.returncode == 0, second.stderr
    assert second.stdout.replace("second", "first") == first.stdout
    assert _code_files(cache) == before  # nothing left to compile: no entry written again


def test_no_cache_leaves_nothing_to_compile(tmp_path: Path) -> None:
    """--no-cache keeps no compiled code: its cold run hands over no work (no child)."""
    script = (
        "import sys\n"
        "import minihelm.cli.later as later\n"
        "real = later.Later.run_detached\n"
        "def counted(self):\n"
        "    sys.stderr.write(f'WORK {len(self.work)}\\n')\n"
        "    real(self)\n"
        "later.Later.run_detached = counted\n"
        "sys.argv = ['minihelm', 'template', sys.argv[1]] + sys.argv[2:]\n"
        "import minihelm.cli.launch as launch\n"
        "launch.main()\n"
    )
    env = _env(MINIHELM_CACHE_DIR=str(tmp_path / "cache"))
    runs = {flag: subprocess.run([sys.executable, "-c", script, str(DEMO), *extra],
                                 capture_output=True, text=True, env=env, timeout=120, check=False)
            for flag, extra in (("no-cache", ["--no-cache"]), ("cache", []))}
    assert "WORK 0" in runs["no-cache"].stderr, runs["no-cache"].stderr
    assert "WORK 1" in runs["cache"].stderr, runs["cache"].stderr  # the same run with a cache
    assert runs["no-cache"].stdout == runs["cache"].stdout
