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
    from .results import RenderResult


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
    from .pyapi import render_chart as render

    root = request.config.rootpath
    cache: Any = minihelm_cache_dir if minihelm_cache_dir is not None else True

    def call(chart: Any, values: Any = None, **kwargs: Any) -> RenderResult:
        kwargs.setdefault("cache", cache)
        return render(_resolve(chart, root), values, **kwargs)

    return call
