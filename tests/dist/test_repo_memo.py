"""repo.py's on-disk memo of index entries: same index with or without it, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from minihelm.chart.loader import load_chart
from minihelm.dist.package import build_archive
from minihelm.dist.repo import build_index, load_index
from minihelm.errors import RepoError


def archive(root: Path, dest: Path, name: str, version: str, extra: str = "") -> Path:
    d = root / f"{name}-{version}-src"
    (d / "templates").mkdir(parents=True, exist_ok=True)
    (d / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: {version}\nkeywords: [k]\n{extra}")
    (d / "templates" / "cm.yaml").write_text("kind: ConfigMap\n")
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / f"{name}-{version}.tgz"
    out.write_bytes(build_archive(load_chart(d)))
    return out


def entries_without_created(path: Path) -> dict[str, list[dict[str, object]]]:
    return {n: [{k: v for k, v in e.items() if k != "created"} for e in vs]
            for n, vs in load_index(path)["entries"].items()}


def memo_files(cache: Path) -> list[Path]:
    return sorted((cache / "index-entries").rglob("*.entry"))


def test_memoised_entries_equal_fresh_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(cache))
    repo = tmp_path / "repo"
    for v in ("1.0.0", "1.1.0"):
        archive(tmp_path, repo, "a", v, "appVersion: '2.0'\nannotations: {x: y}\n")
    archive(tmp_path, repo, "b", "0.1.0", "dependencies:\n- name: a\n  repository: file://../a\n")
    first = entries_without_created(build_index(repo, url="https://e/charts"))
    assert len(memo_files(cache)) == 3
    (repo / "index.yaml").unlink()
    second = entries_without_created(build_index(repo, url="https://e/other"))
    assert [e["urls"] for e in second["a"]] == [["https://e/other/a-1.1.0.tgz"],
                                                ["https://e/other/a-1.0.0.tgz"]]
    for vs in (*first.values(), *second.values()):
        for e in vs:
            e.pop("urls")
    assert first == second
    assert first["b"][0]["dependencies"] == [{"name": "a", "repository": "file://../a"}]


def test_corrupt_memo_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(cache))
    repo = tmp_path / "repo"
    archive(tmp_path, repo, "a", "1.0.0")
    want = entries_without_created(build_index(repo))
    for f in memo_files(cache):
        f.write_bytes(b"\x00garbage")
    (repo / "index.yaml").unlink()
    assert entries_without_created(build_index(repo)) == want


def test_broken_archive_fails_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(cache))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "bad-1.0.0.tgz").write_bytes(b"not a gzip stream")
    for _ in range(2):
        with pytest.raises(RepoError, match="cannot index bad-1.0.0.tgz"):
            build_index(repo)
    assert memo_files(cache) == []
