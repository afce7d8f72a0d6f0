"""Kubernetes schema checks (kubeschema): lint --kube-version and template --validate-schema."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from clirun import run_cli

from minihelm.errors import MinihelmError

FIXTURES = Path(__file__).parent.parent / "charts" / "lint"
DEMO = Path(__file__).parent.parent.parent / "charts" / "demo"

BAD_FINDINGS = [
    "Deployment/demo spec.replicas: 'two' is not of type 'integer'",
    ("Deployment/demo spec.template.spec.containers[0]: Additional properties are not allowed "
     "('resourcez' was unexpected)"),
    ("Deployment/demo spec.template.spec.containers[0].ports[0].containerPort: "
     "0 must be between 1 and 65535, inclusive"),
]
SVC_FINDING = "Service/demo spec.ports[0].port: 70000 must be between 1 and 65535, inclusive"


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.lint import kubeschema

    monkeypatch.setitem(sys.modules, "kubernetes_validate", None)
    with pytest.raises(MinihelmError, match=r"pip install 'minihelm\[validate\]'"):
        kubeschema.file_checker("1.30")


kv = pytest.importorskip("kubernetes_validate")


def test_lint_reports_each_object_problem() -> None:
    code, out, err = run_cli(["lint", str(FIXTURES / "kubebad"), "--kube-version", "1.30"])
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("[ERROR]")] == (
        [f"[ERROR] templates/deploy.yaml: {m}" for m in BAD_FINDINGS]
        + [f"[ERROR] templates/svc.yaml: {SVC_FINDING}"])
    assert "kube-schema: no schema for example.com/v1 Widget (Widget/w): skipped" in err


def test_template_validate_schema_fails_with_every_finding() -> None:
    code, out, err = run_cli(["template", str(FIXTURES / "kubebad"), "--validate-schema",
                              "--kube-version", "1.30"])
    assert code == 1 and out == ""
    assert "Error: rendered objects do not match the Kubernetes 1.30 schemas:" in err
    for m in [*BAD_FINDINGS, SVC_FINDING]:
        assert m in err


@pytest.mark.parametrize("version", ["1.29", "1.33"])
def test_demo_and_created_chart_pass(version: str, tmp_path: Path) -> None:
    from minihelm.dist.create import create

    made = create(str(tmp_path / "web"))
    sets = ["--set", "ingress.enabled=true", "--set", "autoscaling.enabled=true"]
    for chart, extra in ((DEMO, []), (made, []), (made, sets)):
        code, _, err = run_cli(["template", str(chart), "--validate-schema",
                                "--kube-version", version, *extra])
        assert (code, err) == (0, "")
        code, out, _ = run_cli(["lint", str(chart), "--kube-version", version, *extra])
        assert code == 0 and "[ERROR]" not in out and "[WARNING]" not in out


def test_int32_format_is_checked() -> None:
    from minihelm.lint.kubeschema import schema_set

    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"replicas": 1 << 40, "selector": {}, "template": {}}}
    found = schema_set("1.30").check(obj)
    assert found == ["Deployment/d spec.replicas: 1099511627776 is not a 'int32'"]


def test_unsupported_version_is_named() -> None:
    from minihelm.lint.kubeschema import schema_folder

    with pytest.raises(MinihelmError, match=r"no Kubernetes 1\.10 schemas .* \(it has 1\.25 to"):
        schema_folder("1.10")


def test_lookalike_group_is_not_the_builtin_kind() -> None:
    from minihelm.lint.kubeschema import schema_set

    obj = {"apiVersion": "apps.example.com/v1", "kind": "Deployment", "metadata": {"name": "x"}}
    assert schema_set("1.30").check(obj) is None
