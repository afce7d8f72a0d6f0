"""Python keyword arguments -> the `helm template` pipeline -> a results.RenderResult.

This is `minihelm.render_chart`: the same values layering and checks as the
CLI (`--env` file, `-f` files, a values mapping, `--set`), returning data
instead of text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .chart.model import Chart
from .errors import UsageError, ValuesError
from .render.results import RenderResult, from_rendered

PathLike = str | os.PathLike[str]


def render_chart(
    chart: Chart | PathLike,
    values: Mapping[str, Any] | None = None,
    *,
    env: str | None = None,
    value_files: Sequence[PathLike] = (),
    set_values: Sequence[str] = (),
    set_string: Sequence[str] = (),
    release: str = "release-name",
    namespace: str = "default",
    kube_version: str | None = None,
    api_versions: Sequence[str] = (),
    include_crds: bool = False,
    no_hooks: bool = False,
    skip_tests: bool = False,
    is_upgrade: bool = False,
    skip_schema_validation: bool = False,
    cache: bool | PathLike = True,
) -> RenderResult:
    """Render a chart as `helm template` does and return its resources.

    Values are layered as helm layers them: the `env` file of the chart
    folder (see `minihelm env list`), then `value_files`, then `values` as if
    it were one more -f file (so its numbers become float64, as helm reads any
    values file), then `set_values` (`--set`) and `set_string`.  `cache`
    is True for the template cache's usual folder, False for none, or a
    folder.  Raises a MinihelmError where `helm template` fails.

    >>> r = render_chart("charts/demo", env="production")  # doctest: +SKIP
    >>> r.get("Deployment", "demo").spec.replicas  # doctest: +SKIP
    3
    """
    # deferred: only render_chart() needs it: 2 modules this one does not otherwise load
    from .api import validate_release_name
    from .render.pipeline import RenderOptions, load
    from .render.pipeline import render_chart as render_pipeline
    from .values import layers as vals
    from .values.envs import env_values_file

    files: list[dict[str, Any]] = []
    if env is not None:
        if isinstance(chart, Chart):
            raise UsageError("env needs a chart folder path, not a loaded Chart")
        files.append(vals.read_values_file(str(env_values_file(chart, env))))
    files += [vals.read_values_file(os.fspath(f)) for f in value_files]
    if values is not None:
        files.append(as_values_file(values))
    user = vals.merge_user_values(files, (), set_values, set_string)
    loaded = load(chart)
    validate_release_name(release)
    opts = RenderOptions(
        release_name=release, namespace=namespace, is_upgrade=is_upgrade,
        kube_version=kube_version, api_versions=list(api_versions), include_crds=include_crds,
        skip_schema_validation=skip_schema_validation, cache=_cache(cache))
    rendered = render_pipeline(loaded, user, opts)
    return from_rendered(rendered, no_hooks=no_hooks, skip_tests=skip_tests)


def as_values_file(values: Mapping[str, Any]) -> dict[str, Any]:
    """A Python mapping -> the values helm would read from the same data in a YAML file.

    Maps need string keys; tuples are lists; numbers become float64
    (sigs.k8s.io/yaml decodes every number of a values file that way).
    """
    def conv(v: Any, where: str) -> Any:
        if isinstance(v, Mapping):
            bad = [k for k in v if not isinstance(k, str)]
            if bad:
                raise ValuesError(f"values{where}: map keys must be strings, not {bad[0]!r}")
            return {k: conv(x, f"{where}.{k}") for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [conv(x, f"{where}[{i}]") for i, x in enumerate(v)]
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return float(v)
        raise ValuesError(f"values{where}: cannot use a {type(v).__name__} as a value")

    return conv(values, "")  # type: ignore[no-any-return]


def _cache(cache: bool | PathLike) -> Any:
    # deferred: only _cache() needs it, and it brings hashlib
    from .engine.tplcache import TemplateCache, default_cache_dir

    if cache is True:
        return TemplateCache(default_cache_dir())
    if cache is False:
        return TemplateCache(None)
    return TemplateCache(Path(cache))
