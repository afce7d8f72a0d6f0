"""pytest (entry point pytest11) -> a `render_chart` fixture for chart test suites.

    def test_replicas(render_chart):
        r = render_chart("charts/demo", env="production")
        assert r.get("Deployment", "demo").spec.replicas == 3

The fixture is `minihelm.render_chart` with two conveniences: a relative
chart path that does not exist from the current folder is tried from the
pytest root folder, and compiled templates are cached in pytest's own cache
folder (`.pytest_cache`), never in the user's.
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


@pytest.fixture
def render_chart(request: pytest.FixtureRequest) -> RenderChart:
    """Render a chart as `helm template` does: see `minihelm.render_chart`."""
    from .pyapi import render_chart as render

    config = request.config
    cache_dir: Any = True
    if getattr(config, "cache", None) is not None:
        cache_dir = config.cache.mkdir("minihelm")  # type: ignore[union-attr]

    def call(chart: Any, values: Any = None, **kwargs: Any) -> RenderResult:
        kwargs.setdefault("cache", cache_dir)
        return render(_resolve(chart, config.rootpath), values, **kwargs)

    return call
