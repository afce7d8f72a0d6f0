"""An assertion's parameters and the selected manifests -> pass/fail plus helm-unittest's fail lines.

One validator per assertion family (pkg/unittest/validators), each keeping
helm-unittest's verdict rules, including its quirks: with several documents
or several matches of a path, a verdict is the AND over them; with no
manifests a positive assertion fails ("no manifest found") and a negated one
passes.  `not: true` and the antonym types (notEqual, isNull, ...) flip the
same validator.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
from collections.abc import Callable
from typing import Any

from ..errors import ChartTestError, MinihelmError
from . import yamlv3
from .path import find, go_regex
from .yamlv3 import go_equal

RAW = "raw"
Manifest = dict[str, Any]
Verdict = tuple[bool, list[str]]

# --- parameter decoding (mapstructure: case-insensitive field names) -------------------

_STR, _ANY, _INT, _OPT_INT, _BOOL, _STRS, _PATTERN = range(7)
_ZERO: dict[int, Any] = {_STR: "", _INT: 0, _BOOL: False, _STRS: []}


class AssertSpec:
    """An assertion type with its decoded parameters."""

    __slots__ = ("antonym", "kind", "params", "render_ok")

    def __init__(self, kind: str, params: dict[str, Any], antonym: bool, render_ok: bool) -> None:
        self.kind, self.params, self.antonym, self.render_ok = kind, params, antonym, render_ok


def _mapstructure(raw: Any, fields: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {name: _ZERO.get(kind) for name, kind in fields.items()}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        raise ChartTestError(f"'' expected a map, got '{_go_kind(raw)}'")
    lower = {k.lower(): k for k in fields}
    errors: list[str] = []
    for key, v in raw.items():
        name = lower.get(str(key).lower())
        if name is None:
            continue
        kind = fields[name]
        field = name[:1].upper() + name[1:]
        if v is None and kind != _ANY:
            continue
        if kind == _STR and not isinstance(v, str):
            errors.append(f"'{field}' expected type 'string', got unconvertible type "
                          f"'{_go_type(v)}', value: '{_go_value(v)}'")
        elif kind in (_INT, _OPT_INT) and (isinstance(v, bool) or not isinstance(v, int)):
            errors.append(f"'{field}' expected type 'int', got unconvertible type "
                          f"'{_go_type(v)}', value: '{_go_value(v)}'")
        elif kind == _BOOL and not isinstance(v, bool):
            errors.append(f"'{field}' expected type 'bool', got unconvertible type "
                          f"'{_go_type(v)}', value: '{_go_value(v)}'")
        elif kind == _STRS and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            errors.append(f"'{field}': source data must be an array or slice, got "
                          f"{_go_kind(v)}" if not isinstance(v, list) else
                          f"'{field}[0]' expected type 'string'")
        elif kind == _PATTERN:
            inner = _mapstructure(v, {"pattern": _STR})
            out[name] = inner["pattern"]
        else:
            out[name] = v
    if errors:
        raise ChartTestError(f"{len(errors)} error(s) decoding:\n\n" +
                             "\n".join(f"* {e}" for e in errors))
    return out


def _go_type(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    return ""


def _go_kind(v: Any) -> str:
    return {"map[string]interface {}": "map", "[]interface {}": "slice"}.get(_go_type(v), _go_type(v))


def _go_value(v: Any) -> str:
    return go_sprint(v)


def go_sprint(v: Any) -> str:
    """fmt's %v of a decoded YAML value."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        from ..golang.gostrconv import format_float

        return format_float(v, "g", -1)
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return str(v)


_PATH_VALUE = {"path": _STR, "value": _ANY, "decodeBase64": _BOOL}
_FIELDS: dict[str, dict[str, int]] = {
    "equal": _PATH_VALUE,
    "greaterOrEqual": {"path": _STR, "value": _ANY},
    "lessOrEqual": {"path": _STR, "value": _ANY},
    "equalRaw": {"value": _STR},
    "exists": {"path": _STR},
    "matchRegex": {"path": _STR, "pattern": _STR, "decodeBase64": _BOOL},
    "matchRegexRaw": {"pattern": _STR},
    "contains": {"path": _STR, "content": _ANY, "count": _OPT_INT, "any": _BOOL},
    "isKind": {"of": _STR},
    "isAPIVersion": {"of": _STR},
    "hasDocuments": {"count": _INT, "filterAware": _BOOL},
    "isSubset": {"path": _STR, "content": _ANY},
    "isNullOrEmpty": {"path": _STR},
    "failedTemplate": {"errorMessage": _STR, "errorPattern": _STR},
    "containsDocument": {"kind": _STR, "apiVersion": _STR, "name": _STR, "namespace": _STR,
                         "any": _BOOL},
    "lengthEqual": {"paths": _STRS, "path": _STR, "count": _OPT_INT},
    "isType": {"path": _STR, "type": _STR},
    "matchSnapshot": {"path": _STR, "matchRegex": _PATTERN, "notMatchRegex": _PATTERN},
    "matchSnapshotRaw": {},
}

# assertion type -> (validator family, antonym, needs a successful render): assertion.go's table.
ASSERT_TYPES: dict[str, tuple[str, bool, bool]] = {
    "matchSnapshot": ("matchSnapshot", False, True),
    "matchSnapshotRaw": ("matchSnapshotRaw", False, True),
    "equal": ("equal", False, True), "notEqual": ("equal", True, True),
    "greaterOrEqual": ("greaterOrEqual", False, True),
    "notGreaterOrEqual": ("greaterOrEqual", True, True),
    "lessOrEqual": ("lessOrEqual", False, True), "notLessOrEqual": ("lessOrEqual", True, True),
    "equalRaw": ("equalRaw", False, True), "notEqualRaw": ("equalRaw", True, True),
    "exists": ("exists", False, True), "notExists": ("exists", True, True),
    "matchRegex": ("matchRegex", False, True), "notMatchRegex": ("matchRegex", True, True),
    "matchRegexRaw": ("matchRegexRaw", False, True),
    "notMatchRegexRaw": ("matchRegexRaw", True, True),
    "contains": ("contains", False, True), "notContains": ("contains", True, True),
    "isKind": ("isKind", False, True), "isAPIVersion": ("isAPIVersion", False, True),
    "hasDocuments": ("hasDocuments", False, True),
    "isSubset": ("isSubset", False, True), "isNotSubset": ("isSubset", True, True),
    "isNullOrEmpty": ("isNullOrEmpty", False, True),
    "isNotNullOrEmpty": ("isNullOrEmpty", True, True),
    "failedTemplate": ("failedTemplate", False, False),
    "notFailedTemplate": ("failedTemplate", True, True),
    "containsDocument": ("containsDocument", False, True),
    "lengthEqual": ("lengthEqual", False, True), "notLengthEqual": ("lengthEqual", True, True),
    "isNull": ("exists", True, True), "isNotNull": ("exists", False, True),
    "isEmpty": ("isNullOrEmpty", False, True), "isNotEmpty": ("isNullOrEmpty", True, True),
    "isType": ("isType", False, True), "isNotType": ("isType", True, True),
}


def make_spec(kind: str, raw: Any) -> AssertSpec:
    family, antonym, render_ok = ASSERT_TYPES[kind]
    return AssertSpec(family, _mapstructure(raw, _FIELDS[family]), antonym, render_ok)


# --- document selection -----------------------------------------------------------------


class DocumentSelector:
    """documentSelector: the documents whose `path` holds `value` (any value when unset)."""

    __slots__ = ("match_many", "path", "skip_empty", "value")

    def __init__(self, path: str, value: Any, match_many: bool, skip_empty: bool) -> None:
        self.path, self.value, self.match_many, self.skip_empty = path, value, match_many, skip_empty

    @classmethod
    def from_map(cls, m: dict[str, Any]) -> DocumentSelector:
        path = m.get("path")
        if not isinstance(path, str):
            raise ChartTestError("empty 'documentSelector.path' not supported")
        return cls(path, m.get("value"), m.get("matchMany") is True,
                   m.get("skipEmptyTemplates") is True)

    def select(self, by_template: dict[str, list[Manifest]]) -> dict[str, list[Manifest]]:
        """SelectDocuments; raises ChartTestError for "multiple indexes found" and friends."""
        out: dict[str, list[Manifest]] = {}
        total = 0
        for template, docs in by_template.items():
            picked: list[Manifest] = []
            for doc in docs or []:
                if self._matches(doc):
                    if not self.match_many and picked:
                        raise ChartTestError("multiple indexes found")
                    picked.append(doc)
            total += len(picked)
            if not picked and not self.skip_empty:
                raise ChartTestError("document not found")
            if not self.match_many and total > 1:
                raise ChartTestError("multiple indexes found")
            if picked or not self.skip_empty:
                out[template] = picked
        return out

    def _matches(self, doc: Manifest) -> bool:
        for v in values_at(doc, self.path):
            if self.value is None or go_equal(self.value, v):
                return True
        return False


def values_at(doc: Any, path: str) -> list[Any]:
    """GetValueOfSetPath: every value the path selects; a path error is a ChartTestError."""
    return find(doc, path)


# --- fail info formatting (validators/common.go) ---------------------------------------

_TRAILING_SPACES = re.compile(r"[ ]+\r?\n")


def fail_format(not_: bool, path: bool, actual: bool, diff: bool, custom: str) -> str:
    out = "\nExpected" + (" NOT" if not_ else "") + custom + ":\n%s\n"
    if path:
        out = "Path:%s" + out
    if actual:
        out += "Actual:\n%s\n"
    if diff:
        out += "Diff:\n%s\n"
    return out


ERROR_FORMAT = "\nError:\n%s\n"


def split_info(fmt: str, manifest_index: int, values_index: int, *parts: str) -> list[str]:
    """splitInfof: the format with each part tab-indented, split into lines, indexes first."""
    indented = tuple("\t" + p.replace("\n", "\n\t").strip("\n\t ") for p in parts)
    lines = (fmt.strip("\t\n ") % indented).split("\n")
    if values_index >= 0:
        lines.insert(0, f"ValuesIndex:\t{values_index}")
    if manifest_index >= 0:
        lines.insert(0, f"DocumentIndex:\t{manifest_index}")
    return lines


def _go_split_lines(s: str) -> list[str]:
    lines = s.split("\n")
    out = [x + "\n" for x in lines[:-1]] + [lines[-1]]
    out[-1] += "\n"
    return out


def unified_diff(expected: str, actual: str) -> str:
    """go-difflib's unified diff with one line of context, Expected -> Actual."""
    return "".join(difflib.unified_diff(_go_split_lines(expected), _go_split_lines(actual),
                                        "Expected", "Actual", n=1))


def uniform(s: str) -> str:
    """uniformContent: trailing spaces before line ends dropped, leading newlines trimmed."""
    return _TRAILING_SPACES.sub("\n", s).lstrip("\n")


def dump(v: Any) -> str:
    return yamlv3.dump(v)


def _and(i: int, so_far: bool, new: bool) -> bool:
    """determineSuccess: the first verdict, then AND."""
    return new if i == 0 else so_far and new


# --- the context --------------------------------------------------------------------------


class Context:
    """What a validator sees: all documents of one template and the selected ones."""

    __slots__ = ("docs", "fail_fast", "negative", "render_error", "selected", "snapshot")

    def __init__(self, docs: list[Manifest], selected: list[Manifest] | None, negative: bool,
                 snapshot: Any, render_error: str | None, fail_fast: bool) -> None:
        self.docs, self.selected, self.negative = docs, selected, negative
        self.snapshot, self.render_error, self.fail_fast = snapshot, render_error, fail_fast

    def manifests(self) -> list[Manifest]:
        return self.docs if self.selected is None else self.selected


# --- per-value validators (path based) --------------------------------------------------

SingleCheck = Callable[[Any, int, int, Context], Verdict]


def _path_validator(ctx: Context, path: str, single: SingleCheck,
                    empty_info: Callable[[], list[str]],
                    unknown: str = "unknown path %s", stop_on_manifest: bool = True) -> Verdict:
    """The common loop: each manifest, each value the path finds, verdicts ANDed."""
    ok, errors = False, []
    manifests = ctx.manifests()
    for mi, m in enumerate(manifests):
        m_ok, m_err = _per_manifest(ctx, m, mi, path, single, unknown)
        errors += m_err
        ok = _and(mi, ok, m_ok)
        if not ok and ctx.fail_fast and stop_on_manifest:
            break
    if not manifests and not ctx.negative:
        errors += empty_info()
    elif not manifests and ctx.negative:
        ok = True
    return ok, errors


def _per_manifest(ctx: Context, m: Manifest, mi: int, path: str, single: SingleCheck,
                  unknown: str) -> Verdict:
    try:
        actuals = values_at(m, path)
    except MinihelmError as e:
        return False, split_info(ERROR_FORMAT, mi, -1, e.message)
    if not actuals and not ctx.negative:
        return False, split_info(ERROR_FORMAT, mi, -1, unknown % path)
    ok = not actuals and ctx.negative
    errors: list[str] = []
    for ai, actual in enumerate(actuals):
        s_ok, s_err = single(actual, mi, ai, ctx)
        errors += s_err
        ok = _and(ai, ok, s_ok)
        if not s_ok and ctx.fail_fast:
            break
    return ok, errors


def _decode_b64(s: str) -> str | None:
    try:
        return base64.b64decode(s.encode("utf-8", "surrogateescape"), validate=True).decode(
            "utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        return None


def v_equal(p: dict[str, Any], ctx: Context) -> Verdict:
    expected = p["value"]

    def info(actual: Any, mi: int, ai: int, neg: bool) -> list[str]:
        e_yaml, a_yaml = dump(expected), dump(actual)
        if neg:
            return split_info(fail_format(True, True, False, False, " to equal"), mi, ai,
                              p["path"], e_yaml)
        return split_info(fail_format(False, True, True, True, " to equal"), mi, ai, p["path"],
                          e_yaml, a_yaml, unified_diff(e_yaml, a_yaml))

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        if isinstance(actual, str):
            s: str | None = actual
            if p["decodeBase64"]:
                s = _decode_b64(actual)
                if s is None:
                    return False, split_info(ERROR_FORMAT, mi, ai,
                                             f"unable to decode base64 expected content {actual}")
            assert s is not None
            actual = uniform(s)
        if go_equal(expected, actual) == c.negative:
            return False, info(actual, mi, ai, c.negative)
        return True, []

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", -1, -1, ctx.negative))


def v_exists(p: dict[str, Any], ctx: Context) -> Verdict:
    def info(mi: int, neg: bool) -> list[str]:
        return split_info("Path:%s expected to " + ("NOT " if neg else "") + "exists", mi, -1,
                          p["path"])

    ok, errors = False, []
    manifests = ctx.manifests()
    for i, m in enumerate(manifests):
        try:
            found = values_at(m, p["path"])
        except MinihelmError as e:
            ok = False
            errors += split_info(ERROR_FORMAT, i, -1, e.message)
            if ctx.fail_fast:
                break
            continue
        if (len(found) > 0) == ctx.negative:
            ok = False
            errors += info(i, ctx.negative)
            continue
        ok = _and(i, ok, True)
    if not manifests and not ctx.negative:
        errors += info(-1, ctx.negative)
    elif not manifests and ctx.negative:
        ok = True
    return ok, errors


def v_match_regex(p: dict[str, Any], ctx: Context) -> Verdict:
    if p["pattern"] == "":
        return False, split_info(ERROR_FORMAT, -1, -1, "expected field 'pattern' to be filled")

    def info(actual: str, mi: int, ai: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, True, False, " to match"), mi, ai, p["path"],
                          p["pattern"], actual)

    try:
        rx = go_regex(p["pattern"])
    except ChartTestError as e:
        return False, split_info(ERROR_FORMAT, -1, -1, e.message)

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        if isinstance(actual, str):
            s = actual
            if p["decodeBase64"]:
                d = _decode_b64(actual)
                if d is None:
                    return False, split_info(ERROR_FORMAT, mi, ai,
                                             f"unable to decode base64 expected content {actual}")
                s = d
            if bool(rx.search(s)) == c.negative:
                return False, info(s, mi, ai, c.negative)
            return True, []
        return False, split_info(ERROR_FORMAT, mi, ai,
                                 f"expect '{p['path']}' to be a string, got:\n{dump(actual)}")

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", -1, -1, ctx.negative))


def v_contains(p: dict[str, Any], ctx: Context) -> Verdict:
    content, count, any_ = p["content"], p["count"], p["any"]

    def info(actual: Any, mi: int, ai: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, True, False, " to contain"), mi, ai, p["path"],
                          dump([content]), dump(actual))

    def scan(items: list[Any]) -> tuple[bool, int]:
        found, n = False, 0
        for ele in items:
            is_array = False
            if any_:
                if isinstance(ele, dict) and isinstance(content, dict):
                    if _subset(ele, content):
                        found, n = True, n + 1
                else:
                    is_array = True
            if (not any_ or is_array) and go_equal(ele, content):
                found, n = True, n + 1
        return found, n

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        if not isinstance(actual, list):
            return False, split_info(ERROR_FORMAT, mi, ai,
                                     f"expect '{p['path']}' to be an array, got:\n{dump(actual)}")
        found, n = scan(actual)
        if count is None and found == c.negative:
            return False, info(actual, mi, ai, c.negative)
        if count is not None and (found and count == n) == c.negative:
            if not found:
                return False, info(actual, mi, ai, c.negative)
            return False, split_info(ERROR_FORMAT, mi, ai,
                                     f"expect count {count} in '{p['path']}' to be in array, "
                                     f"got {n}:\n{dump(actual)}")
        return True, []

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", 0, -1, ctx.negative))


def _subset(actual: dict[str, Any], content: dict[str, Any]) -> bool:
    # validateSubset: a missing key reads as nil, as a Go map index does
    return all(go_equal(actual.get(k), v) for k, v in content.items())


def v_is_subset(p: dict[str, Any], ctx: Context) -> Verdict:
    content = p["content"]

    def info(actual: Any, mi: int, ai: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, True, False, " to contain"), mi, ai, p["path"],
                          dump(content), dump(actual))

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        if isinstance(actual, dict) and isinstance(content, dict):
            found = _subset(actual, content)
            return found != c.negative, ([] if found != c.negative else info(actual, mi, ai, c.negative))
        return False, split_info(ERROR_FORMAT, mi, ai,
                                 f"expect '{p['path']}' to be an object, got:\n{dump(actual)}")

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", -1, -1, ctx.negative))


def _is_empty(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (list, dict, str)):
        return len(v) == 0
    if isinstance(v, bool):
        return v is False
    return bool(v == 0)


def v_null_or_empty(p: dict[str, Any], ctx: Context) -> Verdict:
    def info(actual: Any, mi: int, ai: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, False, False, " to be null or empty, got"), mi,
                          ai, p["path"], dump(actual))

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        if _is_empty(actual) == c.negative:
            return False, info(actual, mi, ai, c.negative)
        return True, []

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", -1, -1, ctx.negative))


def go_type_name(v: Any) -> str:
    """reflect.TypeOf(v).String() for a decoded YAML value ("" for nil)."""
    return _go_type(v)


def v_is_type(p: dict[str, Any], ctx: Context) -> Verdict:
    def info(actual: str, mi: int, ai: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, True, False, " to be of type"), mi, ai,
                          p["path"], p["type"], actual)

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        t = go_type_name(actual)
        if (t == p["type"]) == c.negative:
            return False, info(t, mi, ai, c.negative)
        return True, []

    return _path_validator(ctx, p["path"], single,
                           lambda: info("no manifest found", -1, -1, ctx.negative))


def _operator(comparison: str) -> Callable[[dict[str, Any], Context], Verdict]:
    def validate(p: dict[str, Any], ctx: Context) -> Verdict:
        expected = p["value"]

        def info(msg: str, mi: int, ai: int, neg: bool) -> list[str]:
            return split_info(fail_format(neg, True, False, False,
                                          f" to be {comparison} then or equal to, got"),
                              mi, ai, p["path"], msg)

        def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
            at, et = _go_type(actual), _go_type(expected)
            if at != et:
                return False, split_info(ERROR_FORMAT, mi, ai,
                                         f"actual '{at or '<nil>'}' and expected "
                                         f"'{et or '<nil>'}' types do not match")
            if not isinstance(expected, (str, int, float)) or isinstance(expected, bool):
                return False, info(f"unsupported type '{_go_type(expected) or '<nil>'}'", mi, ai,
                                   c.negative)
            # operator_validator.go: `greater && a >= e || less && a <= e == negative`
            # (Go's == binds tighter than ||), with negative = NOT the context's.
            neg = not c.negative
            if comparison == "greater":
                ok = actual >= expected or False == neg
            else:
                ok = False or ((actual <= expected) == neg)
            if not ok:
                return False, info(f"the actual '{go_sprint(actual)}' is not {comparison} or "
                                   f"equal to the expected '{go_sprint(expected)}'", mi, ai,
                                   c.negative)
            return True, []

        return _path_validator(ctx, p["path"], single,
                               lambda: info("no manifests found", -1, -1, ctx.negative),
                               unknown="unknown path '%s'")
    return validate


def v_length_equal(p: dict[str, Any], ctx: Context) -> Verdict:
    path, paths, count = p["path"], p["paths"], p["count"]
    if path and (count is None or count < 0):
        return False, split_info(ERROR_FORMAT, -1, -1, "'count' field must be set if 'path' is used")
    if path and paths:
        return False, split_info(ERROR_FORMAT, -1, -1, "'paths' couldn't be used with 'path'")

    def info(pth: str, cnt: str, actual: str, mi: int, neg: bool) -> list[str]:
        return split_info(fail_format(neg, True, True, False, " to match count"), mi, -1, pth,
                          cnt, actual)

    def counts(m: Manifest, pth: str, mi: int) -> tuple[bool, list[str], int]:
        try:
            actuals = values_at(m, pth)
        except MinihelmError as e:
            return False, split_info(ERROR_FORMAT, mi, -1, e.message), 0
        ok = not actuals and ctx.negative
        errors: list[str] = []
        length = 0
        for ai, actual in enumerate(actuals):
            if not isinstance(actual, list) and count is None:
                errors += split_info(ERROR_FORMAT, mi, ai, f"{pth} is not array")
                continue
            length = len(actual) if isinstance(actual, list) else 0
            a_ok = True
            if count is not None and (length == count) == ctx.negative:
                errors += info(pth, str(count), str(length), mi, ctx.negative)
                a_ok = False
            ok = _and(ai, ok, a_ok)
            if not ok and ctx.fail_fast:
                break
        return ok, errors, length

    def multiple(m: Manifest, mi: int) -> Verdict:
        errors: list[str] = []
        found: dict[str, int] = {}
        all_ok = True
        for pth in paths:
            ok, errs, found[pth] = counts(m, pth, mi)
            if not ok:
                errors += errs
                all_ok = False
        if not all_ok:
            return False, errors
        first = -1
        for pth in sorted(found):
            if first == -1:
                first = found[pth]
            elif (first == found[pth]) == ctx.negative:
                return False, errors + info(pth, "-1", str(found[pth]), mi, ctx.negative)
        return first != -1, errors

    ok, errors = False, []
    manifests = ctx.manifests()
    for mi, m in enumerate(manifests):
        if path:
            m_ok, m_err, _ = counts(m, path, mi)
        else:
            m_ok, m_err = multiple(m, mi)
        errors += m_err
        ok = _and(mi, ok, m_ok)
        if not ok and ctx.fail_fast:
            break
    if not manifests and not ctx.negative:
        errors += info("", "", "no manifest found", -1, ctx.negative)
    elif not manifests and ctx.negative:
        ok = True
    return ok, errors


def _of_validator(field: str, custom: str) -> Callable[[dict[str, Any], Context], Verdict]:
    def validate(p: dict[str, Any], ctx: Context) -> Verdict:
        of = p["of"]

        def info(actual: Any, mi: int, neg: bool) -> list[str]:
            if neg:
                return split_info(fail_format(True, False, False, False, custom), mi, -1, of)
            return split_info(fail_format(False, False, True, False, custom), mi, -1, of,
                              dump(actual))

        ok, errors = False, []
        manifests = ctx.manifests()
        for mi, m in enumerate(manifests):
            v = m.get(field)
            if (isinstance(v, str) and v == of) == ctx.negative:
                ok = False
                errors += info(v, mi, ctx.negative)
                if ctx.fail_fast:
                    break
                continue
            ok = _and(mi, ok, True)
        if not manifests and not ctx.negative:
            errors += info("no manifest found", -1, ctx.negative)
        elif not manifests and ctx.negative:
            ok = True
        return ok, errors
    return validate


def v_has_documents(p: dict[str, Any], ctx: Context) -> Verdict:
    n = len(ctx.manifests()) if p["filterAware"] else len(ctx.docs)
    if (n == p["count"]) != ctx.negative:
        return True, []
    custom = " documents count to be"
    if ctx.negative:
        return False, split_info(fail_format(True, False, False, False, custom), -1, -1,
                                 str(p["count"]))
    return False, split_info(fail_format(False, False, True, False, custom), -1, -1,
                             str(p["count"]), str(n))


def v_contains_document(p: dict[str, Any], ctx: Context) -> Verdict:
    parts = [f"Kind = {p['kind']}, apiVersion = {p['apiVersion']}"]
    if p["name"]:
        parts.append(f"Name = {p['name']}")
    if p["namespace"]:
        parts.append(f"Namespace = {p['namespace']}")
    joined = ", ".join(parts)

    def info(mi: int) -> list[str]:
        return split_info(fail_format(ctx.negative, False, False, False, " to contain document"),
                          mi, -1, joined)

    def first(m: Manifest, path: str) -> Any:
        try:
            got = values_at(m, path)
        except MinihelmError:
            return None
        return got[0] if got else None

    def matches(m: Manifest) -> bool:
        kind, api = m.get("kind"), m.get("apiVersion")
        if isinstance(kind, str) and kind != p["kind"]:
            return False
        if isinstance(api, str) and api != p["apiVersion"]:
            return False
        if p["name"] and first(m, "metadata.name") != p["name"]:
            return False
        return not (p["namespace"] and first(m, "metadata.namespace") != p["namespace"])

    ok, errors = False, []
    manifests = ctx.manifests()
    for i, m in enumerate(manifests):
        m_ok = matches(m)
        if m_ok == ctx.negative:
            m_ok = False
            errors += info(i)
            if ctx.fail_fast:
                ok = False
                break
        else:
            m_ok = True
            if p["any"] != ctx.negative:
                ok, errors = True, []
                break
        ok = _and(i, ok, m_ok)
    if not manifests and not ctx.negative:
        errors += info(0)
    elif not manifests and ctx.negative:
        ok = True
    return ok, errors


def v_equal_raw(p: dict[str, Any], ctx: Context) -> Verdict:
    expected = p["value"]

    def info(actual: Any, neg: bool) -> list[str]:
        e_yaml, a_yaml = dump(expected), dump(actual)
        if neg:
            return split_info(fail_format(True, False, False, False, " to equal"), -1, -1, e_yaml)
        return split_info(fail_format(False, False, True, True, " to equal"), -1, -1, e_yaml,
                          a_yaml, unified_diff(e_yaml, a_yaml))

    def check(actual: str) -> bool:
        return expected == actual

    return _raw_loop(ctx, check, info)


def _raw_text(m: Manifest) -> str:
    v = m.get(RAW)
    return v if isinstance(v, str) else ("" if v is None else go_sprint(v))


def _raw_loop(ctx: Context, check: Callable[[str], bool],
              info: Callable[[Any, bool], list[str]]) -> Verdict:
    ok, errors = False, []
    manifests = ctx.manifests()
    for i, m in enumerate(manifests):
        actual = uniform(_raw_text(m))
        if check(actual) == ctx.negative:
            ok = False
            errors += info(actual, ctx.negative)
            if ctx.fail_fast:
                break
            continue
        ok = _and(i, ok, True)
    if not manifests and not ctx.negative:
        errors += info("no manifest found", ctx.negative)
    elif not manifests and ctx.negative:
        ok = True
    return ok, errors


def v_match_regex_raw(p: dict[str, Any], ctx: Context) -> Verdict:
    if p["pattern"] == "":
        return False, split_info(ERROR_FORMAT, -1, -1, "expected field 'pattern' to be filled")
    if ctx.manifests():
        try:
            rx = go_regex(p["pattern"])
        except ChartTestError as e:
            return False, split_info(ERROR_FORMAT, -1, -1, e.message)
    else:
        rx = None

    def info(actual: Any, neg: bool) -> list[str]:
        return split_info(fail_format(neg, False, True, False, " to match"), -1, -1, p["pattern"],
                          actual)

    return _raw_loop(ctx, lambda s: bool(rx and rx.search(s)), info)


_META = re.compile(r"[\\.+*?()|\[\]{}^$]")


def v_failed_template(p: dict[str, Any], ctx: Context) -> Verdict:
    message, pattern = p["errorMessage"], p["errorPattern"]
    if message and pattern:
        return False, split_info(ERROR_FORMAT, -1, -1, "single attribute 'errorMessage' or "
                                 "'errorPattern' supported at the same time")
    custom = " to match" if pattern else " to equal"

    def info(actual: Any, mi: int, neg: bool) -> list[str]:
        shown = message or pattern
        if neg:
            return split_info(fail_format(True, False, False, False, custom), mi, -1, shown)
        return split_info(fail_format(False, False, True, False, custom), mi, -1, shown,
                          go_sprint(actual) if not isinstance(actual, str) else actual)

    def by_pattern(actual: Any, mi: int) -> Verdict:
        try:
            rx = go_regex(pattern)
        except ChartTestError:
            rx = re.compile(re.escape(pattern))
        if isinstance(actual, str) and bool(rx.search(actual)) == ctx.negative:
            if _META.search(pattern):
                # failed_template_validator.go: a pattern with regex metacharacters is
                # tried once more as a literal text
                if (pattern in actual) == ctx.negative:
                    return False, info(actual, mi, ctx.negative)
                return True, []
            return False, info(actual, mi, ctx.negative)
        return True, []

    def by_message(actual: Any, mi: int) -> Verdict:
        if (isinstance(actual, str) and actual == message) == ctx.negative:
            return False, info(actual, mi, ctx.negative)
        return True, []

    if ctx.render_error is not None:
        if pattern:
            return by_pattern(ctx.render_error, -1)
        if message:
            return by_message(ctx.render_error, -1)
        return True, []
    ok, errors = True, []
    manifests = ctx.manifests()
    for i, m in enumerate(manifests):
        actual = m.get(RAW)
        if not message and not pattern and not ctx.negative:
            continue
        if pattern:
            cur, errs = by_pattern(actual, i)
        elif message:
            cur, errs = by_message(actual, i)
        else:
            cur, errs = True, []
        errors += errs
        ok = _and(i, ok, cur)
        if not ok and ctx.fail_fast:
            break
    if not manifests and not ctx.negative:
        ok = False
        errors += info("No failed document", -1, ctx.negative)
    return ok, errors


def v_match_snapshot(p: dict[str, Any], ctx: Context) -> Verdict:
    def info(res: Any, mi: int, ai: int, neg: bool) -> list[str]:
        if res.msg:
            return split_info(fail_format(neg, False, False, False, res.msg), mi, ai, res.cached)
        shown = res.cached if neg else unified_diff(res.cached, res.new)
        return split_info(fail_format(neg, True, False, False, f" to match snapshot {res.index}"),
                          mi, ai, p["path"], shown)

    def single(actual: Any, mi: int, ai: int, c: Context) -> Verdict:
        res = c.snapshot.compare(actual, p["matchRegex"] or "", p["notMatchRegex"] or "")
        if res.error is not None:
            # snapshot_validator.go prints the (nil) path error here, not the compare error
            return False, split_info(ERROR_FORMAT, mi, ai, "<nil>")
        if res.passed == c.negative:
            return False, info(res, mi, ai, c.negative)
        return True, []

    ok = not ctx.manifests() and not ctx.negative
    errors: list[str] = []
    for mi, m in enumerate(ctx.manifests()):
        m_ok, m_err = _per_manifest(ctx, m, mi, p["path"], single, "unknown path %s")
        errors += m_err
        ok = _and(mi, ok, m_ok)
        if not ok and ctx.fail_fast:
            break
    return ok, errors


def v_match_snapshot_raw(p: dict[str, Any], ctx: Context) -> Verdict:
    ok = not ctx.manifests() and not ctx.negative
    errors: list[str] = []
    for i, m in enumerate(ctx.manifests()):
        res = ctx.snapshot.compare(uniform(_raw_text(m)), "", "")
        good = res.passed != ctx.negative
        if not good:
            shown = res.cached if ctx.negative else unified_diff(res.cached, res.new)
            errors += split_info(fail_format(ctx.negative, False, False, False,
                                             f" to match snapshot {res.index}"), -1, -1, shown)
        ok = _and(i, ok, good)
        if not ok and ctx.fail_fast:
            break
    return ok, errors


VALIDATORS: dict[str, Callable[[dict[str, Any], Context], Verdict]] = {
    "equal": v_equal, "exists": v_exists, "matchRegex": v_match_regex, "contains": v_contains,
    "isSubset": v_is_subset, "isNullOrEmpty": v_null_or_empty, "isType": v_is_type,
    "greaterOrEqual": _operator("greater"), "lessOrEqual": _operator("less"),
    "lengthEqual": v_length_equal, "isKind": _of_validator("kind", " to be kind"),
    "isAPIVersion": _of_validator("apiVersion", " to be apiVersion"),
    "hasDocuments": v_has_documents, "containsDocument": v_contains_document,
    "equalRaw": v_equal_raw, "matchRegexRaw": v_match_regex_raw,
    "failedTemplate": v_failed_template, "matchSnapshot": v_match_snapshot,
    "matchSnapshotRaw": v_match_snapshot_raw,
}


def validate(spec: AssertSpec, ctx: Context) -> Verdict:
    return VALIDATORS[spec.kind](spec.params, ctx)
