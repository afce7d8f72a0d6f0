"""minihelm create: our starter chart, and --starter as helm's CreateFrom (checked against helm 4.1.4)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import chdir, run_cli
from mhtest import needs_helm

STARTER_FILES = [
    ".helmignore", "Chart.yaml", "templates/NOTES.txt", "templates/_helpers.tpl",
    "templates/deployment.yaml", "templates/hpa.yaml", "templates/ingress.yaml",
    "templates/service.yaml", "templates/serviceaccount.yaml",
    "templates/tests/test-connection.yaml", "values.yaml",
]
# What helm 4.1.4's CreateFrom writes as Chart.yaml for `helm create app --starter ...`.
HELM_STARTER_CHARTFILE = """apiVersion: v2
appVersion: 0.1.0
description: A Helm chart for Kubernetes
name: app
type: application
version: 0.1.0
"""


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_create_writes_the_starter(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with chdir(tmp_path):
        code, out, _ = run_cli(["create", "sub/web"])
    chart = tmp_path / "sub" / "web"
    assert (code, out) == (0, "Creating sub/web\n")
    assert _files(chart) == STARTER_FILES
    assert (chart / "charts").is_dir()
    for f in STARTER_FILES:
        assert "<CHARTNAME>" not in (chart / f).read_text()
    assert "name: web\n" in (chart / "Chart.yaml").read_text()
    assert 'define "web.fullname"' in (chart / "templates/_helpers.tpl").read_text()


def test_create_again_warns_and_overwrites(tmp_path: Path) -> None:
    with chdir(tmp_path):
        run_cli(["create", "web"])
        (tmp_path / "web" / "values.yaml").write_text("changed: true\n")
        code, out, _ = run_cli(["create", "web"])
    assert code == 0
    assert f'WARNING: File "{tmp_path}/web/values.yaml" already exists. Overwriting.' in out
    assert "replicaCount: 1" in (tmp_path / "web" / "values.yaml").read_text()


@pytest.mark.parametrize(("name", "message"), [
    ("bad name", 'Error: chart name must match the regular expression "^[a-zA-Z0-9._-]+$"\n'),
    ("a" * 251, "Error: chart name must be between 1 and 250 characters\n"),
])
def test_bad_names_as_helm(tmp_path: Path, name: str, message: str) -> None:
    with chdir(tmp_path):
        code, _, err = run_cli(["create", name])
    assert (code, err) == (1, message)


def _placeholder_starter(tmp_path: Path) -> Path:
    """A starter chart with "<CHARTNAME>" in it: our own starter's files, plus a plain file."""
    from minihelm.dist.create import STARTER_DIR

    starter = tmp_path / "starter"
    shutil.copytree(STARTER_DIR, starter)
    (starter / "notes.md").write_text("<CHARTNAME> stays in plain files\n")
    return starter


def test_starter_is_copied_and_renamed(tmp_path: Path) -> None:
    starter = _placeholder_starter(tmp_path)
    with chdir(tmp_path):
        code, _, _ = run_cli(["create", "out/app", "--starter", str(starter)])
    app = tmp_path / "out" / "app"
    assert code == 0
    assert (app / "Chart.yaml").read_text() == HELM_STARTER_CHARTFILE
    assert 'define "app.fullname"' in (app / "templates/_helpers.tpl").read_text()
    assert "app.example.local" in (app / "values.yaml").read_text()
    assert (app / "notes.md").read_text() == "<CHARTNAME> stays in plain files\n"


# ---------------------------------------------------------------- against real helm


def _run(cmd: list[str], cwd: Path) -> tuple[int, str]:
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, check=False)
    return p.returncode, p.stdout


@needs_helm
def test_created_chart_lints_clean_and_renders_the_same(tmp_path: Path) -> None:
    with chdir(tmp_path):
        run_cli(["create", "web"])
    sets = ["--set", "ingress.enabled=true", "--set", "autoscaling.enabled=true"]
    for extra in ([], sets):
        helm_lint = _run(["helm", "lint", "--strict", "web", *extra], tmp_path)
        with chdir(tmp_path):
            ours = run_cli(["lint", "--strict", "web", *extra])
        assert helm_lint[0] == 0 and ours[:2] == helm_lint
        helm_out = _run(["helm", "template", "web", *extra], tmp_path)
        with chdir(tmp_path):
            code, out, _ = run_cli(["template", "web", *extra])
        assert helm_out[0] == 0 and (code, out) == helm_out
        assert ("kind: Ingress" in out) == bool(extra)


@needs_helm
def test_starter_matches_helm_create_from(tmp_path: Path) -> None:
    starter = _placeholder_starter(tmp_path)
    (tmp_path / "h").mkdir()
    (tmp_path / "m").mkdir()
    _run(["helm", "create", "app", "--starter", str(starter)], tmp_path / "h")
    with chdir(tmp_path / "m"):
        run_cli(["create", "app", "--starter", str(starter)])
    h, m = tmp_path / "h" / "app", tmp_path / "m" / "app"
    assert _files(h) == _files(m)
    for f in _files(h):
        assert (h / f).read_bytes() == (m / f).read_bytes(), f
