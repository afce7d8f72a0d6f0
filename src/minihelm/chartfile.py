"""Chart.yaml / requirements.yaml / Chart.lock bytes -> typed fields, as sigs.k8s.io/yaml + encoding/json read them.

Helm reads these files with ``yaml.Unmarshal(data, &metadata)`` from
sigs.k8s.io/yaml: go-yaml v2 parses the YAML (YAML 1.1), then scalars are
coerced to strings wherever the Go field is a string (``appVersion: 1.10``
becomes ``"1.1"``: FormatFloat(v, 'g', -1, 32)), and encoding/json decodes the
result into the struct: keys match field names exactly or case-insensitively,
null leaves a field alone, and any other type mismatch is an error such as
``json: cannot unmarshal number into Go struct field Metadata.keywords of type []string``
(the first in sorted-key order, since the JSON text is written with sorted keys).
"""

from __future__ import annotations

import datetime
import math
import re
import struct
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import SourcePos, YAMLError

# ---------------------------------------------------------------- YAML (go-yaml v2 flavour)


class _GoYAMLv2Loader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
    """libyaml with go-yaml v2's resolution: y/n are booleans, timestamps stay strings."""


_GoYAMLv2Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN")
)


def _bool_ctor(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    v = loader.construct_scalar(node)
    return str(v).lower() in ("y", "yes", "true", "on")


def _str_ctor(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_GoYAMLv2Loader.add_constructor("tag:yaml.org,2002:bool", _bool_ctor)
_GoYAMLv2Loader.add_constructor("tag:yaml.org,2002:timestamp", _str_ctor)


def yaml_error_text(exc: yaml.YAMLError) -> tuple[str, int | None]:
    """A PyYAML/libyaml error -> go-yaml's 'yaml: line N: problem' and the line."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f"yaml: {problem}", None
    return f"yaml: line {mark.line + 1}: {problem}", mark.line + 1


def parse_yaml(data: bytes, name: str) -> Any:
    """One YAML document as go-yaml v2 would give it to sigs.k8s.io/yaml."""
    try:
        return yaml.load(data, Loader=_GoYAMLv2Loader)
    except yaml.YAMLError as e:
        text, line = yaml_error_text(e)
        raise YAMLError(f"error converting YAML to JSON: {text}", SourcePos(name, line)) from None


# ---------------------------------------------------------------- Go's float formatting


def format_float_g32(v: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 32): shortest digits that round-trip a float32."""
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if math.isnan(v):
        return "NaN"
    try:
        f32 = struct.unpack("f", struct.pack("f", v))[0]
    except OverflowError:
        return "+Inf" if v > 0 else "-Inf"
    if f32 == 0:
        return "-0" if math.copysign(1, f32) < 0 else "0"
    for prec in range(1, 10):
        s = f"{f32:.{prec - 1}e}"
        if struct.unpack("f", struct.pack("f", float(s)))[0] == f32:
            break
    mant, exp_s = s.split("e")
    exp = int(exp_s)
    digits = mant.replace(".", "").lstrip("-").rstrip("0") or "0"
    sign = "-" if f32 < 0 else ""
    if exp < -4 or exp >= 21:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    if exp >= len(digits) - 1:
        return sign + digits + "0" * (exp - len(digits) + 1)
    if exp >= 0:
        return sign + digits[: exp + 1] + "." + digits[exp + 1 :]
    return sign + "0." + "0" * (-exp - 1) + digits


# ---------------------------------------------------------------- Go struct decoding

STR, BOOL, ANY = "string", "bool", "interface {}"


@dataclass(frozen=True)
class GoStruct:
    """A Go struct type as encoding/json sees it: json field name -> type."""

    type_name: str  # e.g. "v2.Metadata"
    fields: dict[str, Any]


@dataclass(frozen=True)
class GoSlice:
    elem: Any
    pointer_elems: bool = False


@dataclass(frozen=True)
class GoMap:
    elem: Any


MAINTAINER = GoStruct("v2.Maintainer", {"name": STR, "email": STR, "url": STR})
DEPENDENCY = GoStruct(
    "v2.Dependency",
    {
        "name": STR,
        "version": STR,
        "repository": STR,
        "condition": STR,
        "tags": GoSlice(STR),
        "enabled": BOOL,
        "import-values": GoSlice(ANY),
        "alias": STR,
    },
)
METADATA = GoStruct(
    "v2.Metadata",
    {
        "name": STR,
        "home": STR,
        "sources": GoSlice(STR),
        "version": STR,
        "description": STR,
        "keywords": GoSlice(STR),
        "maintainers": GoSlice(MAINTAINER, True),
        "icon": STR,
        "apiVersion": STR,
        "condition": STR,
        "tags": STR,
        "appVersion": STR,
        "deprecated": BOOL,
        "annotations": GoMap(STR),
        "kubeVersion": STR,
        "dependencies": GoSlice(DEPENDENCY, True),
        "type": STR,
    },
)
CHART_BASE = GoStruct("loader.chartBase", {"apiVersion": STR})
LOCK = GoStruct(
    "v2.Lock",
    {"generated": STR, "digest": STR, "dependencies": GoSlice(DEPENDENCY, True)},
)


def go_type_text(t: Any) -> str:
    if isinstance(t, GoStruct):
        return t.type_name
    if isinstance(t, GoSlice):
        return "[]" + ("*" if t.pointer_elems else "") + go_type_text(t.elem)
    if isinstance(t, GoMap):
        return "map[string]" + go_type_text(t.elem)
    return str(t)


def _json_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


class _TypeErr(Exception):
    pass


def _key_text(k: Any) -> str:
    """sigs.k8s.io/yaml's conversion of a non-string YAML key."""
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        s = format_float_g32(k)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    if isinstance(k, (datetime.date, datetime.datetime)):
        return str(k)
    raise _TypeErr(f"unsupported map key of type: {type(k).__name__}, key: {k!r}")


def _find_field(st: GoStruct, key: str) -> str | None:
    if key in st.fields:
        return key
    low = key.casefold()
    for name in st.fields:
        if name.casefold() == low:
            return name
    return None


def _mismatch(v: Any, t: Any, struct_name: str | None, path: str) -> _TypeErr:
    where = f"Go struct field {struct_name}.{path}" if struct_name else "Go value"
    return _TypeErr(
        f"json: cannot unmarshal {_json_kind(v)} into {where} of type {go_type_text(t)}"
    )


def _zero(t: Any) -> Any:
    """Go's zero value for a non-pointer element that JSON null left alone."""
    if t == STR:
        return ""
    if t == BOOL:
        return False
    if isinstance(t, GoStruct):
        return {}
    return None


def _decode(v: Any, t: Any, struct_name: str | None, path: str) -> Any:
    """A YAML value -> the value Go would store in a field of type t (None = untouched)."""
    if v is None:
        return None
    if t == ANY:
        return v
    if t == STR:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return format_float_g32(v)
        if isinstance(v, str):
            return v
        raise _mismatch(v, t, struct_name, path)
    if t == BOOL:
        if isinstance(v, bool):
            return v
        raise _mismatch(v, t, struct_name, path)
    if isinstance(t, GoSlice):
        if not isinstance(v, list):
            raise _mismatch(v, t, struct_name, path)
        items = [_decode(x, t.elem, struct_name, path) for x in v]
        if t.pointer_elems:
            return items  # a nil pointer stays None; validation refuses it
        return [_zero(t.elem) if x is None else x for x in items]
    if isinstance(t, GoMap):
        if not isinstance(v, dict):
            raise _mismatch(v, t, struct_name, path)
        out = {}
        for k in sorted(v, key=_key_text):
            d = _decode(v[k], t.elem, struct_name, path)
            out[_key_text(k)] = d if d is not None else ""
        return out
    assert isinstance(t, GoStruct)
    if not isinstance(v, dict):
        raise _mismatch(v, t, struct_name, path)
    fields: dict[str, Any] = {}
    inner = t.type_name.split(".")[-1]
    for k in sorted(v, key=_key_text):
        key = _key_text(k)
        name = _find_field(t, key)
        if name is None:
            continue
        sub = f"{path}.{name}" if path else name
        d = _decode(v[k], t.fields[name], inner, sub)
        if d is not None:
            fields[name] = d
    return fields


def decode_struct(doc: Any, t: GoStruct) -> dict[str, Any]:
    """A parsed YAML document -> {json field name: value} for the fields present.

    Raises ValueError with encoding/json's message on a type mismatch.
    """
    try:
        if doc is None:
            return {}
        return _decode(doc, t, None, "")  # type: ignore[no-any-return]
    except _TypeErr as e:
        msg = str(e)
        if not msg.startswith("unsupported"):
            msg = "error unmarshaling JSON: while decoding JSON: " + msg
        raise ValueError(msg) from None
