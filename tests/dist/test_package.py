"""Packaging: helm's layout, reproducible bytes, helm's errors (recorded from helm v4.1.4), helm reads the result."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from minihelm.chart.loader import load_chart
from minihelm.dist.package import package_chart
from minihelm.errors import ChartError, PackageError

HELM = shutil.which("helm")
needs_helm = pytest.mark.skipif(HELM is None, reason="helm not installed")

SUB = b"apiVersion: v2\nname: sub2\nversion: 0.3.0\n"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def _sub_tgz() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in [("sub2/Chart.yaml", SUB), ("sub2/templates/cm.yaml",
                           b"kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n")]:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return gzip.compress(buf.getvalue())


def make_chart(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "src" / "demo", {
        "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: 1.10\n"
                      "description: A demo\ndependencies:\n- name: sub\n  version: 0.1.0\n"
                      "- name: sub2\n  version: '*'\n  repository: https://example.com\n",
        "values.yaml": "replicas: 2\nname: x\n",
        ".helmignore": "*.bak\n",
        "notes.bak": "ignored\n",
        "templates/cm.yaml": "kind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n"
                             "data:\n  r: {{ .Values.replicas | quote }}\n"
                             "  app: {{ .Chart.AppVersion }}\n",
        "files/a.txt": "hello\n",
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/templates/s.yaml": "kind: Secret\nmetadata:\n  name: s\n",
        "charts/sub2-0.3.0.tgz": _sub_tgz(),
    })


def members(tgz: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(tgz) as tf:
        return tf.getmembers()


def test_layout_and_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    chart = make_chart(tmp_path)
    out = package_chart(chart, tmp_path / "a")
    assert out == tmp_path / "a" / "demo-0.1.0.tgz"
    names = [m.name for m in members(out)]
    assert names == [
        "demo/Chart.yaml", "demo/values.yaml", "demo/templates/cm.yaml", "demo/.helmignore",
        "demo/files/a.txt", "demo/charts/sub/Chart.yaml", "demo/charts/sub/templates/s.yaml",
        "demo/charts/sub2/Chart.yaml", "demo/charts/sub2/templates/cm.yaml"]
    for m in members(out):
        assert (m.mode, m.uid, m.gid, m.uname, m.gname, m.mtime) == (0o644, 0, 0, "", "", 315532800)
        assert m.isreg()
    raw = out.read_bytes()
    assert raw[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # no name, mtime 0
    os_touch = chart / "files" / "a.txt"
    os_touch.write_text("hello\n")  # new mtime, same content
    again = package_chart(chart, tmp_path / "b")
    assert again.read_bytes() == raw
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = package_chart(chart, tmp_path / "c")
    assert {m.mtime for m in members(stamped)} == {1700000000}


def test_chart_yaml_is_remarshalled(tmp_path: Path) -> None:
    out = package_chart(make_chart(tmp_path), tmp_path, version="1.2", app_version="2.0")
    assert out.name == "demo-1.2.tgz"
    with tarfile.open(out) as tf:
        f = tf.extractfile("demo/Chart.yaml")
        assert f is not None
        text = f.read().decode()
    # helm package --version 1.2 writes version: "1.2" (sorted keys, quoted when ambiguous)
    assert text == (
        'apiVersion: v2\nappVersion: "2.0"\ndependencies:\n- name: sub\n  repository: ""\n'
        '  version: 0.1.0\n- name: sub2\n  repository: https://example.com\n  version: \'*\'\n'
        'description: A demo\nname: demo\nversion: "1.2"\n')


def test_round_trip(tmp_path: Path) -> None:
    chart = make_chart(tmp_path)
    a = load_chart(chart)
    b = load_chart(package_chart(chart, tmp_path))
    assert a.templates == b.templates and a.files == b.files and a.values == b.values
    assert [d.name for d in b.dependencies] == ["sub", "sub2"]
    assert b.metadata.app_version == "1.1"  # helm: appVersion 1.10 is the float 1.1


@pytest.mark.parametrize(
    ("files", "version", "message"),
    [
        ({"values.schema.json": "{bad\n"}, None,
         "failed to save: invalid JSON in values.schema.json"),
        ({}, "abc", "invalid semantic version"),
    ],
)
def test_package_errors(tmp_path: Path, files: dict[str, str], version: str | None,
                        message: str) -> None:
    root = write_tree(tmp_path / "sj", {"Chart.yaml": "apiVersion: v2\nname: sj\nversion: 0.1.0\n",
                                        **files})
    with pytest.raises(PackageError) as info:
        package_chart(root, tmp_path, version=version)
    assert info.value.message == message
    assert not list(tmp_path.glob("*.tgz")) and not list(tmp_path.glob(".*.tmp"))


def test_missing_dependencies(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "sj", {
        "Chart.yaml": "apiVersion: v2\nname: sj\nversion: 0.1.0\ndependencies:\n- name: d\n- name: e\n"})
    with pytest.raises(ChartError) as info:
        package_chart(root, tmp_path)
    assert info.value.message == "found in Chart.yaml, but missing in charts/ directory: d, e"


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as info:
        package_chart(tmp_path / "nonexist", tmp_path)
    assert info.value.message == f"stat {tmp_path / 'nonexist'}: no such file or directory"


@needs_helm
def test_helm_accepts_the_package(tmp_path: Path) -> None:
    chart = make_chart(tmp_path)
    out = package_chart(chart, tmp_path)

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([HELM or "helm", *a], check=False, capture_output=True, text=True,
                              timeout=60)

    lint = run("lint", str(out))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    show = run("show", "chart", str(out))
    assert show.stdout == run("show", "chart", str(chart)).stdout
    from_tgz, from_dir = run("template", str(out)), run("template", str(chart))
    assert from_tgz.returncode == 0, from_tgz.stderr
    assert from_tgz.stdout == from_dir.stdout
    assert "name: x" in from_tgz.stdout
