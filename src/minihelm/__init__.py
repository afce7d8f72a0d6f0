"""minihelm: a pure-Python, Helm-compatible chart renderer and packager.

The public API: load a chart, render it as `helm template` does, package it
and keep a chart repository folder.  Results are plain data.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .chart import Chart, Dependency, File, Metadata  # noqa: E402
from .errors import MinihelmError  # noqa: E402
from .render import RenderOptions, render_chart  # noqa: E402


def load_chart(path: str) -> Chart:
    """Load a chart folder or .tgz archive."""
    from .loader import load_chart as _load

    return _load(path)


__all__ = [
    "Chart", "Dependency", "File", "Metadata", "MinihelmError", "RenderOptions",
    "load_chart", "render_chart", "__version__",
]
