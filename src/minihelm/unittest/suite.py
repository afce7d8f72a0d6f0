"""A suite file's text -> Suite, TestJob and Assertion records (helm-unittest's models).

helm-unittest decodes each `---`-separated part of a suite file with go-yaml
v3 into its TestSuite struct (KnownFields under --strict); assertions are
decoded by hand from a map (assertion.go UnmarshalYAML).  The suite's
settings are then copied down into each test (test_suite.go polish*).
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..errors import ChartTestError, MinihelmError
from . import yamlv3
from .assertions import ASSERT_TYPES, AssertSpec, DocumentSelector, make_spec

# helm-unittest's own version, for `skip.minimumVersion` (the plugin.yaml this port follows).
PLUGIN_VERSION = "1.1.0"

# test_suite.go splitterPattern: a `---` line (and the blanks around it) ends a part.
SPLITTER = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


class Release:
    __slots__ = ("is_upgrade", "name", "namespace", "revision")

    def __init__(self) -> None:
        self.name, self.namespace, self.revision, self.is_upgrade = "", "", 0, False


class Capabilities:
    """majorVersion/minorVersion as strings; api_versions None means `apiVersions: null`."""

    __slots__ = ("api_versions", "major", "minor")

    def __init__(self) -> None:
        self.major, self.minor = "", ""
        self.api_versions: list[str] | None = []


class Assertion:
    """One entry of `asserts`: the validator spec plus where it looks."""

    __slots__ = ("document_index", "document_selector", "needs_render_ok", "not_", "spec",
                 "template", "type_name")

    def __init__(self, type_name: str, spec: AssertSpec, template: str, document_index: int,
                 not_: bool, selector: DocumentSelector | None) -> None:
        self.type_name, self.spec, self.template = type_name, spec, template
        self.document_index, self.not_, self.document_selector = document_index, not_, selector
        self.needs_render_ok = ASSERT_TYPES[type_name][2]


class TestJob:
    """One entry of `tests`, after the suite's settings were copied in."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self.name = ""
        self.values: list[str] = []
        self.set: dict[str, Any] = {}
        self.global_set: dict[str, Any] = {}
        self.template = ""
        self.templates: list[str] = []
        self.document_index: int | None = None
        self.document_selector: DocumentSelector | None = None
        self.release = Release()
        self.chart_version, self.chart_app_version = "", ""
        self.capabilities = Capabilities()
        self.assertions: list[Assertion] = []
        self.skip_reason = ""
        self.objects: list[Any] = []  # kubernetesProvider.objects
        self.scheme: dict[str, Any] = {}  # kubernetesProvider.scheme
        self.post_renderer: tuple[str, list[str]] = ("", [])
        self.default_templates: list[str] = []
        self.exclude_templates: list[str] = []


class Suite:
    """One suite (one part of a suite file)."""

    def __init__(self, path: str, chart_route: str) -> None:
        self.path = path  # the suite file as given
        self.definition_file = _relative(path)
        self.chart_route = chart_route
        self.name = ""
        self.values: list[str] = []
        self.set: dict[str, Any] = {}
        self.templates: list[str] = []
        self.exclude_templates: list[str] = []
        self.include_crds = False
        self.release = Release()
        self.chart_version, self.chart_app_version = "", ""
        self.capabilities = Capabilities()
        self.objects: list[Any] = []
        self.scheme: dict[str, Any] = {}
        self.post_renderer: tuple[str, list[str]] = ("", [])
        self.skip_reason = ""
        self.snapshot_id = ""
        self.tests: list[TestJob] = []

    def snapshot_file(self) -> str:
        """tests/__snapshot__/<suite file>.snap (a rendered suite adds _<id>)."""
        base = self.path if not self.snapshot_id else f"{self.path}_{self.snapshot_id}"
        return os.path.join(os.path.dirname(base), "__snapshot__", os.path.basename(base) + ".snap")


def _relative(path: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path))
    except ValueError:
        return path


# --- decoding ----------------------------------------------------------------------------

_SUITE_FIELDS = {"suite", "values", "set", "templates", "excludeTemplates", "includeCrds",
                 "release", "chart", "capabilities", "kubernetesProvider", "postRenderer",
                 "tests", "snapshotId", "skip"}
_TEST_FIELDS = {"it", "values", "set", "template", "templates", "documentIndex",
                "documentindices", "documentSelector", "release", "chart", "capabilities",
                "asserts", "skip", "kubernetesProvider", "postRenderer"}
_RELEASE_FIELDS = {"name", "namespace", "revision", "upgrade"}
_CHART_FIELDS = {"version", "appVersion"}
_CAP_FIELDS = {"majorVersion", "minorVersion", "apiVersions"}
_SKIP_FIELDS = {"reason", "minimumVersion"}


class _Decoder:
    """go-yaml v3 decoding into helm-unittest's structs: type errors and (strict) unknown fields."""

    def __init__(self, strict: bool, text: str = "") -> None:
        self.strict, self.text = strict, text
        self.errors: list[str] = []
        self._seen: dict[str, int] = {}

    def _line(self, key: str) -> str:
        """go-yaml's "line N: " prefix for a key, found in the part's text (next use after the last)."""
        rx = re.compile(rf"^[ \t-]*['\"]?{re.escape(key)}['\"]?[ \t]*:", re.MULTILINE)
        m = rx.search(self.text, self._seen.get(key, 0))
        if m is None:
            return ""
        self._seen[key] = m.end()
        return f"line {self.text.count(chr(10), 0, m.start()) + 1}: "

    def fields(self, m: Any, known: set[str], what: str) -> dict[str, Any]:
        if m is None:
            return {}
        if not isinstance(m, dict):
            self.errors.append(f"cannot unmarshal {_tag(m)} into {what}")
            return {}
        if self.strict:
            for k in m:
                if k not in known:
                    self.errors.append(f"{self._line(str(k))}field {k} not found in type {what}")
        return m

    def string(self, v: Any, what: str = "string") -> str:
        if v is None:
            return ""
        if isinstance(v, (dict, list)):
            self.errors.append(f"cannot unmarshal {_tag(v)} into {what}")
            return ""
        return _scalar_text(v)

    def strings(self, v: Any) -> list[str]:
        if v is None:
            return []
        if not isinstance(v, list):
            self.errors.append(f"cannot unmarshal {_tag(v)} into []string")
            return []
        return [self.string(x) for x in v]

    def integer(self, v: Any) -> int:
        if v is None:
            return 0
        if isinstance(v, bool) or not isinstance(v, int):
            self.errors.append(f"cannot unmarshal {_tag(v)} into int")
            return 0
        return v

    def boolean(self, v: Any) -> bool:
        if v is None:
            return False
        if not isinstance(v, bool):
            self.errors.append(f"cannot unmarshal {_tag(v)} into bool")
            return False
        return v

    def mapping(self, v: Any) -> dict[str, Any]:
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.errors.append(f"cannot unmarshal {_tag(v)} into map[string]interface {{}}")
            return {}
        return v


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        from ..golang.gostrconv import format_float

        return format_float(v, "g", -1)
    return str(v)


def _tag(v: Any) -> str:
    if isinstance(v, dict):
        return "!!map"
    if isinstance(v, list):
        return "!!seq"
    if isinstance(v, bool):
        return f"!!bool `{'true' if v else 'false'}`"
    if isinstance(v, int):
        return f"!!int `{v}`"
    if isinstance(v, float):
        return f"!!float `{_scalar_text(v)}`"
    return f"!!str `{v}`"


def _release(d: _Decoder, m: Any) -> Release:
    r = Release()
    f = d.fields(m, _RELEASE_FIELDS, "struct { Name string; Namespace string; Revision int; "
                 "IsUpgrade bool \"yaml:\\\"upgrade\\\"\" }")
    r.name, r.namespace = d.string(f.get("name")), d.string(f.get("namespace"))
    r.revision, r.is_upgrade = d.integer(f.get("revision")), d.boolean(f.get("upgrade"))
    return r


def _capability_text(v: Any) -> str:
    # test_job.go convertIToString: a string or an int, anything else is "".
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return ""


def _suite_capabilities(d: _Decoder, m: Any) -> Capabilities:
    c = Capabilities()
    f = d.fields(m, _CAP_FIELDS, "struct { MajorVersion string; MinorVersion string; "
                 "APIVersions []string }")
    c.major, c.minor = d.string(f.get("majorVersion")), d.string(f.get("minorVersion"))
    c.api_versions = d.strings(f.get("apiVersions"))
    return c


def _test_capabilities(m: Any) -> Capabilities:
    """TestJob.SetCapabilities: a free-form map; `apiVersions: null` keeps the list nil."""
    c = Capabilities()
    if not isinstance(m, dict):
        return c
    c.major = _capability_text(m.get("majorVersion")) if "majorVersion" in m else ""
    c.minor = _capability_text(m.get("minorVersion")) if "minorVersion" in m else ""
    if "apiVersions" in m:
        v = m["apiVersions"]
        if isinstance(v, list):
            c.api_versions = [x for x in v if isinstance(x, str)]
        else:
            c.api_versions = None
    return c


def _skip(d: _Decoder, m: Any) -> tuple[str, str]:
    f = d.fields(m, _SKIP_FIELDS, "struct { Reason string; MinimumVersion string }")
    return d.string(f.get("reason")), d.string(f.get("minimumVersion"))


def _post_renderer(d: _Decoder, m: Any) -> tuple[str, list[str]]:
    f = d.fields(m, {"cmd", "args"}, "unittest.PostRendererConfig")
    return d.string(f.get("cmd")), d.strings(f.get("args"))


def _objects(d: _Decoder, m: Any) -> list[Any]:
    f = d.mapping(m)
    objs = f.get("objects")
    return list(objs) if isinstance(objs, list) else []


def _scheme(d: _Decoder, m: Any) -> dict[str, Any]:
    f = d.mapping(m)
    return d.mapping(f.get("scheme"))


def parse_assertion(m: Any) -> Assertion:
    """assertion.go UnmarshalYAML: exactly one assertion type key, plus not/template/documentIndex."""
    if not isinstance(m, dict):
        raise ChartTestError(f"cannot unmarshal {_tag(m)} into map[string]interface {{}}")
    doc_index = m.get("documentIndex")
    index = doc_index if isinstance(doc_index, int) and not isinstance(doc_index, bool) else -1
    not_ = m.get("not") is True
    template = m["template"] if isinstance(m.get("template"), str) else ""
    selector = None
    if isinstance(m.get("documentSelector"), dict):
        selector = DocumentSelector.from_map(m["documentSelector"])
    found = [k for k in m if k in ASSERT_TYPES]
    if len(found) > 1:
        raise ChartTestError(
            f"assertion type `{found[0]}` and `{found[1]}` is declared duplicately")
    if not found:
        for k in m:
            if k not in ("template", "documentIndex", "not"):
                raise ChartTestError(f"Assertion type `{k}` is invalid")
        raise ChartTestError("no assertion type defined")
    return Assertion(found[0], make_spec(found[0], m[found[0]]), template, index, not_, selector)


def parse_suite_text(text: str, path: str, chart_route: str, strict: bool = False,
                     values_files: list[str] | None = None,
                     from_render: bool = False) -> list[Suite]:
    """Every suite in a suite file (ParseTestSuiteFile), settings copied into each test.

    Grammar: parts separated by `---` lines; each part a YAML mapping with the
    suite fields, `tests` a list of mappings with the test fields.
    """
    out: list[Suite] = []
    for part in SPLITTER.split(text):
        if not part.strip():
            continue
        suite = _parse_part(part, path, chart_route, strict)
        if suite is None:
            continue
        if from_render:
            if not suite.name:
                raise ChartTestError("helm chart based test suites must include `suite` field")
            # iterateTemplates: each rendered suite snapshots apart, by its position
            suite.snapshot_id = suite.snapshot_id or str(len(out))
        suite.values += list(values_files or [])
        polish(suite)
        out.append(suite)
    return out


def load_suite_file(path: str, chart_route: str, strict: bool = False,
                    values_files: list[str] | None = None) -> list[Suite]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read()
    except OSError as e:
        raise ChartTestError(f"open {path}: {e.strerror.lower() if e.strerror else e}") from None
    return parse_suite_text(text, path, chart_route, strict, values_files)


def render_suite_files(folder: str, chart_route: str, strict: bool = False,
                       values_files: list[str] | None = None) -> list[Suite]:
    """RenderTestSuiteFiles (--chart-tests-path): suites that a helm chart renders.

    The chart is rendered with its own values as release TEST-SUITE-RELEASE in
    NAMESPACE; every rendered file must hold at least one suite, and each
    suite needs a `suite:` name.
    """
    # deferred: only render_suite_files() needs it: 9 modules this one does not otherwise load
    from ..chart.loader import load_chart
    from ..engine.objects import ReleaseOptions, capabilities, chart_metadata_map
    from ..engine.run import render_templates
    from ..values.dependencies import process_dependencies
    from ..values.layers import coalesce_values

    if not os.path.exists(os.path.join(folder, "Chart.yaml")):
        raise ChartTestError(f"stat {os.path.join(folder, 'Chart.yaml')}: no such file or directory")
    chart = load_chart(folder)
    chart = process_dependencies(chart, {})
    top = {"Chart": chart_metadata_map(chart, True), "Capabilities": capabilities(),
           "Release": ReleaseOptions("TEST-SUITE-RELEASE", "NAMESPACE", 1, False).as_map()
           | {"IsInstall": False}, "Values": coalesce_values(chart, {})}
    out: list[Suite] = []
    errors: list[str] = []
    for name, text in sorted(render_templates(chart, top).items()):
        path = os.path.join(folder, name.replace(chart.name, "", 1).lstrip("/"))
        if not text.strip():
            errors.append(f"test suite template ({name}) file did not render a manifest")
            continue
        try:
            found = parse_suite_text(text, path, chart_route, strict, values_files, True)
        except MinihelmError as e:
            errors.append(f"test suite template ({name}) error: {e.message}")
            continue
        if not found:
            errors.append(f"test suite template ({name}) file did not render a manifest")
        out += found
    if errors:
        raise ChartTestError("\n".join(errors))
    return out


def _parse_part(part: str, path: str, chart_route: str, strict: bool) -> Suite | None:
    try:
        doc = yamlv3.load(part, path)
    except MinihelmError as e:
        raise ChartTestError(e.message, e.pos) from None
    if doc is None:
        return None
    d = _Decoder(strict, part)
    s = Suite(path, chart_route)
    f = d.fields(doc, _SUITE_FIELDS, "unittest.TestSuite")
    s.name = d.string(f.get("suite"))
    s.values = d.strings(f.get("values"))
    s.set = d.mapping(f.get("set"))
    s.templates = d.strings(f.get("templates"))
    s.exclude_templates = d.strings(f.get("excludeTemplates"))
    s.include_crds = d.boolean(f.get("includeCrds"))
    s.release = _release(d, f.get("release"))
    cf = d.fields(f.get("chart"), _CHART_FIELDS, "struct { Version string; AppVersion string }")
    s.chart_version, s.chart_app_version = d.string(cf.get("version")), d.string(cf.get("appVersion"))
    s.capabilities = _suite_capabilities(d, f.get("capabilities"))
    s.objects = _objects(d, f.get("kubernetesProvider"))
    s.scheme = _scheme(d, f.get("kubernetesProvider"))
    s.post_renderer = _post_renderer(d, f.get("postRenderer"))
    s.snapshot_id = d.string(f.get("snapshotId"))
    reason, minimum = _skip(d, f.get("skip"))
    tests = f.get("tests")
    if tests is not None and not isinstance(tests, list):
        d.errors.append(f"cannot unmarshal {_tag(tests)} into []*unittest.TestJob")
        tests = []
    for t in tests or []:
        if t is None:
            continue
        s.tests.append(_parse_test(d, t))
    if d.errors:
        raise ChartTestError("yaml: unmarshal errors:\n  " + "\n  ".join(d.errors))
    if not s.tests:
        raise ChartTestError("no tests found")
    if minimum and not reason and not _version_at_least(PLUGIN_VERSION, minimum):
        reason = (f"Test suite requires minimum unittest plugin version {minimum}, "
                  f"but current version is {PLUGIN_VERSION}")
    s.skip_reason = reason
    for t in s.tests:
        if not t.assertions:
            raise ChartTestError("no asserts found")
    return s


def _parse_test(d: _Decoder, m: Any) -> TestJob:
    t = TestJob()
    f = d.fields(m, _TEST_FIELDS, "unittest.TestJob")
    t.name = d.string(f.get("it"))
    t.values = d.strings(f.get("values"))
    t.set = d.mapping(f.get("set"))
    t.template = d.string(f.get("template"))
    t.templates = d.strings(f.get("templates"))
    if f.get("documentIndex") is not None:
        t.document_index = d.integer(f.get("documentIndex"))
    if isinstance(f.get("documentSelector"), dict):
        t.document_selector = DocumentSelector.from_map(f["documentSelector"])
    t.release = _release(d, f.get("release"))
    cf = d.fields(f.get("chart"), _CHART_FIELDS, "struct { Version string; AppVersion string }")
    t.chart_version, t.chart_app_version = d.string(cf.get("version")), d.string(cf.get("appVersion"))
    t.capabilities = _test_capabilities(f.get("capabilities"))
    t.skip_reason, _ = _skip(d, f.get("skip"))
    t.objects = _objects(d, f.get("kubernetesProvider"))
    t.scheme = _scheme(d, f.get("kubernetesProvider"))
    t.post_renderer = _post_renderer(d, f.get("postRenderer"))
    asserts = f.get("asserts")
    if asserts is not None and not isinstance(asserts, list):
        d.errors.append(f"cannot unmarshal {_tag(asserts)} into []*unittest.Assertion")
        asserts = []
    for a in asserts or []:
        if a is None:
            continue
        t.assertions.append(parse_assertion(a))
    return t


def polish(s: Suite) -> None:
    """Copy the suite's settings into each test (polishTestJobsPathInfo and friends)."""
    all_skipped = bool(s.tests) and all(t.skip_reason for t in s.tests)
    for t in s.tests:
        if s.skip_reason:
            t.skip_reason = s.skip_reason
        t.release.name = t.release.name or s.release.name
        t.release.namespace = t.release.namespace or s.release.namespace
        t.release.revision = t.release.revision or s.release.revision
        t.release.is_upgrade = t.release.is_upgrade or s.release.is_upgrade
        t.capabilities.major = t.capabilities.major or s.capabilities.major
        t.capabilities.minor = t.capabilities.minor or s.capabilities.minor
        if s.capabilities.api_versions and t.capabilities.api_versions is not None:
            t.capabilities.api_versions = t.capabilities.api_versions + s.capabilities.api_versions
        t.objects = t.objects + s.objects
        t.scheme = {**t.scheme, **s.scheme}  # maps.Copy: the suite's entries win
        if not t.post_renderer[0]:
            t.post_renderer = s.post_renderer
        t.chart_version = t.chart_version or s.chart_version
        t.chart_app_version = t.chart_app_version or s.chart_app_version
        t.global_set = s.set
        if s.values:
            t.values = s.values + t.values
        t.default_templates = list(s.templates)
        t.exclude_templates = list(s.exclude_templates)
    if not s.skip_reason and all_skipped:
        s.skip_reason = "all tests are skipped"


def _version_at_least(current: str, minimum: str) -> bool:
    # deferred: only _version_at_least() needs it: 1 module this one does not otherwise load
    from ..golang.semver import parse_version

    try:
        return parse_version(current).compare(parse_version(minimum)) >= 0
    except MinihelmError:  # an unparsable version never meets a minimum
        return False
