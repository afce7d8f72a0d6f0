"""minihelm diff: per-resource unified diffs, matching by kind/name, colour rules, diff(1) exit codes."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import run_cli

from minihelm.cli.diff import ColorMode, use_color
from minihelm.render.diff import diff_streams, format_brief, format_diffs, parse_stream

ROOT = Path(__file__).resolve().parent.parent.parent
needs_helm = pytest.mark.skipif(shutil.which("helm") is None, reason="helm not installed")
DEMO = str(ROOT / "charts" / "demo")

CM = """---
# Source: c/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: "1"
  b: "2"
"""
SVC = """---
# Source: c/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: svc
  namespace: web
spec:
  type: ClusterIP
"""


# ---------------------------------------------------------------- the acceptance cases


def test_staging_against_production_shows_label_and_env_var() -> None:
    code, out, err = run_cli(["diff", DEMO, "--env", "staging", "--env", "production"])
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[:2] == ["--- Deployment/demo\t(staging)", "+++ Deployment/demo\t(production)"]
    for line in ["-    environment: staging", "+    environment: production",
                 "-  replicas: 2", "+  replicas: 3",
                 '-              value: "staging"', '+              value: "production"']:
        assert line in lines
    assert "Service/demo-service" not in out  # the Service is the same in both
    assert "\x1b[" not in out  # piped: no colour


def test_same_environment_twice_is_no_difference() -> None:
    assert run_cli(["diff", DEMO, "--env", "staging", "--env", "staging"]) == (0, "", "")


@needs_helm
def test_diff_against_helms_own_output(tmp_path: Path) -> None:
    saved = tmp_path / "deployed.yaml"
    saved.write_text(subprocess.run(
        ["helm", "template", DEMO, "-f", f"{DEMO}/production_values.yaml"],
        capture_output=True, text=True, check=True).stdout)
    assert run_cli(["diff", DEMO, str(saved), "--env", "production"]) == (0, "", "")
    code, out, _ = run_cli(["diff", DEMO, str(saved), "--env", "staging"])
    assert code == 1
    assert out.startswith(f"--- Deployment/demo\t({saved})\n+++ Deployment/demo\t(staging)\n")


def test_saved_file_from_stdin_and_brief() -> None:
    from typer.testing import CliRunner

    from minihelm.cli.main import app

    _, stream, _ = run_cli(["template", DEMO])
    edited = stream.replace("replicas: 1", "replicas: 4")
    res = CliRunner().invoke(app, ["diff", DEMO, "-", "-q"], input=edited)
    assert (res.exit_code, res.stdout) == (1, "changed Deployment/demo\n")
    res = CliRunner().invoke(app, ["diff", DEMO, "-"], input=stream)
    assert (res.exit_code, res.stdout) == (0, "")


def test_old_and_new_values_files() -> None:
    code, out, _ = run_cli(["diff", DEMO, "--old-values", f"{DEMO}/staging_values.yaml",
                            "--new-values", f"{DEMO}/production_values.yaml", "-U", "0"])
    assert code == 1
    assert out.splitlines()[:5] == [
        "--- Deployment/demo\t(staging_values.yaml)",
        "+++ Deployment/demo\t(production_values.yaml)",
        "@@ -7 +7 @@",
        "-    environment: staging",
        "+    environment: production",
    ]


def test_common_values_apply_to_both_sides() -> None:
    code, out, _ = run_cli(["diff", DEMO, "--env", "staging", "--env", "production",
                            "--set", "replicas=9", "-q"])
    assert (code, out) == (1, "changed Deployment/demo\n")
    code, out, _ = run_cli(["diff", DEMO, "--env", "staging", "--env", "production",
                            "--set", "replicas=9,environment=x"])
    assert (code, out) == (0, "")


# ---------------------------------------------------------------- exit code 2: trouble


@pytest.mark.parametrize("args", [
    ["--env", "a", "--env", "b", "--env", "c"],
    ["--env", "nope", "--env", "staging"],
    ["-f", "/nonexistent.yaml"],
    ["/nonexistent-saved.yaml"],
    ["/nonexistent-saved.yaml", "--old-values", "x.yaml"],
])
def test_trouble_is_exit_2(args: list[str]) -> None:
    code, out, err = run_cli(["diff", DEMO, *args])
    assert (code, out) == (2, "")
    assert err.startswith("Error: ")


def test_a_chart_that_fails_to_render_is_trouble_not_difference(tmp_path: Path) -> None:
    d = tmp_path / "c"
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (d / "templates" / "t.yaml").write_text('{{ fail "boom" }}\n')
    code, out, err = run_cli(["diff", str(d), "--set", "a=1"])
    assert (code, out) == (2, "")
    assert "boom" in err


# ---------------------------------------------------------------- the library


def test_matching_is_by_kind_and_name_not_order_or_source() -> None:
    moved = SVC.replace("c/templates/svc.yaml", "c/templates/other.yaml")
    assert diff_streams(CM + SVC, moved + CM) == []


def test_added_and_removed_resources_use_dev_null() -> None:
    diffs = diff_streams(CM, SVC, "a", "b")
    assert [(d.ref, d.status) for d in diffs] == [("Service/svc -n web", "added"),
                                                   ("ConfigMap/cm", "removed")]
    assert diffs[0].lines[:3] == ("--- /dev/null\t(a)", "+++ Service/svc -n web\t(b)",
                                  "@@ -0,0 +1,7 @@")
    assert diffs[1].lines[:2] == ("--- ConfigMap/cm\t(a)", "+++ /dev/null\t(b)")
    assert format_brief(diffs) == "added Service/svc -n web\nremoved ConfigMap/cm\n"


def test_same_name_in_two_namespaces_are_two_resources() -> None:
    other = SVC.replace("namespace: web", "namespace: api")
    assert [d.status for d in diff_streams(SVC, other)] == ["added", "removed"]


def test_normalize_ignores_key_order_comments_and_quoting() -> None:
    reordered = CM.replace('  a: "1"\n  b: "2"\n', "  b: '2'  # two\n  a: '1'\n")
    assert [d.status for d in diff_streams(CM, reordered)] == ["changed"]
    assert diff_streams(CM, reordered, normalize=True) == []
    assert len(diff_streams(CM, CM.replace('"2"', '"3"'), normalize=True)) == 1


def test_documents_without_kind_are_kept_by_position() -> None:
    docs = parse_stream("---\n# Source: c/templates/x.yaml\nfoo: 1\n---\n- a\n", "saved")
    assert [d.ref for d in docs] == ["document/c/templates/x.yaml#1", "document/saved#2"]


def test_duplicates_are_told_apart() -> None:
    assert [d.ref for d in parse_stream(CM + CM)] == ["ConfigMap/cm", "ConfigMap/cm#2"]


def test_colour_codes() -> None:
    diffs = diff_streams(CM, CM.replace('"2"', '"3"'), "a", "b")
    lines = format_diffs(diffs, color=True).splitlines()
    assert lines[0] == "\x1b[1m--- ConfigMap/cm\t(a)\x1b[0m"
    assert lines[2].startswith("\x1b[36m@@")
    assert '\x1b[31m-  b: "2"\x1b[0m' in lines
    assert '\x1b[32m+  b: "3"\x1b[0m' in lines
    assert "\x1b" not in format_diffs(diffs, color=False)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(ColorMode.auto, Tty()) is True
    assert use_color(ColorMode.auto, io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(ColorMode.auto, Tty()) is False
    assert use_color(ColorMode.always, io.StringIO()) is True
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: an empty value does not count
    assert use_color(ColorMode.auto, Tty()) is True
    assert use_color(ColorMode.never, Tty()) is False


def test_color_always_on_the_cli() -> None:
    code, out, _ = run_cli(["diff", DEMO, "--env", "staging", "--env", "production",
                            "--color", "always"])
    assert code == 1
    assert "\x1b[31m-    environment: staging\x1b[0m" in out.splitlines()
