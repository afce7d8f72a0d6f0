"""A chart folder's files -> lint findings, rule by rule as helm's pkg/chart/v2/lint/rules.

Each rule here mirrors one helm v4.1.4 rule file (chartfile.go, values.go,
dependencies.go, crds.go) and reports with helm's texts and severities.
Rendering is in minihelm.lint.run; the per-manifest checks of template.go and
deprecations.go are in minihelm.lint.manifests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ChartError, MinihelmError, YAMLError
from ..goyaml.yamlio import MAP, Decoder, compose_documents, go_quote, go_sharp_v, load_yaml

INFO, WARNING, ERROR = 1, 2, 3
SEVERITY_NAMES = {0: "UNKNOWN", INFO: "INFO", WARNING: "WARNING", ERROR: "ERROR"}


@dataclass(frozen=True)
class Finding:
    """One support.Message: severity, the path it is about, the error text."""

    severity: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"[{SEVERITY_NAMES[self.severity]}] {self.path}: {self.message}"


Findings = list[Finding]


def add_finding(out: Findings, severity: int, path: str, message: str | None) -> bool:
    """helm's RunLinterRule: record a failed rule; True when the rule passed."""
    if message is None:
        return True
    out.append(Finding(severity, path, message))
    return False


# ------------------------------------------------------------------ Chart.yaml (chartfile.go)


def _go_type(v: Any) -> str:
    """Go's %T of a value sigs.k8s.io/yaml decoded into interface{} (numbers are float64)."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "[]interface {}"
    return "map[string]interface {}"


def _duplicate_keys(data: bytes) -> list[str]:
    """go-yaml v2 strict mode: every `key "x" already set in map`, with its line."""

    errs: list[str] = []

    def walk(node: Any) -> None:
        if node is None:
            return
        kids = getattr(node, "children", None) or []
        if getattr(node, "kind", None) == MAP:
            seen: set[Any] = set()
            for i in range(0, len(kids) - 1, 2):
                try:
                    key = Decoder().unmarshal(kids[i])
                except Exception:  # noqa: BLE001, S112  odd keys are reported by the normal load
                    continue
                marker = repr(key) if isinstance(key, (list, dict)) else (type(key), key)
                if marker in seen:
                    errs.append(f"  line {kids[i].line + 1}: key {go_sharp_v(key)} already set in map")
                seen.add(marker)
        for k in kids:
            walk(k)

    for doc in compose_documents(data, first_only=True):
        walk(doc)
    return errs


def _strict_problem(data: bytes) -> str | None:
    """StrictLoadChartfile's error: duplicate keys first, then the first unknown field."""
    # deferred: bound here only: the name means something else at module level
    from ..chart.chartfile import METADATA, parse_yaml

    dups = _duplicate_keys(data)
    if dups:
        return "error converting YAML to JSON: yaml: unmarshal errors:\n" + "\n".join(dups)
    doc = parse_yaml(data, "Chart.yaml")
    if not isinstance(doc, dict):
        return None
    known = {k.casefold() for k in METADATA.fields}
    for key in sorted(str(k) for k in doc):
        if key.casefold() not in known:
            return ("error unmarshaling JSON: while decoding JSON: "
                    f"json: unknown field {go_quote(key)}")
    return None


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]*)(:[0-9]*)?$")


def is_email(s: str) -> bool:
    """govalidator.IsEmail, approximated: local@domain with a dot-separated domain."""
    return bool(_EMAIL.match(s))


def is_request_url(s: str) -> bool:
    """govalidator.IsRequestURL: url.ParseRequestURI succeeds and there is a scheme."""
    if not _SCHEME.match(s) or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in s):
        return False
    rest = s.split(":", 1)[1]
    if rest.startswith("//"):
        authority = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return bool(_HOST.match(authority.rsplit("@", 1)[-1]))
    return True


def is_url(s: str) -> bool:
    """govalidator.IsURL, approximated: an optional scheme, then a host with a dot or localhost."""
    if not s or len(s) >= 2083 or len(s) <= 3 or s.startswith(".") or any(c.isspace() for c in s):
        return False
    rest = s
    m = re.match(r"^(?:(?:https?|ftp|tcp|udp|wss?)://)", s, re.IGNORECASE)
    if m:
        rest = s[m.end():]
    elif "://" in s:
        return False
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    host = re.sub(r":\d{1,5}$", "", host)
    if host.lower() == "localhost" or re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", host):
        return True
    return bool(re.fullmatch(r"([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\.)+[A-Za-z0-9-]{2,}\.?",
                             host))


def chartfile_findings(chart_dir: str) -> Findings:
    """rules.Chartfile: Chart.yaml parses, then each metadata rule in helm's order."""
    out: Findings = []
    name = "Chart.yaml"
    path = os.path.join(chart_dir, name)
    if os.path.isdir(path):
        add_finding(out, ERROR, name, "should be a file, not a directory")
    try:
        data = Path(path).read_bytes()
        md = _load_metadata(data)
    except OSError as e:
        add_finding(out, ERROR, name, f"unable to parse YAML\n\topen {path}: {(e.strerror or '').lower()}")
        return out
    except MinihelmError as e:
        add_finding(out, ERROR, name, f"unable to parse YAML\n\t{e.message}")
        return out
    strict = _strict_problem(data)
    add_finding(out, WARNING, name,
         None if strict is None else f"failed to strictly parse chart metadata file\n\t{strict}")

    try:
        raw = load_yaml(data, name)
    except MinihelmError:
        raw = {}
    raw = raw if isinstance(raw, dict) else {}
    for rule, sev in _metadata_rules(raw):
        add_finding(out, sev, name, rule(md))
    return out


def _load_metadata(data: bytes) -> dict[str, Any]:
    """LoadChartfile: sigs.k8s.io/yaml into chart.Metadata, no validation."""
    # deferred: bound here only: the name means something else at module level
    from ..chart.chartfile import METADATA, decode_struct, parse_yaml

    try:
        return decode_struct(parse_yaml(data, "Chart.yaml"), METADATA)
    except ValueError as e:
        raise ChartError(str(e)) from None
    except YAMLError as e:
        raise YAMLError(e.message) from None


Rule = Callable[[dict[str, Any]], "str | None"]


def _metadata_rules(raw: dict[str, Any]) -> list[tuple[Rule, int]]:
    def string_typed(key: str) -> Rule:
        def check(_: dict[str, Any]) -> str | None:
            if key in raw and not isinstance(raw[key], str):
                return f"{key} should be of type string but it's of type {_go_type(raw[key])}"
            return None
        return check

    return [
        (_rule_name, ERROR), (_rule_api_version, ERROR), (string_typed("version"), ERROR),
        (_rule_version, ERROR), (string_typed("appVersion"), ERROR), (_rule_maintainers, ERROR),
        (_rule_sources, ERROR), (_rule_icon_presence, INFO), (_rule_icon_url, ERROR),
        (_rule_type, ERROR), (_rule_dependencies, ERROR), (_rule_strict_semver, WARNING),
    ]


def _rule_name(md: dict[str, Any]) -> str | None:
    name = md.get("name", "")
    if not name:
        return "name is required"
    base = name.rstrip("/").rsplit("/", 1)[-1] or "/"  # Go's filepath.Base
    return None if base == name else f"chart name {_q(name)} is invalid"


def _q(s: str) -> str:
    return go_quote(s)


def _rule_api_version(md: dict[str, Any]) -> str | None:
    api = md.get("apiVersion", "")
    if not api:
        return 'apiVersion is required. The value must be either "v1" or "v2"'
    if api not in ("v1", "v2"):
        return f"apiVersion '{api}' is not valid. The value must be either \"v1\" or \"v2\""
    return None


def _rule_version(md: dict[str, Any]) -> str | None:
    # deferred: only _rule_version() needs it: 1 module this one does not otherwise load
    from ..golang.semver import parse_version

    v = md.get("version", "")
    if not v:
        return "version is required"
    try:
        parsed = parse_version(v)
    except MinihelmError:
        return f"version '{v}' is not a valid SemVer"
    # Masterminds' `>0.0.0-0` accepts every version but 0.0.0-0 itself.
    if (parsed.major, parsed.minor, parsed.patch, parsed.pre) == (0, 0, 0, "0"):
        return f"version {parsed} is less than or equal to 0.0.0-0"
    return None


def _rule_strict_semver(md: dict[str, Any]) -> str | None:
    v = md.get("version", "")
    num = r"(0|[1-9]\d*)"
    ident = r"[0-9A-Za-z-]+"
    ok = re.fullmatch(rf"{num}\.{num}\.{num}(-{ident}(\.{ident})*)?(\+{ident}(\.{ident})*)?", v)
    if ok:
        pre = ok.group(4) or ""
        if not any(p.isdigit() and len(p) > 1 and p[0] == "0" for p in pre[1:].split(".")):
            return None
    return f"version '{v}' is not a valid SemVerV2"


def _rule_maintainers(md: dict[str, Any]) -> str | None:
    for m in md.get("maintainers", []):
        if m is None:
            return "a maintainer entry is empty"
        name, email, url = m.get("name", ""), m.get("email", ""), m.get("url", "")
        if not name:
            return "each maintainer requires a name"
        if email and not is_email(email):
            return f"invalid email '{email}' for maintainer '{name}'"
        if url and not is_url(url):
            return f"invalid url '{url}' for maintainer '{name}'"
    return None


def _rule_sources(md: dict[str, Any]) -> str | None:
    for s in md.get("sources", []):
        if not s or not is_request_url(s):
            return f"invalid source URL '{s}'"
    return None


def _rule_icon_presence(md: dict[str, Any]) -> str | None:
    return None if md.get("icon") else "icon is recommended"


def _rule_icon_url(md: dict[str, Any]) -> str | None:
    icon = md.get("icon", "")
    return f"invalid icon URL '{icon}'" if icon and not is_request_url(icon) else None


def _rule_type(md: dict[str, Any]) -> str | None:
    api = md.get("apiVersion", "")
    if md.get("type") and api != "v2":
        return f"chart type is not valid in apiVersion '{api}'. It is valid in apiVersion 'v2'"
    return None


def _rule_dependencies(md: dict[str, Any]) -> str | None:
    api = md.get("apiVersion", "")
    if md.get("dependencies") and api != "v2":
        return (f"dependencies are not valid in the Chart file with apiVersion '{api}'. "
                "They are valid in apiVersion 'v2'")
    return None


# ------------------------------------------------------------------ values.yaml (values.go)


def values_findings(chart_dir: str, overrides: dict[str, Any], skip_schema: bool) -> Findings:
    """rules.ValuesWithOverrides: values.yaml parses; with the overrides it meets the schema."""
    out: Findings = []
    path = os.path.join(chart_dir, "values.yaml")
    if not os.path.exists(path):
        add_finding(out, INFO, "values.yaml", "file does not exist")
        return out
    add_finding(out, ERROR, "values.yaml", _values_problem(path, overrides, skip_schema))
    return out


def _values_problem(path: str, overrides: dict[str, Any], skip_schema: bool) -> str | None:
    # deferred: only _values_problem() needs it: 6 modules this one does not otherwise load
    from ..values.layers import coalesce_tables, deep_copy
    from ..values.valuecheck import _validate_one

    try:
        data = Path(path).read_bytes()
        vals = load_yaml(data, "values.yaml")
    except OSError as e:
        return f"unable to parse YAML: read {path}: {(e.strerror or '').lower()}"
    except MinihelmError as e:
        return f"unable to parse YAML: {e.message}"
    if vals is None:
        vals = {}
    if not isinstance(vals, dict):
        from ..golang.jsonio import go_json_kind

        return ("unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: "
                f"cannot unmarshal {go_json_kind(vals)} into Go value of type common.Values")
    merged = coalesce_tables(coalesce_tables({}, deep_copy(overrides)), vals)
    schema_path = path[: -len(".yaml")] + ".schema.json"
    try:
        schema = Path(schema_path).read_bytes()
    except OSError:
        return None
    if not schema or skip_schema:
        return None
    return _validate_one(merged, schema) or None


# ------------------------------------------------------------------ dependencies.go and crds.go


def dependency_findings(chart_dir: str, chart: Any, load_error: str | None) -> Findings:
    """rules.Dependencies: charts/ and Chart.yaml's dependencies agree (paths are the chart folder)."""
    out: Findings = []
    if not add_finding(out, ERROR, "", None if load_error is None
                else f"unable to load chart\n\t{load_error}"):
        return out
    declared = [d.name for d in chart.metadata.dependencies]
    present = [c.name for c in chart.dependencies]
    extra = [p for p in present if p not in declared]
    add_finding(out, ERROR, chart_dir, "chart metadata is missing these dependencies: " + ",".join(extra)
         if extra else None)
    keys = [d.alias or d.name for d in chart.metadata.dependencies]
    shadow = [k for i, k in enumerate(keys) if k in keys[:i]]
    add_finding(out, ERROR, chart_dir, "multiple dependencies with name or alias: " + ",".join(shadow)
         if shadow else None)
    missing = [d for d in declared if d not in present]
    add_finding(out, WARNING, chart_dir, "chart directory is missing these dependencies: "
         + ",".join(missing) if missing else None)
    return out
