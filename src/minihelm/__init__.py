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
    "Chart": "chart", "Dependency": "chart", "File": "chart", "Metadata": "chart",
    "load_chart": "loader",
    "render_chart": "pyapi",
    "RenderResult": "results", "Resource": "results", "ObjectView": "results",
    "environments": "envs",
    "package_chart": "package",
    "build_index": "repo", "push": "repo",
    "diff_streams": "diff", "ResourceDiff": "diff",
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
    from .chart import Chart, Dependency, File, Metadata
    from .diff import ResourceDiff, diff_streams
    from .envs import environments
    from .errors import ChartError, MinihelmError, TemplateError, UsageError, ValuesError
    from .loader import load_chart
    from .package import package_chart
    from .pyapi import render_chart
    from .repo import build_index, push
    from .results import ObjectView, RenderResult, Resource


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
