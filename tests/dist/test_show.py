"""show: chart/values/readme/crds/all for folders, archives and repository charts, compared with `helm show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import chdir, run_cli
from mhtest import needs_helm
from test_deps import helm, make_chart, serve

from minihelm.dist.package import package_chart
from minihelm.dist.repo import push
from minihelm.dist.show import locate_chart, show
from minihelm.errors import MinihelmError

FORMATS = ["all", "chart", "values", "readme", "crds"]

CHART_YAML = """apiVersion: v2
name: sc
version: 0.1.0-beta.1
description: "A chart\\twith tab"
appVersion: 1.16.0
keywords: [b, a]
maintainers:
- name: Me
  email: me@x.io
annotations:
  z: "1"
  a: yes
home: https://x.io
dependencies:
- name: kid
  version: ">=0.1.0"
  import-values: [data]
type: application
kubeVersion: ">=1.20"
deprecated: false
icon: https://x.io/i.png
"""

# `helm show chart` of the chart above (helm 4.1.4): sorted keys, `a: yes` -> "true",
# the tab sanitised to a space, deprecated:false and the empty repository handled as helm does.
HELM_SHOW_CHART = """annotations:
  a: "true"
  z: "1"
apiVersion: v2
appVersion: 1.16.0
dependencies:
- import-values:
  - data
  name: kid
  repository: ""
  version: '>=0.1.0'
description: A chart with tab
home: https://x.io
icon: https://x.io/i.png
keywords:
- b
- a
kubeVersion: '>=1.20'
maintainers:
- email: me@x.io
  name: Me
name: sc
type: application
version: 0.1.0-beta.1

"""


def full_chart(root: Path) -> Path:
    c = root / "sc"
    for d in ("templates", "crds", "charts/kid/crds"):
        (c / d).mkdir(parents=True, exist_ok=True)
    (c / "Chart.yaml").write_text(CHART_YAML)
    (c / "values.yaml").write_text("# top\nreplicas: 1\nname: {a: 1}\n\n\n")
    (c / "README.md").write_text("Hello README\n")
    (c / "readme.txt").write_text("notes")
    (c / "crds" / "one.yaml").write_text("kind: CustomResourceDefinition\nname: one\n")
    (c / "crds" / "two.yml").write_text("---\nkind: CustomResourceDefinition\nname: two\n")
    (c / "crds" / "x.txt").write_text("not a crd")
    (c / "charts" / "kid" / "Chart.yaml").write_text("apiVersion: v2\nname: kid\nversion: 0.2.0\n")
    (c / "charts" / "kid" / "crds" / "k.json").write_text(
        "kind: CustomResourceDefinition\nname: kid\n")
    return c


def test_show_chart_is_helms_marshalling(tmp_path: Path) -> None:
    assert show(locate_chart(str(full_chart(tmp_path))), "chart") == HELM_SHOW_CHART


def test_show_all_parts_and_separators(tmp_path: Path) -> None:
    out = show(locate_chart(str(full_chart(tmp_path))), "all")
    assert out == HELM_SHOW_CHART + (
        "---\n# top\nreplicas: 1\nname: {a: 1}\n\n\n\n"
        "---\nHello README\n\n"
        "---\nkind: CustomResourceDefinition\nname: one\n\n"
        "---\nkind: CustomResourceDefinition\nname: two\n\n"  # already starts with ---
        "---\nkind: CustomResourceDefinition\nname: kid\n\n")  # the subchart's, .json


def test_missing_parts_are_left_out(tmp_path: Path) -> None:
    c = make_chart(tmp_path, "bare", "1.0.0", folder="bare")
    chart = locate_chart(str(c))
    assert show(chart, "values") == ""
    assert show(chart, "readme") == ""
    assert show(chart, "crds") == ""
    assert show(chart, "all") == "apiVersion: v2\nname: bare\nversion: 1.0.0\n\n"


def test_path_not_found(tmp_path: Path) -> None:
    with pytest.raises(MinihelmError, match='^path "./nope" not found$'):
        locate_chart("./nope")


@needs_helm
@pytest.mark.parametrize("fmt", FORMATS)
def test_folder_and_archive_match_helm(tmp_path: Path, fmt: str) -> None:
    c = full_chart(tmp_path)
    tgz = package_chart(c, tmp_path / "dist")
    for ref in (str(c), str(tgz)):
        assert show(locate_chart(ref), fmt) == helm(tmp_path, "show", fmt, ref).stdout


@needs_helm
def test_v1_chart_with_requirements_matches_helm(tmp_path: Path) -> None:
    c = tmp_path / "old"
    (c / "charts" / "dep").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v1\nname: old\nversion: 1.0.0\n"
                                  "maintainers:\n- name: x\n  url: https://x\n")
    (c / "requirements.yaml").write_text("dependencies:\n- name: dep\n  version: ~1\n"
                                         "  repository: https://x/charts\n  enabled: true\n")
    (c / "charts" / "dep" / "Chart.yaml").write_text("apiVersion: v1\nname: dep\nversion: 1.0.1\n")
    (c / "README").write_text("plain readme")
    for fmt in FORMATS:
        assert show(locate_chart(str(c)), fmt) == helm(tmp_path, "show", fmt, str(c)).stdout


def test_repository_folder_and_version(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for v in ("1.0.0", "1.1.0", "2.0.0-rc.1"):
        push(make_chart(tmp_path / "src", "app", v, f"appVersion: '{v}'\n"), repo)
    latest = show(locate_chart("app", repo=str(repo)), "chart")
    assert "version: 1.1.0\n" in latest  # no version: newest stable, prereleases skipped
    assert "version: 1.0.0\n" in show(locate_chart("app", str(repo), "~1.0"), "chart")
    assert "version: 2.0.0-rc.1\n" in show(locate_chart("app", str(repo), "2.0.0-rc.1"), "chart")
    with pytest.raises(MinihelmError, match=f'^chart "app" version "9" not found in {repo} '
                                            "repository$"):
        locate_chart("app", str(repo), "9")


@needs_helm
def test_http_repository_matches_helm_show_repo(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for v in ("1.0.0", "1.1.0"):
        push(make_chart(tmp_path / "src", "app", v, "description: hi\n"), repo)
    with serve(repo) as url:
        mine = show(locate_chart("app", url, "1.0.0"), "all")
        theirs = helm(tmp_path, "show", "all", "app", "--repo", url, "--version", "1.0.0").stdout
        code, out, _ = run_cli(["show", "chart", "app", "--repo", url])
    assert mine == theirs
    assert code == 0 and "version: 1.1.0\n" in out


def test_cli_show_values_and_errors(tmp_path: Path) -> None:
    c = full_chart(tmp_path)
    code, out, _ = run_cli(["show", "values", str(c)])
    assert code == 0 and out == "# top\nreplicas: 1\nname: {a: 1}\n\n\n\n"
    code, _, err = run_cli(["show", "readme", str(tmp_path / "missing")])
    assert code == 1 and err == f'Error: path "{tmp_path}/missing" not found\n'


def test_a_name_that_is_not_a_path_gets_helms_message_and_a_hint(tmp_path: Path) -> None:
    with chdir(tmp_path), pytest.raises(MinihelmError) as e:
        locate_chart("nope")
    assert e.value.message.startswith(
        "non-absolute URLs should be in form of repo_name/path_to_chart, got: nope (to read")
    with chdir(tmp_path), pytest.raises(MinihelmError) as e:
        locate_chart("./nope")
    assert e.value.message == 'path "./nope" not found'
