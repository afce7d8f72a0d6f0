"""A TestJob and its loaded chart -> rendered documents by file -> assertion results (test_job.go).

Rendering follows helm-unittest, which calls helm's engine directly rather
than `helm template`: release "RELEASE-NAME" in "NAMESPACE", revision 0,
Kubernetes v1.35 with only the API versions the test lists, no kubeVersion
check, no hook or manifest sorting; every rendered file (NOTES.txt too) is
kept apart by its path.  A render error becomes a document {raw: message}
of the failing file, for failedTemplate to inspect.
"""

from __future__ import annotations

import os
import posixpath
import re
import time
from typing import Any

from ..chart.model import Chart
from ..engine.objects import (
    Capabilities,
    KubeVersion,
    ReleaseOptions,
    VersionSet,
    chart_metadata_map,
)
from ..engine.tplcache import TemplateCache
from ..errors import ChartTestError, MinihelmError, TemplateRenderError
from . import yamlv3
from .assertions import ASSERT_TYPES, RAW, Context, Manifest, validate
from .cluster import FakeCluster
from .path import build_set_value
from .snapshot import SnapshotCache, TestSnapshots
from .suite import Assertion, TestJob

DEFAULT_KUBE_MAJOR, DEFAULT_KUBE_MINOR = "1", "35"  # helm v3.20 built with client-go v0.35

# test_job.go regexPattern, (?msU): the file of `name:line:col` and the message after it.
_RENDER_ERROR = re.compile(r"^(?:.+?: |.+? \()(?:(.+?):\d+:\d+).+?(?:.+?>)*?: (.+?)$",
                           re.MULTILINE | re.DOTALL)
_SPLIT = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


class AssertionResult:
    __slots__ = ("assert_type", "fail_info", "index", "not_", "passed", "skip_reason", "skipped")

    def __init__(self, index: int, assert_type: str, not_: bool) -> None:
        self.index, self.assert_type, self.not_ = index, assert_type, not_
        self.passed = self.skipped = False
        self.fail_info: list[str] = []
        self.skip_reason = ""


class JobResult:
    __slots__ = ("asserts", "duration", "exec_error", "index", "name", "passed", "skipped")

    def __init__(self, name: str, index: int) -> None:
        self.name, self.index = name, index
        self.passed = self.skipped = False
        self.exec_error: str | None = None
        self.asserts: list[AssertionResult] = []
        self.duration = 0.0


class RenderConfig:
    """What a suite and the runner fix for each of its tests."""

    __slots__ = ("cache", "debug_dir", "fail_fast", "include_crds", "parsed", "skip_schema")

    def __init__(self, cache: TemplateCache, fail_fast: bool = False, include_crds: bool = False,
                 skip_schema: bool = False, debug_dir: str | None = None) -> None:
        self.cache, self.fail_fast, self.include_crds = cache, fail_fast, include_crds
        self.skip_schema, self.debug_dir = skip_schema, debug_dir
        # rendered text -> its documents: most files render alike from test to test
        # (validators only read documents, so they can be shared)
        self.parsed: dict[tuple[str, str], list[Manifest]] = {}

    def documents(self, text: str, name: str) -> list[Manifest]:
        key = (name, text)
        docs = self.parsed.get(key)
        if docs is None:
            if len(self.parsed) > 4096:
                self.parsed.clear()
            docs = self.parsed[key] = parse_documents(text, name)
        return docs


# --- values -------------------------------------------------------------------------------


def chart_routes(route: str) -> list[str]:
    """spliteChartRoutes: "a/charts/b/charts/c" -> [a, b, c]."""
    parts = route.split("/")
    return [parts[i * 2] for i in range(len(parts) // 2 + 1)]


def scope_values(routes: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """scopeValuesWithRoutes: a subchart's values nested under its name (globals kept on top)."""
    while len(routes) > 1:
        nv: dict[str, Any] = {}
        if "global" in values:
            nv["global"] = values["global"]
        nv[routes[-1]] = values
        values, routes = nv, routes[:-1]
    return values


def _json_numbers(v: Any) -> Any:
    """sigs.k8s.io/yaml's round trip: every number becomes a float64."""
    if isinstance(v, dict):
        return {str(k): _json_numbers(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json_numbers(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def user_values(job: TestJob, suite_dir: str, chart_route: str) -> dict[str, Any]:
    """getUserValues: values files (relative to the suite), then suite `set`, then test `set`."""
    # deferred: only user_values() needs it: 6 modules this one does not otherwise load
    from ..values.layers import deep_copy, merge_tables

    base: dict[str, Any] = {}
    routes = chart_routes(chart_route)
    for given in job.values:
        path = given if os.path.isabs(given) else os.path.join(suite_dir, given)
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                text = fh.read()
        except OSError as e:
            raise ChartTestError(f"open {path}: {(e.strerror or str(e)).lower()}") from None
        try:
            doc = yamlv3.load(text, path)
        except MinihelmError as e:
            raise ChartTestError(f"failed to parse {given}: {e.message}") from None
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise ChartTestError(f"failed to parse {given}: yaml: unmarshal errors:\n  line 1: "
                                 "cannot unmarshal !!seq into map[string]interface {}")
        base = merge_tables(scope_values(routes, deep_copy(doc)), base)
    for sets in (job.global_set, job.set):
        for key, value in sets.items():
            built = build_set_value(str(key), deep_copy(value))
            base = merge_tables(scope_values(routes, built), base)
    return _json_numbers(base)  # type: ignore[no-any-return]


# --- template selection ---------------------------------------------------------------------


def template_file_name(name: str) -> str:
    """getTemplateFileName: names not under templates/, charts/, crds/ or ** get templates/."""
    if name.startswith(("templates", "charts", "crds", "**")):
        return name
    return posixpath.join("templates", name)


_PATTERN_ESCAPES = [(".", r"\."), ("+", r"\+"), ("[", r"\["), ("]", r"\]")]
_PATTERN_LATE = [("?", r"\?"), ("(", r"\("), (")", r"\)"), ("|", r"\|"), ("{", r"\{"),
                 ("}", r"\}"), ("^", r"\^"), ("$", r"\$")]


def template_pattern(name: str) -> re.Pattern[str]:
    """getTemplateFileNamePattern: ** and * become path-character runs, matched unanchored."""
    p = name
    for a, b in _PATTERN_ESCAPES:
        p = p.replace(a, b)
    p = p.replace("**", r"[0-9a-zA-Z_\-/\.]+").replace("*", r"[0-9a-zA-Z_\-_/\.]*")
    for a, b in _PATTERN_LATE:
        p = p.replace(a, b)
    return re.compile(p)


def filter_templates(chart: Chart, route: str, current: str, wanted: list[str],
                     skipped: list[str]) -> Chart:
    """CopyV3Chart: keep the wanted templates (and every partial) of the chart and its subcharts."""
    want = [template_pattern(posixpath.join(route, template_file_name(w))) for w in wanted]
    skip = [template_pattern(posixpath.join(route, template_file_name(s))) for s in skipped]
    kept = []
    for t in chart.templates:
        full = posixpath.join(current, t.name)
        partial = posixpath.basename(t.name).startswith("_")
        if partial or (any(p.search(full) for p in want) and not any(p.search(full) for p in skip)):
            kept.append(t)
    deps = tuple(filter_templates(d, route, posixpath.join(current, "charts", d.name), wanted,
                                  skipped) for d in chart.dependencies)
    return chart.replace(templates=tuple(kept), dependencies=deps)


def _with_versions(chart: Chart, version: str, app_version: str) -> Chart:
    """ModifyChartMetadata: the test's chart version/appVersion on the chart and its direct subcharts."""
    if not version and not app_version:
        return chart

    def patch(c: Chart) -> Chart:
        md = c.metadata
        return c.replace(metadata=md.replace(version=version or md.version,
                                             app_version=app_version or md.app_version))

    top = patch(chart)
    return top.replace(dependencies=tuple(patch(d) for d in top.dependencies))


# --- rendering --------------------------------------------------------------------------------


class Rendered:
    """One test's render: the raw outputs, the parsed documents, and how it went."""

    __slots__ = ("manifests", "outputs", "post_rendered", "render_error", "succeeded")

    def __init__(self) -> None:
        self.post_rendered = False
        self.outputs: dict[str, str] = {}
        self.manifests: dict[str, list[Manifest]] = {}
        self.succeeded = True
        self.render_error: str | None = None


def _capabilities(job: TestJob) -> Capabilities:
    major = job.capabilities.major or DEFAULT_KUBE_MAJOR
    minor = job.capabilities.minor or DEFAULT_KUBE_MINOR
    version = f"v{major}.{minor}.0"
    # capabilitiesV3 replaces helm's default API versions with the test's list.
    return Capabilities(KubeVersion(version, version, major, minor),
                        VersionSet(list(job.capabilities.api_versions or [])))


def render_job(job: TestJob, chart: Chart, chart_route: str, suite_dir: str,
               cfg: RenderConfig, needs_success: bool) -> Rendered:
    """renderV3Chart + parseManifestsFromOutputOfFiles; pre-render failures set render_error."""
    # deferred: only render_job() needs it: 4 modules this one does not otherwise load
    from ..engine.run import render_templates
    from ..render.pipeline import crd_objects
    from ..values import layers as vals
    from ..values.dependencies import process_dependencies
    from ..values.valuecheck import validate_schema

    out = Rendered()
    try:
        uv = user_values(job, suite_dir, chart_route)
        if job.release.name:
            _validate_release_name(job.release.name)
        processed = process_dependencies(chart, uv)
        coalesced = vals.coalesce_values(processed, uv)
        if not cfg.skip_schema:
            validate_schema(processed, coalesced)
    except MinihelmError as e:
        out.render_error, out.succeeded = e.message, False
        return out
    defaults = job.default_templates or ["**"]
    job.default_templates = defaults
    target = _with_versions(processed, job.chart_version, job.chart_app_version)
    filtered = filter_templates(target, chart_route, target.name, defaults, job.exclude_templates)
    release = ReleaseOptions(job.release.name or "RELEASE-NAME",
                             job.release.namespace or "NAMESPACE", job.release.revision,
                             job.release.is_upgrade)
    top = {"Chart": chart_metadata_map(target, True), "Capabilities": _capabilities(job),
           "Release": release.as_map(), "Values": coalesced}
    try:
        lookup = FakeCluster(job.objects, job.scheme) if job.objects else None
        out.outputs = render_templates(filtered, top, cache=cfg.cache, lookup=lookup)
    except MinihelmError as e:
        out.succeeded = False
        text = v3_error_text(e)
        if needs_success or not _translate(text, job, chart_route, out):
            out.render_error = text
            out.outputs = {}
            return out
    if cfg.debug_dir:
        _write_debug(cfg.debug_dir, out.outputs)
    files = out.outputs
    if job.post_renderer[0]:
        files = post_render(job.post_renderer[0], job.post_renderer[1], out.outputs)
        out.post_rendered = True
    try:
        if cfg.include_crds:
            for name, text in crd_objects(target):
                out.manifests[name] = parse_documents(text, name)
        for name, text in files.items():
            key = name if name.startswith(target.name) else posixpath.join(target.name, name)
            ext = posixpath.splitext(key)[1] if out.succeeded else ".yaml"
            if ext in (".yaml", ".yml", ".tpl"):
                out.manifests[key] = cfg.documents(text, key)
            elif ext == ".txt":
                out.manifests[key] = [{RAW: text}]
    except MinihelmError as e:
        raise ChartTestError(e.message, e.pos) from None
    return out


def v3_error_text(e: MinihelmError) -> str:
    """helm v3's engine error text: Go's one-line error, except the required/fail form.

    helm 4 spreads an execution error's chain over several lines; helm v3
    (which helm-unittest embeds) keeps text/template's single line.
    """
    if isinstance(e, TemplateRenderError) and e.chain and not e.message.startswith(
            "execution error at ("):
        return e.chain[0].text
    return e.message


def _validate_release_name(name: str) -> None:
    ok = re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name)
    if not ok or len(name) > 53:
        raise ChartTestError(
            "invalid release name, must match regex "
            r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
            " and the length must not be longer than 53")


def _translate(message: str, job: TestJob, chart_route: str, out: Rendered) -> bool:
    """translateErrorToOutputFiles: the error as a {raw: ...} document of the file it names."""
    m = _RENDER_ERROR.search(message)
    if not m:
        return False
    path = m.group(1)
    lines = message.split("\n", 1)
    content = yamlv3.dump({RAW: lines[1] if len(lines) > 1 else m.group(2)})
    out.outputs = {}
    if posixpath.basename(path).startswith("_"):
        for name in job.default_templates:
            out.outputs[posixpath.join(chart_route, template_file_name(name))] = content
    else:
        out.outputs[path] = content
    return True


_FILE_KEY = "#### file:"
_FILE_MARK = re.compile(r"#### file: (.*)")


def post_render(cmd: str, args: list[str], outputs: dict[str, str]) -> dict[str, str]:
    """MergeAndPostRender + SplitManifests: every file through a helm post-renderer command.

    Files are joined in name order, each after a `---` and `#### file: <name>`
    line; the command's output is split back at those lines (all of it is
    "manifest.yaml" when the command dropped them).
    """
    import shutil
    import subprocess

    stream = "".join(f"---\n{_FILE_KEY} {k}\n{outputs[k].strip()}\n" for k in sorted(outputs))
    exe = shutil.which(cmd)
    if exe is None:
        raise ChartTestError(f'unable to find binary at {cmd}: exec: "{cmd}": executable file '
                             "not found in $PATH")
    try:
        done = subprocess.run([exe, *args], input=stream.encode("utf-8", "surrogateescape"),
                              capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ChartTestError(f"post-render failed: error while running command {exe}: {e}") from None
    if done.returncode != 0:
        raise ChartTestError(f"post-render failed: error while running command {exe}. error "
                             f"output:\n{done.stderr.decode('utf-8', 'replace')}: exit status "
                             f"{done.returncode}")
    text = done.stdout.decode("utf-8", "surrogateescape")
    sep = "---\n" + _FILE_KEY
    blocks, out = [], {}
    start = 0
    while True:
        i = text.find(sep, start + 1)
        if i < 0:
            blocks.append(text[start:])
            break
        blocks.append(text[start:i])
        start = i
    for block in blocks:
        m = _FILE_MARK.search(block)
        if not block or not m:
            continue
        prefix = f"---\n{m.group(0)}\n"
        out[m.group(1)] = block.removeprefix(prefix)
    return out or {"manifest.yaml": text}


def parse_documents(text: str, name: str) -> list[Manifest]:
    """parseYamlFile: every non-empty mapping document of a rendered file."""
    text = _SPLIT.sub("\n---\n", text)
    docs = []
    for d in yamlv3.load_all(text, name):
        if d is None:
            continue
        if not isinstance(d, dict):
            raise ChartTestError(f"yaml: unmarshal errors:\n  line 1: cannot unmarshal "
                                 f"{_scalar_tag(d)} into map[string]interface {{}}")
        if d:
            docs.append(d)
    return docs


def _scalar_tag(v: Any) -> str:
    if isinstance(v, list):
        return ["!!seq", " map[string]interface {}"][0]
    if isinstance(v, bool):
        return f"!!bool `{'true' if v else 'false'}`"
    if isinstance(v, (int, float)):
        return f"!!{'int' if isinstance(v, int) else 'float'} `{v}`"
    return f"!!str `{v}`"


def _write_debug(folder: str, outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)


# --- assertions -------------------------------------------------------------------------------


def templates_for(a: Assertion, job: TestJob, outputs: dict[str, str], chart_route: str,
                  include_crds: bool, crd_names: list[str]) -> list[str]:
    """determineTemplatesToAssert + prefixTemplatesToAssert: the files this assertion reads."""
    prefixed = False
    if a.template:
        names = [a.template]
    elif job.templates:
        names = list(job.templates)
    elif job.template:
        names = [job.template]
    elif any("*" in t for t in job.default_templates):
        names, prefixed = list(outputs), True
        if include_crds:
            names += crd_names
    else:
        names = list(job.default_templates)
    if prefixed:
        return names
    return [posixpath.join(chart_route, template_file_name(n)) for n in names]


def run_assertion(a: Assertion, index: int, templates: list[str], r: Rendered,
                  snapshots: TestSnapshots, fail_fast: bool, skip_empty: bool) -> AssertionResult:
    """Assertion.Assert: select documents, then validate each selected template."""

    res = AssertionResult(index, a.type_name, a.not_)
    only = next(iter(r.manifests)) if len(r.manifests) == 1 else ""
    if r.post_rendered and only.endswith("manifest.yaml"):
        # computeTemplatesWithPostRender: output without file markers is one file
        a.template, templates = only, [only]
    docs = {t: r.manifests.get(t) for t in templates}
    try:
        if a.document_selector is not None and a.document_selector.path:
            selected = a.document_selector.select({t: d or [] for t, d in docs.items()})
        elif a.document_index != -1:
            selected = {}
            for t, d in docs.items():
                d = d or []
                if a.document_index >= len(d) or a.document_index < -len(d):
                    raise ChartTestError(f"document index {a.document_index} is out of range")
                selected[t] = [d[a.document_index]]
        else:
            selected = {t: d or [] for t, d in docs.items()}
    except MinihelmError as e:
        res.fail_info = ["Error:", e.message]
        return res
    names = sorted(selected)
    _, antonym, needs_ok = ASSERT_TYPES[a.type_name]
    negative = a.not_ != antonym
    if skip_empty and not names:
        res.skipped, res.passed = True, True
        res.skip_reason = ("skipped as 'documentSelector.skipEmptyTemplates: true' and "
                           "'selectedTemplates: empty'")
        return res

    def ctx(rendered: list[Manifest] | None, picked: list[Manifest] | None) -> Context:
        return Context(rendered or [], picked if picked is not None else [], negative, snapshots,
                       r.render_error, fail_fast)

    if not names:
        if needs_ok != r.succeeded:
            res.fail_info = ["Error: rendered manifest is empty"]
        else:
            res.passed, res.fail_info = validate(a.spec, ctx(None, None))
        return res
    ok = False
    for i, t in enumerate(names):
        rendered = r.manifests.get(t)
        add_template = True
        if rendered is None and needs_ok:
            good, add_template = False, False
            info = ["Error:", f'\ttemplate "{t}" not exists or not selected in test suite']
        elif needs_ok != r.succeeded:
            good = False
            raw = rendered[0].get(RAW) if rendered else None
            info = ([f"Error: Invalid rendering: {raw if raw is not None else '<nil>'}"]
                    if rendered else ["Error: rendered manifest is empty"])
        else:
            good, info = validate(a.spec, ctx(rendered, selected[t]))
        if not good:
            if add_template:
                res.fail_info.append(f"Template:\t{t}")
            res.fail_info += info
        ok = good if i == 0 else ok and good
    res.passed = ok
    return res


def run_job(job: TestJob, index: int, chart: Chart, chart_route: str, suite_dir: str,
            cfg: RenderConfig, cache: SnapshotCache) -> JobResult:
    """TestJob.RunV3: render, then every assertion; a skipped test renders nothing."""
    start = time.perf_counter()
    result = JobResult(job.name, index)
    if job.skip_reason:
        result.skipped = True
        return result
    needs_ok = all(a.needs_render_ok for a in job.assertions)
    try:
        r = render_job(job, chart, chart_route, suite_dir, cfg, needs_ok)
    except MinihelmError as e:
        result.exec_error = e.message
        result.duration = time.perf_counter() - start
        return result
    if r.render_error is not None:
        result.exec_error = r.render_error
    crd_names = [k for k in r.manifests if "/crds/" in k] if cfg.include_crds else []
    snapshots = TestSnapshots(cache, job.name)
    skip_empty = bool(job.document_selector and job.document_selector.skip_empty)
    passed = False
    for i, a in enumerate(job.assertions):
        if job.document_index is not None:
            a.document_index = job.document_index
        if a.document_selector is None:
            a.document_selector = job.document_selector
        templates = templates_for(a, job, r.outputs, chart_route, cfg.include_crds, crd_names)
        ar = run_assertion(a, i, templates, r, snapshots, cfg.fail_fast, skip_empty)
        result.asserts.append(ar)
        passed = ar.passed if i == 0 else passed and ar.passed
        if not passed and cfg.fail_fast:
            break
    result.passed = passed
    if result.asserts and all(x.skipped for x in result.asserts):
        result.skipped = True
    result.duration = time.perf_counter() - start
    return result

