"""The Python API: `import minihelm` is cheap, render_chart returns what helm prints as data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import minihelm
from minihelm.render.results import ObjectView

ROOT = Path(__file__).resolve().parent.parent
needs_helm = pytest.mark.skipif(shutil.which("helm") is None, reason="helm not installed")
DEMO = ROOT / "charts" / "demo"

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "values.yaml": "big: 1\n",
    "templates/cm.yaml": """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: c
data:
  big: {{ .Values.big | quote }}
  upgrade: {{ .Release.IsUpgrade | quote }}
""",
    "templates/hook.yaml": """\
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  containers: []
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-pre
  annotations:
    helm.sh/hook: pre-install
""",
    "crds/crds.yaml": """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: as.example.com
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: bs.example.com
""",
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    d = tmp_path / "c"
    for name, text in CHART.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text)
    return d


def helm(*args: str) -> str:
    return subprocess.run(["helm", "template", *args], capture_output=True, text=True,
                          check=True).stdout


# ---------------------------------------------------------------- the package surface


def test_import_is_cheap() -> None:
    # Nothing but the package itself: the pipeline, jinja2 and yaml load on first use.
    code = ("import sys, minihelm; print(sorted(m for m in sys.modules "
            "if m.startswith(('minihelm.', 'jinja2', 'yaml', 'typer'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_resolves_and_is_documented() -> None:
    from minihelm import errors

    for name in minihelm.__all__:
        value = getattr(minihelm, name)
        if isinstance(value, type) and issubclass(value, minihelm.MinihelmError):
            assert re.search(rf"\b{name}\b", errors.__doc__ or ""), name  # in the error tree
        else:
            assert name == "__version__" or value.__doc__, name
    assert set(dir(minihelm)) >= set(minihelm.__all__)
    with pytest.raises(AttributeError):
        minihelm.nothing_like_this  # noqa: B018


def test_reexports_are_the_library_functions() -> None:
    from minihelm import errors
    from minihelm.chart import loader
    from minihelm.dist import package, repo

    assert minihelm.package_chart is package.package_chart
    assert minihelm.build_index is repo.build_index
    assert minihelm.push is repo.push
    assert minihelm.load_chart is loader.load_chart
    assert minihelm.MinihelmError is errors.MinihelmError


def test_py_typed_ships() -> None:
    assert (Path(minihelm.__file__).parent / "py.typed").is_file()


# ---------------------------------------------------------------- render_chart = helm template


@needs_helm
def test_text_is_what_helm_prints_for_an_env() -> None:
    r = minihelm.render_chart(DEMO, env="production")
    assert r.text == helm(str(DEMO), "-f", str(DEMO / "production_values.yaml"))
    assert [x.ref for x in r] == ["Service/demo-service", "Deployment/demo"]
    assert r.get("Deployment", "demo").spec.replicas == 3


@needs_helm
def test_values_mapping_is_read_like_a_values_file(tmp_path: Path, chart: Path) -> None:
    # helm reads every number of a values file as float64: 1000000 prints as 1e+06.
    f = tmp_path / "big.yaml"
    f.write_text("big: 1000000\n")
    r = minihelm.render_chart(chart, {"big": 1000000})
    assert r.get("ConfigMap", "release-name-cm").data.big == "1e+06"
    assert r.text == helm(str(chart), "-f", str(f))


@needs_helm
def test_release_namespace_crds_and_upgrade(tmp_path: Path, chart: Path) -> None:
    r = minihelm.render_chart(chart, release="rel", namespace="ns", include_crds=True,
                              is_upgrade=True)
    assert r.text == helm("rel", str(chart), "-n", "ns", "--include-crds", "--is-upgrade")
    assert [x.ref for x in r] == [
        "CustomResourceDefinition/as.example.com", "CustomResourceDefinition/bs.example.com",
        "ConfigMap/rel-cm", "Pod/rel-test", "Job/rel-pre"]
    cm = r.get("ConfigMap", "rel-cm", namespace="ns")
    assert (cm.namespace, cm.path, cm.api_version) == ("ns", "c/templates/cm.yaml", "v1")
    assert cm.data.upgrade == "true"
    assert [h.ref for h in r.hooks] == ["Pod/rel-test", "Job/rel-pre"]
    assert r.get("Pod", "rel-test").hook_events == ("test",)


@needs_helm
@pytest.mark.parametrize("flag", ["no_hooks", "skip_tests"])
def test_hook_filters_match_helm(chart: Path, flag: str) -> None:
    r = minihelm.render_chart(chart, **{flag: True})  # type: ignore[arg-type]
    assert r.text == helm(str(chart), "--" + flag.replace("_", "-"))
    assert r.find("Pod", "release-name-test") is None
    assert (r.find("Job", "release-name-pre") is None) == (flag == "no_hooks")


@needs_helm
def test_value_files_and_set_values_layer_like_helm(tmp_path: Path) -> None:
    extra = tmp_path / "x.yaml"
    extra.write_text("replicas: 5\ncontainer:\n  tag: v1\n")
    r = minihelm.render_chart(DEMO, {"container": {"tag": "v2"}}, env="staging",
                              value_files=[extra], set_values=["replicas=6"])
    assert r.text == helm(str(DEMO), "-f", str(DEMO / "staging_values.yaml"), "-f", str(extra),
                          "--set", "container.tag=v2", "--set", "replicas=6")


def test_errors_are_minihelm_errors(tmp_path: Path) -> None:
    with pytest.raises(minihelm.MinihelmError, match="not found"):
        minihelm.render_chart(tmp_path / "missing")
    with pytest.raises(minihelm.UsageError, match="release name"):
        minihelm.render_chart(DEMO, release="Bad_Name")
    with pytest.raises(minihelm.UsageError, match='environment "qa" not found'):
        minihelm.render_chart(DEMO, env="qa")
    with pytest.raises(minihelm.ValuesError, match="keys must be strings"):
        minihelm.render_chart(DEMO, {1: "x"})  # type: ignore[dict-item]


def test_notes_and_loaded_chart() -> None:
    c = minihelm.load_chart(DEMO)
    r = minihelm.render_chart(c, {"environment": "qa"})
    assert r.notes.startswith("The demo app is running in qa.")


# ---------------------------------------------------------------- lookups and views


def test_get_find_of_kind() -> None:
    r = minihelm.render_chart(DEMO)
    assert r.find("Deployment", "nope") is None
    with pytest.raises(KeyError, match="it has: Service/demo-service, Deployment/demo"):
        r.get("Deployment", "nope")
    assert [x.name for x in r.of_kind("Service")] == ["demo-service"]
    assert len(r) == 2 and r[0].kind == "Service" and list(r[1:]) == [r[1]]


def test_attribute_and_item_access(chart: Path) -> None:
    cm = minihelm.render_chart(chart).get("ConfigMap", "release-name-cm")
    assert cm.metadata.labels["app.kubernetes.io/name"] == "c"
    assert cm["metadata"]["name"] == "release-name-cm"
    assert cm.kind == "ConfigMap" and cm.apiVersion == "v1"
    assert "big" in cm.data and sorted(cm.data) == ["big", "upgrade"]
    assert cm.metadata.labels == {"app.kubernetes.io/name": "c"}
    with pytest.raises(AttributeError, match=r"no 'spec' in ConfigMap/release-name-cm \(keys: "):
        cm.spec  # noqa: B018


def test_whole_numbers_are_ints_lists_index() -> None:
    d = minihelm.render_chart(DEMO).get("Deployment", "demo")
    port = d.spec.template.spec.containers[0].ports[0].containerPort
    assert port == 8888 and type(port) is int
    assert d.spec.template.spec.containers[0].env == [{"name": "environment",
                                                       "value": "development"}]
    with pytest.raises(AttributeError, match="is a list"):
        d.spec.template.spec.containers.name  # noqa: B018


def test_views_are_read_only() -> None:
    d = minihelm.render_chart(DEMO).get("Deployment", "demo")
    spec = d.spec
    assert isinstance(spec, ObjectView)
    with pytest.raises(AttributeError, match="read-only"):
        spec.replicas = 5
    with pytest.raises(TypeError):
        spec["replicas"] = 5  # type: ignore[index]
    with pytest.raises(AttributeError):
        d.kind = "Pod"  # type: ignore[misc]
    assert d.spec.replicas == 1


# ---------------------------------------------------------------- the pytest plugin


def test_pytest_plugin_is_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    eps = {e.name: e.value for e in entry_points(group="pytest11")}
    assert eps.get("minihelm") == "minihelm.pytest_plugin"


def test_plugin_runs_a_chart_suite_from_another_folder(tmp_path: Path) -> None:
    # The example suite names "charts/demo" relative to the project root; run from
    # elsewhere, the fixture finds it there.
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
         str(ROOT / "charts" / "demo" / "tests")],
        cwd=tmp_path, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "9 passed" in res.stdout


@needs_helm
@pytest.mark.parametrize("name", ["nope", "nope.tgz", "a/b", "a/b/c", "./nope", "../x/nope"])
def test_a_missing_chart_is_reported_as_helm_locates_charts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    # helm reports a missing path only for an absolute or dotted name; any other
    # name goes to its downloader (no repositories are configured here).
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(tmp_path / "repositories.yaml"))
    monkeypatch.setenv("HELM_REPOSITORY_CACHE", str(tmp_path / "repository"))
    monkeypatch.chdir(tmp_path)
    p = subprocess.run(["helm", "template", name], capture_output=True, text=True, check=False)
    with pytest.raises(minihelm.ChartError) as e:
        minihelm.render_chart(name)
    assert p.returncode == 1 and p.stderr == f"Error: {e.value.message}\n"


def test_a_cli_render_does_not_import_the_python_results(tmp_path: Path) -> None:
    # render/results (render_chart's RenderResult) imports dataclasses (and inspect): 6 ms
    # that the fast `template` path must not pay (benchmarks/ab.py caught it once)
    code = ("import sys\n"
            "from minihelm.cli import launch\n"
            "assert launch._template_without_typer(['template', sys.argv[1]]) == 0\n"
            "sys.stdout.flush()\n"
            "print(sorted(m for m in ('dataclasses', 'minihelm.render.results')"
            " if m in sys.modules), file=sys.stderr)\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path), "MINIHELM_REPLAY": "0"}
    r = subprocess.run([sys.executable, "-c", code, str(ROOT / "charts" / "demo")], env=env,
                       capture_output=True, text=True, check=True)
    assert r.stdout.startswith("---\n# Source: demo/")
    assert r.stderr.strip().splitlines()[-1] == "[]"
