"""pytest (entry point pytest11) -> a `render_chart` fixture for chart test suites.

    def test_replicas(render_chart):
        r = render_chart("charts/demo", env="production")
        assert r.get("Deployment", "demo").spec.replicas == 3

The fixture is `minihelm.render_chart` with two conveniences: a relative
chart path that does not exist from the current folder is tried from the
pytest root folder, and compiled templates are cached for the test session
in a temporary folder (never the user's cache, never stale across runs)
unless $MINIHELM_CACHE_DIR names one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from .render.results import RenderResult


class RenderChart(Protocol):
    """The fixture's type: minihelm.render_chart's signature."""

    def __call__(self, chart: Any, values: Any = None, **kwargs: Any) -> RenderResult: ...


def _resolve(chart: Any, root: Path) -> Any:
    if (isinstance(chart, (str, os.PathLike)) and not Path(chart).is_absolute()
            and not Path(chart).exists() and (root / chart).exists()):
        return root / chart
    return chart


@pytest.fixture(scope="session")
def minihelm_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Where the render_chart fixture keeps compiled templates (None: $MINIHELM_CACHE_DIR)."""
    if os.environ.get("MINIHELM_CACHE_DIR"):
        return None
    return tmp_path_factory.mktemp("minihelm-cache")


@pytest.fixture
def render_chart(request: pytest.FixtureRequest, minihelm_cache_dir: Path | None) -> RenderChart:
    """Render a chart as `helm template` does: see `minihelm.render_chart`."""
    # deferred: only render_chart() needs it, and it brings yaml
    from .api import render_chart as render

    root = request.config.rootpath
    cache: Any = minihelm_cache_dir if minihelm_cache_dir is not None else True

    def call(chart: Any, values: Any = None, **kwargs: Any) -> RenderResult:
        kwargs.setdefault("cache", cache)
        return render(_resolve(chart, root), values, **kwargs)

    return call


# --- helm-unittest suites as pytest items (opt-in: --minihelm-unittest CHART) ---------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("minihelm")
    group.addoption("--minihelm-unittest", action="append", default=[], metavar="CHART",
                    help="collect the helm-unittest suites (tests/*_test.yaml) of CHART as tests")
    group.addoption("--minihelm-unittest-file", action="append", default=[], metavar="GLOB",
                    help="suite file globs, relative to each chart (default tests/*_test.yaml)")
    group.addoption("--minihelm-unittest-update-snapshot", action="store_true", default=False,
                    help="rewrite the suites' __snapshot__ files")


class ChartTestFailure(Exception):
    """A helm-unittest test failed; the message is helm-unittest's failure text."""


class ChartSuiteFile(pytest.File):
    """One helm-unittest suite file; its tests are the items."""

    suite: Any
    chart: Any
    state: Any

    def collect(self) -> Any:
        seen: dict[str, int] = {}
        for i, job in enumerate(self.suite.tests):
            name = job.name or f"test {i}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} [{seen[name]}]"
            item = ChartTestItem.from_parent(self, name=name)
            item.index = i
            if self.suite.name:
                item.extra_keyword_matches.add(self.suite.name)  # -k by `suite:` too
            yield item


class ChartTestItem(pytest.Item):
    """One `it:` of a suite, run in-process against the chart loaded once."""

    index: int

    def runtest(self) -> None:
        # deferred: only runtest() needs it, and it brings yaml, difflib, tempfile
        from .unittest.job import run_job

        parent: ChartSuiteFile = self.parent  # type: ignore[assignment]
        suite, state = parent.suite, parent.state
        job = suite.tests[self.index]
        if job.skip_reason:
            pytest.skip(job.skip_reason)
        cache = state.snapshots(suite)
        result = run_job(job, self.index, parent.chart, suite.chart_route,
                         os.path.dirname(suite.path), state.config, cache)
        if result.skipped:
            pytest.skip("every assertion was skipped")
        if not result.passed:
            raise ChartTestFailure(_failure_text(result))

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, ChartTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{self.parent.name}::{self.name}"  # type: ignore[union-attr]


def _failure_text(result: Any) -> str:
    import io

    # deferred: only _failure_text() needs it, and it brings yaml, difflib, tempfile
    from .unittest.report import Printer, print_test

    out = io.StringIO()
    print_test(Printer(out, False), result)
    return out.getvalue().rstrip("\n")


class _UnittestState:
    """Per session: one template cache, one snapshot cache per suite file."""

    def __init__(self, update: bool) -> None:
        # deferred: only __init__() needs it, and it brings yaml, difflib, tempfile
        from .engine.tplcache import TemplateCache
        from .unittest.job import RenderConfig

        self.config = RenderConfig(TemplateCache(None))
        self.update = update
        self.caches: dict[str, Any] = {}

    def snapshots(self, suite: Any) -> Any:
        # deferred: only snapshots() needs it, and it brings yaml, tempfile, filelock
        from .unittest.snapshot import SnapshotCache

        path = suite.snapshot_file()
        if path not in self.caches:
            self.caches[path] = SnapshotCache(path, self.update)
        return self.caches[path]

    def store(self) -> None:
        for cache in self.caches.values():
            cache.store_if_needed(keep_unvisited=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Add the suites of every --minihelm-unittest chart before -k and -m select."""
    charts = config.getoption("minihelm_unittest")
    if not charts:
        return
    # deferred: only pytest_collection_modifyitems() needs it, and it brings yaml, difflib, tempfile
    from .chart.loader import load_chart
    from .errors import MinihelmError
    from .unittest.runner import Options, Runner

    state = _UnittestState(config.getoption("minihelm_unittest_update_snapshot"))
    config.stash[_STATE_KEY] = state
    opts = Options(files=config.getoption("minihelm_unittest_file"), color=False)
    for chart_path in charts:
        try:
            chart = load_chart(chart_path)
            suites = Runner(opts).collect(chart_path, chart.name, chart)
        except MinihelmError as e:
            raise pytest.UsageError(f"--minihelm-unittest {chart_path}: {e.message}") from None
        per_file: dict[str, int] = {}
        for suite in suites:
            path = Path(suite.path).resolve()
            n = per_file[str(path)] = per_file.get(str(path), 0) + 1
            # several suites in one file (--- separated) need nodeids of their own
            nodeid = None if n == 1 else f"{_rel(path, config.rootpath)}[{n}]"
            node = ChartSuiteFile.from_parent(session, path=path, nodeid=nodeid)
            node.suite, node.chart, node.state = suite, chart, state
            items.extend(node.collect())


_STATE_KEY = pytest.StashKey[_UnittestState]()


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def pytest_sessionfinish(session: pytest.Session) -> None:
    state = session.config.stash.get(_STATE_KEY, None)
    if state is not None:
        state.store()
