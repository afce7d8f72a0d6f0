"""Symlinks that leave the chart folder (issue 15): refused unless --allow-external-links.

helm follows every link.  An ingress controller's chart links `crds` to
`../../config/crd/bases` in its own repository; with the flag minihelm
renders, lints, shows and packages it as helm v4.1.4 did (HELM_* below are
helm's stdout for the same layout).  A link whose target is missing gets
helm's words, Go's `lstat` prefix included, naming the first missing part.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest
from clirun import run_cli

from minihelm._core.symlinks import LinkError, eval_symlinks

HELM_TEMPLATE = """---
# Source: lk/crds/c.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: crd

---
# Source: lk/templates/t.yaml
a: "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: crd\\n"
"""
HELM_SHOW_CRDS = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crd\n\n"


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    c = tmp_path / "chart"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: lk\nversion: 0.1.0\n")
    (c / "templates" / "t.yaml").write_text('a: {{ .Files.Get "crds/c.yaml" | quote }}\n')
    (tmp_path / "outside" / "crds").mkdir(parents=True)
    (tmp_path / "outside" / "crds" / "c.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crd\n")
    os.symlink("../outside/crds", c / "crds")
    return c


@pytest.mark.parametrize("argv", [["template"], ["lint"], ["package"], ["show", "crds"]])
def test_refused_by_default_naming_the_flag(chart: Path, argv: list[str]) -> None:
    rc, out, err = run_cli([*argv, str(chart)], chart.parent)
    assert rc == 1
    real = os.path.realpath(chart.parent / "outside" / "crds")
    assert (f"symlink crds points outside the chart folder, to {real} "
            "(pass --allow-external-links to follow it)") in out + err  # lint: in its findings


def test_template_follows_with_the_flag(chart: Path) -> None:
    rc, out, err = run_cli(["template", str(chart), "--include-crds", "--allow-external-links"])
    assert (rc, out) == (0, HELM_TEMPLATE), err


def test_show_and_lint_follow_with_the_flag(chart: Path) -> None:
    assert run_cli(["show", "crds", str(chart), "--allow-external-links"])[:2] == (
        0, HELM_SHOW_CRDS)
    rc, out, _ = run_cli(["lint", str(chart), "--allow-external-links"])
    # helm's findings: the linked file is read and checked as a CRD
    assert rc == 1 and "[ERROR] crds/c.yaml: object kind is not 'CustomResourceDefinition'" in out


def test_package_holds_the_linked_files(chart: Path, tmp_path: Path) -> None:
    rc, _, err = run_cli(["package", str(chart), "-d", str(tmp_path / "d"),
                          "--allow-external-links"])
    assert rc == 0, err
    with tarfile.open(tmp_path / "d" / "lk-0.1.0.tgz") as tar:
        assert tar.getnames() == ["lk/Chart.yaml", "lk/templates/t.yaml", "lk/crds/c.yaml"]


@pytest.mark.parametrize(("link", "missing"), [
    ("../nowhere", "{top}/nowhere"),
    ("/nonexistent/x", "/nonexistent"),
    ("templates/nofile", "{chart}/templates/nofile"),
])
def test_missing_target_is_helms_lstat_error(chart: Path, link: str, missing: str) -> None:
    os.remove(chart / "crds")
    os.symlink(link, chart / "m")
    rc, _, err = run_cli(["template", str(chart)])
    real = os.path.realpath(chart)
    want = missing.format(top=os.path.dirname(real), chart=real)
    assert (rc, err) == (1, f"Error: error evaluating symlink {real}/m: lstat {want}: "
                            "no such file or directory\n")


def test_link_loop_and_file_as_folder(tmp_path: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    (tmp_path / "f").write_text("")
    os.symlink("f/x", tmp_path / "g")
    for name, message in (("a", "EvalSymlinks: too many links"), ("g", "not a directory")):
        with pytest.raises(LinkError) as ei:
            eval_symlinks(str(tmp_path / name))
        assert str(ei.value) == message


def test_eval_symlinks_resolves_like_realpath(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    os.symlink("d/e", tmp_path / "l1")
    os.symlink("../d/./e/..", tmp_path / "d" / "l2")
    os.symlink(str(tmp_path / "l1"), tmp_path / "abs")
    for p in ("l1", "d/l2", "abs", "d/l2/e/../e"):
        assert eval_symlinks(str(tmp_path / p)) == os.path.realpath(tmp_path / p)
