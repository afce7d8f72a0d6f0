"""helm-unittest's TestJob cases (pkg/unittest/test_job_test.go) -> minihelm's job results vs the recorded ones.

For each Go test that runs one test job and records its result with cupaloy
(pkg/unittest/.snapshots/<name>, a go-spew dump), this script runs the same
job YAML against the same chart with minihelm and compares the verdict, the
execution error and, for each assertion, its type, verdict and failure lines.
It reads a fetched helm-unittest checkout (default /work/fetched/hu; never committed).

    python scripts/unittest_jobs_corpus.py [--hu /work/fetched/hu] [-v]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import tempfile
from typing import Any

CHARTS = {"testV3BasicChart": "basic", "testV3WithFailingTemplateChart": "failing-template",
          "testV3WithSchemaChart": "with-schema", "testV3WithSubChart": "with-subchart"}
_FUNC = re.compile(r"^func (Test\w+)\(t \*testing\.T\) \{\n(.*?)^\}", re.MULTILINE | re.DOTALL)


def go_cases(source: str) -> list[tuple[str, str, str, dict[str, bool]]]:
    out = []
    for name, body in _FUNC.findall(source):
        load = re.search(r"loader\.Load\((\w+)\)", body)
        manifest = re.search(r"manifest := `\n(.*?)`", body, re.DOTALL)
        if not (load and manifest and "cupaloy.SnapshotT" in body) or "%s" in manifest.group(1):
            continue
        if "WithDocumentSelector" in body or "WithRenderPath" in body or load.group(1) not in CHARTS:
            continue
        opts = {"fail_fast": "WithFailFast(true)" in body,
                "skip_schema": "WithSkipSchemaValidation(true)" in body}
        out.append((name, CHARTS[load.group(1)], manifest.group(1), opts))
    return out


def recorded(text: str) -> dict[str, Any]:
    """The fields of a spew-dumped TestJobResult that the comparison reads."""
    def flag(name: str, s: str) -> bool:
        m = re.search(rf"^\s*{name}: \(bool\) (true|false)", s, re.MULTILINE)
        return bool(m and m.group(1) == "true")

    head = text.split("AssertsResult:")[0]
    err = re.search(r"ExecError: \(\*[^)]*\)\((.*)\),\n  AssertsResult", text, re.DOTALL)
    asserts = []
    for block in text.split("(*results.AssertionResult)({")[1:]:
        info = re.search(r"FailInfo: \(\[\]string\)(?: \(len=\d+\))? \{\n(.*?)\s*\},", block, re.DOTALL)
        lines = []
        if info:
            lines = [ast.literal_eval(m.group(1)) for m in
                     re.finditer(r'\(string\) (?:\(len=\d+\) )?("(?:[^"\\]|\\.)*")', info.group(1))]
        kind = re.search(r'AssertType: \(string\) \(len=\d+\) "(\w+)"', block)
        asserts.append({"type": kind.group(1) if kind else "", "passed": flag("Passed", block),
                        "skipped": flag("Skipped", block), "fail_info": lines})
    return {"passed": flag("Passed", head), "skipped": flag("Skipped", head),
            "exec_error": err.group(1) if err else None, "asserts": asserts}


def ours(chart_dir: str, manifest: str, opts: dict[str, bool]) -> dict[str, Any]:
    from minihelm.chart.loader import load_chart
    from minihelm.engine.tplcache import TemplateCache
    from minihelm.errors import MinihelmError
    from minihelm.unittest import yamlv3
    from minihelm.unittest.job import RenderConfig, run_job
    from minihelm.unittest.snapshot import SnapshotCache
    from minihelm.unittest.suite import _Decoder, _parse_test

    chart = load_chart(chart_dir)
    try:
        job = _parse_test(_Decoder(False), yamlv3.load(manifest, "job"))
    except MinihelmError as e:
        return {"passed": False, "skipped": False, "exec_error": f"(parse) {e.message}",
                "asserts": []}
    cfg = RenderConfig(TemplateCache(None), fail_fast=opts["fail_fast"],
                       skip_schema=opts["skip_schema"])
    cache = SnapshotCache(os.path.join(tempfile.mkdtemp(), "none.snap"), False)
    r = run_job(job, 0, chart, chart.name, ".", cfg, cache)
    return {"passed": r.passed, "skipped": r.skipped, "exec_error": r.exec_error,
            "asserts": [{"type": a.assert_type, "passed": a.passed, "skipped": a.skipped,
                         "fail_info": a.fail_info} for a in r.asserts]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hu", default="/work/fetched/hu")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    unit = os.path.join(args.hu, "pkg", "unittest")
    with open(os.path.join(unit, "test_job_test.go"), encoding="utf-8") as fh:
        cases = go_cases(fh.read())
    here = os.getcwd()
    os.chdir(unit)  # the Go tests' charts are ../../test/data/v3/...
    same = 0
    try:
        for name, chart, manifest, opts in cases:
            with open(os.path.join(".snapshots", name), encoding="utf-8") as fh:
                want = recorded(fh.read())
            got = ours(os.path.join("..", "..", "test", "data", "v3", chart), manifest, opts)
            ok = got == want
            same += ok
            print(f"{'same   ' if ok else 'DIFFERS'} {name}")
            if args.verbose and not ok:
                print("  want:", want, "\n  got: ", got)
    finally:
        os.chdir(here)
    print(f"\njob results equal to helm-unittest's recorded ones: {same}/{len(cases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
