"""Chart paths and options -> suites found, run and printed, summary and report file (test_runner.go).

Each chart is loaded once; its suites (and, with -s, its subcharts' suites)
run against that load, and every test shares one in-memory template cache,
so each template file is compiled once per run.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

from .._core.fsutil import atomic_write
from ..chart.model import Chart
from ..engine.tplcache import TemplateCache
from ..errors import ChartTestError, MinihelmError
from . import yamlv3
from .job import JobResult, RenderConfig, run_job
from .report import FORMATS, Counting, Printer, SuiteResult, go_duration, print_suite
from .snapshot import SnapshotCache
from .suite import Suite, load_suite_file, render_suite_files

DEFAULT_PATTERN = os.path.join("tests", "*_test.yaml")


class Options:
    """`minihelm unittest` flags, as the library takes them."""

    def __init__(self, files: Iterable[str] = (), values: Iterable[str] = (),
                 update_snapshot: bool = False, with_subchart: bool = True, strict: bool = False,
                 fail_fast: bool = False, skip_schema: bool = False, chart_tests_path: str = "",
                 output_file: str = "", output_type: str = "XUnit", debug: bool = False,
                 color: bool | None = None) -> None:
        self.files = list(files) or [DEFAULT_PATTERN]
        self.values = list(values)
        self.update_snapshot, self.with_subchart = update_snapshot, with_subchart
        self.strict, self.fail_fast, self.skip_schema = strict, fail_fast, skip_schema
        self.chart_tests_path, self.output_file = chart_tests_path, output_file
        self.output_type, self.debug, self.color = output_type, debug, color


def find_files(base: str, patterns: Iterable[str], absolute: bool = False) -> list[str]:
    """GetFiles: each glob (with **) under the chart folder; absolute paths taken as they are."""
    prefix = base + "/"
    out: list[str] = []
    seen_last = None
    for pattern in patterns:
        if pattern == seen_last:  # slices.Compact drops adjacent repeats
            continue
        seen_last = pattern
        if os.path.isabs(pattern):
            out.append(pattern)
            continue
        full = pattern if prefix in pattern else os.path.join(prefix, pattern)
        out += sorted(glob.glob(full, recursive=True))
    if absolute:
        out = [os.path.abspath(p) for p in out]
    return out


class Runner:
    """TestRunner: counts and results across every chart of one run."""

    def __init__(self, opts: Options, out: IO[str] | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.opts = opts
        self.printer = Printer(out, opts.color)
        self.progress = progress
        self.charts, self.suites, self.tests, self.snapshots = (Counting(), Counting(),
                                                                Counting(), Counting())
        self.suites_snapshot_failed = 0
        self.snap_created = self.snap_vanished = 0
        self.results: list[SuiteResult] = []
        self.cache = TemplateCache(None)

    # --- the run ---------------------------------------------------------------------------

    def run(self, chart_paths: Iterable[str]) -> bool:
        """RunV3: every chart, then the report file and the summary; True when all passed."""
        # deferred: only run() needs it: 9 modules this one does not otherwise load
        from ..engine.run import run_deep

        # One deep-stack thread for the whole run rather than one per render.
        return run_deep(lambda: self._run(chart_paths))

    def _run(self, chart_paths: Iterable[str]) -> bool:
        start = time.perf_counter()
        all_passed = True
        for path in chart_paths:
            ok, loaded = self.run_chart(path)
            all_passed = all_passed and ok
            if not loaded and self.opts.fail_fast:
                break  # RunV3 stops early only for a chart that could not be read
        try:
            self.write_report()
        except MinihelmError as e:
            self._chart_error(e.message)
        self._snapshot_summary()
        self._summary(time.perf_counter() - start)
        return all_passed

    def run_chart(self, path: str) -> tuple[bool, bool]:
        """One chart's suites: (all passed, the chart and its suites could be read)."""
        # deferred: only run_chart() needs it, and it brings zlib
        from ..chart.loader import load_chart

        try:
            chart = load_chart(path)
            suites = self.collect(path, chart.name, chart)
        except MinihelmError as e:
            self._chart_error(e.message)
            self._count_chart(False, True)
            return False, False
        p = self.printer
        p.line(f"\n### Chart [ {p.paint('highlight', chart.name)} ] {p.paint('faint', path)}\n")
        passed = self.run_suites(suites, chart)
        self._count_chart(passed, False)
        return passed, True

    def collect(self, path: str, route: str, chart: Chart,
                merged: dict[str, Any] | None = None) -> list[Suite]:
        """getV3TestSuitesWithValues: this chart's suites, then each enabled subchart's."""
        values = find_files("", self.opts.values, absolute=True)
        suites: list[Suite] = []
        rendered: list[Suite] = []
        if self.opts.chart_tests_path:
            folder = os.path.join(path, self.opts.chart_tests_path)
            if os.path.exists(folder):
                rendered = render_suite_files(folder, route, self.opts.strict, values)
        for f in find_files(path, self.opts.files):
            try:
                suites += load_suite_file(f, route, self.opts.strict, values)
            except MinihelmError as e:
                self.handle_suite(SuiteResult(file_path=_relative(f), exec_error=e.message))
                raise
        suites += rendered
        if not self.opts.with_subchart:
            return suites
        if merged is None:
            merged = self._merged_values(chart, path)
        for sub in chart.dependencies:
            if merged is not None and not _enabled(chart, sub, merged):
                continue
            try:
                suites += self.collect(os.path.join(path, "charts", sub.name),
                                       f"{route}/charts/{sub.name}", sub, merged)
            except MinihelmError as e:
                print(f"Failed to get test suites for subchart {sub.name}: {e.message}",
                      file=sys.stderr)
        return suites

    def _merged_values(self, chart: Chart, path: str) -> dict[str, Any] | None:
        # deferred: only _merged_values() needs it: 6 modules this one does not otherwise load
        from ..values.layers import merge_tables

        base: dict[str, Any] = dict(chart.values)
        for v in self.opts.values:
            vp = v if os.path.isabs(v) else os.path.join(path, v)
            try:
                with open(vp, encoding="utf-8") as fh:
                    doc = yamlv3.load(fh.read(), vp)
            except (OSError, MinihelmError):
                return None
            if isinstance(doc, dict):
                base = merge_tables(doc, base)
        return base

    def run_suites(self, suites: list[Suite], chart: Chart) -> bool:
        passed = True
        for suite in suites:
            try:
                cache = SnapshotCache(suite.snapshot_file(), self.opts.update_snapshot)
            except MinihelmError as e:
                self.handle_suite(SuiteResult(file_path=suite.definition_file, exec_error=e.message))
                passed = False
                continue
            result = self.run_suite(suite, chart, cache)
            passed = passed and result.passed
            self.handle_suite(result)
            self.results.append(result)
            try:
                cache.store_if_needed()
            except MinihelmError as e:
                self.handle_suite(SuiteResult(file_path=suite.snapshot_file(), exec_error=e.message))
                passed = False
            if not passed and result.fail_fast:
                break
        return passed

    def run_suite(self, suite: Suite, chart: Chart, cache: SnapshotCache) -> SuiteResult:
        """TestSuite.RunV3."""
        res = SuiteResult(suite.name, suite.definition_file)
        cfg = RenderConfig(self.cache, self.opts.fail_fast, suite.include_crds,
                           self.opts.skip_schema, ".debug" if self.opts.debug else None)
        suite_dir = os.path.dirname(suite.path)
        ok, skipped = False, 0
        for i, job in enumerate(suite.tests):
            if self.progress is not None:
                self.progress(f"{suite.definition_file}: {job.name}")
            if job.skip_reason:
                jr = JobResult(job.name, i)
                jr.skipped = True
                skipped += 1
                if i == 0:
                    ok = True
            else:
                jr = run_job(job, i, chart, suite.chart_route, suite_dir, cfg, cache)
                ok = jr.passed if i == 0 else ok and jr.passed
            res.tests.append(jr)
            if not ok and self.opts.fail_fast:
                res.fail_fast = True
                break
        res.passed, res.skipped = ok, skipped == len(suite.tests)
        res.snap_created, res.snap_failed = cache.inserted, cache.failed_count()
        res.snap_total, res.snap_vanished = cache.compared, len(cache.vanished())
        return res

    # --- counting and printing ----------------------------------------------------------------

    def handle_suite(self, s: SuiteResult) -> None:
        print_suite(self.printer, s)
        if s.skipped:
            self.suites.skipped += 1
        elif s.passed:
            self.suites.passed += 1
        else:
            self.suites.failed += 1
            if s.exec_error is not None:
                self.suites.errored += 1
            if s.snap_failed:
                self.suites_snapshot_failed += 1
        self.snapshots.failed += s.snap_failed
        self.snapshots.passed += s.snap_total - s.snap_failed
        self.snap_created += s.snap_created
        self.snap_vanished += s.snap_vanished
        for t in s.tests:
            if t.passed:
                self.tests.passed += 1
            elif t.skipped:
                self.tests.skipped += 1
            else:
                self.tests.failed += 1
                if t.exec_error is not None:
                    self.tests.errored += 1

    def _count_chart(self, passed: bool, errored: bool) -> None:
        if passed:
            self.charts.passed += 1
        else:
            self.charts.failed += 1
            if errored:
                self.charts.errored += 1

    def _chart_error(self, message: str) -> None:
        self.printer.line(f"\n### {self.printer.paint('danger', 'Error: ')} {message}\n")

    def _snapshot_summary(self) -> None:
        p = self.printer
        if self.snapshots.failed:
            p.line("\nSnapshot Summary: " +
                   p.paint("danger", f"{self.snapshots.failed} snapshot failed") +
                   f" in {self.suites_snapshot_failed} test suite." +
                   p.paint("faint", " Check changes and use `-u` to update snapshot."))
        if self.snap_vanished:
            # Not in helm-unittest's output: it drops obsolete entries silently.
            p.line(f"\nSnapshot Obsolete: {self.snap_vanished} obsolete snapshot(s) removed.")

    def _summary(self, elapsed: float) -> None:
        p = self.printer
        p.line(f"\nCharts:      {self.charts.text(p)}\nTest Suites: {self.suites.text(p)}\n"
               f"Tests:       {self.tests.text(p)}\nSnapshot:    {self.snapshots.text(p)}\n"
               f"Time:        {go_duration(elapsed)}\n")

    def write_report(self) -> None:
        if not self.opts.output_file:
            return
        fmt = FORMATS.get(self.opts.output_type.lower())
        if fmt is None:
            return

        folder = os.path.dirname(self.opts.output_file)
        try:
            if folder:
                os.makedirs(folder, exist_ok=True)
            atomic_write(self.opts.output_file, fmt(self.results).encode("utf-8", "surrogateescape"))
        except OSError as e:
            raise ChartTestError(f"open {self.opts.output_file}: {e.strerror}") from None


def _relative(path: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path))
    except ValueError:
        return path


def _enabled(parent: Chart, sub: Chart, values: dict[str, Any]) -> bool:
    """isSubchartEnabled: a dependency's condition (or tags) read from the merged values."""
    dep = next((d for d in parent.metadata.dependencies
                if (d.alias or d.name) == sub.metadata.name), None)
    if dep is None:
        return True
    if dep.condition:
        cur: Any = values
        parts = dep.condition.split(".")
        for i, part in enumerate(parts):
            if not isinstance(cur, dict) or part not in cur:
                return True
            cur = cur[part]
            if i == len(parts) - 1:
                return cur if isinstance(cur, bool) else True
        return True
    if dep.tags:
        tags = values.get("tags")
        if not isinstance(tags, dict):
            return True
        return any(tags.get(t) is True for t in dep.tags)
    return True


def run(chart_paths: list[str], opts: Options, out: IO[str] | None = None,
        progress: Callable[[str], None] | None = None) -> bool:
    """Run every suite of the charts; print helm-unittest's report to `out` (stdout)."""
    return Runner(opts, out, progress).run(chart_paths)
