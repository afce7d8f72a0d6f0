#!/usr/bin/env python3
"""Regenerate tests/golden/ with REAL helm (never minihelm): chart cases and template probes.

usage: python scripts/regen_goldens.py [--only GROUP]

Inputs:
  tests/golden/cases.yaml     chart cases: {name, chart, args}; chart is relative to the repo
  tests/probes/<group>.yaml   probes: {name, template, values?, args?, files?}; each probe is
                              rendered as a one-template chart named "probe"
Outputs:
  tests/golden/cases/<name>.json and tests/golden/probes/<group>.json with helm's
  {rc, stdout, stderr}, and tests/golden/HELM_VERSION.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from probekit import build_probe_chart  # noqa: E402


def run_helm(args: list[str], cwd: Path) -> dict[str, object]:
    p = subprocess.run(["helm", *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    return {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr}


def regen_cases(only: str | None) -> None:
    cases = yaml.safe_load((ROOT / "tests/golden/cases.yaml").read_text()) or []
    out = ROOT / "tests/golden/cases"
    out.mkdir(parents=True, exist_ok=True)
    for case in cases:
        if only and case["name"] != only:
            continue
        res = run_helm(["template", *case.get("args", []), case["chart"]], ROOT)
        (out / f"{case['name']}.json").write_text(json.dumps(res, indent=1) + "\n")


def regen_probes(only: str | None, tmp: Path) -> None:
    out = ROOT / "tests/golden/probes"
    out.mkdir(parents=True, exist_ok=True)
    for f in sorted((ROOT / "tests/probes").glob("*.yaml")):
        if only and f.stem != only:
            continue
        results = {}
        for probe in yaml.safe_load(f.read_text()) or []:
            chart = build_probe_chart(tmp / f.stem / probe["name"], probe)
            res = run_helm(["template", *probe.get("args", []), chart.name], chart.parent)
            results[probe["name"]] = res
        (out / f"{f.stem}.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="one case name or probe group")
    a = ap.parse_args()
    import tempfile

    version = subprocess.run(["helm", "version", "--short"], capture_output=True, text=True)
    (ROOT / "tests/golden/HELM_VERSION").write_text(version.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        regen_cases(a.only)
        regen_probes(a.only, Path(tmp))


if __name__ == "__main__":
    main()
