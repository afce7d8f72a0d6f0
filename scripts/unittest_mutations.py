"""Charts with helm-unittest suites -> does each randomly mutated `equal` assertion fail its own test?

A runner that cannot fail proves nothing: this takes N `equal` assertions at
random from the suites of the given charts (whose tests pass), changes each
expected value, reruns that one test and counts the mutations the test
catches.  Fetched charts stay outside the repository.

    python scripts/unittest_mutations.py [-n 30] [--seed 1] [-f 'tests/*_test.yaml'] CHART...
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import Any


def mutate(v: Any) -> Any:
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, float):
        return v + 0.5
    if isinstance(v, str):
        return v + "-mutated"
    if isinstance(v, list):
        return [*v, "mutated"]
    if isinstance(v, dict):
        return {**v, "mutated": True}
    return "mutated"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("charts", nargs="+")
    ap.add_argument("-n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-f", "--file", action="append", default=[])
    args = ap.parse_args()
    from minihelm.chart.loader import load_chart
    from minihelm.engine.tplcache import TemplateCache
    from minihelm.unittest.job import RenderConfig, run_job
    from minihelm.unittest.runner import Options, Runner
    from minihelm.unittest.snapshot import SnapshotCache

    opts = Options(files=args.file, color=False)
    picks = []
    for path in args.charts:
        chart = load_chart(path)
        for suite in Runner(opts).collect(path, chart.name, chart):
            for ti, job in enumerate(suite.tests):
                for ai, a in enumerate(job.assertions):
                    if a.type_name == "equal" and not a.not_ and not job.skip_reason:
                        picks.append((chart, suite, ti, ai))
    rng = random.Random(args.seed)
    chosen = rng.sample(picks, min(args.n, len(picks)))
    cfg = RenderConfig(TemplateCache(None))
    caught = 0
    for chart, suite, ti, ai in chosen:
        job = suite.tests[ti]
        a = job.assertions[ai]
        original = a.spec.params["value"]
        cache = SnapshotCache("/nonexistent/none.snap", False)
        before = run_job(job, ti, chart, suite.chart_route, _dir(suite.path), cfg, cache).passed
        a.spec.params["value"] = mutate(original)
        after = run_job(job, ti, chart, suite.chart_route, _dir(suite.path), cfg, cache)
        a.spec.params["value"] = original
        ok = before and not after.passed
        caught += ok
        print(f"{'caught' if ok else 'MISSED'}  {suite.definition_file} :: {job.name} "
              f":: asserts[{ai}] {a.spec.params['path']}"
              + ("" if before else " (test did not pass before mutation)"))
    print(f"\nmutated equal assertions caught: {caught}/{len(chosen)}")
    return 0 if caught == len(chosen) else 1


def _dir(path: str) -> str:
    import os

    return os.path.dirname(path)


if __name__ == "__main__":
    sys.exit(main())
