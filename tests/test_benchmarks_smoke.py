"""benchmarks/ generators build valid inputs (no timing here: speed lives in benchmarks/)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from minihelm.api import render_chart
from minihelm.chart.loader import load_chart
from minihelm.dist.repo import build_index, load_index

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def bench_module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # micro.py and scale.py import synth by name
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_tiny_synthetic_chart_renders(tmp_path: Path) -> None:
    synth = bench_module("synth")
    chart = synth.make_chart(tmp_path / "c", templates=3)
    result = render_chart(chart, cache=False)
    deployments = [r for r in result if r.kind == "Deployment"]
    assert [d.metadata.name for d in deployments] == [
        "release-name-synth-0000", "release-name-synth-0001", "release-name-synth-0002"]
    assert deployments[0].spec.template.spec.containers[0].ports[1].containerPort == 9090


def test_values_chart_archives_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(tmp_path / "cache"))
    synth = bench_module("synth")
    chart = synth.make_values_chart(tmp_path / "v", keys=250)
    values = load_chart(chart).values
    assert sum(len(g) for g in values["big"].values()) == 250
    repo = synth.make_archives(tmp_path / "repo", count=4, versions_per_chart=2)
    idx = load_index(build_index(repo))
    assert sorted(idx["entries"]) == ["chart0000", "chart0001"]
    assert [e["version"] for e in idx["entries"]["chart0000"]] == ["1.1.0", "1.0.0"]
    big = load_index(synth.make_index(tmp_path / "i" / "index.yaml", mb=0.05,
                                      versions_per_chart=5))
    assert len(big["entries"]["chart00000"]) == 5


def test_micro_and_scale_import() -> None:
    micro = bench_module("micro")
    assert "define" in micro.big_template(2)
    scale = bench_module("scale")
    assert scale.Results().table().startswith("| measurement")
