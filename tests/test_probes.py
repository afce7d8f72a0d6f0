"""Template probes: one-template charts whose helm output is recorded in tests/golden/probes/.

A probe holds when minihelm prints exactly what helm printed, or when both
fail; for failures the first line of helm's error must match too, unless the
probe sets `error_prefix_only` (then only the text up to the first colon).
A probe with `xfail: "<reason>"` is a known difference, reported as xfail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from clirun import run_cli
from mhtest import ROOT
from probekit import build_probe_chart

PROBES: list[tuple[str, dict]] = []
for f in sorted((ROOT / "tests/probes").glob("*.yaml")):
    golden_file = ROOT / "tests/golden/probes" / f"{f.stem}.json"
    if not golden_file.exists():
        continue
    golden = json.loads(golden_file.read_text())
    for probe in yaml.safe_load(f.read_text()) or []:
        if probe["name"] in golden:
            PROBES.append((f"{f.stem}/{probe['name']}", {**probe, "golden": golden[probe["name"]]}))


@pytest.mark.parametrize("probe", [p for _, p in PROBES], ids=[i for i, _ in PROBES])
def test_probe(probe: dict, tmp_path: Path) -> None:
    if probe.get("xfail"):
        pytest.xfail(probe["xfail"])
    check_probe(probe, tmp_path)


def check_probe(probe: dict, tmp_path: Path) -> None:
    """minihelm prints what helm printed for the probe, or fails with helm's first line."""
    chart = build_probe_chart(tmp_path, probe)
    golden = probe["golden"]
    rc, out, err = run_cli(["template", *probe.get("args", []), chart.name], chart.parent)
    if golden["rc"] == 0:
        assert (rc, out) == (0, golden["stdout"]), err
        return
    assert rc != 0, out
    # helm may log a "level=..." line before its "Error:" line; compare the latter.
    want = next(x for x in golden["stderr"].splitlines() if not x.startswith("level="))
    got = err.splitlines()[0] if err else ""
    if probe.get("error_prefix_only"):
        want, got = want.split(":")[0], got.split(":")[0]
    assert got == want
