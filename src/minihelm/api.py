"""Command requests (CLI or Python callers) -> library results: the public entry points.

`template` returns exactly what `helm template` prints; `user_values` layers
-f files, an environment's values file and the --set family in helm's order.
`render_chart` (`minihelm.render_chart`) is the same pipeline for Python
keyword arguments: the same values layering and checks as the CLI (`--env`
file, `-f` files, a values mapping, `--set`), returning a RenderResult
instead of text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._core.recorder import recorder
from .chart.model import Chart
from .engine.tplcache import TemplateCache, default_cache_dir
from .errors import UsageError, ValuesError
from .records import Record
from .render.manifests import format_stream, show_only, write_output_dir
from .render.pipeline import (
    RenderOptions,
    check_installable,
    load,
    prepare,
    render_prepared,
)
from .render.pipeline import render_chart as render_pipeline
from .values.envs import ENV_PATTERNS, env_values_file, environments  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from .render.results import RenderResult


class TemplateRequest(Record):
    """What `minihelm template` was asked (the CLI's flags; also built by Python callers)."""

    # the fields once, in constructor order; the slots are the same names
    _fields = ("chart", "release_name", "namespace", "value_files", "set_values", "set_string",
               "set_file", "set_json", "set_literal", "env", "kube_version", "api_versions",
               "include_crds", "skip_tests", "no_hooks", "is_upgrade", "show_only",
               "skip_schema_validation", "output_dir", "release_name_dir", "use_cache",
               "validate_schema", "external_links")
    __slots__ = _fields

    def __init__(self, chart: str, release_name: str = "release-name",
                 namespace: str = "default", value_files: list[str] | None = None,
                 set_values: list[str] | None = None, set_string: list[str] | None = None,
                 set_file: list[str] | None = None, set_json: list[str] | None = None,
                 set_literal: list[str] | None = None, env: str | None = None,
                 kube_version: str | None = None, api_versions: list[str] | None = None,
                 include_crds: bool = False, skip_tests: bool = False, no_hooks: bool = False,
                 is_upgrade: bool = False, show_only: list[str] | None = None,
                 skip_schema_validation: bool = False, output_dir: str | None = None,
                 release_name_dir: bool = False, use_cache: bool = True,
                 validate_schema: bool = False, external_links: bool = False) -> None:
        self.chart, self.release_name, self.namespace = chart, release_name, namespace
        self.value_files = value_files or []
        self.set_values, self.set_string = set_values or [], set_string or []
        self.set_file, self.set_json = set_file or [], set_json or []
        self.set_literal = set_literal or []
        self.env, self.kube_version = env, kube_version
        self.api_versions = api_versions or []
        self.include_crds, self.skip_tests, self.no_hooks = include_crds, skip_tests, no_hooks
        self.is_upgrade, self.show_only = is_upgrade, show_only or []
        self.skip_schema_validation, self.output_dir = skip_schema_validation, output_dir
        self.release_name_dir, self.use_cache = release_name_dir, use_cache
        self.validate_schema = validate_schema  # check objects against the Kubernetes schemas
        self.external_links = external_links  # follow symlinks leaving the chart folder


def user_values(req: TemplateRequest) -> dict[str, Any]:
    """helm's MergeValues: -f files (after the --env file), then the --set family."""
    # deferred: only user_values() needs it: 4 modules this one does not otherwise load
    from .values import layers as vals

    files = vals.split_values_flags(req.value_files)
    if req.env:
        files.insert(0, str(env_values_file(req.chart, req.env)))
    return vals.merge_user_values(
        [vals.read_values_file(f) for f in files], req.set_json, req.set_values,
        req.set_string, req.set_file, req.set_literal)


def _cache(use: bool) -> Any:
    if not use:
        from ._core import memo

        memo.disable()
    return TemplateCache(default_cache_dir() if use else None)


def validate_release_name(name: str) -> None:
    """helm's release name rule (chartutil.ValidateReleaseName)."""
    import re

    ok = re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name)
    if not ok or len(name) > 53:
        raise UsageError(
            f'release name check failed: release name "{name}": invalid release name, must match regex '
            r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
            " and the length must not be longer than 53")


def template(req: TemplateRequest) -> str:
    """`helm template`: the manifest stream (or "" after writing --output-dir files)."""
    opts = RenderOptions(
        release_name=req.release_name, namespace=req.namespace, is_upgrade=req.is_upgrade,
        kube_version=req.kube_version, api_versions=req.api_versions,
        include_crds=req.include_crds, skip_schema_validation=req.skip_schema_validation,
        cache=_cache(req.use_cache))
    # A CLI replay whose inputs are unchanged keeps the prepared chart and scope:
    # no values file is parsed, no chart loaded, no dependency processed again.
    prepared: tuple[Chart, dict[str, Any]] | None = recorder().stored_state()
    if prepared is None:
        vals = user_values(req)
        chart: Chart | None = recorder().stored_chart(str(req.chart), req.external_links)
        if chart is None:
            chart = load(req.chart, external_links=req.external_links)
            recorder().note_chart(str(req.chart), req.external_links, chart)
        validate_release_name(req.release_name)
        check_installable(chart)
        prepared = prepare(chart, vals, opts)
        recorder().note_state(prepared)
    rendered = render_prepared(*prepared, opts)
    if req.validate_schema:
        _validate_objects(rendered, req)
    if req.output_dir:
        out = Path(req.output_dir)
        if req.release_name_dir:
            out = out / req.release_name
        written = write_output_dir(out, rendered, no_hooks=req.no_hooks, skip_tests=req.skip_tests)
        # helm then prints the (now empty) manifest buffer: TrimSpace("") + "\n"
        return "".join(f"wrote {out}/{rel}\n" for rel in written) + "\n"
    stream = format_stream(rendered, no_hooks=req.no_hooks, skip_tests=req.skip_tests)
    if req.show_only:
        return show_only(stream, req.show_only)
    return stream


def _validate_objects(rendered: Any, req: TemplateRequest) -> None:
    """--validate-schema: every object that would be printed, against the Kubernetes schemas."""
    import sys

    # deferred: only _validate_objects() needs it, and it brings json
    from .lint.kubeschema import validate_rendered

    docs = list(rendered.crds)
    docs += [(m.path, m.content) for m in rendered.manifests]
    if not req.no_hooks:
        docs += [(m.path, m.content) for m in rendered.hooks if not (req.skip_tests and m.is_test)]
    validate_rendered(docs, req.kube_version, notice=lambda m: print(m, file=sys.stderr))


# ---------------------------------------------------------------- render_chart: Python callers

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
    # deferred: the values readers load only when a render reads values (as in user_values);
    # render/results uses dataclasses (6 ms of imports) that a CLI render never needs
    from .render.results import from_rendered
    from .values import layers as vals

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
        skip_schema_validation=skip_schema_validation, cache=_chosen_cache(cache))
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


def _chosen_cache(cache: bool | PathLike) -> Any:
    """render_chart's `cache`: the usual folder, none, or a folder (memo stays on)."""
    if cache is True:
        return TemplateCache(default_cache_dir())
    if cache is False:
        return TemplateCache(None)
    return TemplateCache(Path(cache))
