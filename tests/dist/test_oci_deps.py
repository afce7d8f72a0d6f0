"""`dependency update|build` with `repository: oci://…`: the lock, archives and lines helm writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mhtest import ROOT, needs_helm
from ocikit import run

CHARTS = Path(__file__).resolve().parent / "charts"


@pytest.fixture(scope="module")
def deps_registry(registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    out = tmp_path_factory.mktemp("deps")
    env = dict(os.environ)
    for src, version in ((ROOT / "charts" / "demo", "1.0.1"), (ROOT / "charts" / "demo", "1.4.0"),
                         (CHARTS / "rich", "")):
        argv = ["package", str(src), "-d", str(out)] + (["--version", version] if version else [])
        assert run("helm", argv, env)[0] == 0
    for tgz in out.glob("*.tgz"):
        assert run("helm", ["push", str(tgz), f"oci://{registry.host}/deps", "--plain-http"],
                   env)[0] == 0
    return f"oci://{registry.host}/deps"


def _parent(folder: Path, base: str, demo_version: str = "^1.0.0") -> Path:
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"""apiVersion: v2
name: parent
version: 0.1.0
dependencies:
  - name: demo
    version: "{demo_version}"
    repository: {base}
  - name: demo
    alias: old
    version: "1.0.1"
    repository: {base}
  - name: rich
    version: ">=1.0.0-0"
    repository: {base}
""")
    return folder


def _state(chart: Path) -> tuple[str, dict[str, bytes]]:
    lock = chart / "Chart.lock"
    text = "".join(line for line in lock.read_text().splitlines(True)
                   if not line.startswith("generated:")) if lock.exists() else ""
    charts = chart / "charts"
    files = {p.name: p.read_bytes() for p in sorted(charts.iterdir())} if charts.exists() else {}
    return text, files


@needs_helm
@pytest.mark.parametrize("demo_version", ["^1.0.0", "~1.0", "^7"])
def test_dependency_update_and_build_match_helm(deps_registry, helm_env, tmp_path,
                                                demo_version):
    results = {}
    for tool in ("helm", "minihelm"):
        chart = _parent(tmp_path / tool / "parent", deps_registry, demo_version)
        upd = run(tool, ["dependency", "update", str(chart), "--plain-http"], helm_env)
        after_update = _state(chart)
        if (chart / "charts").exists():
            shutil.rmtree(chart / "charts")
        bld = run(tool, ["dependency", "build", str(chart), "--plain-http"], helm_env)
        results[tool] = (upd, after_update, bld, _state(chart))
    assert results["minihelm"] == results["helm"]
    upd, (lock, files), _, _ = results["minihelm"]
    if demo_version == "^7":
        assert upd[0] == 1 and not lock
    else:
        want = "1.4.0" if demo_version == "^1.0.0" else "1.0.1"
        assert f"version: {want}" in lock
        assert sorted(files) == sorted({f"demo-{want}.tgz", "demo-1.0.1.tgz",
                                        "rich-1.2.3+build.7.tgz"})


@needs_helm
def test_dependency_update_unknown_repository_matches_helm(registry, helm_env, tmp_path):
    results = {}
    for tool in ("helm", "minihelm"):
        chart = _parent(tmp_path / tool / "parent", f"oci://{registry.host}/nowhere")
        results[tool] = run(tool, ["dependency", "update", str(chart), "--plain-http"], helm_env)
    assert results["minihelm"] == results["helm"]
    assert results["helm"][0] == 1


@needs_helm
def test_template_dependency_update_pulls_oci_dependencies(deps_registry, helm_env, tmp_path):
    results = {}
    for tool in ("helm", "minihelm"):
        chart = tmp_path / tool / "site"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(
            "apiVersion: v2\nname: site\nversion: 0.1.0\ndependencies:\n  - name: demo\n"
            f'    version: "~1.0"\n    repository: {deps_registry}\n')
        res = run(tool, ["template", "web", str(chart), "--dependency-update", "--plain-http"],
                  helm_env)
        results[tool] = (res, _state(chart))
    assert results["minihelm"] == results["helm"]
    assert results["helm"][0][0] == 0
    assert "demo-1.0.1.tgz" in results["helm"][1][1]
