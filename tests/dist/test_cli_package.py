"""CLI: package (-d, --version, --app-version, -u), push, repo index, dependency list|update|build and help texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from clirun import run_cli
from mhtest import needs_helm
from test_deps import helm, make_chart

from minihelm.chart.loader import load_chart


def test_package_default_destination_prints_the_absolute_path(tmp_path: Path) -> None:
    make_chart(tmp_path, "c", "0.1.0", folder="c")
    code, out, _ = run_cli(["package", "c"], cwd=tmp_path)
    assert code == 0
    assert out == f"Successfully packaged chart and saved it to: {tmp_path}/c-0.1.0.tgz\n"
    assert (tmp_path / "c-0.1.0.tgz").is_file()


@needs_helm
@pytest.mark.parametrize("dest", [".", "dist", "./dist/", str(Path("/tmp") / "x")])
def test_package_message_equals_helms(tmp_path: Path, dest: str) -> None:
    make_chart(tmp_path, "c", "0.1.0", folder="c")
    if os.path.isabs(dest):
        dest = str(tmp_path / "abs")
    code, out, _ = run_cli(["package", "c", "-d", dest], cwd=tmp_path)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        theirs = helm(tmp_path, "package", "c", "-d", dest).stdout
    finally:
        os.chdir(old)
    assert code == 0 and out == theirs


def test_package_version_and_app_version(tmp_path: Path) -> None:
    make_chart(tmp_path, "c", "0.1.0", folder="c")
    code, out, _ = run_cli(["package", "c", "-d", "out", "--version", "2.0.0",
                            "--app-version", "v9"], cwd=tmp_path)
    assert code == 0 and out.endswith("saved it to: out/c-2.0.0.tgz\n")
    md = load_chart(tmp_path / "out" / "c-2.0.0.tgz").metadata
    assert (md.version, md.app_version) == ("2.0.0", "v9")


def test_package_dependency_update(tmp_path: Path) -> None:
    make_chart(tmp_path, "sub", "0.3.0", folder="sub")
    make_chart(tmp_path, "p", "1.0.0", "dependencies:\n- name: sub\n  version: ^0.3.0\n"
               "  repository: file://../sub\n", folder="p")
    code, _, err = run_cli(["package", "p"], cwd=tmp_path)
    assert code == 1
    assert err == "Error: found in Chart.yaml, but missing in charts/ directory: sub\n"
    code, out, _ = run_cli(["package", "p", "-u"], cwd=tmp_path)
    assert code == 0 and out == f"Successfully packaged chart and saved it to: {tmp_path}/p-1.0.0.tgz\n"
    packed = load_chart(tmp_path / "p-1.0.0.tgz")
    assert [d.name for d in packed.dependencies] == ["sub"]
    assert packed.lock is not None and packed.lock["dependencies"][0]["version"] == "0.3.0"


def test_package_needs_an_argument() -> None:
    code, _, err = run_cli(["package"])
    assert code == 1 and err == "Error: need at least one argument, the path to the chart\n"


def test_repo_index_and_push(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    src = make_chart(tmp_path, "c", "0.1.0", folder="c")
    code, out, _ = run_cli(["push", str(src), str(repo), "--url", "https://ch.example/x"])
    assert code == 0
    assert out == f"Pushed c-0.1.0.tgz to {repo} (index: {repo}/index.yaml)\n"
    index = yaml.safe_load((repo / "index.yaml").read_text())
    assert index["entries"]["c"][0]["urls"] == ["https://ch.example/x/c-0.1.0.tgz"]
    # a changed chart under the same version needs --force
    (src / "values.yaml").write_text("x: 1\n")
    code, _, err = run_cli(["push", str(src), str(repo)])
    assert code == 1 and "already in" in err and "force" in err
    assert run_cli(["push", str(src), str(repo), "--force"])[0] == 0
    # repo index rewrites urls with a new --url
    code, out, _ = run_cli(["repo", "index", str(repo), "--url", "https://other"])
    assert (code, out) == (0, "")
    index = yaml.safe_load((repo / "index.yaml").read_text())
    assert index["entries"]["c"][0]["urls"] == ["https://other/c-0.1.0.tgz"]


def test_dependency_commands(tmp_path: Path) -> None:
    make_chart(tmp_path, "sub", "0.3.0", folder="sub")
    p = make_chart(tmp_path, "p", "1.0.0", "dependencies:\n- name: sub\n  version: ^0.3.0\n"
                   "  repository: file://../sub\n", folder="p")
    code, out, _ = run_cli(["dependency", "list", "p"], cwd=tmp_path)
    assert code == 0 and out == ("NAME\tVERSION\tREPOSITORY   \tSTATUS \n"
                                 "sub \t^0.3.0 \tfile://../sub\tmissing\n\n")
    code, out, _ = run_cli(["dependency", "update", "p"], cwd=tmp_path)
    assert (code, out) == (0, "Saving 1 charts\nDeleting outdated charts\n")
    code, out, _ = run_cli(["dependency", "build", "p"], cwd=tmp_path)
    assert (code, out) == (0, "Saving 1 charts\nDeleting outdated charts\n")
    assert sorted(os.listdir(p / "charts")) == ["sub-0.3.0.tgz"]
    (p / "Chart.yaml").write_text((p / "Chart.yaml").read_text().replace("^0.3.0", "0.3.0"))
    code, _, err = run_cli(["dependency", "build", "p"], cwd=tmp_path)
    assert code == 1 and err == ("Error: the lock file (Chart.lock) is out of sync with the "
                                 "dependencies file (Chart.yaml). Please update the dependencies\n")


@pytest.mark.parametrize("cmd", [
    ["package"], ["push"], ["repo", "index"], ["dependency", "list"], ["dependency", "update"],
    ["dependency", "build"], ["show", "all"], ["show", "chart"], ["show", "values"],
    ["show", "readme"], ["show", "crds"], ["pull"],
])
def test_every_command_has_an_example(cmd: list[str]) -> None:
    code, out, _ = run_cli([*cmd, "--help"])
    assert code == 0 and "Example" in out and f"minihelm {' '.join(cmd)}" in out
