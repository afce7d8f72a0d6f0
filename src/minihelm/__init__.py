"""minihelm: a pure-Python, Helm-compatible chart renderer and packager.

The public API (every name in `__all__`)::

    load_chart(path) -> Chart                      a chart folder or .tgz
    render_chart(chart, values=None, *, env=None, value_files=(), set_values=(),
                 release="release-name", namespace="default", ...) -> RenderResult
        RenderResult: the resources `helm template` prints, in its order;
        .get(kind, name) / .find(kind, name) / .of_kind(kind), .text, .notes;
        each Resource has .path .kind .name .namespace .obj .text, and reads
        the parsed object by attribute: .spec.replicas
    environments(chart_dir) -> {env: values file}  what `--env` accepts
    package_chart(chart_dir, dest_dir=".", version=None, app_version=None) -> Path
    build_index(repo_dir, url=None, merge=None) -> Path     `helm repo index`
    push(chart_or_tgz, repo_dir, url=None, force=False) -> Path
    diff_streams(old, new, ...) -> list[ResourceDiff]       `minihelm diff`
    MinihelmError (and its subclasses, in minihelm.errors)

Every name is imported on first use, so `import minihelm` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_LAZY = {
    "Chart": "chart.model", "Dependency": "chart.model", "File": "chart.model",
    "Metadata": "chart.model",
    "load_chart": "chart.loader",
    "render_chart": "api",
    "RenderResult": "render.results", "Resource": "render.results",
    "ObjectView": "render.results",
    "environments": "values.envs",
    "package_chart": "dist.package",
    "build_index": "dist.repo", "push": "dist.repo",
    "diff_streams": "render.diff", "ResourceDiff": "render.diff",
    "MinihelmError": "errors", "UsageError": "errors", "ChartError": "errors",
    "ValuesError": "errors", "TemplateError": "errors",
}

__all__ = [
    "Chart", "ChartError", "Dependency", "File", "Metadata", "MinihelmError", "ObjectView",
    "RenderResult", "Resource", "ResourceDiff", "TemplateError", "UsageError", "ValuesError",
    "__version__", "build_index", "diff_streams", "environments", "load_chart",
    "package_chart", "push", "render_chart",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; nothing is imported at run time
    from .api import render_chart
    from .chart.loader import load_chart
    from .chart.model import Chart, Dependency, File, Metadata
    from .dist.package import package_chart
    from .dist.repo import build_index, push
    from .errors import ChartError, MinihelmError, TemplateError, UsageError, ValuesError
    from .render.diff import ResourceDiff, diff_streams
    from .render.results import ObjectView, RenderResult, Resource
    from .values.envs import environments


def __getattr__(name: str) -> Any:
    # PEP 562: resolve a public name on first access and keep it on the module.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'minihelm' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
