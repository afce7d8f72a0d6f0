"""Sprig's date functions (date.go): template values -> GoTime values and formatted dates.

Quirks kept from Sprig: `date`/`dateInZone` treat anything that is not a
time.Time, int, int64 or int32 (a float64 from values, a string, nil) as
"now"; `duration` reads only strings and int64 (a template constant is Go
`int`, so `duration 95` is "0s"); an unknown zone name silently means UTC;
`toDate` swallows parse errors into Go's zero time.  Helm 4.1.4 has none of
helm's later duration helpers (toDuration, durationSeconds, ...): they are
parse errors there, so they are not registered.
"""

from __future__ import annotations

import re
from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gotime import GoTime
from minihelm.golang.gotypes import Int64
from minihelm.golang.timebase import (
    HOUR,
    MINUTE,
    SECOND,
    UTC,
    GoTimeError,
    duration_round,
    duration_string,
    load_location,
    local,
    parse_duration,
)
from minihelm.golang.timelayout import format_time
from minihelm.golang.timeparse import parse_time


def _is_go_int(v: Any) -> bool:
    """Go int / int64 (our int and Int64); bool is an int in Python but not in Go."""
    return type(v) is int or type(v) is Int64


def _as_time(v: Any) -> GoTime:
    """Sprig's dateInZone switch: time.Time as is, ints as Unix seconds, anything else now."""
    if isinstance(v, GoTime):
        return v
    if _is_go_int(v):
        return GoTime.unix(int(v))
    return GoTime.now()


@gofunc("now", "", hermetic=False)
def now() -> GoTime:
    return GoTime.now()


@gofunc("date", "string, interface {}")
def date(fmt: str, value: Any) -> str:
    return date_in_zone(fmt, value, "Local")


@gofunc("htmlDate", "interface {}")
def html_date(value: Any) -> str:
    return date_in_zone("2006-01-02", value, "Local")


@gofunc("htmlDateInZone", "interface {}, string")
def html_date_in_zone(value: Any, zone: str) -> str:
    return date_in_zone("2006-01-02", value, zone)


@gofunc("dateInZone", "string, interface {}, string")
@gofunc("date_in_zone", "string, interface {}, string")
def date_in_zone(fmt: str, value: Any, zone: str) -> str:
    t = _as_time(value)
    try:
        loc = load_location(zone)
    except GoTimeError:
        loc = UTC
    return format_time(t.with_loc(loc), fmt)


@gofunc("dateModify", "string, time.Time")
@gofunc("date_modify", "string, time.Time")
def date_modify(fmt: str, t: GoTime) -> GoTime:
    try:
        return t.add_ns(parse_duration(fmt))
    except GoTimeError:
        return t


@gofunc("mustDateModify", "string, time.Time")
@gofunc("must_date_modify", "string, time.Time")
def must_date_modify(fmt: str, t: GoTime) -> GoTime:
    try:
        return t.add_ns(parse_duration(fmt))
    except GoTimeError as e:
        raise GoFuncError(str(e)) from None


@gofunc("ago", "interface {}", hermetic=False)
def ago(value: Any) -> str:
    if isinstance(value, GoTime):
        t = value
    elif _is_go_int(value):
        t = GoTime.unix(int(value))
    else:
        t = GoTime.now()
    return duration_string(duration_round(GoTime.now().sub_ns(t), SECOND))


_GO_INT = re.compile(r"[+-]?[0-9]+\Z")


def _wrap64(n: int) -> int:
    """Go's silent int64 overflow."""
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


@gofunc("duration", "interface {}")
def duration(sec: Any) -> str:
    n = 0
    if isinstance(sec, str):
        # strconv.ParseInt: a syntax error gives 0, a range error the clamped value.
        if _GO_INT.match(sec):
            n = max(-(1 << 63), min((1 << 63) - 1, int(sec)))
    elif isinstance(sec, Int64):
        n = int(sec)
    return duration_string(_wrap64(n * SECOND))


_ROUND_UNITS = (
    (HOUR * 24 * 365, "y"), (HOUR * 24 * 30, "mo"), (HOUR * 24, "d"),
    (HOUR, "h"), (MINUTE, "m"), (SECOND, "s"),
)


@gofunc("durationRound", "interface {}")
def duration_round_func(value: Any) -> str:
    d = 0
    if isinstance(value, str):
        try:
            d = parse_duration(value)
        except GoTimeError:
            d = 0
    elif isinstance(value, Int64):
        d = int(value)
    elif isinstance(value, GoTime):
        d = GoTime.now().sub_ns(value)
    u = abs(d)
    for unit, suffix in _ROUND_UNITS:
        # Sprig compares with > so exactly one hour still rounds down to "60m".
        if u > unit:
            return f"{u // unit}{suffix}"
    return "0s"


@gofunc("toDate", "string, string")
def to_date(fmt: str, s: str) -> GoTime:
    try:
        return parse_time(fmt, s, local())
    except GoTimeError:
        return GoTime.zero()


@gofunc("mustToDate", "string, string")
def must_to_date(fmt: str, s: str) -> GoTime:
    try:
        return parse_time(fmt, s, local())
    except GoTimeError as e:
        raise GoFuncError(str(e)) from None


@gofunc("unixEpoch", "time.Time")
def unix_epoch(t: GoTime) -> str:
    return str(t.sec)
