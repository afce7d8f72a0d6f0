"""minihelm template against helm's recorded output for the chart cases in tests/golden/cases.yaml."""

from __future__ import annotations

import json

import pytest
import yaml
from clirun import run_cli
from mhtest import ROOT

CASES = yaml.safe_load((ROOT / "tests/golden/cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_matches_helm(case: dict) -> None:
    golden = json.loads((ROOT / "tests/golden/cases" / f"{case['name']}.json").read_text())
    rc, out, err = run_cli(["template", *case.get("args", []), case["chart"]], ROOT)
    if golden["rc"] == 0:
        assert rc == 0, err
        assert out == golden["stdout"]
    else:
        assert rc != 0
        first = golden["stderr"].splitlines()[0]
        assert err.splitlines()[0] == first


def test_helm_version_recorded() -> None:
    assert (ROOT / "tests/golden/HELM_VERSION").read_text().startswith("v4.1.4")
