"""deps: dependency update/build/list against file://, repository-folder and loopback http repositories, checked against helm."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from mhtest import needs_helm

from minihelm.chart.loader import load_chart
from minihelm.dist import deps
from minihelm.dist.repo import push
from minihelm.errors import MinihelmError

HELM = shutil.which("helm")

# ---------------------------------------------------------------- helpers (test_pull uses them too)


def make_chart(root: Path, name: str, version: str, extra: str = "", folder: str = "") -> Path:
    d = root / (folder or f"{name}-{version}-src")
    (d / "templates").mkdir(parents=True, exist_ok=True)
    (d / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n{extra}")
    (d / "templates" / "cm.yaml").write_text(
        "kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-{{ .Chart.Version }}\n")
    return d


def make_repo(root: Path, charts: list[tuple[str, str]], url: str | None = None) -> Path:
    repo = root / "repo"
    for name, version in charts:
        push(make_chart(root / "src", name, version), repo, url=url)
    return repo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`python3 -m http.server` on 127.0.0.1 only, serving `folder`; yields its URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def helm_env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "HELM_CONFIG_HOME": str(tmp / ".hcfg"),
            "HELM_CACHE_HOME": str(tmp / ".hcache"), "HELM_DATA_HOME": str(tmp / ".hdata")}


def helm(tmp: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([HELM or "helm", *args], env=helm_env(tmp), capture_output=True,
                       text=True, timeout=120, check=False)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def collect() -> tuple[list[str], deps.Out]:
    lines: list[str] = []
    return lines, lines.append


def lock_of(chart: Path) -> dict:
    return yaml.safe_load((chart / "Chart.lock").read_text())


# ---------------------------------------------------------------- digest (recorded from helm 4.1.4)


DEPS_3 = """dependencies:
- name: sub1
  version: ">=0.1.0"
  repository: file://../sub1
- name: a
  version: ^1.0.0
  repository: http://127.0.0.1:8931/
  import-values: [{child: x, parent: y}, z]
  tags: [t1]
- name: b
  version: "~0.1"
  repository: http://127.0.0.1:8931/
  alias: bee
  condition: bee.enabled
"""


@pytest.mark.parametrize("deps_yaml, locked, digest", [
    (DEPS_3, [("sub1", "file://../sub1", "0.3.0"), ("a", "http://127.0.0.1:8931/", "1.2.0"),
              ("b", "http://127.0.0.1:8931/", "0.1.0")],
     "d418edf7f0c9f2917e00324e25aff41453df726be6151a9692fae632830d5187"),
    ("dependencies:\n- name: sub1\n  version: 0.3.0\n  repository: file://../sub1\n",
     [("sub1", "file://../sub1", "0.3.0")],
     "13430d7fb66959ad60eb21b7d4408fd1202dad9697e3ce0e5a0c7cc34fc8f31f"),
    # "<" and ">" are written \u003c \u003e by encoding/json
    ('dependencies:\n- name: a\n  repository: http://127.0.0.1:8931/\n  version: ">=1.0.0 <2"\n',
     [("a", "http://127.0.0.1:8931/", "1.2.0")],
     "ed850d2365ce8ab80700fb5dd75164462ade62f8fc2d7a8793aed2bd4b79b303"),
    # `parent: y` is YAML 1.1 true for helm
    (("dependencies:\n- name: a\n  repository: http://127.0.0.1:8931/\n  version: \"1.2.0\"\n"
     "  import-values: [{child: x, parent: y}]\n"),
     [("a", "http://127.0.0.1:8931/", "1.2.0")],
     "32dcffcdaf1c27e3286a7ded70af5fa90f7a72b813bb1b21ff1f1bb77e2589c3"),
])
def test_lock_digest_is_helms(tmp_path: Path, deps_yaml: str, locked: list[tuple[str, str, str]],
                              digest: str) -> None:
    c = make_chart(tmp_path, "p", "1.0.0", deps_yaml, folder="p")
    reqs = load_chart(c).metadata.dependencies
    lock = [{"name": n, "repository": r, "version": v} for n, r, v in locked]
    assert deps.hash_req(reqs, lock) == "sha256:" + digest


# ---------------------------------------------------------------- update


def _parent(tmp: Path, http_url: str | None) -> Path:
    """A parent with a file:// chart folder, a file:// repository folder and maybe an http repo."""
    make_chart(tmp, "sub1", "0.3.0", folder="sub1")
    repo = make_repo(tmp / "r1", [("a", "1.0.0"), ("a", "1.2.0"), ("a", "2.0.0"),
                                  ("a", "1.3.0-rc.1")])
    text = ("dependencies:\n- name: sub1\n  version: '>=0.1.0'\n  repository: file://../sub1\n"
            f"- name: a\n  version: ^1.0.0\n  repository: file://{repo}\n")
    if http_url:
        text += f"- name: b\n  version: '~0.1'\n  repository: {http_url}\n  alias: bee\n"
    return make_chart(tmp, "parent", "1.0.0", text, folder="parent")


def test_update_file_and_repository_folder(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    lines, out = collect()
    deps.update(parent, out)
    assert lines == ["Saving 2 charts", f"Downloading a from repo file://{tmp_path}/r1/repo",
                     "Deleting outdated charts"]
    assert sorted(p.name for p in (parent / "charts").iterdir()) == ["a-1.2.0.tgz",
                                                                      "sub1-0.3.0.tgz"]
    lock = lock_of(parent)
    assert lock["dependencies"] == [
        {"name": "sub1", "repository": "file://../sub1", "version": "0.3.0"},
        {"name": "a", "repository": f"file://{tmp_path}/r1/repo", "version": "1.2.0"}]
    reqs = load_chart(parent).metadata.dependencies
    assert lock["digest"] == deps.hash_req(reqs, lock["dependencies"])
    # the archive is the repository's, byte for byte (digest checked on the way)
    assert (parent / "charts" / "a-1.2.0.tgz").read_bytes() == \
        (tmp_path / "r1" / "repo" / "a-1.2.0.tgz").read_bytes()


def test_update_again_keeps_the_lock_file(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    deps.update(parent, lambda _: None)
    before = (parent / "Chart.lock").read_bytes()
    time.sleep(0.01)
    deps.update(parent, lambda _: None)
    assert (parent / "Chart.lock").read_bytes() == before  # same digest: helm leaves it alone


def test_update_removes_outdated_archives_but_keeps_local_ones(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    charts = parent / "charts"
    charts.mkdir()
    stale = make_repo(tmp_path / "old", [("a", "1.0.0"), ("zed", "0.1.0")])
    shutil.copy(stale / "a-1.0.0.tgz", charts)
    shutil.copy(stale / "zed-0.1.0.tgz", charts)
    (charts / "old.tgz.prov").write_text("x")
    lines, out = collect()
    deps.update(parent, out)
    assert sorted(p.name for p in charts.iterdir()) == ["a-1.2.0.tgz", "old.tgz.prov",
                                                         "sub1-0.3.0.tgz"]
    assert any(ln.startswith(f"Could not verify {charts / 'old.tgz.prov'} for deletion:")
               and ln.endswith("(Skipping)") for ln in lines)


def test_no_matching_version_is_helms_error(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    text = (parent / "Chart.yaml").read_text().replace("^1.0.0", "^3.0.0")
    (parent / "Chart.yaml").write_text(text)
    with pytest.raises(MinihelmError) as e:
        deps.update(parent, lambda _: None)
    assert e.value.message == (
        f'can\'t get a valid version for 1 subchart(s): "a" (repository "file://{tmp_path}/r1/'
        'repo", version "^3.0.0"). Make sure a matching chart version exists in the repo, or '
        "change the version constraint in Chart.yaml")
    assert not (parent / "charts").exists() and not (parent / "Chart.lock").exists()


def test_missing_local_folder_and_bad_constraint(tmp_path: Path) -> None:
    c = make_chart(tmp_path, "p", "1.0.0",
                   "dependencies:\n- name: s\n  version: 1.0.0\n  repository: file://../nope\n",
                   folder="p")
    with pytest.raises(MinihelmError, match=f"^directory {tmp_path}/nope not found$"):
        deps.update(c, lambda _: None)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n"
                                  "- name: s\n  version: '!!'\n  repository: file://../p\n")
    with pytest.raises(MinihelmError, match='^dependency "s" has an invalid version/constraint '
                                            "format: improper constraint: !!$"):
        deps.update(c, lambda _: None)


def test_digest_mismatch_refused_and_nothing_written(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    repo = tmp_path / "r1" / "repo"
    index = (repo / "index.yaml").read_text()
    good = load_index_digest(repo, "a", "1.2.0")
    (repo / "index.yaml").write_text(index.replace(good, "ab" * 32))
    with pytest.raises(MinihelmError, match="digest mismatch for a-1.2.0.tgz"):
        deps.update(parent, lambda _: None)
    assert not list((parent / "charts").glob("*.tgz"))
    assert not (parent / "Chart.lock").exists()


def load_index_digest(repo: Path, name: str, version: str) -> str:
    doc = yaml.safe_load((repo / "index.yaml").read_text())
    return next(str(e["digest"]) for e in doc["entries"][name] if e["version"] == version)


def test_http_repository_and_output_like_helm(tmp_path: Path) -> None:
    web = make_repo(tmp_path / "web", [("b", "0.1.0"), ("b", "0.1.5"), ("b", "0.2.0")])
    with serve(web) as url:
        parent = _parent(tmp_path, url)
        lines, out = collect()
        deps.update(parent, out)
    assert lines == [
        "Getting updates for unmanaged Helm repositories...",
        f'...Successfully got an update from the "{url}" chart repository',
        "Saving 3 charts", f"Downloading a from repo file://{tmp_path}/r1/repo",
        f"Downloading b from repo {url}", "Deleting outdated charts"]
    assert lock_of(parent)["dependencies"][2] == {"name": "b", "repository": url,
                                                  "version": "0.1.5"}


def test_unreachable_http_repository(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    c = make_chart(tmp_path, "p", "1.0.0",
                   f"dependencies:\n- name: b\n  version: 1.0.0\n  repository: {url}\n", folder="p")
    lines, out = collect()
    # as helm: the failed refresh is reported, then resolution finds no cached index
    with pytest.raises(MinihelmError, match="^no cached repository for helm-manager-[0-9a-f]{64} "
                                            r"found\. \(try 'helm repo update'\): open "):
        deps.update(c, out)
    assert lines[0] == "Getting updates for unmanaged Helm repositories..."
    assert lines[1].startswith(f'...Unable to get an update from the "{url}" chart repository:\n\t')


# ---------------------------------------------------------------- build


def test_build_installs_the_locked_versions(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    deps.update(parent, lambda _: None)
    shutil.rmtree(parent / "charts")
    push(make_chart(tmp_path / "src", "a", "1.9.0"), tmp_path / "r1" / "repo")  # newer match
    lines, out = collect()
    deps.build(parent, out)
    assert sorted(p.name for p in (parent / "charts").iterdir()) == ["a-1.2.0.tgz",
                                                                      "sub1-0.3.0.tgz"]
    assert lines[0] == "Saving 2 charts"
    deps.update(parent, lambda _: None)  # update moves on to the newest match
    assert sorted(p.name for p in (parent / "charts").iterdir()) == ["a-1.9.0.tgz",
                                                                      "sub1-0.3.0.tgz"]


def test_build_with_stale_lock_is_helms_error(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    deps.update(parent, lambda _: None)
    (parent / "Chart.yaml").write_text((parent / "Chart.yaml").read_text().replace(
        "^1.0.0", "^1.1.0"))
    with pytest.raises(MinihelmError) as e:
        deps.build(parent, lambda _: None)
    assert e.value.message == ("the lock file (Chart.lock) is out of sync with the dependencies "
                               "file (Chart.yaml). Please update the dependencies")


def test_build_without_lock_updates(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    deps.build(parent, lambda _: None)
    assert (parent / "Chart.lock").exists()
    assert (parent / "charts" / "a-1.2.0.tgz").exists()


def test_update_if_missing(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    assert deps.update_if_missing(parent, lambda _: None) is True
    assert deps.update_if_missing(parent, lambda _: None) is False


# ---------------------------------------------------------------- list


def test_list_statuses(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    text = (parent / "Chart.yaml").read_text() + (
        "- name: loc\n  version: 0.1.0\n- name: gone\n  version: 1.0.0\n  repository: "
        "https://example.invalid/charts\n- name: old\n  version: ^2.0.0\n  repository: file://x\n")
    (parent / "Chart.yaml").write_text(text)
    charts = parent / "charts"
    make_chart(charts, "loc", "0.1.0", folder="loc")
    shutil.copy(make_repo(tmp_path / "o", [("old", "1.0.0")]) / "old-1.0.0.tgz", charts)
    shutil.copy(make_repo(tmp_path / "s", [("stray", "1.0.0")]) / "stray-1.0.0.tgz", charts)
    out = deps.list_dependencies(str(parent))
    rows = [[c.strip() for c in ln.split("\t")] for ln in out.splitlines()[:6]]
    assert rows == [
        ["NAME", "VERSION", "REPOSITORY", "STATUS"],
        ["sub1", ">=0.1.0", "file://../sub1", "missing"],
        ["a", "^1.0.0", f"file://{tmp_path}/r1/repo", "missing"],
        ["loc", "0.1.0", "", "unpacked"],
        ["gone", "1.0.0", "https://example.invalid/charts", "missing"],
        ["old", "^2.0.0", "file://x", "wrong version"],
    ]
    assert out.endswith(f'\n\nWARNING: "{charts}/stray-1.0.0.tgz" is not in Chart.yaml.\n')


@needs_helm
def test_list_is_byte_for_byte_helms(tmp_path: Path) -> None:
    parent = _parent(tmp_path, None)
    deps.update(parent, lambda _: None)
    charts = parent / "charts"
    make_chart(charts, "loc", "0.1.0", folder="loc")
    shutil.copy(make_repo(tmp_path / "s", [("stray", "1.0.0")]) / "stray-1.0.0.tgz", charts)
    (parent / "Chart.yaml").write_text((parent / "Chart.yaml").read_text() + (
        "- name: loc\n  version: '>0.0.1'\n- name: nothere\n  version: 1.0.0\n"
        "  repository: https://charts.example.com/a/very/long/repository/url/that/is/longer/"
        "than/eighty/columns/to/see/the/cut\n"))
    rel = os.path.relpath(parent)
    assert deps.list_dependencies(rel) == helm(tmp_path, "dependency", "list", rel).stdout


@needs_helm
def test_acceptance_helm_sees_every_dependency_ok_and_renders(tmp_path: Path) -> None:
    web = make_repo(tmp_path / "web", [("b", "0.1.0")])
    with serve(web) as url:
        parent = _parent(tmp_path, url)
        deps.update(parent, lambda _: None)
    listed = helm(tmp_path, "dependency", "list", str(parent)).stdout
    statuses = [ln.split("\t")[-1].strip() for ln in listed.splitlines()[1:4]]
    assert statuses == ["ok", "ok", "ok"]
    rendered = helm(tmp_path, "template", str(parent)).stdout
    for doc in ("parent/charts/sub1/templates/cm.yaml", "parent/charts/a/templates/cm.yaml",
                "parent/charts/bee/templates/cm.yaml"):
        assert f"# Source: {doc}\n" in rendered
    assert "name: a-1.2.0\n" in rendered and "name: bee-0.1.0\n" in rendered


@needs_helm
def test_lock_file_equals_helms(tmp_path: Path) -> None:
    web = make_repo(tmp_path / "web", [("a", "1.0.0"), ("a", "1.2.0"), ("b", "0.1.0")])
    make_chart(tmp_path, "sub1", "0.3.0", folder="sub1")
    with serve(web) as url:
        extra = ("dependencies:\n- name: sub1\n  version: '>=0.1.0'\n  repository: file://../sub1\n"
                 f"- name: a\n  version: ^1.0.0\n  repository: {url}\n  import-values: [x]\n"
                 f"- name: b\n  version: '~0.1'\n  repository: {url}\n  alias: bee\n")
        mine = make_chart(tmp_path, "p", "1.0.0", extra, folder="mine")
        theirs = make_chart(tmp_path, "p", "1.0.0", extra, folder="theirs")
        lines, out = collect()
        deps.update(mine, out)
        r = helm(tmp_path, "dependency", "update", str(theirs))
        # helm accepts our lock: build does not call it out of sync
        shutil.rmtree(mine / "charts")
        helm(tmp_path, "repo", "add", "w", url)
        helm(tmp_path, "dependency", "build", str(mine))
    assert "\n".join(lines) + "\n" == r.stdout
    strip = lambda p: [ln for ln in (p / "Chart.lock").read_text().splitlines()
                       if not ln.startswith("generated:")]
    assert strip(mine) == strip(theirs)
    assert sorted(os.listdir(mine / "charts")) == sorted(os.listdir(theirs / "charts"))


@needs_helm
def test_template_dependency_update_matches_helm(tmp_path: Path) -> None:
    from clirun import run_cli

    for side in ("mine", "theirs"):
        make_chart(tmp_path / side, "sub1", "0.3.0", folder="sub1")
        make_chart(tmp_path / side, "p", "1.0.0", "dependencies:\n- name: sub1\n  version: "
                   "'>=0.1.0'\n  repository: file://../sub1\n", folder="p")
    code, out, _ = run_cli(["template", str(tmp_path / "mine" / "p"), "--dependency-update"])
    theirs = helm(tmp_path, "template", str(tmp_path / "theirs" / "p"), "--dependency-update")
    assert code == 0 and out == theirs.stdout  # update lines first, then the manifests
    assert out.startswith("Saving 1 charts\nDeleting outdated charts\n---\n")
