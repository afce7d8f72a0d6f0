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
from typing import Any

from ..golang.jsonio import go_json_kind
from ..goyaml.yamlio import go_number_string, load_yaml_v2


def parse_yaml(data: bytes, name: str) -> Any:
    """One YAML document as go-yaml v2 hands it to sigs.k8s.io/yaml (numbers keep int/float)."""
    return load_yaml_v2(data, name)


# ---------------------------------------------------------------- Go struct decoding

STR, BOOL, ANY = "string", "bool", "interface {}"


# Type descriptions (plain classes, not dataclasses: see records.py).

class GoStruct:
    """A Go struct type as encoding/json sees it: json field name -> type."""

    __slots__ = ("fields", "type_name")

    def __init__(self, type_name: str, fields: dict[str, Any]) -> None:
        self.type_name = type_name  # e.g. "v2.Metadata"
        self.fields = fields


class GoSlice:
    """[]elem (pointer_elems: []*elem, whose nil elements decode differently)."""

    __slots__ = ("elem", "pointer_elems")

    def __init__(self, elem: Any, pointer_elems: bool = False) -> None:
        self.elem, self.pointer_elems = elem, pointer_elems


class GoMap:
    """map[string]elem."""

    __slots__ = ("elem",)

    def __init__(self, elem: Any) -> None:
        self.elem = elem


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
        s = go_number_string(k) or ""
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
        f"json: cannot unmarshal {go_json_kind(v)} into {where} of type {go_type_text(t)}"
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
        if isinstance(v, str):
            return v
        coerced = go_number_string(v)
        if coerced is None:
            raise _mismatch(v, t, struct_name, path)
        return coerced
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
