"""minihelm lint against helm 4.1.4's recorded output (tests/charts/lint/helm_expected.json).

The recordings were made with `helm lint` v4.1.4 on the fixture charts in
tests/charts/lint; a live comparison runs too when helm is installed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from clirun import chdir, run_cli
from mhtest import needs_helm

from minihelm.lint.manifests import K8sHead, deprecation_problem
from minihelm.lint.rules import ERROR, WARNING
from minihelm.lint.run import LintOptions, lint_chart

FIXTURES = Path(__file__).parent.parent / "charts" / "lint"
# Absolute chart paths in helm's messages were recorded as <FIXTURES>.
RECORDED = json.loads((FIXTURES / "helm_expected.json").read_text()
                      .replace("<FIXTURES>", str(FIXTURES.resolve())))["cases"]
# Deliberate improvement: these report every broken template / file, helm stops at the first.
MORE_FINDINGS = {"threebroken", "badyaml"}


def _id(case: dict) -> str:
    return " ".join(case["args"])


def _lint(args: list[str]) -> tuple[int, str, str]:
    with chdir(FIXTURES):
        return run_cli(["lint", *args, "--no-kube-schema"] if "--kube-version" in args
                       else ["lint", *args])


@pytest.mark.parametrize("case", RECORDED, ids=_id)
def test_matches_recorded_helm(case: dict) -> None:
    code, out, err = _lint(case["args"])
    assert code == case["rc"]
    assert err == case["stderr"]
    if MORE_FINDINGS & set(case["args"]):
        # Every line helm prints is there, in helm's order; we only add findings.
        ours = out.splitlines()
        it = iter(ours)
        assert all(line in it for line in case["stdout"].splitlines())
        assert len(ours) > len(case["stdout"].splitlines())
    else:
        assert out == case["stdout"]


def test_three_broken_templates_three_findings() -> None:
    r = lint_chart(str(FIXTURES / "threebroken"), LintOptions())
    tpl = [f.message for f in r.findings if f.path == "templates/"]
    assert tpl == [
        "parse error at (threebroken/templates/c.yaml:7): unexpected EOF",
        'parse error at (threebroken/templates/a.yaml:6): function "nosuchfunc" not defined',
        ('template: threebroken/templates/b.yaml:6:8: executing "threebroken/templates/b.yaml" '
         "at <index .Values.x 3>: error calling index: can't index item of type float64"),
    ]


def test_lint_mode_required_and_fail_do_not_fail() -> None:
    r = lint_chart(str(FIXTURES / "noicon"), LintOptions())
    assert not r.failed(strict=False)
    assert [f.severity for f in r.findings].count(WARNING) == 1  # the empty metadata.name


def test_strict_fails_on_warnings_only() -> None:
    r = lint_chart(str(FIXTURES / "deprecated"), LintOptions())
    assert not r.failed(strict=False) and r.failed(strict=True)
    assert all(f.severity < ERROR for f in r.findings)


@pytest.mark.parametrize(("kube", "flagged"), [((1, 21), False), ((1, 22), True), ((1, 30), True)])
def test_deprecation_from_its_release_on(kube: tuple[int, int], flagged: bool) -> None:
    head = K8sHead("autoscaling/v2beta1", "HorizontalPodAutoscaler", "x")
    msg = deprecation_problem(head, *kube)
    assert (msg is not None) == flagged
    if flagged:
        assert msg == ("autoscaling/v2beta1 HorizontalPodAutoscaler is deprecated in v1.22+, "
                       "unavailable in v1.25+; use autoscaling/v2 HorizontalPodAutoscaler")


# ---------------------------------------------------------------- live, when helm is here


def _helm(args: list[str], cwd: Path) -> tuple[int, str]:
    p = subprocess.run(["helm", "lint", *args], capture_output=True, text=True, cwd=cwd,
                       check=False)
    return p.returncode, p.stdout


@needs_helm
@pytest.mark.parametrize("chart", ["good", "noicon", "manifests", "names", "badchartfile"])
def test_live_same_as_helm(chart: str) -> None:
    for extra in ([], ["--strict"]):
        code, out = _helm([*extra, chart], FIXTURES)
        assert _lint([*extra, chart])[:2] == (code, out)


@needs_helm
def test_live_deprecation_table(tmp_path: Path) -> None:
    """Every row of our table gives helm's own text (kube 1.99: all are deprecated by then)."""
    from minihelm.lint.manifests import _DEPRECATED

    chart = tmp_path / "dep"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: dep\nversion: 0.1.0\n")
    for i, (gv, kind) in enumerate(sorted(_DEPRECATED)):
        (chart / "templates" / f"t{i:03d}.yaml").write_text(
            f"apiVersion: {gv}\nkind: {kind}\nmetadata:\n  name: x{i}\n")
    code, out = _helm(["dep", "--kube-version", "1.99"], tmp_path)
    with chdir(tmp_path):
        ours = run_cli(["lint", "dep", "--kube-version", "1.99", "--no-kube-schema"])
    assert ours[:2] == (code, out)
    assert out.count("[WARNING]") == len(_DEPRECATED)
