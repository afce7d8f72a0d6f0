"""Chart + user values + release options -> sorted manifests: the whole `helm template` pipeline.

The order of checks follows helm's install action (pkg/cmd/install.go
runInstall and pkg/action/install.go): installable chart, dependencies
present, dependency processing, values coalescing and schema, kubeVersion,
rendering, then sorting (pkg/action/action.go renderResources).
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

from ..chart.model import Chart
from ..engine.objects import ReleaseOptions, capabilities, chart_metadata_map
from ..engine.tplcache import TemplateCache
from ..errors import ChartError
from ..records import Record
from .manifests import Rendered, sort_rendered

NOTES_SUFFIX = "NOTES.txt"
_MANIFEST_EXTS = (".yaml", ".yml", ".json")


class RenderOptions(Record):
    """What `helm template` takes besides the chart and values."""

    __slots__ = ("api_versions", "cache", "include_crds", "is_upgrade", "kube_version",
                 "lint_mode", "namespace", "release_name", "skip_schema_validation")
    _fields = ("release_name", "namespace", "is_upgrade", "kube_version", "api_versions",
               "include_crds", "lint_mode", "skip_schema_validation", "cache")

    def __init__(self, release_name: str = "release-name", namespace: str = "default",
                 is_upgrade: bool = False, kube_version: str | None = None,
                 api_versions: list[str] | None = None, include_crds: bool = False,
                 lint_mode: bool = False, skip_schema_validation: bool = False,
                 cache: TemplateCache | None = None) -> None:
        self.release_name, self.namespace, self.is_upgrade = release_name, namespace, is_upgrade
        self.kube_version = kube_version
        self.api_versions = [] if api_versions is None else api_versions
        self.include_crds, self.lint_mode = include_crds, lint_mode
        self.skip_schema_validation, self.cache = skip_schema_validation, cache


def load(chart: Chart | str | os.PathLike[str], *, external_links: bool = False) -> Chart:
    """The chart to install: a Chart, or the folder or archive at a path (helm's LocateChart).

    external_links: follow symlinks that resolve outside the chart folder (see load_chart).
    """
    if isinstance(chart, Chart):
        return chart
    # deferred: only load() needs it, and it brings zlib, datetime
    from ..chart.loader import load_chart

    name = os.fspath(chart)
    if not os.path.exists(name):
        raise ChartError(missing_chart_message(name))
    return load_chart(chart, external_links=external_links)


def missing_chart_message(name: str) -> str:
    """What helm's LocateChart says for a chart argument that is not a local path.

    Only an absolute path or one starting with "." is reported missing as a
    path; any other name goes to helm's chart downloader, which wants
    `repo_name/chart` and then a configured repository (minihelm reads none:
    `minihelm pull` and `dependency` take the repository explicitly).
    """
    if os.path.isabs(name) or name.startswith(".") or "://" in name:
        return f'path "{name}" not found'
    if "/" not in name:
        return f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
    return f"repo {name.split('/', 1)[0]} not found"


def check_installable(chart: Chart) -> None:
    """helm's checkIfInstallable and CheckDependencies."""
    if chart.metadata.type not in ("", "application"):
        raise ChartError(f"{chart.metadata.type} charts are not installable")
    wanted = [d.name for d in chart.metadata.dependencies]
    present = {c.name for c in chart.dependencies}
    missing = [w for w in wanted if w not in present]
    if missing:
        raise ChartError(
            "an error occurred while checking for chart dependencies. You may need to run "
            "`helm dependency build` to fetch missing dependencies: found in Chart.yaml, but "
            f"missing in charts/ directory: {', '.join(missing)}")


def prepare(chart: Chart, user_values: dict[str, Any],
            opts: RenderOptions) -> tuple[Chart, dict[str, Any]]:
    """Dependencies, values, schema and kubeVersion: the processed chart and the top scope.

    Everything before the first template runs, so a replay (replay.py) can
    keep this pair instead of loading, merging and checking again.
    """
    # deferred: only prepare() needs it: 4 modules this one does not otherwise load
    from ..values import layers as vals
    from ..values.dependencies import process_dependencies
    from ..values.valuecheck import check_kube_version, validate_schema

    caps = capabilities(opts.kube_version, opts.api_versions)
    chart = process_dependencies(chart, user_values)
    coalesced = vals.coalesce_values(chart, user_values)
    if not opts.skip_schema_validation:
        validate_schema(chart, coalesced)
    if chart.metadata.kube_version:
        check_kube_version(chart, caps.KubeVersion.String())
    release = ReleaseOptions(opts.release_name, opts.namespace, 1, opts.is_upgrade)
    top = {"Chart": chart_metadata_map(chart, True), "Capabilities": caps,
           "Release": release.as_map(), "Values": coalesced}
    return chart, top


def crd_objects(chart: Chart, full_path: str | None = None) -> list[tuple[str, str]]:
    """helm's CRDObjects: crds/*.yaml|yml|json of the chart, then of each subchart."""
    full_path = full_path or chart.name
    out = [(posixpath.join(full_path, f.name), f.data.decode("utf-8", "surrogateescape"))
           for f in chart.crds if f.name.endswith(_MANIFEST_EXTS)]
    for dep in chart.dependencies:
        out += crd_objects(dep, f"{full_path}/charts/{dep.name}")
    return out


def render_chart(chart: Chart | str | os.PathLike[str], values: dict[str, Any] | None = None,
                 opts: RenderOptions | None = None) -> Rendered:
    """Render a chart as `helm template` does and return its sorted manifests."""
    opts = opts or RenderOptions()
    c = load(chart)
    check_installable(c)
    return render_prepared(*prepare(c, values or {}, opts), opts)


def render_prepared(processed: Chart, top: dict[str, Any], opts: RenderOptions) -> Rendered:
    """Execute the templates of a prepared chart and sort what they print."""
    # deferred: only render_prepared() needs it: 8 modules this one does not otherwise load
    from ..engine.run import render_templates

    files = render_templates(processed, top, lint_mode=opts.lint_mode, cache=opts.cache)
    notes = _take_notes(files, processed.name)
    crds = crd_objects(processed) if opts.include_crds else []
    rendered = sort_rendered(files, crds)
    rendered.notes = notes
    return rendered


def _take_notes(files: dict[str, str], chart_name: str) -> str:
    """Remove every NOTES.txt from the output; keep the root chart's text."""
    notes = ""
    for k in [k for k in files if k.endswith(NOTES_SUFFIX)]:
        if k == posixpath.join(chart_name, "templates", NOTES_SUFFIX):
            notes = files[k]
        del files[k]
    return notes
