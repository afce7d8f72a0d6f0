"""Chart paths + values -> lint findings and `helm lint`'s report (pkg/action/lint.go, pkg/cmd/lint.go).

Runs helm v4.1.4's rules in helm's order (Chart.yaml, values, templates,
dependencies, CRDs) with helm's texts and severities; the rules themselves
live in minihelm.lint.rules.

Deliberate improvement over helm: helm renders the whole chart at once and
stops at the first template error (and at the first rendered file that is not
valid YAML).  We parse and run each template on its own, so three broken
templates give three findings, and we keep checking the files that did
render.  The first template finding is the one helm prints, so pass/fail
agrees with helm; there are only more findings.

Also new: with a Kubernetes version and `kube_schema`, every rendered object
is checked against that version's OpenAPI schemas (minihelm.lint.kubeschema).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import (
    GoFuncError,
    MinihelmError,
    SchemaError,
    TemplateRenderError,
    TemplateSyntaxError,
)
from .manifests import crd_findings, extension_problem, manifest_findings
from .rules import (
    ERROR,
    INFO,
    WARNING,
    Finding,
    Findings,
    add_finding,
    chartfile_findings,
    dependency_findings,
    values_findings,
)

__all__ = [
    "ChartResult",
    "Finding",
    "LintOptions",
    "format_report",
    "lint_chart",
    "lint_paths",
    "subchart_paths",
]


@dataclass
class LintOptions:
    """What `helm lint` takes besides the paths."""

    values: dict[str, Any] = field(default_factory=dict)
    namespace: str = "default"
    kube_version: str | None = None
    strict: bool = False
    skip_schema_validation: bool = False
    kube_schema: bool = False  # also check rendered objects against Kubernetes' schemas
    notice: Callable[[str], None] | None = None  # where kubeschema's skip notices go
    external_links: bool = False  # follow symlinks leaving the chart folder (see load_chart)


@dataclass
class ChartResult:
    """One path's result: findings, or the errors that stopped linting before any rule ran."""

    path: str
    findings: Findings = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        worst = WARNING if strict else ERROR
        return bool(self.errors) or any(f.severity >= worst for f in self.findings)

    def has_warnings_or_errors(self) -> bool:
        return bool(self.errors) or any(f.severity > INFO for f in self.findings)


# ------------------------------------------------------------------ one chart


def lint_chart(path: str, opts: LintOptions) -> ChartResult:
    """action.Lint for one path: a chart folder or a packaged .tgz."""
    result = ChartResult(path)
    if path.endswith((".tgz", ".tar.gz")):
        tmp = tempfile.mkdtemp(prefix="helm-lint")
        try:
            chart_dir = _expand(path, tmp)
        except MinihelmError as e:
            result.errors.append(f"unable to extract tarball: {e.message}")
            shutil.rmtree(tmp, ignore_errors=True)
            return result
        try:
            return _lint_dir(result, chart_dir, opts)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return _lint_dir(result, path, opts)


def _expand(archive: str, dest: str) -> str:
    """chartutil.Expand: the archive's files under dest/<chart name>."""
    from pathlib import Path

    # deferred: only _expand() needs it, and it brings zlib
    from ..chart.archive import read_archive

    with open(archive, "rb") as fh:
        files = read_archive(fh)
    top = os.path.join(dest, "chart")
    for f in files:
        target = Path(top, f.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.data)
    return top


def _lint_dir(result: ChartResult, chart_dir: str, opts: LintOptions) -> ChartResult:
    chart_yaml = os.path.join(chart_dir, "Chart.yaml")
    if not os.path.exists(chart_yaml):
        # Go's filepath.Join cleans the path: `oci://h/c` shows as `oci:/h/c/Chart.yaml`
        shown = posixpath.normpath(chart_yaml)
        shown = shown[1:] if shown.startswith("//") else shown
        result.errors.append("unable to check Chart.yaml file in chart: stat "
                             f"{shown}: no such file or directory")
        return result
    abs_dir = os.path.abspath(chart_dir)
    out = result.findings
    out += chartfile_findings(abs_dir)
    out += values_findings(abs_dir, opts.values, opts.skip_schema_validation)
    out += template_findings(abs_dir, opts)
    chart, load_error = _load(abs_dir, opts.external_links)
    out += dependency_findings(abs_dir, chart, load_error)
    out += crd_findings(abs_dir, chart, load_error)
    return result


def _load(chart_dir: str, external_links: bool) -> tuple[Any, str | None]:
    """pkg/chart/v2/loader.Load: lint reads the folder as a v2 chart, whatever its apiVersion says."""
    # deferred: only _load() needs it, and it brings zlib, datetime, hashlib
    from ..chart.loader import load_files, read_dir_files

    try:
        return load_files(read_dir_files(chart_dir, external_links=external_links)), None
    except MinihelmError as e:
        return None, e.message


# ------------------------------------------------------------------ templates (template.go)


def _kube(opts: LintOptions) -> tuple[int, int]:
    # deferred: bound here only: the name means something else at module level
    from ..engine.objects import capabilities

    kv = capabilities(opts.kube_version).KubeVersion
    return int(kv.Major), int(kv.Minor)


def template_findings(chart_dir: str, opts: LintOptions) -> Findings:
    """rules.Templates: render in lint mode, then check every rendered root template."""
    out: Findings = []
    tdir = os.path.join(chart_dir, "templates")
    if not os.path.exists(tdir):
        add_finding(out, WARNING, "templates/", "directory does not exist")
        return out
    if not os.path.isdir(tdir):
        add_finding(out, ERROR, "templates/", "not a directory")
        return out
    chart, load_error = _load(chart_dir, opts.external_links)
    if not add_finding(out, ERROR, "templates/", load_error):
        return out
    top = _render_scope(chart, opts, out)
    if top is None:
        return out
    rendered, errors = render_each(chart, top)
    for e in errors:
        add_finding(out, ERROR, "templates/", e)
    checker = _schema_checker(opts)
    kube = _kube(opts)
    for t in chart.templates:
        add_finding(out, ERROR, t.name, extension_problem(t.name))
        if os.path.splitext(t.name)[1].lower() not in (".yaml", ".yml"):
            continue
        content = rendered.get(posixpath.join(chart.name, t.name))
        if content is None:
            continue
        out += manifest_findings(t.name, content, kube)
        if checker is not None and not any(f.path == t.name and f.severity == ERROR
                                           and f.message.startswith("unable to parse YAML")
                                           for f in out):
            out += [Finding(ERROR, t.name, m) for m in checker(content)]
    return out


def _render_scope(chart: Any, opts: LintOptions, out: Findings) -> dict[str, Any] | None:
    """ToRenderValuesWithSchemaValidation for lint: release "test-release", revision 0."""
    # deferred: only _render_scope() needs it: 6 modules this one does not otherwise load
    from ..engine.objects import capabilities, chart_metadata_map
    from ..values import layers as vals
    from ..values.dependencies import process_dependencies
    from ..values.valuecheck import validate_schema

    try:
        processed = process_dependencies(chart, opts.values)
        coalesced = vals.coalesce_values(processed, opts.values)
    except MinihelmError:
        return None  # helm's lint returns silently here
    if not opts.skip_schema_validation:
        try:
            validate_schema(processed, coalesced)
        except SchemaError as e:
            add_finding(out, ERROR, "templates/", e.message)
            return None
    release = {"Name": "test-release", "Namespace": opts.namespace, "IsUpgrade": False,
               "IsInstall": False, "Revision": 0, "Service": "Helm"}
    return {"Chart": chart_metadata_map(processed, True), "Release": release,
            "Capabilities": capabilities(opts.kube_version), "Values": coalesced,
            "_chart": processed}


def render_each(chart: Any, top: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Render every template on its own (lint mode): ({path: text}, [helm error texts]).

    Parse errors come first, then execution errors, each in helm's parse order
    (deepest paths first, reverse lexical), so the first error is helm's.
    """
    # deferred: only render_each() needs it, and it brings hashlib
    from ..engine.run import Engine, collect_templates, run_deep

    processed = top.pop("_chart", chart)

    def work() -> tuple[dict[str, str], list[str]]:
        engine = Engine(lint_mode=True)
        tpls = {r.name: r for r in collect_templates(processed, top)}
        order = sorted(tpls, key=lambda p: (p.count("/"), p), reverse=True)
        errors: list[str] = []
        broken: set[str] = set()
        for name in order:
            try:
                engine.add(name, tpls[name].source)
            except TemplateSyntaxError as e:
                from ..gotemplate.errortext import helm_parse_message

                errors.append(helm_parse_message(name, e))
                broken.add(name)
        rendered: dict[str, str] = {}
        for name in order:
            if posixpath.basename(name).startswith("_") or name in broken:
                continue
            text = _run_one(engine, name, tpls[name].prepare(), errors)
            if text is not None:
                rendered[name] = text.replace("<no value>", "")
        return rendered, errors

    return run_deep(work)


def _run_one(engine: Any, name: str, scope: dict[str, Any], errors: list[str]) -> str | None:
    # deferred: only _run_one() needs it: 2 modules this one does not otherwise load
    from ..gotemplate.errortext import helm_exec_message

    try:
        return str(engine.run(name, scope))
    except TemplateRenderError as e:
        errors.append(helm_exec_message(e))
    except GoFuncError as e:
        errors.append(str(e))
    except MinihelmError as e:
        errors.append(e.message)
    return None


def _schema_checker(opts: LintOptions) -> Callable[[str], list[str]] | None:
    """kubeschema's per-file check for the chosen version, or None when not asked for."""
    if not opts.kube_schema:
        return None
    # deferred: only _schema_checker() needs it, and it brings json
    from . import kubeschema

    return kubeschema.file_checker(opts.kube_version, notice=opts.notice)


# ------------------------------------------------------------------ many charts, the report


def subchart_paths(paths: list[str]) -> list[str]:
    """--with-subcharts: every folder with a Chart.yaml, and every .tgz, under each charts/."""
    out = list(paths)
    for p in paths:
        for root, dirs, files in os.walk(os.path.join(p, "charts")):
            dirs.sort()
            for f in sorted(files):
                full = os.path.join(root, f)
                if f == "Chart.yaml":
                    out.append(root)
                elif full.endswith((".tgz", ".tar.gz")):
                    out.append(full)
    return out


def lint_paths(paths: list[str], opts: LintOptions) -> list[ChartResult]:
    return [lint_chart(p, opts) for p in paths]


@dataclass
class Report:
    """What `helm lint` prints: the body (stdout), the summary, and whether it failed."""

    body: str
    summary: str
    failed: int
    print_summary: bool


def format_report(results: list[ChartResult], *, strict: bool = False,
                  quiet: bool = False) -> Report:
    """pkg/cmd/lint.go's output: `==> Linting <path>`, one line per finding, a blank line."""
    lines: list[str] = []
    failed = 0
    flagged = 0
    for r in results:
        noisy = r.has_warnings_or_errors()
        flagged += noisy
        if quiet and not noisy:
            continue
        lines.append(f"==> Linting {r.path}\n")
        if not r.findings:
            lines += [f"Error {e}\n" for e in r.errors]
        lines += [f"{f}\n" for f in r.findings if not quiet or f.severity > INFO]
        if r.failed(strict):
            failed += 1
        lines.append("\n")
    summary = f"{len(results)} chart(s) linted, {failed} chart(s) failed"
    return Report("".join(lines), summary, failed, not quiet or flagged > 0)
