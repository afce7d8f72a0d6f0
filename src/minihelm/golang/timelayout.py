"""A Go reference-time layout -> its elements (nextStdChunk), and a time formatted through them.

Feeds gotime.py (Time.Format) and timeparse.py (which reads text through the
same elements).  A layout is scanned into chunks: literal text and "std"
elements such as "2006", "Jan", "_2", "15", "PM", "MST", "Z07:00", ".000",
as Go's time/format.go does it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .timebase import LONG_DAYS, LONG_MONTHS, SHORT_DAYS, civil_from_days, days_from_civil

if TYPE_CHECKING:  # the value formatted; gotime.py imports this module
    from .gotime import GoTime


class Std(NamedTuple):
    """One layout element: its kind, and for fractional seconds the digit count and separator."""

    kind: str
    digits: int = 0
    sep: str = "."


_ZERO_X = {"1": "ZeroMonth", "2": "ZeroDay", "3": "ZeroHour12", "4": "ZeroMinute",
           "5": "ZeroSecond", "6": "Year"}
# Zone elements starting with '-' or 'Z', longest first as Go tries them.
_NUM_TZ = (("070000", "SecondsTz"), ("07:00:00", "ColonSecondsTZ"), ("0700", "TZ"),
           ("07:00", "ColonTZ"), ("07", "ShortTZ"))
ISO_KINDS = {"ISO8601TZ", "ISO8601SecondsTZ", "ISO8601ShortTZ", "ISO8601ColonTZ",
              "ISO8601ColonSecondsTZ"}


def _lower_at(s: str, i: int) -> bool:
    return i < len(s) and "a" <= s[i] <= "z"


def next_std_chunk(layout: str) -> tuple[str, Std | None, str]:
    """Split `layout` into (literal prefix, first std element or None, rest), like nextStdChunk."""
    n = len(layout)
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                return layout[:i], Std("LongMonth"), layout[i + 7:]
            if not _lower_at(layout, i + 3):
                return layout[:i], Std("Month"), layout[i + 3:]
        elif c == "M":
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], Std("LongWeekDay"), layout[i + 6:]
                if not _lower_at(layout, i + 3):
                    return layout[:i], Std("WeekDay"), layout[i + 3:]
            if rest.startswith("MST"):
                return layout[:i], Std("TZ"), layout[i + 3:]
        elif c == "0":
            if i + 1 < n and "1" <= layout[i + 1] <= "6":
                return layout[:i], Std(_ZERO_X[layout[i + 1]]), layout[i + 2:]
            if rest.startswith("002"):
                return layout[:i], Std("ZeroYearDay"), layout[i + 3:]
        elif c == "1":
            if rest.startswith("15"):
                return layout[:i], Std("Hour"), layout[i + 2:]
            return layout[:i], Std("NumMonth"), layout[i + 1:]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], Std("LongYear"), layout[i + 4:]
            return layout[:i], Std("Day"), layout[i + 1:]
        elif c == "_":
            if rest.startswith("_2"):
                # "_2006" is a literal underscore followed by the long year.
                if rest.startswith("_2006"):
                    return layout[:i + 1], Std("LongYear"), layout[i + 5:]
                return layout[:i], Std("UnderDay"), layout[i + 2:]
            if rest.startswith("__2"):
                return layout[:i], Std("UnderYearDay"), layout[i + 3:]
        elif c in "345":
            kind = {"3": "Hour12", "4": "Minute", "5": "Second"}[c]
            return layout[:i], Std(kind), layout[i + 1:]
        elif c == "P" and rest.startswith("PM"):
            return layout[:i], Std("PM"), layout[i + 2:]
        elif c == "p" and rest.startswith("pm"):
            return layout[:i], Std("pm"), layout[i + 2:]
        elif c in "-Z":
            for text, suffix in _NUM_TZ:
                if rest[1:].startswith(text):
                    kind = ("Num" if c == "-" else "ISO8601") + suffix
                    if c == "-" and suffix == "SecondsTz":
                        kind = "NumSecondsTz"
                    elif c == "Z" and suffix == "SecondsTz":
                        kind = "ISO8601SecondsTZ"
                    return layout[:i], Std(kind), layout[i + 1 + len(text):]
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            if not (j < n and layout[j].isdigit() and layout[j].isascii()):
                kind = "Frac0" if ch == "0" else "Frac9"
                return layout[:i], Std(kind, j - (i + 1), c), layout[j:]
    return layout, None, ""


# --- formatting -------------------------------------------------------------------------------

def _pad(x: int, width: int) -> str:
    """Go's appendInt: minus sign, then at least `width` digits."""
    return ("-" if x < 0 else "") + str(abs(x)).rjust(width, "0")


def _frac(nsec: int, std: Std) -> str:
    trim = std.kind == "Frac9"
    if trim and (std.digits == 0 or nsec == 0):
        return ""
    digits = f"{nsec:09d}"[: std.digits] if std.digits < 9 else f"{nsec:09d}"
    out = std.sep + digits
    if trim:
        out = out.rstrip("0")
        if out == std.sep:
            out = ""
    return out


def _zone(kind: str, offset: int, name: str) -> str:
    if kind == "TZ":
        if name:
            return name
        zone = offset // 60 if offset >= 0 else -((-offset) // 60)
        return ("-" if zone < 0 else "+") + _pad(abs(zone) // 60, 2) + _pad(abs(zone) % 60, 2)
    if offset == 0 and kind in ISO_KINDS:
        return "Z"
    zone = abs(offset) // 60
    out = ("-" if offset < 0 else "+") + _pad(zone // 60, 2)
    colon = "Colon" in kind
    if colon:
        out += ":"
    if "Short" not in kind:
        out += _pad(zone % 60, 2)
    if "Seconds" in kind:
        out += (":" if colon else "") + _pad(abs(offset) % 60, 2)
    return out


def format_time(t: GoTime, layout: str) -> str:
    """Go's Time.Format."""
    name, offset = t.loc.lookup(t.sec)
    local_sec = t.sec + offset
    days, secs = divmod(local_sec, 86400)
    year, month, day = civil_from_days(days)
    hour, minute, sec = secs // 3600, secs // 60 % 60, secs % 60
    out: list[str] = []
    while layout:
        prefix, std, layout = next_std_chunk(layout)
        out.append(prefix)
        if std is None:
            break
        out.append(_format_std(std, t, year, month, day, days, hour, minute, sec, offset, name))
    return "".join(out)


def _format_std(std: Std, t: GoTime, year: int, month: int, day: int, days: int, hour: int,
                minute: int, sec: int, offset: int, name: str) -> str:
    k = std.kind
    hr12 = hour % 12 or 12
    simple = {
        "Year": lambda: _pad(abs(year) % 100, 2),
        "LongYear": lambda: _pad(year, 4),
        "Month": lambda: LONG_MONTHS[month - 1][:3],
        "LongMonth": lambda: LONG_MONTHS[month - 1],
        "NumMonth": lambda: str(month),
        "ZeroMonth": lambda: _pad(month, 2),
        "WeekDay": lambda: SHORT_DAYS[(days + 4) % 7],
        "LongWeekDay": lambda: LONG_DAYS[(days + 4) % 7],
        "Day": lambda: str(day),
        "UnderDay": lambda: (" " if day < 10 else "") + str(day),
        "ZeroDay": lambda: _pad(day, 2),
        "Hour": lambda: _pad(hour, 2),
        "Hour12": lambda: str(hr12),
        "ZeroHour12": lambda: _pad(hr12, 2),
        "Minute": lambda: str(minute),
        "ZeroMinute": lambda: _pad(minute, 2),
        "Second": lambda: str(sec),
        "ZeroSecond": lambda: _pad(sec, 2),
        "PM": lambda: "PM" if hour >= 12 else "AM",
        "pm": lambda: "pm" if hour >= 12 else "am",
    }
    if k in simple:
        return simple[k]()
    if k in ("UnderYearDay", "ZeroYearDay"):
        yday = days - days_from_civil(year, 1, 1) + 1
        if k == "ZeroYearDay":
            return _pad(yday, 3)
        return str(yday).rjust(3, " ")
    if k in ("Frac0", "Frac9"):
        return _frac(t.nsec, std)
    return _zone(k, offset, name)
