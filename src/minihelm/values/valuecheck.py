"""Coalesced values + chart -> schema and kubeVersion verdicts, with helm's error text.

validate_schema mirrors helm's ValidateAgainstSchema (pkg/chart/common/util/
jsonschema.go) and the error tree printed by santhosh-tekuri/jsonschema v6,
the validator helm uses: one "- at '<pointer>': <message>" line per failure,
several failures at one schema level grouped under "validation failed".
The `jsonschema` package decides validity (it knows $ref, formats, drafts);
the walker here only reproduces the messages for an invalid document.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from minihelm.chart.model import Chart
from minihelm.errors import ChartError, GoFuncError, SchemaError
from minihelm.golang.gofmt import sprintf
from minihelm.golang.gotypes import go_type_name

HEAD = "values don't meet the specifications of the schema(s) in the following chart(s):\n"

if TYPE_CHECKING:
    from fractions import Fraction


def _fraction(value: str | int) -> Fraction:
    # imported on first use: fractions brings decimal and a regex (2 ms), and
    # only a chart with a schema that bounds numbers needs exact arithmetic
    from fractions import Fraction

    return Fraction(value)


# --- kubeVersion --------------------------------------------------------------------


def check_kube_version(chart: Chart, kube_version: str) -> None:
    """Chart.yaml kubeVersion against the target cluster version (helm's renderResources check).

    The constraint is checked against the version stripped to its numbers
    ("v1.33.4-gke.1" checks as v1.33.4), as helm's KubeVersion.String() does.
    """
    # deferred: only check_kube_version() needs it: 1 module this one does not otherwise load
    from minihelm.values.dependencies import is_compatible_range

    constraint = chart.metadata.kube_version
    if not constraint:
        return
    git_version = kube_version if kube_version.startswith("v") else "v" + kube_version
    m = re.match(r"^v?([0-9]+(?:\.[0-9]+)+)", kube_version)
    normalized = "v" + ".".join(str(int(p)) for p in m.group(1).split(".")) if m else git_version
    if not is_compatible_range(constraint, normalized):
        raise ChartError(
            f"chart requires kubeVersion: {constraint} which is incompatible with "
            f"Kubernetes {git_version}"
        )


# --- schema ---------------------------------------------------------------------------


class _Num:
    """A JSON number from the schema: exact value plus its source text (Go's json.Number)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.value = _fraction(text)

    def __repr__(self) -> str:
        return self.text


def _plain(v: Any) -> Any:
    """The schema with _Num turned back into int/float for the `jsonschema` package."""
    if isinstance(v, _Num):
        return int(v.value) if v.value.denominator == 1 and "." not in v.text else float(v.value)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _jsonable(v: Any) -> Any:
    """Values as JSON data for the `jsonschema` package (Int64 -> int)."""
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return int(v)
    return v


def _quote(s: str) -> str:
    """santhosh's quote(): Go %q with single quotes."""
    q = sprintf("%q", s)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{q}'"


def _ptr(loc: list[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in loc)


def _num(v: Any) -> Fraction:
    if isinstance(v, _Num):
        return v.value
    if isinstance(v, float):
        return _fraction(repr(v)) if math.isfinite(v) else _fraction(0)
    return _fraction(int(v))


def _fmt_num(x: Fraction) -> str:
    return sprintf("%v", float(x))


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "invalid"


_TYPE_ORDER = ["null", "boolean", "number", "integer", "string", "array", "object"]


def _display(v: Any) -> str:
    if isinstance(v, str):
        return _quote(v)
    if isinstance(v, (list, dict)):
        return "value"
    if isinstance(v, _Num):
        return v.text
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    return sprintf("%v", v)


def _equals(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_equals(a[k], b[k]) for k in a)
        )
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(_equals(x, y) for x, y in zip(a, b))
        )
    na, nb = _json_type(a) == "number" or isinstance(a, _Num), _json_type(b) == "number" or isinstance(b, _Num)
    if na or nb:
        return na and nb and _num(a) == _num(b)
    return type(a) is type(b) and a == b


class _Err:
    """One node of santhosh's error tree."""

    def __init__(self, loc: list[str], msg: str, causes: list[_Err] | None = None, skip: bool = False):
        self.loc, self.msg, self.causes, self.skip = loc, msg, causes or [], skip

    def render(self, out: list[str], indent: int) -> None:
        if self.skip and len(self.causes) == 1:
            self.causes[0].render(out, indent)
            return
        out.append("  " * indent + f"- at {_quote(_ptr(self.loc))}: {self.msg}")
        for c in self.causes:
            c.render(out, indent + 1)


class _Walker:
    """Re-walks an invalid document the way santhosh-tekuri/jsonschema v6 reports it."""

    def __init__(self, root: Any) -> None:
        self.root = root
        draft = str(root.get("$schema", "")) if isinstance(root, dict) else ""
        m = re.search(r"draft-0?(\d+)|draft/(\d+)", draft)
        self.draft = int(m.group(1) or m.group(2)) if m else 2020

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return True  # remote refs: not followed here
        node = self.root
        for tok in ref[1:].split("/")[1:] if ref != "#" else []:
            tok = tok.replace("~1", "/").replace("~0", "~")
            node = node[int(tok)] if isinstance(node, list) else node.get(tok, True)
        return node

    def check(self, s: Any, v: Any, loc: list[str]) -> _Err | None:
        if s is True or s == {}:
            return None
        if s is False:
            return _Err(loc, "false schema")
        if not isinstance(s, dict):
            return None
        early = self._early(s, v, loc)
        if early is not None:
            return early
        if "$ref" in s:
            target = self.resolve(str(s["$ref"]))
            err = self.check(target, v, loc)
            ref_err = None
            if err is not None:
                causes = err.causes if err.msg == "validation failed" else [err]
                ref_err = _Err(loc, "validation failed", causes, skip=True)
            if self.draft < 2019:
                return ref_err
        errs: list[_Err] = []
        if "$ref" in s and ref_err is not None:
            errs.append(ref_err)
        if isinstance(v, dict):
            self._object(s, v, loc, errs)
        elif isinstance(v, list):
            self._array(s, v, loc, errs)
        elif isinstance(v, str):
            self._string(s, v, loc, errs)
        elif _json_type(v) == "number":
            self._number(s, v, loc, errs)
        self._cond(s, v, loc, errs)
        if not errs:
            return None
        if len(errs) == 1:
            return errs[0]
        return _Err(loc, "validation failed", errs)

    def _early(self, s: dict[str, Any], v: Any, loc: list[str]) -> _Err | None:
        if "type" in s:
            want = s["type"] if isinstance(s["type"], list) else [s["type"]]
            t = _json_type(v)
            ok = t in want or (
                "integer" in want and t == "number" and _num(v).denominator == 1
            )
            if not ok:
                names = sorted(set(map(str, want)), key=lambda x: _TYPE_ORDER.index(x) if x in _TYPE_ORDER else 99)
                return _Err(loc, f"got {t}, want {' or '.join(names)}")
        if "const" in s and not _equals(v, s["const"]):
            c = s["const"]
            return _Err(loc, "const failed" if isinstance(c, (list, dict)) else f"value must be {_display(c)}")
        if "enum" in s and isinstance(s["enum"], list) and not any(_equals(v, e) for e in s["enum"]):
            items = s["enum"]
            if any(isinstance(e, (list, dict)) for e in items):
                return _Err(loc, "enum failed")
            if len(items) == 1:
                return _Err(loc, f"value must be {_display(items[0])}")
            return _Err(loc, "value must be one of " + ", ".join(_display(e) for e in items))
        return None

    def _object(self, s: dict[str, Any], obj: dict[str, Any], loc: list[str], errs: list[_Err]) -> None:
        if "minProperties" in s and len(obj) < _num(s["minProperties"]):
            errs.append(_Err(loc, f"minProperties: got {len(obj)}, want {_display(s['minProperties'])}"))
        if "maxProperties" in s and len(obj) > _num(s["maxProperties"]):
            errs.append(_Err(loc, f"maxProperties: got {len(obj)}, want {_display(s['maxProperties'])}"))
        missing = [r for r in s.get("required", []) if isinstance(r, str) and r not in obj]
        if missing:
            what = "property" if len(missing) == 1 else "properties"
            errs.append(_Err(loc, f"missing {what} " + ", ".join(map(_quote, missing))))
        props = s.get("properties", {}) if isinstance(s.get("properties"), dict) else {}
        patterns = s.get("patternProperties", {}) if isinstance(s.get("patternProperties"), dict) else {}
        extra: list[str] = []
        for name in sorted(obj):
            evaluated = False
            if name in props:
                evaluated = True
                self._add(errs, self.check(props[name], obj[name], loc + [name]))
            for pat, sub in patterns.items():
                if _go_search(pat, name):
                    evaluated = True
                    self._add(errs, self.check(sub, obj[name], loc + [name]))
            if not evaluated and "additionalProperties" in s:
                add = s["additionalProperties"]
                if add is False:
                    extra.append(name)
                elif isinstance(add, dict):
                    self._add(errs, self.check(add, obj[name], loc + [name]))
        if extra:
            errs.append(_Err(loc, "additional properties " + ", ".join(map(_quote, extra)) + " not allowed"))

    def _array(self, s: dict[str, Any], arr: list[Any], loc: list[str], errs: list[_Err]) -> None:
        if "minItems" in s and len(arr) < _num(s["minItems"]):
            errs.append(_Err(loc, f"minItems: got {len(arr)}, want {_display(s['minItems'])}"))
        if "maxItems" in s and len(arr) > _num(s["maxItems"]):
            errs.append(_Err(loc, f"maxItems: got {len(arr)}, want {_display(s['maxItems'])}"))
        if s.get("uniqueItems") is True and len(arr) > 1:
            dup = next(((j, i) for i in range(1, len(arr)) for j in range(i) if _equals(arr[i], arr[j])), None)
            if dup:
                errs.append(_Err(loc, f"items at {dup[0]} and {dup[1]} are equal"))
        items = s.get("items")
        prefix: list[Any] = []
        if self.draft >= 2020:
            prefix = s.get("prefixItems", []) if isinstance(s.get("prefixItems"), list) else []
        elif isinstance(items, list):
            prefix, items = items, s.get("additionalItems")
        for i, item in enumerate(arr):
            sub = prefix[i] if i < len(prefix) else items
            if sub is False and self.draft < 2020 and i >= len(prefix) and prefix:
                errs.append(_Err(loc, f"last {len(arr) - len(prefix)} additionalItem(s) not allowed"))
                break
            if sub is not None:
                self._add(errs, self.check(sub, item, loc + [str(i)]))
        if "contains" in s:
            results = [self.check(s["contains"], item, loc + [str(i)]) for i, item in enumerate(arr)]
            if all(r is not None for r in results):
                errs.append(_Err(loc, "no items match contains schema", [r for r in results if r]))

    def _string(self, s: dict[str, Any], v: str, loc: list[str], errs: list[_Err]) -> None:
        n = len(v)
        if "minLength" in s and n < _num(s["minLength"]):
            errs.append(_Err(loc, f"minLength: got {n}, want {_display(s['minLength'])}"))
        if "maxLength" in s and n > _num(s["maxLength"]):
            errs.append(_Err(loc, f"maxLength: got {n}, want {_display(s['maxLength'])}"))
        if isinstance(s.get("pattern"), str) and not _go_search(s["pattern"], v):
            errs.append(_Err(loc, f"{_quote(v)} does not match pattern {_quote(s['pattern'])}"))

    def _number(self, s: dict[str, Any], v: Any, loc: list[str], errs: list[_Err]) -> None:
        x = _num(v)
        checks = (
            ("minimum", lambda w: x < w),
            ("maximum", lambda w: x > w),
            ("exclusiveMinimum", lambda w: x <= w),
            ("exclusiveMaximum", lambda w: x >= w),
            ("multipleOf", lambda w: w != 0 and (x / w).denominator != 1),
        )
        for key, bad in checks:
            w = s.get(key)
            if isinstance(w, _Num) and bad(w.value):
                errs.append(_Err(loc, f"{key}: got {_fmt_num(x)}, want {_fmt_num(w.value)}"))

    def _cond(self, s: dict[str, Any], v: Any, loc: list[str], errs: list[_Err]) -> None:
        if "not" in s and self.check(s["not"], v, loc) is None:
            errs.append(_Err(loc, "not failed"))
        for key, label in (("allOf", "allOf failed"), ("anyOf", "anyOf failed")):
            subs = s.get(key)
            if isinstance(subs, list) and subs:
                results = [self.check(x, v, loc) for x in subs]
                failed = [r for r in results if r is not None]
                if (key == "allOf" and failed) or (key == "anyOf" and len(failed) == len(results)):
                    errs.append(_Err(loc, label, failed))
        subs = s.get("oneOf")
        if isinstance(subs, list) and subs:
            results = [self.check(x, v, loc) for x in subs]
            ok = [i for i, r in enumerate(results) if r is None]
            if not ok:
                errs.append(_Err(loc, "oneOf failed, none matched", [r for r in results if r]))
            elif len(ok) > 1:
                errs.append(_Err(loc, f"oneOf failed, subschemas {ok[0]}, {ok[1]} matched"))
        if "if" in s:
            branch = "then" if self.check(s["if"], v, loc) is None else "else"
            if branch in s:
                self._add(errs, self.check(s[branch], v, loc))

    @staticmethod
    def _add(errs: list[_Err], e: _Err | None) -> None:
        if e is not None:
            errs.append(e)


# --- what santhosh-tekuri/jsonschema does differently from the `jsonschema` package ---


def _go_search(pattern: str, text: str) -> bool:
    """santhosh compiles "pattern"/"patternProperties" with Go's regexp (RE2: \\d is ASCII,
    no lookaround); an uncompilable pattern never gets here (_bad_regex rejects the schema)."""
    # deferred: only _go_search() needs it, and it brings re2
    from minihelm.funcs.regex import go_compile

    return go_compile(pattern).rx.search(text) is not None


def _bad_regex(schema: Any, loc: list[str]) -> str:
    """The metaschema's "format": "regex" check: helm refuses a schema whose pattern Go
    cannot compile.  Returns the report ("" when every pattern compiles).

    santhosh nests this under the metaschema's allOf branches; only the head line
    and the failing pattern are reproduced here.
    """
    # deferred: only _bad_regex() needs it, and it brings re2
    from minihelm.funcs.regex import go_compile

    todo: list[tuple[Any, list[str]]] = [(schema, loc)]
    while todo:
        node, at = todo.pop()
        if isinstance(node, list):
            todo.extend((x, at + [str(i)]) for i, x in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        pats: list[tuple[str, list[str]]] = []
        if isinstance(node.get("pattern"), str):
            pats.append((node["pattern"], at + ["pattern"]))
        if isinstance(node.get("patternProperties"), dict):
            pats.extend((k, at + ["patternProperties", k]) for k in node["patternProperties"])
        for pat, where in pats:
            try:
                go_compile(pat)
            except GoFuncError as e:  # Go's "error parsing regexp: ..." text
                return (
                    '"file:///values.schema.json#" is not valid against metaschema: '
                    "jsonschema validation failed\n"
                    f"- at {_quote(_ptr(where))}: {_quote(pat)} is not valid regex: {e}\n")
        todo.extend((x, at + [k]) for k, x in reversed(list(node.items())) if k not in ("enum", "const"))
    return ""


def _exact(x: Any) -> Fraction:
    """A number as santhosh sees it: the decimal text of the JSON it was marshalled to."""
    if isinstance(x, float):
        return _fraction(repr(x)) if math.isfinite(x) else _fraction(0)
    return _fraction(int(x))


def _validator_class(schema: Any) -> Any:
    """The draft's validator with santhosh's pattern (Go RE2) and multipleOf (big.Rat)."""
    import jsonschema
    from jsonschema import ValidationError

    base = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)

    def pattern(_v: Any, pat: Any, inst: Any, _s: Any) -> Any:
        if isinstance(inst, str) and isinstance(pat, str) and not _go_search(pat, inst):
            yield ValidationError(f"{inst!r} does not match {pat!r}")

    def pattern_properties(v: Any, pats: Any, inst: Any, _s: Any) -> Any:
        if not isinstance(inst, dict):
            return
        for pat, sub in pats.items():
            for k, x in inst.items():
                if _go_search(pat, k):
                    yield from v.descend(x, sub, path=k, schema_path=pat)

    def multiple_of(_v: Any, db: Any, inst: Any, _s: Any) -> Any:
        num = (int, float)
        if (isinstance(inst, num) and not isinstance(inst, bool) and isinstance(db, num) and db
                and (_exact(inst) / _exact(db)).denominator != 1):
            yield ValidationError(f"{inst!r} is not a multiple of {db}")

    return jsonschema.validators.extend(base, {
        "pattern": pattern, "patternProperties": pattern_properties, "multipleOf": multiple_of})


_JSON_MAX_DEPTH = 10000  # encoding/json's maxNestingDepth


def _depth_error(text: bytes) -> str:
    """Go's scanner error for JSON nested past 10000 levels (Python's decoder hits its
    recursion limit first): "invalid character '[' exceeded max depth"."""
    import re

    depth = 0
    bare = re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', text)
    for m in re.finditer(rb"[\[\]{}]", bare):
        ch = m.group().decode()
        depth += 1 if ch in "[{" else -1
        if depth > _JSON_MAX_DEPTH:
            return f"invalid character '{ch}' exceeded max depth"
    return "exceeded max depth"


def _validate_one(values: dict[str, Any], schema_json: bytes) -> str:
    """ValidateAgainstSingleSchema: "" when valid, else the lines helm prints (ending in a newline)."""
    import json  # here: a chart without a schema never needs it (1 ms)

    try:
        schema = json.loads(schema_json, parse_float=_Num, parse_int=_Num)
    except ValueError as e:
        return str(e)  # helm: a JSON error ends without the newline validation errors have
    except RecursionError:
        return _depth_error(schema_json)
    plain = _plain(schema)
    data = _jsonable(values)
    bad = _bad_regex(plain, [])
    if bad:
        return bad
    # deferred: only _validate_one() needs it: 1 module this one does not otherwise load
    from minihelm.values.schemaquick import surely_valid

    if surely_valid(plain, data, _go_search):
        return ""  # the common case, without importing jsonschema (30-50 ms)
    try:
        valid = _validator_class(plain)(plain).is_valid(data)
    except Exception as e:  # noqa: BLE001  a broken schema: report, as helm does, instead of crashing
        return f"jsonschema: {e}\n"
    if valid:
        return ""
    err = _Walker(schema).check(schema, values, [])
    if err is None:  # the packages disagree (formats, remote refs): still say something
        err = _Err([], "validation failed")
    top = err.causes if err.msg == "validation failed" and not err.skip else [err]
    lines: list[str] = []
    for node in top:
        node.render(lines, 0)
    return "\n".join(lines) + "\n"


def _validate_remembered(values: dict[str, Any], schema: bytes) -> str:
    """_validate_one, remembered by schema and values: a warm run skips jsonschema entirely."""
    import json

    # deferred: only _validate_remembered() needs it, and it brings hashlib
    from .._core.memo import remember

    try:
        doc = json.dumps(values, sort_keys=True, separators=(",", ":"), default=repr)
    except (TypeError, ValueError):
        return _validate_one(values, schema)
    key = schema + b"\0" + doc.encode("utf-8", "surrogatepass")
    return remember("schema-check", key, lambda: _validate_one(values, schema))


def _schema_report(chart: Chart, values: dict[str, Any]) -> str:
    out = ""
    if chart.schema is not None:
        problems = _validate_remembered(values, chart.schema)
        if problems:
            out += f"{chart.name}:\n{problems}"
    for sub in chart.dependencies:
        raw = values.get(sub.name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            out += (
                f"{sub.name}:\ninvalid type for values: expected object (map), got "
                f"{go_type_name(raw)}\n"
            )
            continue
        out += _schema_report(sub, raw)
    return out


def validate_schema(chart: Chart, values: dict[str, Any]) -> None:
    """ValidateAgainstSchema over the chart and its subcharts; raises SchemaError with helm's text."""
    report = _schema_report(chart, values)
    if report:
        raise SchemaError(HEAD + report)
