"""A synthetic chart with a large helm-unittest suite -> `minihelm unittest` tests per second.

helm-unittest itself is not on this machine, so the figure is absolute (tests
per second, with the template cache shared across tests as the runner does),
not a ratio against helm.  Each test renders its own template with its own
`set:` values and checks five assertions, as chart suites typically do.

    python benchmarks/unittest_bench.py [--templates 50] [--tests 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_chart


def write_suite(chart: Path, templates: int, tests: int) -> Path:
    """One suite of `tests` tests spread over the chart's first `templates` templates."""
    lines = ["suite: synthetic suite", "tests:"]
    for i in range(tests):
        t = i % templates
        lines += [
            f"  - it: test {i}",
            f"    template: templates/deploy-{t:05d}.yaml",
            "    documentIndex: 0",
            "    set:",
            f"      replicaCount: {1 + i % 5}",
            "    asserts:",
            "      - isKind: {of: Deployment}",
            f"      - equal: {{path: metadata.name, value: RELEASE-NAME-synth-{t:04d}}}",
            f"      - equal: {{path: spec.replicas, value: {1 + i % 5}}}",
            "      - exists: {path: spec.template.spec.containers}",
            "      - matchRegex: {path: metadata.name, pattern: synth}",
        ]
    path = chart / "tests" / "synth_test.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def run_once(chart: Path) -> tuple[float, int, bool]:
    from minihelm.unittest.runner import Options, Runner

    r = Runner(Options(color=False), io.StringIO())
    start = time.perf_counter()
    ok = r.run([str(chart)])
    return time.perf_counter() - start, r.tests.passed + r.tests.failed, ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=50)
    ap.add_argument("--tests", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        chart = make_chart(Path(tmp) / "synth", templates=args.templates)
        write_suite(chart, args.templates, args.tests)
        best = None
        for _ in range(args.repeat):
            secs, n, ok = run_once(chart)
            if not ok:
                print("the synthetic suite failed", file=sys.stderr)
                return 1
            best = secs if best is None else min(best, secs)
        assert best is not None
        print(f"{n} tests in {best:.2f}s (best of {args.repeat}): {n / best:.0f} tests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
