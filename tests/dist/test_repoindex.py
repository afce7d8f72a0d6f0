"""The index reader on its own: big cached indexes are checked once, and their warnings kept."""

from __future__ import annotations

import os
from pathlib import Path

from minihelm.dist.repoindex import load_index_file, resolve_reference_url, urls_equal


def _big_index(path: Path, description: str) -> None:
    entries = "".join(
        f"  c{i}:\n  - name: c{i}\n    version: 1.0.{i}\n    description: {description}\n"
        f"    urls: [c{i}-1.0.{i}.tgz]\n    digest: {'ab' * 32}\n" for i in range(9000))
    path.write_text("apiVersion: v1\nentries:\n" + entries +
                    "  bad:\n  - name: bad\n    version: nope\n")


def test_big_index_is_checked_once_and_replays_its_warnings(tmp_path: Path) -> None:
    index = tmp_path / "x-index.yaml"
    _big_index(index, "first")
    assert index.stat().st_size > 1 << 20
    seen: list[list[str]] = [[], []]
    first = load_index_file(index, seen[0].append)
    again = load_index_file(index, seen[1].append)
    assert again == first and seen[0] == seen[1] and len(seen[0]) == 1
    assert "skipping loading invalid entry for chart \\\"bad\\\"" in seen[0][0]
    assert first["entries"]["bad"] == []
    # a changed file is read again (its identity changed)
    _big_index(index, "second")
    os.utime(index, ns=(1, 1))
    assert load_index_file(index, lambda _: None)["entries"]["c1"][0]["description"] == "second"


def test_reference_urls_and_equality_as_helm() -> None:
    assert resolve_reference_url("http://h/charts?x=1", "a-1.tgz") == "http://h/charts/a-1.tgz?x=1"
    assert resolve_reference_url("http://h/charts/", "https://o/a.tgz") == "https://o/a.tgz"
    assert urls_equal("http://h/charts/", "http://h/charts")
    assert urls_equal("http://h", "http://h/")
    assert not urls_equal("http://h/a", "http://h/b")
