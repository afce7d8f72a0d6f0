"""`pull REPO/CHART` and `dependency update|build` through named repositories, side by side with real helm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mhtest import needs_helm
from ocikit import run
from repokit import files, make_repo, repo_env, serve

pytestmark = needs_helm


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("served")
    folder = make_repo(root)
    with serve(folder) as url, serve(folder) as second:
        yield url, second, folder


@pytest.fixture
def env(served, helm_env, tmp_path: Path) -> dict[str, str]:
    e = repo_env(helm_env, tmp_path / "repos")
    assert run("helm", ["repo", "add", "local", served[0]], e)[0] == 0
    return e


def _both_in(args: list[str], env: dict[str, str], tmp: Path) -> dict[str, tuple]:
    """Run each tool in its own empty folder: outputs and the files each left there."""
    out = {}
    for tool in ("helm", "minihelm"):
        cwd = tmp / tool
        cwd.mkdir()
        res = run(tool, args, env, cwd=cwd)
        out[tool] = (res, files(cwd))
    return out


@pytest.mark.parametrize("args", [
    ["local/demo"], ["local/demo", "--version", "1.0.0"], ["local/demo", "--version", "^1.0"],
    ["local/demo", "--devel"], ["local/demo", "--untar"], ["local/demo", "--untar", "-d", "x"],
    ["demo"], ["nope/demo"], ["local/nope"], ["local/demo", "--version", "9"],
    ["local/demo", "--version", "nonsense"],
])
def test_pull_from_a_named_repository(env, tmp_path: Path, args) -> None:
    got = _both_in(["pull", *args], env, tmp_path)
    assert got["minihelm"] == got["helm"]


def test_pull_into_a_missing_folder(env, tmp_path: Path) -> None:
    import re

    got = _both_in(["pull", "local/zeta", "-d", "missing"], env, tmp_path)
    (hrc, hout, herr), hfiles = got["helm"]
    herr = re.sub(r"\.tgz\d+:", ".tgz:", herr)  # helm names its random temp file
    assert got["minihelm"] == ((hrc, hout, herr), hfiles) and hrc == 1


def test_pull_needs_the_cached_index(env, tmp_path: Path) -> None:
    (Path(env["HELM_REPOSITORY_CACHE"]) / "local-index.yaml").unlink()
    got = _both_in(["pull", "local/demo"], env, tmp_path)
    assert got["minihelm"] == got["helm"] and got["helm"][0][0] == 1


def test_pull_with_the_repositorys_credentials(served, helm_env, tmp_path: Path) -> None:
    folder = served[2]
    with serve(folder, auth="alice:wonderland") as url:
        e = repo_env(helm_env, tmp_path / "repos")
        assert run("helm", ["repo", "add", "private", url, "--username", "alice",
                            "--password", "wonderland"], e)[0] == 0
        got = _both_in(["pull", "private/demo"], e, tmp_path)
        assert got["minihelm"] == got["helm"] and got["helm"][0][0] == 0


def test_a_tampered_archive_is_refused_and_nothing_is_left(served, helm_env, tmp_path: Path
                                                           ) -> None:
    shutil.copytree(served[2], tmp_path / "evil")
    archive = tmp_path / "evil" / "zeta-3.1.4.tgz"
    archive.write_bytes(archive.read_bytes()[:-8] + b"\0" * 8)
    with serve(tmp_path / "evil") as url:
        e = repo_env(helm_env, tmp_path / "repos")
        assert run("minihelm", ["repo", "add", "evil", url], e)[0] == 0
        (tmp_path / "out").mkdir()
        rc, _, err = run("minihelm", ["pull", "evil/zeta", "-d", "out"], e, cwd=tmp_path)
    assert rc == 1 and err.startswith("Error: digest mismatch for ") and err.count("\n") == 1
    assert list((tmp_path / "out").iterdir()) == []


def _parent(root: Path, deps: str) -> Path:
    chart = root / "parent"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: parent\nversion: 0.1.0\n"
                                      f"dependencies:\n{deps}")
    return chart


def _dep_run(args: list[str], deps: str, env: dict[str, str], tmp: Path) -> dict[str, tuple]:
    """dependency ARGS on two identical parents: output, Chart.lock (no time), charts/, cache."""
    out = {}
    cache = Path(env["HELM_REPOSITORY_CACHE"])
    before = files(cache)
    for tool in ("helm", "minihelm"):
        for p in cache.iterdir():
            p.unlink()
        for rel, data in before.items():
            (cache / rel).write_bytes(data)
        chart = _parent(tmp / tool, deps)
        res = run(tool, ["dependency", *args, str(chart)], env, cwd=tmp / tool)
        lock = chart / "Chart.lock"
        lock_text = "".join(ln for ln in lock.read_text().splitlines(keepends=True)
                            if not ln.startswith("generated:")) if lock.exists() else None
        charts = files(chart / "charts") if (chart / "charts").exists() else None
        out[tool] = (res[0], res[1].replace(str(tmp / tool), "TMP"),
                     res[2].replace(str(tmp / tool), "TMP"), lock_text, charts, files(cache))
    return out


NAMED = """- name: demo
  version: "^1.0.0"
  repository: "@local"
- name: other
  version: "*"
  repository: "alias:local"
- name: demo
  alias: demo2
  version: "1.0.0"
  repository: "{url}"
- name: zeta
  version: "3.x"
  repository: "{second}"
"""


def test_dependency_update_through_named_and_unmanaged_repositories(served, env,
                                                                    tmp_path: Path) -> None:
    deps = NAMED.format(url=served[0].rstrip("/"), second=served[1])
    got = _dep_run(["update"], deps, env, tmp_path)
    assert got["minihelm"] == got["helm"]
    assert got["helm"][0] == 0 and "repository: " + served[0] in got["helm"][3]
    assert any(k.startswith("helm-manager-") for k in got["helm"][5])


def test_the_name_keyed_quirk(served, env, tmp_path: Path) -> None:
    # helm keys repositories by dependency name: the second `other` follows the first's
    deps = (f'- name: other\n  version: "*"\n  repository: "@local"\n'
            f'- name: other\n  alias: o2\n  version: "0.1.0"\n  repository: "{served[1]}"\n')
    got = _dep_run(["update"], deps, env, tmp_path)
    assert got["minihelm"] == got["helm"]
    assert not any(k.startswith("helm-manager-") for k in got["helm"][5])  # never fetched


@pytest.mark.parametrize("deps", [
    '- name: demo\n  version: "1.0.0"\n  repository: "@nope"\n',
    '- name: demo\n  version: "1.0.0"\n  repository: "local"\n',
    '- name: demo\n  version: "1.0.0"\n  repository: "http://127.0.0.1:1/"\n',
    '- name: nochart\n  version: "1.0.0"\n  repository: "@local"\n',
    '- name: demo\n  version: "7.0.0"\n  repository: "@local"\n',
])
def test_dependency_update_errors_match_helm(env, tmp_path: Path, deps: str) -> None:
    got = _dep_run(["update"], deps, env, tmp_path)
    assert got["minihelm"] == got["helm"] and got["helm"][0] == 1


def test_dependency_build_needs_configured_repositories(served, env, tmp_path: Path) -> None:
    deps = NAMED.format(url=served[0].rstrip("/"), second=served[1])
    for tool in ("helm", "minihelm"):
        chart = _parent(tmp_path / tool, deps)
        assert run(tool, ["dependency", "update", str(chart)], env)[0] == 0
        shutil.rmtree(chart / "charts")
    h = run("helm", ["dependency", "build", str(tmp_path / "helm" / "parent")], env)
    m = run("minihelm", ["dependency", "build", str(tmp_path / "minihelm" / "parent")], env)
    assert m == h and h[0] == 1  # the unmanaged second server is not in repositories.yaml
    assert run("helm", ["repo", "add", "second", served[1]], env)[0] == 0
    h = run("helm", ["dependency", "build", str(tmp_path / "helm" / "parent")], env)
    m = run("minihelm", ["dependency", "build", str(tmp_path / "minihelm" / "parent")], env)
    assert (m[0], m[2]) == (h[0], h[2]) and h[0] == 0
    # two configured repositories refresh in parallel in helm: compare the lines as a set
    assert sorted(m[1].splitlines()) == sorted(h[1].splitlines())
    assert files(tmp_path / "minihelm" / "parent" / "charts") == \
        files(tmp_path / "helm" / "parent" / "charts")


@pytest.mark.parametrize("args", [
    ["chart", "local/demo"], ["values", "local/zeta"], ["chart", "local/demo", "--version", "1.0.0"],
    ["chart", "nope/demo"], ["chart", "local/nope"],
])
def test_show_reads_a_named_repository(env, tmp_path: Path, args) -> None:
    got = _both_in(["show", *args], env, tmp_path)
    assert got["minihelm"] == got["helm"]


@pytest.mark.parametrize("args", [
    ["local/demo"], ["rel", "local/demo", "--version", "1.0.0"], ["local/zeta", "-n", "x"],
    ["nope/demo"], ["local/nope"], ["local/demo", "--version", "9"],
])
def test_template_reads_a_named_repository(env, tmp_path: Path, args) -> None:
    # helm's LocateChart: `template REPO/CHART` renders the chart from the cached index's
    # archive and prints nothing else; both tools also leave nothing in the folder
    got = _both_in(["template", *args], env, tmp_path)
    assert got["minihelm"] == got["helm"]


def test_dependency_update_with_a_broken_repositories_file(env, tmp_path: Path) -> None:
    Path(env["HELM_REPOSITORY_CONFIG"]).write_text("repositories: [\n")
    got = _dep_run(["update"], '- name: demo\n  version: "1.0.0"\n  repository: "@local"\n',
                   env, tmp_path)
    assert got["minihelm"] == got["helm"] and got["helm"][0] == 1


def test_dependency_update_fails_when_a_configured_cache_is_missing(served, env,
                                                                   tmp_path: Path) -> None:
    # every configured repository's cached index must load before anything is saved
    assert run("helm", ["repo", "add", "dead", "http://127.0.0.1:1/", "--force-update"],
               env)[0] == 1
    cfg = Path(env["HELM_REPOSITORY_CONFIG"])
    cfg.write_text(cfg.read_text() + cfg.read_text().split("repositories:\n", 1)[1]
                   .replace("name: local", "name: dead").replace(served[0], "http://127.0.0.1:1/"))
    got = _dep_run(["update"], '- name: demo\n  version: "1.0.0"\n  repository: "@local"\n',
                   env, tmp_path)
    # two repositories refresh in parallel in helm: their lines in any order
    unordered = {t: (g[0], sorted(g[1].splitlines()), *g[2:]) for t, g in got.items()}
    assert unordered["minihelm"] == unordered["helm"] and got["helm"][0] == 1
    assert "dead-index.yaml: no such file or directory" in got["helm"][2]


def test_skip_refresh_reads_the_cache_as_it_is(served, env, tmp_path: Path) -> None:
    deps = NAMED.format(url=served[0].rstrip("/"), second=served[1])
    got = _dep_run(["update", "--skip-refresh"], deps, env, tmp_path)
    assert got["minihelm"] == got["helm"] and got["helm"][0] == 1  # no helm-manager cache yet
    assert "Hang tight" not in got["helm"][1]
    deps = '- name: demo\n  version: "^1.0.0"\n  repository: "@local"\n'
    got = _dep_run(["update", "--skip-refresh"], deps, env, tmp_path / "again")
    assert got["minihelm"] == got["helm"] and got["helm"][0] == 0
