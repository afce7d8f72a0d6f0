"""Decoded YAML or JSON values + a Go struct's description -> checked plain values with encoding/json's error texts; feeds repofile and repoindex.

helm reads repositories.yaml and index.yaml into Go structs with
sigs.k8s.io/yaml (YAML -> JSON -> encoding/json).  What that decides, and
this module mirrors:

* a value of the wrong JSON kind is skipped and the first such problem is
  reported, after the whole document was read: ``json: cannot unmarshal
  KIND into Go struct field STRUCT.PATH of type TYPE`` (PATH is the chain of
  field names from the root, map keys and list positions left out);
* in strict mode (index.yaml through YAML) an unknown key is such a
  problem too: ``json: unknown field "KEY"``;
* on the YAML path a number or bool going into a string field becomes its
  text (sigs.k8s.io/yaml converts it guided by the target type), except
  below an embedded pointer struct, which that conversion does not enter;
* keys match field names exactly, else case-insensitively (Go's fold), and
  YAML keys arrive sorted (the JSON step marshals a map);
* a time.Time must be an RFC 3339 string; anything else stops decoding at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..golang.jsonio import go_json_kind
from ..goyaml.yamlio import go_number_string

__all__ = [
    "ANY",
    "BOOL",
    "STRING",
    "TIME",
    "GoDecodeError",
    "GoType",
    "decode",
    "decode_partial",
    "lst",
    "mp",
    "struct",
]


class GoDecodeError(Exception):
    """encoding/json's error text (without sigs.k8s.io/yaml's prefix)."""


@dataclass(frozen=True)
class GoType:
    """One Go type: its name as errors print it, its kind, element type or fields."""

    go: str
    kind: str  # string | bool | time | any | list | map | struct
    elem: GoType | None = None
    struct_name: str = ""
    # (json name, type, embedded struct name or "") in declaration order
    fields: tuple[tuple[str, GoType, str], ...] = field(default=())


STRING = GoType("string", "string")
BOOL = GoType("bool", "bool")
TIME = GoType("time.Time", "time")
ANY = GoType("interface {}", "any")


def lst(elem: GoType, go: str = "") -> GoType:
    return GoType(go or f"[]{elem.go}", "list", elem)


def mp(elem: GoType, go: str = "") -> GoType:
    return GoType(go or f"map[string]{elem.go}", "map", elem)


def struct(go: str, *fields: tuple[str, GoType] | tuple[str, GoType, str]) -> GoType:
    name = go.rsplit(".", 1)[-1].lstrip("*")
    full = tuple((f[0], f[1], f[2] if len(f) > 2 else "") for f in fields)  # type: ignore[misc]
    return GoType(go, "struct", None, name, full)


# RFC 3339 as Go's time.Time.UnmarshalJSON accepts it
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
                      r"([Zz]|[+-]\d{2}:\d{2})")
# go-yaml v2 turns these YAML timestamps into time.Time before the JSON step
_YAML_TS = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})"
                      r"(\.\d*)?(?:[ \t]*(Z|[+-]\d{1,2}(?::\d{2})?))?)?")


def go_time_text(s: str) -> str:
    """An RFC 3339 time as Go's time.Time marshals it again (RFC3339Nano: fraction trimmed, Z for +00:00)."""
    m = _RFC3339.fullmatch(s) or _YAML_TS.fullmatch(s)
    if m is None:
        raise GoDecodeError(f'parsing time "{s}" as "2006-01-02T15:04:05Z07:00": cannot parse '
                            f'"{s}" as "2006"')
    y, mo, d, h, mi, sec, frac, zone = m.groups()
    frac = (frac or "").rstrip("0")
    frac = "" if frac == "." else frac
    zone = (zone or "Z").upper()
    if zone in ("+00:00", "-00:00", "+0", "-0", "+00", "-00"):
        zone = "Z"
    elif zone != "Z" and ":" not in zone:
        zone = f"{zone[0]}{int(zone[1:]):02d}:00"
    return (f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T{int(h or 0):02d}:{int(mi or 0):02d}:"
            f"{int(sec or 0):02d}{frac}{zone}")


@dataclass
class _Ctx:
    strict: bool
    from_yaml: bool
    saved: str | None = None
    path: list[str] = field(default_factory=list)
    struct_name: str = ""

    def save(self, text: str) -> None:
        if self.saved is None:
            self.saved = text

    def type_error(self, v: Any, t: GoType) -> None:
        kind = go_json_kind(v)
        if self.path:
            self.save(f"json: cannot unmarshal {kind} into Go struct field "
                      f"{self.struct_name}.{'.'.join(self.path)} of type {t.go}")
        else:
            self.save(f"json: cannot unmarshal {kind} into Go value of type {t.go}")


def _match(fields: tuple[tuple[str, GoType, str], ...], key: str
           ) -> tuple[str, GoType, str] | None:
    for f in fields:
        if f[0] == key:
            return f
    low = key.lower()
    for f in fields:
        if f[0].lower() == low:
            return f
    return None


def _decode(v: Any, t: GoType, ctx: _Ctx) -> Any:
    if v is None:
        return None
    k = t.kind
    if k == "any":
        return v
    if k == "string":
        if isinstance(v, str):
            return v
        if ctx.from_yaml and not isinstance(v, (list, dict)):
            text = go_number_string(v)
            if text is not None:
                return text
        ctx.type_error(v, t)
        return None
    if k == "bool":
        if isinstance(v, bool):
            return v
        ctx.type_error(v, t)
        return None
    if k == "time":
        if not isinstance(v, str):
            raise GoDecodeError("Time.UnmarshalJSON: input is not a JSON string")
        return go_time_text(v)
    if k == "list":
        if not isinstance(v, list):
            ctx.type_error(v, t)
            return None
        assert t.elem is not None
        return [_decode(x, t.elem, ctx) for x in v]
    if k == "map":
        if not isinstance(v, dict):
            ctx.type_error(v, t)
            return None
        assert t.elem is not None
        keys = sorted(v) if ctx.from_yaml else list(v)
        return {str(key): _decode(v[key], t.elem, ctx) for key in keys}
    # struct
    if not isinstance(v, dict):
        ctx.type_error(v, t)
        return None
    out: dict[str, Any] = {}
    outer = ctx.struct_name
    keys = sorted(v, key=str) if ctx.from_yaml else list(v)
    for key in keys:
        f = _match(t.fields, str(key))
        if f is None:
            if ctx.strict:
                ctx.save(f'json: unknown field "{key}"')
            continue
        name, ft, embedded = f
        ctx.path.extend([embedded, name] if embedded else [name])
        ctx.struct_name = t.struct_name
        coerce = ctx.from_yaml
        if embedded:
            # sigs.k8s.io/yaml's type-guided conversion does not reach through an
            # embedded pointer (ChartVersion's *Metadata): numbers stay numbers there
            ctx.from_yaml = False
        try:
            out[name] = _decode(v[key], ft, ctx)
        finally:
            del ctx.path[-(2 if embedded else 1):]
            ctx.struct_name = outer
            ctx.from_yaml = coerce
    return out


def decode(value: Any, t: GoType, strict: bool = False, from_yaml: bool = True) -> Any:
    """`value` (a decoded document) as Go would store it in `t`; GoDecodeError with Go's text."""
    out, problem = decode_partial(value, t, strict, from_yaml)
    if problem is not None:
        raise GoDecodeError(problem)
    return out


def decode_partial(value: Any, t: GoType, strict: bool = False, from_yaml: bool = True
                   ) -> tuple[Any, str | None]:
    """decode, but as Go leaves the target: what did decode, and the first problem's text (or None).

    A bad time stops everything (nothing decoded); a value of the wrong kind
    only leaves its own field at the zero value.
    """
    ctx = _Ctx(strict, from_yaml)
    try:
        out = _decode(value, t, ctx)
    except GoDecodeError as e:
        return None, str(e)
    return out, ctx.saved
