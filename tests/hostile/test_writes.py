"""Concurrent and interrupted pushes into one repository folder lose nothing and leave no litter.

Pushes run in separate processes (`minihelm.dist.repo.push`; the CLI has no push
command yet): 8 processes x 10 versions into one folder, three times; and
pushes killed with SIGKILL at spread-out moments, after which index.yaml must
parse and list only complete archives whose digests match, and the next push
must remove every temporary path the killed one left.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_kit import ROOT

from minihelm.chart.loader import load_chart
from minihelm.dist.package import package_chart
from minihelm.dist.repo import load_index

WORKERS, VERSIONS = 8, 10

PUSHER = """
import sys
from minihelm.dist.repo import push
repo = sys.argv[1]
for src in sys.argv[2:]:
    push(src, repo)
"""


def _chart(root: Path, name: str, version: str, big: int = 0) -> Path:
    d = root / f"{name}-{version}"
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    (d / "templates" / "t.yaml").write_text("a: 1\n")
    if big:
        (d / "blob.bin").write_bytes(os.urandom(big))
    return d


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def check_repo(repo: Path) -> set[tuple[str, str]]:
    """index.yaml parses and each entry is a complete archive with its digest -> (name, version)s."""
    idx = repo / "index.yaml"
    if not idx.exists():
        return set()
    doc = load_index(idx)
    listed = set()
    for name, versions in doc["entries"].items():
        for v in versions:
            f = repo / v["urls"][0]
            assert f.is_file(), v["urls"]
            assert _sha(f) == v["digest"], f
            md = load_chart(f).metadata
            assert (md.name, md.version) == (name, v["version"])
            listed.add((name, v["version"]))
    return listed


def litter(repo: Path) -> list[str]:
    return sorted(p.name for p in repo.iterdir()
                  if p.name.startswith(".push") or p.name.endswith(".tmp"))


@pytest.mark.parametrize("run", range(3))
def test_concurrent_pushes_lose_nothing(tmp_path: Path, run: int) -> None:
    src = tmp_path / "src"
    src.mkdir()
    archives: list[list[str]] = []
    for w in range(WORKERS):
        charts = [_chart(tmp_path / "dirs", f"w{w}", f"{run}.{i}.0") for i in range(VERSIONS)]
        archives.append([str(package_chart(c, src)) for c in charts])
    repo = tmp_path / "repo"
    procs = [subprocess.Popen([sys.executable, "-c", PUSHER, str(repo), *a], env=_env(),
                              stderr=subprocess.PIPE) for a in archives]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    want = {(f"w{w}", f"{run}.{i}.0") for w in range(WORKERS) for i in range(VERSIONS)}
    assert check_repo(repo) == want
    assert len(list(repo.glob("*.tgz"))) == WORKERS * VERSIONS
    assert litter(repo) == []


def test_killed_pushes_leave_a_consistent_index(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    complete: set[tuple[str, str]] = set()
    delays = [0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.2]
    for i, delay in enumerate(delays):
        # a folder push (packaged in .push-*) of a chart big enough to be caught mid-write
        chart = _chart(tmp_path / "dirs", "big", f"1.{i}.0", big=3 << 20)
        p = subprocess.Popen([sys.executable, "-c", PUSHER, str(repo), str(chart)], env=_env(),
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        listed = check_repo(repo)
        assert complete <= listed  # nothing pushed before was lost
        complete = listed
    final = _chart(tmp_path / "dirs", "small", "0.1.0")
    subprocess.run([sys.executable, "-c", PUSHER, str(repo), str(final)], env=_env(),
                   check=True, timeout=60)
    listed = check_repo(repo)
    assert complete | {("small", "0.1.0")} <= listed
    assert litter(repo) == []


def test_litter_of_a_killed_writer_is_cleaned(tmp_path: Path) -> None:
    """What SIGKILL can leave (made by hand, deterministic): the next push removes it all."""
    repo = tmp_path / "repo"
    (repo / ".push-abc123").mkdir(parents=True)
    (repo / ".push-abc123" / "c-0.1.0.tgz").write_bytes(b"partial")
    (repo / ".push.c-0.1.0.tgz.x1y2.tmp").write_bytes(b"partial")
    (repo / ".index.yaml.q9.tmp").write_text("apiVersion: v1\nentr")
    (repo / ".keep.tmp").write_text("not ours")  # someone else's file stays
    subprocess.run([sys.executable, "-c", PUSHER, str(repo),
                    str(_chart(tmp_path / "dirs", "c", "0.1.0"))], env=_env(), check=True,
                   timeout=60)
    assert check_repo(repo) == {("c", "0.1.0")}
    assert sorted(p.name for p in repo.iterdir()) == [
        ".keep.tmp", "c-0.1.0.tgz", "index.yaml", "index.yaml.lock"]
