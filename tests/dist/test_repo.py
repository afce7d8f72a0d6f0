"""Repository index and push: format helm reads, ordering, idempotence, locking under concurrency."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from repokit import make_chart

from minihelm.chart.loader import load_chart
from minihelm.dist.package import build_archive
from minihelm.dist.repo import build_index, load_index, push
from minihelm.errors import RepoError

HELM = shutil.which("helm")
needs_helm = pytest.mark.skipif(HELM is None, reason="helm not installed")


def archive(root: Path, dest: Path, name: str, version: str, extra: str = "") -> Path:
    data = build_archive(load_chart(make_chart(root, name, version, extra)))
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / f"{name}-{version}.tgz"
    out.write_bytes(data)
    return out


def test_index_layout_and_order(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for v in ["0.1.0", "0.10.0", "0.2.0", "1.0.0-rc.1", "1.0.0"]:
        archive(tmp_path, repo, "a", v, "appVersion: 1.10\n")
    archive(tmp_path, repo / "nested", "b", "2.0.0")
    idx = load_index(build_index(repo, url="https://example.com/charts/"))
    assert idx["apiVersion"] == "v1"
    assert [e["version"] for e in idx["entries"]["a"]] == [
        "1.0.0", "1.0.0-rc.1", "0.10.0", "0.2.0", "0.1.0"]
    b = idx["entries"]["b"][0]
    assert b["urls"] == ["https://example.com/charts/nested/b-2.0.0.tgz"]
    assert b["digest"] == hashlib.sha256((repo / "nested/b-2.0.0.tgz").read_bytes()).hexdigest()
    assert idx["entries"]["a"][0]["appVersion"] == "1.1"
    assert set(b) == {"apiVersion", "name", "version", "urls", "digest", "created"}
    rel = load_index(build_index(repo))
    assert rel["entries"]["b"][0]["urls"] == ["nested/b-2.0.0.tgz"]


def test_reindex_keeps_created_and_bytes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    archive(tmp_path, repo, "a", "0.1.0")
    archive(tmp_path, repo, "b", "0.1.0")
    path = build_index(repo)
    first = path.read_bytes()
    time.sleep(0.01)
    assert build_index(repo).read_bytes() == first
    before = load_index(path)["entries"]
    archive(tmp_path, repo, "b", "0.1.0", "description: changed\n")
    after = load_index(build_index(repo))["entries"]
    assert after["a"][0]["created"] == before["a"][0]["created"]
    assert after["b"][0]["created"] != before["b"][0]["created"]


def test_unreadable_archive_is_an_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    archive(tmp_path, repo, "a", "0.1.0")
    (repo / "bad.tgz").write_bytes(b"not a chart")
    with pytest.raises(RepoError) as info:
        build_index(repo)
    assert info.value.message.startswith("cannot index bad.tgz: file '")
    assert not (repo / "index.yaml").exists()


def test_duplicate_name_version(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    a = archive(tmp_path, repo, "a", "0.1.0")
    shutil.copy(a, repo / "copy.tgz")
    with pytest.raises(RepoError, match="a 0.1.0 is in both a-0.1.0.tgz and copy.tgz"):
        build_index(repo)


def test_merge(tmp_path: Path) -> None:
    old = tmp_path / "old"
    archive(tmp_path, old, "a", "0.1.0")
    archive(tmp_path, old, "a", "0.2.0")
    build_index(old, url="https://old")
    repo = tmp_path / "repo"
    archive(tmp_path, repo, "a", "0.2.0")
    idx = load_index(build_index(repo, url="https://new", merge=old / "index.yaml"))
    assert [(e["version"], e["urls"][0]) for e in idx["entries"]["a"]] == [
        ("0.2.0", "https://new/a-0.2.0.tgz"), ("0.1.0", "https://old/a-0.1.0.tgz")]


def test_push_rules(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    src = make_chart(tmp_path, "p", "1.0.0")
    got = push(src, repo, url="http://x")
    assert got == repo / "p-1.0.0.tgz"
    index = (repo / "index.yaml").read_bytes()
    assert push(got, repo) == got  # identical bytes: no-op
    assert (repo / "index.yaml").read_bytes() == index
    other = archive(tmp_path, tmp_path / "other", "p", "1.0.0", "description: new\n")
    with pytest.raises(RepoError, match="p 1.0.0 is already in .* with different content"):
        push(other, repo)
    assert push(other, repo, force=True) == got
    assert got.read_bytes() == other.read_bytes()
    entry = load_index(repo / "index.yaml")["entries"]["p"]
    assert len(entry) == 1 and entry[0]["description"] == "new"
    assert not [p.name for p in repo.iterdir() if p.name.startswith(".") and p.suffix != ".lock"]


def _pusher(args: tuple[str, str, int]) -> None:
    src_root, repo, worker = args
    for i in range(10):
        push(Path(src_root) / f"w{worker}-{i}.tgz", repo)


def test_concurrent_pushes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for w in range(8):
        for i in range(10):
            a = archive(tmp_path / "dirs", src, f"c{w}", f"0.{i}.0")
            a.rename(src / f"w{w}-{i}.tgz")
    repo = tmp_path / "repo"
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(8) as pool:
        pool.map(_pusher, [(str(src), str(repo), w) for w in range(8)])
    idx = load_index(repo / "index.yaml")
    assert sum(len(v) for v in idx["entries"].values()) == 80
    assert len(list(repo.glob("*.tgz"))) == 80
    assert [e["version"] for e in idx["entries"]["c3"]] == [f"0.{i}.0" for i in range(9, -1, -1)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@needs_helm
def test_helm_reads_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    push(make_chart(tmp_path, "demo", "0.1.0"), repo, url=url)
    push(make_chart(tmp_path, "demo", "0.2.0", "appVersion: '2'\n"), repo, url=url)
    # an archive made by helm itself is indexed too
    made = subprocess.run([HELM or "helm", "package", str(make_chart(tmp_path, "other", "1.0.0")),
                           "-d", str(repo)], check=True, capture_output=True, timeout=60)
    assert made.returncode == 0
    build_index(repo, url=url)
    env = {**os.environ, "HELM_CONFIG_HOME": str(tmp_path / "cfg"),
           "HELM_CACHE_HOME": str(tmp_path / "cache"), "HELM_DATA_HOME": str(tmp_path / "data")}
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", str(repo)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def helm(*a: str) -> str:
            r = subprocess.run([HELM or "helm", *a], env=env, capture_output=True, text=True,
                               timeout=60, check=False)
            assert r.returncode == 0, r.stderr
            return r.stdout

        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        helm("repo", "add", "mini", url)
        out = helm("search", "repo", "mini/", "--versions")
        lines = [ln.split()[:3] for ln in out.strip().splitlines()[1:]]
        assert lines == [["mini/demo", "0.2.0", "2"], ["mini/demo", "0.1.0"],
                         ["mini/other", "1.0.0"]]
        (tmp_path / "pulled").mkdir()
        helm("pull", "mini/demo", "--version", "0.1.0", "-d", str(tmp_path / "pulled"))
        pulled = tmp_path / "pulled" / "demo-0.1.0.tgz"
        assert pulled.read_bytes() == (repo / "demo-0.1.0.tgz").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=10)
