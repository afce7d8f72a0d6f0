"""Plain scalar text -> the tag and value go-yaml v2 gives it (YAML 1.1 resolution), for yamlio and yamlemit.

Mirrors go-yaml v2's resolve.go: the y/yes/on/off booleans, base-prefixed and
underscored integers via strconv.ParseInt(s, 0, 64), YAML-style floats, and
the timestamp shapes time.Parse accepts with go-yaml's four layouts.
"""

from __future__ import annotations

import math
import re
from typing import Any

STR, BOOL, INT, FLOAT, NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "int", "float",
                                                                   "null"))
TIMESTAMP, BINARY, MERGE = (f"tag:yaml.org,2002:{t}" for t in ("timestamp", "binary", "merge"))


class GoYAMLFail(Exception):
    """A go-yaml `failf`: str() is the text after "yaml: "."""

    def __init__(self, msg: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.line = line  # 0-based line of the trouble, for our SourcePos
        self.col = col


class UInt64(int):
    """A go-yaml v2 uint64 (an integer above int64's range)."""


_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _v, _t, _words in (
    (True, BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, NULL, "~ null Null NULL"),
    (math.nan, FLOAT, ".nan .NaN .NAN"),
    (math.inf, FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, FLOAT, "-.inf -.Inf -.INF"),
    ("<<", MERGE, "<<"),
):
    for _w in _words.split():
        _RESOLVE_MAP[_w] = (_t, _v)
_RESOLVE_MAP[""] = (NULL, None)


def _hint(s: str) -> str:
    if not s:
        return "N"
    c = s[0]
    if c in "+-":
        return "S"
    if "0" <= c <= "9":
        return "D"
    if c in "yYnNtTfFoO~":
        return "M"
    return "." if c == "." else ""


_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DIGITS = {b: re.compile(f"[{c}]+") for b, c in ((2, "01"), (8, "0-7"), (10, "0-9"),
                                                  (16, "0-9a-fA-F"))}
INT64_MIN, INT64_MAX, UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1


def go_parse_uint(s: str, base: int = 0) -> int | None:
    """strconv.ParseUint(s, base, 64) for text without underscores; None on error."""
    if not s:
        return None
    if base == 0:
        base = 10
        if s[0] == "0":
            low = s[1:2].lower()
            if len(s) >= 3 and low in ("b", "o", "x"):
                base, s = {"b": 2, "o": 8, "x": 16}[low], s[2:]
            else:
                base, s = 8, s[1:]
                if not s:
                    return 0
    if not _DIGITS[base].fullmatch(s):
        return None
    n = int(s, base)
    return n if n <= UINT64_MAX else None


def go_parse_int(s: str, base: int = 0) -> int | None:
    """strconv.ParseInt(s, base, 64); None on syntax or range error."""
    neg = s[:1] == "-"
    body = s[1:] if s[:1] in ("+", "-") else s
    n = go_parse_uint(body, base)
    if n is None:
        return None
    n = -n if neg else n
    return n if INT64_MIN <= n <= INT64_MAX else None


def go_parse_float(s: str) -> float | None:
    """strconv.ParseFloat for the decimal forms go-yaml hands it; None on error or overflow."""
    try:
        f = float(s)
    except ValueError:
        return None
    if "_" in s or math.isinf(f) or math.isnan(f):
        return None
    return f


def _parse_int_value(plain: str) -> tuple[str, Any] | None:
    intv = go_parse_int(plain)
    if intv is not None:
        return INT, intv
    uintv = go_parse_uint(plain)
    if uintv is not None:
        return INT, UInt64(uintv)
    if _YAML_FLOAT.match(plain):
        f = go_parse_float(plain)
        if f is not None:
            return FLOAT, f
    if plain.startswith("0b"):
        intv = go_parse_int(plain[2:], 2)
        if intv is not None:
            return INT, intv
        uintv = go_parse_uint(plain[2:], 2)
        if uintv is not None:
            return INT, UInt64(uintv)
    elif plain.startswith("-0b"):
        intv = go_parse_int("-" + plain[3:], 2)
        if intv is not None:
            return INT, intv
    return None


def _resolve_untagged(tag: str, s: str) -> tuple[str, Any]:
    hint = _hint(s)
    if not hint or tag in (STR, BINARY):
        return STR, s
    if s in _RESOLVE_MAP:
        return _RESOLVE_MAP[s]
    if hint == ".":
        if re.match(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z", s):
            f = go_parse_float(s)
            if f is not None:
                return FLOAT, f
    elif hint in ("D", "S"):
        if tag in ("", TIMESTAMP) and is_timestamp(s):
            return TIMESTAMP, s
        got = _parse_int_value(s.replace("_", ""))
        if got is not None:
            return got
    return STR, s


def resolve(tag: str, s: str) -> tuple[str, Any]:
    """go-yaml v2 resolve(tag, in): the resolved tag and value; raises GoYAMLFail on a tag clash."""
    if tag not in ("", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP):
        return tag, s
    rtag, out = _resolve_untagged(tag, s)
    if tag in ("", rtag, STR, BINARY):
        return rtag, out
    if tag == FLOAT and rtag == INT and not isinstance(out, UInt64):
        return FLOAT, float(out)
    raise GoYAMLFail(f"cannot decode {short_tag(rtag)} `{s}` as a {short_tag(tag)}")


def short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_TS = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[-+]\d\d:\d\d)?)?\Z"
)


def is_timestamp(s: str) -> bool:
    """go-yaml v2 parseTimestamp: time.Parse with its four layouts (short date fields)."""
    m = _TS.match(s)
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= _DAYS[month - 1] + (1 if month == 2 and leap else 0):
        return False
    if m[4] is None:
        return True
    if int(m[5]) > 23 or int(m[6]) > 59 or int(m[7]) > 59:
        return False
    zone = m[8]
    if m[4] == " ":
        return zone is None  # "2006-1-2 15:4:5.999999999" has no zone
    if zone is None:
        return False
    return zone == "Z" or (int(zone[1:3]) < 24 and int(zone[4:6]) < 60)


