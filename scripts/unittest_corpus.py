"""helm-unittest's own test charts -> `minihelm unittest` verdicts and output vs helm-unittest's recorded output.

Reads a fetched helm-unittest checkout (default /work/fetched/hu; never
committed), copies its test/data to a scratch folder laid out as the Go tests
expect (cwd pkg/unittest, charts at ../../test/data/v3/...), runs the cases of
pkg/unittest/test_runner_test.go whose outcome is a pass, and prints:

- the fraction of their tests that pass under minihelm;
- how many runs print exactly what helm-unittest recorded in
  pkg/unittest/.snapshots (after the same time/suite-order normalisation).

    python scripts/unittest_corpus.py [--hu /work/fetched/hu] [-v]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tempfile

# (recorded output name, chart, options, expected to pass)
CASES = [
    ("TestV3RunnerOkWithPassedTests", "basic", {}, True),
    ("TestV3RunnerOkWithSubSubChartsPassedTests", "with-subsubcharts", {"with_subchart": True}, True),
    ("TestV3RunnerOkWithFailingTemplatePassedTest", "failing-template", {}, True),
    ("TestV3RunnerOkWithOverrideValuesPassedTests", "basic",
     {"values": ["../../test/data/services_values.yaml"]}, True),
    ("TestV3RunnerOkWithFailedTests", "basic", {"files": ["tests_failed/*_test.yaml"]}, False),
    ("TestV3RunnerOkWithSubSubfolder", "with-subfolder", {}, True),
    ("TestV3RunnerWithTestsInSubchart", "with-subchart", {"with_subchart": True}, True),
    ("TestV3RunnerWithTestsInSubchartButFlagFalse", "with-subchart", {}, True),
    ("TestV3RunnerOkGlobalDoubleWithPassedTests", "global-double-setting", {}, True),
    ("TestV3RunnerOkWithFiles", "with-files", {}, True),
    ("TestV3RunnerOkWithFullsnapshot", "full-snapshot", {}, True),
    ("TestV3RunnerOkWithDocumentSelector", "with-document-select", {}, True),
    ("TestV3RunnerOkWithRenderedTests", "with-helm-tests",
     {"chart_tests_path": "tests-chart", "files": ["none"]}, True),
    ("TestV3RunnerOkWithDocumentSelectorWithFailedTests", "with-document-select",
     {"files": ["tests_failed/*_test.yaml"]}, False),
    ("TestV3RunnerOkWithFakeK8sClient", "with-k8s-fake-client", {}, True),
    ("TestV3RunnerOkWithPostRenderer", "with-post-renderer", {}, True),
    ("TestV3RunnerOkWithSchemaValidation", "with-schema", {}, True),
    ("TestV3RunnerOkPackagedChartWithExternalUnittest", "with-subchart/charts/postgresql-0.8.3.tgz",
     {"files": ["../../test/data/external/*.yaml"]}, True),
    ("TestV3RunnerOkPackagedChart", "with-packaged-0.1.0.tgz",
     {"files": ["../../test/data/external/tests/*.yaml"],
      "values": ["../../test/data/external/ns_values.yaml"]}, True),
    ("", "with-disabled-subchart-on-condition", {"with_subchart": True}, True),
    ("", "with-disabled-subchart-on-tags", {"with_subchart": True}, True),
    ("", "with-crds", {}, True),
    ("", "nested_glob", {"files": ["tests/**/*_test.yaml"]}, True),
    ("", "with-samenamesubsubcharts", {"with_subchart": True}, True),
    ("", "library-chart/tests/chart", {"files": ["tests/unit/*_test.yaml"]}, True),
]

_SECTION = re.compile(r"( PASS | FAIL |\n*###|\n*Charts:|\n*Snapshot Summary:)")
_TIME = re.compile(r"(Time:\s+)(?:[\d.]+)(s|ms|\xb5s)")


def snapshotable(out: str) -> str:
    """test_runner_test.go makeOutputSnapshotable, then cupaloy's joining of the sections."""
    out = _TIME.sub(r"\g<1>XX.XXXms", out.replace("\\", "/"))
    locs = [m.start() for m in _SECTION.finditer(out)]
    sections: list[str] = []
    begin = -1
    for i, start in enumerate(locs):
        end = locs[i + 1] if i + 1 < len(locs) else len(out)
        content = out[start:end]
        if content[:6] in (" PASS ", " FAIL "):
            sections.append(content.rstrip("\n"))
            if begin == -1:
                begin = i
        else:
            sections.append(content)
            if begin != -1:
                sections[begin:i] = sorted(sections[begin:i])
                begin = -1
    return "\n".join(sections)


def _mikefarah_yq() -> bool:
    """with-post-renderer's suites pipe through mikefarah's yq (not the jq wrapper Debian ships)."""
    import subprocess

    try:
        done = subprocess.run(["yq", "--version"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "mikefarah" in done.stdout + done.stderr


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hu", default="/work/fetched/hu")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-k", default="", help="only cases whose chart contains this")
    args = ap.parse_args()
    from minihelm.unittest.runner import Options, Runner

    scratch = tempfile.mkdtemp(prefix="unittest-corpus-")
    try:
        shutil.copytree(os.path.join(args.hu, "test", "data"), os.path.join(scratch, "test", "data"))
        cwd = os.path.join(scratch, "pkg", "unittest")
        os.makedirs(cwd)
        here = os.getcwd()
        os.chdir(cwd)
        passed = total = exact = recorded = 0
        has_yq = _mikefarah_yq()
        for name, chart, kw, expect in CASES:
            if args.k not in chart:
                continue
            if chart == "with-post-renderer" and not has_yq:
                print(f"{chart:45} skipped: needs mikefarah's yq on PATH")
                continue
            kw = dict(kw)
            kw.setdefault("files", ["tests/*_test.yaml"])
            kw.setdefault("with_subchart", False)
            out = io.StringIO()
            r = Runner(Options(color=False, **kw), out)
            ok = r.run([f"../../test/data/v3/{chart}"])
            n_pass, n_all = r.tests.passed, r.tests.passed + r.tests.failed
            if expect:
                passed, total = passed + n_pass, total + n_all
            match = "-"
            snap = os.path.join(args.hu, "pkg", "unittest", ".snapshots", name) if name else ""
            if snap and os.path.exists(snap):
                recorded += 1
                with open(snap, encoding="utf-8") as fh:
                    want = fh.read()
                same = snapshotable(out.getvalue()).strip() == want.strip()
                exact += same
                match = "same" if same else "DIFFERS"
            print(f"{chart:45} verdict={'pass' if ok else 'FAIL'} (expected "
                  f"{'pass' if expect else 'fail'}) tests {n_pass}/{n_all} output {match}")
            if args.verbose and (ok != expect or match == "DIFFERS"):
                print(out.getvalue())
        os.chdir(here)
        frac = passed / total if total else 0.0
        print(f"\ntests passing in expected-pass runs: {passed}/{total} = {frac:.1%}")
        print(f"runs printing exactly helm-unittest's recorded output: {exact}/{recorded}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
