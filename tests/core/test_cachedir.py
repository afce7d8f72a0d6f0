"""_core/cachedir: entries written atomically, or held and written later (the render server's
worker answers first), never into a cache folder removed meanwhile."""

from __future__ import annotations

from pathlib import Path

from minihelm._core.cachedir import Writes, store


def test_store_writes_at_once_and_makes_its_folder(tmp_path: Path) -> None:
    store(tmp_path / "new" / "entry", b"data")
    assert (tmp_path / "new" / "entry").read_bytes() == b"data"
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["entry"]  # no temp file left


def test_held_writes_wait_for_flush(tmp_path: Path) -> None:
    w = Writes()
    w.hold = True
    (tmp_path / "memo").mkdir()
    w.put(str(tmp_path / "memo" / "a"), b"1")
    assert not (tmp_path / "memo" / "a").exists()
    w.flush()
    assert (tmp_path / "memo" / "a").read_bytes() == b"1" and w.held == []


def test_a_flush_never_brings_back_a_removed_folder(tmp_path: Path) -> None:
    w = Writes()
    w.hold = True
    w.put(str(tmp_path / "gone" / "a"), b"1")
    w.flush()
    assert not (tmp_path / "gone").exists()
