"""repo.load_index keeps a big index's compact form in the cache, keyed by its bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from minihelm.dist import repo
from minihelm.errors import RepoError


def _index(path: Path, charts: int, extra: str = "") -> Path:
    lines = ["apiVersion: v1", "entries:"]
    for c in range(charts):
        lines.append(f"  chart{c}:")
        for v in range(20):
            lines += [f"  - name: chart{c}", f"    version: 1.{v}.0",
                      f"    description: chart {c} version {v} {extra}",
                      f"    digest: {c * 100 + v:064x}", "    urls:",
                      f"    - https://example.com/chart{c}-1.{v}.0.tgz"]
    lines.append('generated: "2024-01-01T00:00:00Z"')
    path.write_text("\n".join(lines) + "\n")
    return path


def _compact_files(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "index-compact").rglob("*") if p.is_file())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(folder))
    monkeypatch.setattr(repo, "_COMPACT_MIN", 4096)  # keep the test's index small
    return folder


def test_second_load_reads_the_compact_form(tmp_path: Path, cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    idx = _index(tmp_path / "index.yaml", 30)
    first = repo.load_index(idx)
    assert len(_compact_files(cache)) == 1

    def no_parse(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(repo, "_parse_index", no_parse)
    assert repo.load_index(idx) == first
    assert repo.load_index(idx) is not repo.load_index(idx)  # callers may mutate their copy


def test_changed_bytes_are_parsed_again(tmp_path: Path, cache: Path) -> None:
    idx = _index(tmp_path / "index.yaml", 30)
    repo.load_index(idx)
    _index(idx, 30, extra="changed")
    doc = repo.load_index(idx)
    assert doc["entries"]["chart0"][0]["description"].endswith("changed")
    assert len(_compact_files(cache)) == 2


def test_a_damaged_compact_form_only_costs_a_parse(tmp_path: Path, cache: Path) -> None:
    idx = _index(tmp_path / "index.yaml", 30)
    good = repo.load_index(idx)
    (blob,) = _compact_files(cache)
    blob.write_bytes(b"\x00garbage")
    assert repo.load_index(idx) == good


def test_small_and_broken_indexes_are_not_kept(tmp_path: Path, cache: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("apiVersion: v1\nentries: {}\n")
    repo.load_index(small)
    assert _compact_files(cache) == []
    broken = _index(tmp_path / "broken.yaml", 30)
    broken.write_text(broken.read_text().replace("apiVersion: v1", "apiVersion: ''"))
    with pytest.raises(RepoError, match="no API version specified"):
        repo.load_index(broken)
    assert _compact_files(cache) == []
