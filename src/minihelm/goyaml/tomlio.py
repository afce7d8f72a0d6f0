"""Python values <-> TOML text as helm's toToml/fromToml do it (BurntSushi/toml v1.6.0).

The encoder follows BurntSushi's Encoder: plain keys first then tables, keys in
byte order, two-space indentation per table level, floats in strconv 'g'
form with ".0" added.  Decoding uses Python's tomllib and converts to Go's
types (int64, float64, time.Time); its error texts are tomllib's, not BurntSushi's.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

from minihelm.golang.gotypes import GoStruct, Int64, NilList, NilMap
from minihelm.golang.jsonio import format_float


class TOMLError(Exception):
    """A BurntSushi/toml error; str() is its Error() text."""


_NO_KEY = "toml: top-level values must be Go maps or structs"
_NIL_ELEMENT = "toml: cannot encode array with nil element"
_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")
_QUOTE_MAP = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
              "\r": "\\r", "\x7f": "\\u007f"}


def _quoted(s: str) -> str:
    out = []
    for c in s:
        if c in _QUOTE_MAP:
            out.append(_QUOTE_MAP[c])
        elif c < " ":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _key_piece(k: str) -> str:
    if k == "":
        return '""'
    return k if _BARE.match(k) else _quoted(k)


def _is_time(v: Any) -> bool:
    return getattr(v, "go_type", None) == "time.Time"


def _fields(v: GoStruct) -> dict[str, Any]:
    return {k: getattr(v, k) for k in vars(v) if k[:1].isupper()}


def _toml_type(v: Any) -> str | None:
    """tomlTypeOfGo: None for nil, else a type name; arrays of tables are 'arrayhash'."""
    if v is None or isinstance(v, (NilMap, NilList)):
        return None
    if _is_time(v):
        return "datetime"
    if isinstance(v, (dict, GoStruct)):
        return "hash"
    if isinstance(v, (list, tuple)):
        return "arrayhash" if _is_table_array(v) else "array"
    return "primitive"


def _is_table_array(arr: Any) -> bool:
    if not arr:
        return False
    types = [_toml_type(x) for x in arr]
    if None in types:
        raise TOMLError(_NIL_ELEMENT)
    return all(t == "hash" for t in types)


class _Encoder:
    def __init__(self, indent: str = "  ") -> None:
        self.indent = indent
        self.out: list[str] = []

    def write(self, s: str) -> None:
        self.out.append(s)

    def newline(self) -> None:
        if self.out:
            self.write("\n")

    def key_text(self, key: list[str]) -> str:
        return ".".join(_key_piece(k) for k in key)

    def encode(self, key: list[str], v: Any) -> None:
        if v is None or isinstance(v, (NilMap, NilList)):
            return
        if _is_time(v) or not isinstance(v, (dict, list, tuple, GoStruct)):
            self.key_value(key, v)
        elif isinstance(v, (list, tuple)):
            if _toml_type(v) == "arrayhash":
                self.array_of_tables(key, v)
            else:
                self.key_value(key, v)
        else:
            self.table(key, v)

    def key_value(self, key: list[str], v: Any, inline: bool = False) -> None:
        if not key:
            self.element(v)
            return
        self.write(self.indent * (len(key) - 1) + _key_piece(key[-1]) + " = ")
        self.element(v)
        if not inline:
            self.newline()

    def element(self, v: Any) -> None:
        if _is_time(v):
            self.write(v.__go_json__())
        elif isinstance(v, bool):
            self.write("true" if v else "false")
        elif isinstance(v, int):
            self.write(str(int(v)))
        elif isinstance(v, float):
            self.write(_toml_float(v))
        elif isinstance(v, str):
            self.write(_quoted(v))
        elif isinstance(v, (list, tuple)):
            self.write("[")
            for i, x in enumerate(v):
                self.element(x)
                if i != len(v) - 1:
                    self.write(", ")
            self.write("]")
        elif isinstance(v, (dict, GoStruct)):
            self.mapping([], v if isinstance(v, dict) else _fields(v), inline=True)
        elif v is None:
            raise TOMLError("toml: cannot encode a nil value")  # pragma: no cover
        else:
            self.write(_quoted(str(v)))

    def array_of_tables(self, key: list[str], arr: Any) -> None:
        if not key:
            raise TOMLError(_NO_KEY)
        for t in arr:
            self.newline()
            self.write(f"{self.indent * (len(key) - 1)}[[{self.key_text(key)}]]")
            self.newline()
            self.mapping(key, t if isinstance(t, dict) else _fields(t), inline=False)

    def table(self, key: list[str], v: Any) -> None:
        if len(key) == 1:
            self.newline()
        if key:
            self.write(f"{self.indent * (len(key) - 1)}[{self.key_text(key)}]")
            self.newline()
        self.mapping(key, v if isinstance(v, dict) else _fields(v), inline=False)

    def mapping(self, key: list[str], m: dict[Any, Any], inline: bool) -> None:
        if any(not isinstance(k, str) for k in m):
            raise TOMLError("toml: cannot encode a map with non-string key type")
        direct: list[str] = []
        sub: list[str] = []
        for k, v in m.items():
            t = _toml_type(v)
            (sub if t in ("hash", "arrayhash") else direct).append(k)
        if inline:
            self.write("{")
        for group, trail in ((direct, bool(sub)), (sub, False)):
            group.sort(key=lambda s: s.encode("utf-8", "surrogateescape"))
            for i, k in enumerate(group):
                v = m[k]
                if v is None or isinstance(v, (NilMap, NilList)):
                    continue
                if inline:
                    self.key_value([k], v, inline=True)
                    if trail or i != len(group) - 1:
                        self.write(", ")
                else:
                    self.encode([*key, k], v)
        if inline:
            self.write("}")


def _toml_float(f: float) -> str:
    if math.isnan(f):
        return ("-" if math.copysign(1, f) < 0 else "") + "nan"
    if math.isinf(f):
        return "-inf" if f < 0 else "inf"
    s = format_float(f)
    return s if ("e" in s or "." in s) else s + ".0"


def dumps_toml(value: Any) -> str:
    """toml.NewEncoder(w).Encode(value) as text; raises TOMLError with BurntSushi's text."""
    if isinstance(value, GoStruct) and not _is_time(value):
        value = _fields(value)
    enc = _Encoder()
    enc.encode([], value)
    return "".join(enc.out)


# ---------------------------------------------------------------------------
# Decoding


def _from_toml(v: Any) -> Any:
    # deferred: only _from_toml() needs it: 1 module this one does not otherwise load
    from minihelm.golang.gotime import GoTime
    from minihelm.golang.timebase import UTC, fixed_zone

    if isinstance(v, dict):
        return {k: _from_toml(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_from_toml(x) for x in v]
    if isinstance(v, (bool, str, float)):
        return v
    if isinstance(v, int):
        return Int64(v)
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            loc = fixed_zone("datetime-local", 0)
        else:
            off = int(v.utcoffset().total_seconds())  # type: ignore[union-attr]
            loc = UTC if off == 0 and v.tzinfo == _dt.timezone.utc else fixed_zone("", off)
        return GoTime.date(v.year, v.month, v.day, v.hour, v.minute, v.second,
                           v.microsecond * 1000, loc)
    if isinstance(v, _dt.date):
        return GoTime.date(v.year, v.month, v.day, 0, 0, 0, 0, fixed_zone("date-local", 0))
    if isinstance(v, _dt.time):
        return GoTime.date(0, 1, 1, v.hour, v.minute, v.second, v.microsecond * 1000,
                           fixed_zone("time-local", 0))
    return v


def loads_toml(text: str) -> dict[str, Any]:
    """toml.Unmarshal into map[string]interface{}: int64 integers, time.Time datetimes."""
    try:
        import tomllib as _toml
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as _toml  # type: ignore[no-redef]
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        where = f"line {m.group(1)}: " if m else ""
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
        raise TOMLError(f"toml: {where}{msg}") from None
    return _from_toml(data)  # type: ignore[no-any-return]
