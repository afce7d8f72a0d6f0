"""Text and a Go reference-time layout -> a GoTime, as Go's time.ParseInLocation reads it.

Fed by funcs/dates.py (toDate, mustToDate); reads the layout through
timelayout.py's elements and raises `GoTimeError` with Go's ParseError text.
"""

from __future__ import annotations

from .gotime import GoTime
from .timebase import (
    LONG_DAYS,
    LONG_MONTHS,
    SHORT_DAYS,
    SHORT_MONTHS,
    UTC,
    GoTimeError,
    Location,
    days_in,
    fixed_zone,
    go_quote,
    is_leap,
)
from .timelayout import ISO_KINDS, Std, next_std_chunk

# --- parsing ----------------------------------------------------------------------------------

class _Bad(Exception):
    """Go's errBad: the element did not match (reported as a ParseError by the caller)."""


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not (s[:1].isdigit() and s[:1].isascii()):
        raise _Bad
    if not (s[1:2].isdigit() and s[1:2].isascii()):
        if fixed:
            raise _Bad
        return int(s[0]), s[1:]
    return int(s[:2]), s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    i = 0
    while i < 3 and i < len(s) and "0" <= s[i] <= "9":
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return int(s[:i]), s[i:]


def _atoi(s: str) -> int:
    neg = s[:1] == "-"
    body = s[1:] if s[:1] in "+-" and s else s
    if not body or not all("0" <= c <= "9" for c in body):
        raise _Bad
    return -int(body) if neg else int(body)


def _lookup(table: tuple[str, ...], val: str) -> tuple[int, str]:
    for i, v in enumerate(table):
        if len(val) >= len(v) and val[: len(v)].lower() == v.lower():
            return i, val[len(v):]
    raise _Bad


def _skip(value: str, prefix: str) -> str:
    """Remove literal `prefix` from `value`, a run of spaces matching any run of spaces."""
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad
        prefix, value = prefix[1:], value[1:]
    return value


def _nanoseconds(value: str, nbytes: int) -> int:
    if value[0] not in ".,":
        raise _Bad
    nbytes = min(nbytes, 10)
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        raise _Range("fractional second")
    return ns * 10 ** (10 - nbytes)


class _Range(Exception):
    """A field out of range: Go reports ": <what> out of range"."""


def _signed_offset(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    digits = value[1:]
    i = 0
    while i < len(digits) and "0" <= digits[i] <= "9":
        i += 1
    if i == 0 or int(digits[:i]) > 23:
        return 0
    return 1 + i


def _zone_len(value: str) -> int:
    """Go's parseTimeZone: the length of a zone abbreviation at the start of value, or 0."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 + (_signed_offset(value[3:]) if len(value) > 3 else 0)
    if value[0] in "+-":
        return _signed_offset(value)
    upper = 0
    while upper < 6 and upper < len(value) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper == 3:
        return 3
    if upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if upper == 5 and value[4] == "T":
        return 5
    return 0


class _State:
    """The fields parse_time collects before building the time."""

    def __init__(self) -> None:
        self.year = 0
        self.month = -1
        self.day = -1
        self.yday = -1
        self.hour = 0
        self.minute = 0
        self.sec = 0
        self.nsec = 0
        self.zone: Location | None = None
        self.offset: int | None = None
        self.zone_name = ""
        self.am = False
        self.pm = False


def _perr(layout: str, value: str, layout_elem: str, value_elem: str, msg: str = "") -> GoTimeError:
    if msg:
        return GoTimeError("parsing time " + go_quote(value) + msg)
    return GoTimeError(
        f"parsing time {go_quote(value)} as {go_quote(layout)}: cannot parse "
        f"{go_quote(value_elem)} as {go_quote(layout_elem)}"
    )


def parse_time(layout: str, value: str, loc: Location) -> GoTime:
    """Go's time.ParseInLocation(layout, value, loc)."""
    alayout, avalue = layout, value
    st = _State()
    while True:
        prefix, std, suffix = next_std_chunk(layout)
        stdstr = layout[len(prefix): len(layout) - len(suffix)]
        try:
            value = _skip(value, prefix)
        except _Bad:
            raise _perr(alayout, avalue, prefix, value) from None
        if std is None:
            if value:
                raise _perr(alayout, avalue, "", value, ": extra text: " + go_quote(value))
            break
        layout = suffix
        hold = value
        try:
            value = _parse_std(std, value, layout, st)
        except _Range as e:
            raise _perr(alayout, avalue, stdstr, value, f": {e} out of range") from None
        except _Bad:
            raise _perr(alayout, avalue, stdstr, hold) from None
    return _build(st, alayout, avalue, value, loc)


def _parse_std(std: Std, value: str, layout_rest: str, st: _State) -> str:
    """Consume one element from value into st; returns the rest of value."""
    k = std.kind
    if k == "Year":
        if len(value) < 2:
            raise _Bad
        y = _atoi(value[:2])
        st.year = y + (1900 if y >= 69 else 2000)
        return value[2:]
    if k == "LongYear":
        if len(value) < 4 or not ("0" <= value[0] <= "9"):
            raise _Bad
        st.year = _atoi(value[:4])
        return value[4:]
    if k in ("Month", "LongMonth"):
        i, value = _lookup(SHORT_MONTHS if k == "Month" else LONG_MONTHS, value)
        st.month = i + 1
        return value
    if k in ("NumMonth", "ZeroMonth"):
        st.month, value = _getnum(value, k == "ZeroMonth")
        if not 0 < st.month <= 12:
            raise _Range("month")
        return value
    if k in ("WeekDay", "LongWeekDay"):
        return _lookup(SHORT_DAYS if k == "WeekDay" else LONG_DAYS, value)[1]
    if k in ("Day", "UnderDay", "ZeroDay"):
        if k == "UnderDay" and value[:1] == " ":
            value = value[1:]
        st.day, value = _getnum(value, k == "ZeroDay")
        return value
    if k in ("UnderYearDay", "ZeroYearDay"):
        for _ in range(2):
            if k == "UnderYearDay" and value[:1] == " ":
                value = value[1:]
        st.yday, value = _getnum3(value, k == "ZeroYearDay")
        return value
    if k == "Hour":
        st.hour, value = _getnum(value, False)
        if st.hour >= 24:
            raise _Range("hour")
        return value
    if k in ("Hour12", "ZeroHour12"):
        st.hour, value = _getnum(value, k == "ZeroHour12")
        if st.hour > 12:
            raise _Range("hour")
        return value
    if k in ("Minute", "ZeroMinute"):
        st.minute, value = _getnum(value, k == "ZeroMinute")
        if st.minute >= 60:
            raise _Range("minute")
        return value
    if k in ("Second", "ZeroSecond"):
        return _parse_second(value, layout_rest, k == "ZeroSecond", st)
    if k in ("PM", "pm"):
        if len(value) < 2:
            raise _Bad
        p = value[:2]
        want = ("PM", "AM") if k == "PM" else ("pm", "am")
        if p not in want:
            raise _Bad
        st.pm, st.am = (True, st.am) if p == want[0] else (st.pm, True)
        return value[2:]
    if k == "TZ":
        if value[:3] == "UTC":
            st.zone = UTC
            return value[3:]
        n = _zone_len(value)
        if n == 0:
            raise _Bad
        st.zone_name = value[:n]
        return value[n:]
    if k == "Frac0":
        ndigit = 1 + std.digits
        if len(value) < ndigit:
            raise _Bad
        st.nsec = _nanoseconds(value, ndigit)
        return value[ndigit:]
    if k == "Frac9":
        if len(value) < 2 or value[0] not in ".," or not ("0" <= value[1] <= "9"):
            return value
        i = 0
        while i + 1 < len(value) and "0" <= value[i + 1] <= "9":
            i += 1
        st.nsec = _nanoseconds(value, 1 + i)
        return value[1 + i:]
    return _parse_offset(k, value, st)


def _parse_second(value: str, layout_rest: str, fixed: bool, st: _State) -> str:
    st.sec, value = _getnum(value, fixed)
    if st.sec >= 60:
        raise _Range("second")
    # A fraction in the input after the seconds is accepted even when the
    # layout has none (Go's special case), unless the layout has its own.
    if len(value) >= 2 and value[0] in ".," and "0" <= value[1] <= "9":
        _, nxt, _ = next_std_chunk(layout_rest)
        if nxt is not None and nxt.kind in ("Frac0", "Frac9"):
            return value
        n = 2
        while n < len(value) and "0" <= value[n] <= "9":
            n += 1
        st.nsec = _nanoseconds(value, n)
        value = value[n:]
    return value


def _parse_offset(k: str, value: str, st: _State) -> str:
    if k in ISO_KINDS and value[:1] == "Z":
        st.zone = UTC
        return value[1:]
    if "ColonSeconds" in k:
        if len(value) < 9 or value[3] != ":" or value[6] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], value[7:9], value[9:]
    elif "Colon" in k:
        if len(value) < 6 or value[3] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], "00", value[6:]
    elif "Short" in k:
        if len(value) < 3:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], "00", "00", value[3:]
    elif "Seconds" in k:
        if len(value) < 7:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], value[5:7], value[7:]
    else:
        if len(value) < 5:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], "00", value[5:]
    hr = _getnum(hh, True)[0]
    mi = _getnum(mm, True)[0]
    se = _getnum(ss, True)[0]
    # Go tests > rather than >= (offsets of 24h or 60m are written by some).
    rng = ""
    if hr > 24:
        rng = "time zone offset hour"
    if mi > 60:
        rng = "time zone offset minute"
    if se > 60:
        rng = "time zone offset second"
    # Go reports a range error before a bad sign.
    if rng:
        raise _Range(rng)
    off = (hr * 60 + mi) * 60 + se
    if sign == "-":
        off = -off
    elif sign != "+":
        raise _Bad
    st.offset = off
    return value


def _build(st: _State, layout: str, value: str, rest: str, loc: Location) -> GoTime:
    if st.pm and st.hour < 12:
        st.hour += 12
    elif st.am and st.hour == 12:
        st.hour = 0
    if st.yday >= 0:
        _apply_yday(st, layout, value, rest)
    else:
        if st.month < 0:
            st.month = 1
        if st.day < 0:
            st.day = 1
    if st.day < 1 or st.day > days_in(st.month, st.year):
        raise _perr(layout, value, "", rest, ": day out of range")
    fields = (st.year, st.month, st.day, st.hour, st.minute, st.sec, st.nsec)
    if st.zone is not None:
        return GoTime.date(*fields, st.zone)
    if st.offset is not None:
        t = GoTime.date(*fields, UTC)
        unix = t.sec - st.offset
        name, off = loc.lookup(unix)
        if off == st.offset and (not st.zone_name or name == st.zone_name):
            return GoTime(unix, t.nsec, loc)
        return GoTime(unix, t.nsec, fixed_zone(st.zone_name, st.offset))
    if st.zone_name:
        t = GoTime.date(*fields, UTC)
        found = loc.lookup_name(st.zone_name, t.sec)
        if found is not None:
            return GoTime(t.sec - found, t.nsec, loc)
        off = 0
        if len(st.zone_name) > 3 and st.zone_name[:3] == "GMT":
            off = int(st.zone_name[3:]) * 3600
        return GoTime(t.sec, t.nsec, fixed_zone(st.zone_name, off))
    return GoTime.date(*fields, loc)


def _apply_yday(st: _State, layout: str, value: str, rest: str) -> None:
    yday, m, d = st.yday, 0, 0
    if is_leap(st.year):
        if yday == 31 + 29:
            m, d = 2, 29
        elif yday > 31 + 29:
            yday -= 1
    if yday < 1 or yday > 365:
        raise _perr(layout, value, "", rest, ": day-of-year out of range")
    if m == 0:
        cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
        m = (yday - 1) // 31 + 1
        if cum[m] < yday:
            m += 1
        d = yday - cum[m - 1]
    if st.month >= 0 and st.month != m:
        raise _perr(layout, value, "", rest, ": day-of-year does not match month")
    st.month = m
    if st.day >= 0 and st.day != d:
        raise _perr(layout, value, "", rest, ": day-of-year does not match day")
    st.day = d

