"""Snapshots, reports, flags and console output of `minihelm unittest`."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from uthelp import chart_copy, run, write_suite

sys.path.insert(0, str(Path(__file__).parent.parent))
from clirun import run_cli

SNAP_SUITE = """\
suite: snap
templates: [service.yaml]
tests:
  - it: service spec
    asserts:
      - matchSnapshot: {path: spec}
      - matchSnapshot: {}
"""

SNAP_FILE = """\
service spec:
  1: |
    ports:
      - name: http
        port: 80
  2: |
    apiVersion: v1
    kind: Service
    metadata:
      name: RELEASE-NAME-demo
    spec:
      ports:
        - name: http
          port: 80
"""


def test_snapshots_are_written_in_helm_unittests_format(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SNAP_SUITE)
    ok, out, _ = run(chart)
    assert ok, out
    snap = chart / "tests" / "__snapshot__" / "demo_test.yaml.snap"
    assert snap.read_text() == SNAP_FILE
    assert "Snapshot:    2 passed, 2 total\n" in out


def test_a_changed_snapshot_fails_until_updated(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SNAP_SUITE)
    run(chart)
    (chart / "values.yaml").write_text((chart / "values.yaml").read_text().replace("port: 80",
                                                                                   "port: 81"))
    ok, out, _ = run(chart)
    assert not ok
    assert "\t\t- asserts[0] `matchSnapshot` fail\n" in out
    assert "\t\t\tExpected to match snapshot 1:\n" in out
    assert "\t\t\t\t-    port: 80\n\t\t\t\t+    port: 81\n" in out
    assert "Snapshot:    2 failed, 0 passed, 2 total\n" in out
    assert ("\nSnapshot Summary: 2 snapshot failed in 1 test suite. Check changes and use `-u` "
            "to update snapshot.\n") in out
    snap = chart / "tests" / "__snapshot__" / "demo_test.yaml.snap"
    assert snap.read_text() == SNAP_FILE  # a failing run keeps the stored snapshots
    ok, out, _ = run(chart, update_snapshot=True)
    assert ok, out
    assert "port: 81" in snap.read_text()
    ok, _, _ = run(chart)
    assert ok


def test_obsolete_snapshots_are_reported_and_dropped(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SNAP_SUITE)
    run(chart)
    write_suite(chart, SNAP_SUITE.replace("      - matchSnapshot: {}\n", ""))
    ok, out, _ = run(chart)
    assert ok
    assert "\nSnapshot Obsolete: 1 obsolete snapshot(s) removed.\n" in out
    text = (chart / "tests" / "__snapshot__" / "demo_test.yaml.snap").read_text()
    assert "  2: |" not in text and "  1: |" in text


def test_snapshot_regex_options(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: snap
        templates: [service.yaml]
        tests:
          - it: patterns
            asserts:
              - matchSnapshot: {path: spec, matchRegex: {pattern: "port: 80"}}
              - matchSnapshot: {path: spec, notMatchRegex: {pattern: "port: 80"}}
        """)
    ok, out, _ = run(chart)
    assert not ok
    assert "\t\t\tExpected to match snapshot" not in out
    assert "\t\t\tExpected pattern 'port: 80' should not be in snapshot:\n" in out


def test_junit_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: report & <xml>
        templates: [service.yaml]
        tests:
          - it: passes
            asserts:
              - isKind: {of: Service}
          - it: fails "quoted"
            asserts:
              - isKind: {of: Pod}
          - it: skipped
            skip: {reason: later}
            asserts:
              - isKind: {of: Pod}
        """)
    report = tmp_path / "out" / "report.xml"
    ok, _, _ = run(chart, output_file=str(report), output_type="JUnit")
    assert not ok
    xml = report.read_text()
    xml = re.sub(r'time="[0-9.]+"', 'time="T"', xml)
    xml = re.sub(r'timestamp="[^"]+" hostname="[^"]*"', 'timestamp="S" hostname="H"', xml)
    assert xml == (
        '<testsuites>\n'
        '\t<testsuite id="0" tests="3" failures="1" errors="0" package="" time="T" '
        'name="report &amp; &lt;xml&gt;" timestamp="S" hostname="H">\n'
        '\t\t<properties>\n'
        '\t\t\t<property name="helm-unittest.version" value="1.6"></property>\n'
        '\t\t</properties>\n'
        '\t\t<testcase classname="report &amp; &lt;xml&gt;" name="passes" time="T"></testcase>\n'
        '\t\t<testcase classname="report &amp; &lt;xml&gt;" name="fails &#34;quoted&#34;" '
        'time="T">\n'
        '\t\t\t<failure message="Failed" type=""> - asserts[0] `isKind` fail , Template:'
        'demo/templates/service.yaml , DocumentIndex:0 , Expected to be kind: , Pod , Actual: ,'
        ' Service ,</failure>\n'
        '\t\t</testcase>\n'
        '\t\t<testcase classname="report &amp; &lt;xml&gt;" name="skipped" time="T">\n'
        '\t\t\t<skipped message="SKIPPED &#39;skipped&#39; ,"></skipped>\n'
        '\t\t</testcase>\n'
        '\t</testsuite>\n'
        '</testsuites>\n')


@pytest.mark.parametrize("kind", ["NUnit", "XUnit", "Sonar"])
def test_other_report_formats_name_every_test(tmp_path: Path, kind: str) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntemplates: [service.yaml]\ntests:\n  - it: alpha\n"
                       "    asserts:\n      - isKind: {of: Pod}\n")
    report = tmp_path / "r.xml"
    run(chart, output_file=str(report), output_type=kind)
    text = report.read_text()
    assert 'name="alpha"' in text and ("Failed" in text or "Fail" in text)


def test_cli_exit_codes_and_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntemplates: [service.yaml]\ntests:\n  - it: a\n"
                       "    asserts:\n      - isKind: {of: Service}\n")
    code, out, _ = run_cli(["unittest", str(chart)])
    assert code == 0 and " PASS  s\t" in out and "\x1b[" not in out
    code, out, _ = run_cli(["unittest", "--color", str(chart)])
    assert code == 0 and "\x1b[42;30m PASS \x1b[0;0m \x1b[1ms\x1b[22m\t\x1b[2m" in out
    write_suite(chart, "suite: s\ntemplates: [service.yaml]\ntests:\n  - it: a\n"
                       "    asserts:\n      - isKind: {of: Pod}\n")
    code, out, _ = run_cli(["unittest", str(chart)])
    assert code == 1 and " FAIL  s\t" in out


def test_no_color_env_wins_over_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from minihelm.unittest.report import color_default

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert color_default(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not color_default(Tty())


def test_bad_suite_errors_the_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntests:\n  - it: no asserts\n")
    monkeypatch.chdir(tmp_path)
    ok, out, _r = run(Path("demo"))
    assert not ok
    assert out == (" FAIL  \tdemo/tests/demo_test.yaml\n\t- Execution Error: \n\t\tno asserts found\n\n"
                   "\n### Error:  no asserts found\n\n" + out.split("### Error:  no asserts found\n\n")[1])
    assert "Charts:      1 failed, 1 errored, 0 passed, 1 total\n" in out


def test_strict_rejects_unknown_fields(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntemplate: [service.yaml]\ntests:\n  - it: a\n"
                       "    asserts:\n      - isKind: {of: Service}\n")
    ok, _, _ = run(chart, files=["tests/*_test.yaml"])
    assert not ok  # template (not templates) leaves every file selected: NOTES.txt fails isKind
    ok, out, _ = run(chart, strict=True)
    assert not ok and ("yaml: unmarshal errors:\n  line 2: field template not found in type "
                       "unittest.TestSuite") in out


def test_failfast_stops_at_the_first_failure(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntemplates: [service.yaml]\ntests:\n"
                       "  - it: a\n    asserts:\n      - isKind: {of: Pod}\n"
                       "  - it: b\n    asserts:\n      - isKind: {of: Service}\n")
    _, _, r = run(chart, fail_fast=True)
    assert (r.tests.failed, r.tests.passed) == (1, 0)
    _, _, r = run(chart)
    assert (r.tests.failed, r.tests.passed) == (1, 1)


def test_file_globs_and_values_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: nested\ntemplates: [service.yaml]\ntests:\n  - it: a\n"
                       "    asserts:\n      - equal: {path: 'spec.ports[0].port', value: 8443}\n",
                name="deep/more/x_test.yaml")
    (tmp_path / "override.yaml").write_text("service:\n  port: 8443\n")
    monkeypatch.chdir(tmp_path)
    ok, out, r = run(Path("demo"), files=["tests/**/*_test.yaml"], values=["./override.yaml"])
    assert ok, out
    assert r.tests.passed == 1


def test_subchart_suites_run_with_the_parent(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    (parent / "charts").mkdir(parents=True)
    (parent / "Chart.yaml").write_text(
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n"
        "  - name: demo\n    version: 1.2.3\n")
    chart_copy(parent / "charts")
    write_suite(parent / "charts" / "demo",
                "suite: child\ntemplates: [service.yaml]\nset:\n  service.port: 7000\n"
                "tests:\n  - it: values land under the subchart\n    asserts:\n"
                "      - equal: {path: 'spec.ports[0].port', value: 7000}\n")
    ok, out, r = run(parent)
    assert ok, out
    assert r.tests.passed == 1
    _, _, r = run(parent, with_subchart=False)
    assert r.tests.passed == 0


def test_debug_writes_rendered_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, "suite: s\ntemplates: [service.yaml]\ntests:\n  - it: a\n"
                       "    asserts:\n      - isKind: {of: Service}\n")
    monkeypatch.chdir(tmp_path)
    run(Path("demo"), debug=True)
    assert os.path.exists(tmp_path / ".debug" / "demo" / "templates" / "service.yaml")


def test_go_duration_text() -> None:
    from minihelm.unittest.report import go_duration

    assert [go_duration(x) for x in (0, 0.0000005, 0.0015, 0.25, 1.5, 75.0)] == [
        "0s", "500ns", "1.5ms", "250ms", "1.5s", "1m15s"]


def test_benchmark_suite_generator_passes(tmp_path: Path) -> None:
    import importlib.util

    bench = Path(__file__).resolve().parents[2] / "benchmarks"
    sys.path.insert(0, str(bench))
    spec = importlib.util.spec_from_file_location("unittest_bench", bench / "unittest_bench.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    chart = mod.make_chart(tmp_path / "synth", templates=2)
    mod.write_suite(chart, 2, 4)
    _, n, ok = mod.run_once(chart)
    assert ok and n == 4


def test_post_renderer_rewrites_each_file(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: post
        templates: [service.yaml]
        postRenderer:
          cmd: sed
          args: ["s/RELEASE-NAME-demo/renamed/"]
        tests:
          - it: the suite's renderer runs
            asserts:
              - equal: {path: metadata.name, value: renamed}
          - it: a test's renderer wins
            postRenderer:
              cmd: sed
              args: ["s/RELEASE-NAME-demo/other/"]
            asserts:
              - equal: {path: metadata.name, value: other}
          - it: a missing command is an error
            postRenderer: {cmd: no-such-post-renderer-here}
            asserts:
              - isKind: {of: Service}
        """)
    _, out, r = run(chart)
    assert (r.tests.passed, r.tests.failed) == (2, 1), out
    assert 'unable to find binary at no-such-post-renderer-here' in out


def test_include_crds(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    (chart / "crds").mkdir()
    (chart / "crds" / "thing.yaml").write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata:\n  name: things.example.com\n")
    write_suite(chart, """\
        suite: crds
        includeCrds: true
        templates: [service.yaml]
        tests:
          - it: a CRD file is a template to assert
            template: crds/thing.yaml
            asserts:
              - isKind: {of: CustomResourceDefinition}
        """)
    ok, out, _ = run(chart)
    assert ok, out
    write_suite(chart, "suite: no crds\ntemplates: [service.yaml]\ntests:\n  - it: t\n"
                       "    template: crds/thing.yaml\n    asserts:\n"
                       "      - isKind: {of: CustomResourceDefinition}\n")
    ok, _, _ = run(chart)
    assert not ok


def test_chart_tests_path_renders_suites(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    suites = chart / "suites-chart"
    (suites / "templates").mkdir(parents=True)
    (suites / "Chart.yaml").write_text("apiVersion: v2\nname: suites\nversion: 0.1.0\n")
    (suites / "values.yaml").write_text("ports: [80, 81]\n")
    (suites / "templates" / "ports_test.yaml").write_text(
        "{{- range .Values.ports }}\n---\nsuite: port {{ . }}\ntemplates: [service.yaml]\n"
        "set:\n  service.port: {{ . }}\ntests:\n  - it: renders {{ . }}\n    asserts:\n"
        "      - equal: {path: 'spec.ports[0].port', value: {{ . }}}\n"
        "      - matchSnapshot: {path: spec}\n{{- end }}\n")
    ok, out, r = run(chart, chart_tests_path="suites-chart", files=["none"])
    assert ok, out
    assert r.tests.passed == 2
    snaps = sorted(p.name for p in (suites / "templates" / "__snapshot__").iterdir())
    assert snaps == ["ports_test.yaml_0.snap", "ports_test.yaml_1.snap"]
