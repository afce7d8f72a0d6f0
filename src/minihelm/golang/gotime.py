"""timebase.py and timelayout.py -> Go's time.Time value: an instant, its zone, Go's methods.

A `GoTime` is Go's time.Time: Unix seconds, nanoseconds, a `Location` and an
optional monotonic reading (only `now` has one; it shows as " m=+0.04" in
Time.String).  Layouts are formatted by timelayout.py and parsed by
timeparse.py, the way Go's time/format.go does it.  The date functions
(funcs/dates.py) and TOML datetimes (goyaml/tomlio.py) build these.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable

from .gotypes import GoStruct, Int64, go_params
from .timebase import (
    LONG_DAYS,
    LONG_MONTHS,
    NS,
    UTC,
    ZERO_UNIX,
    GoTimeError,
    Location,
    civil_from_days,
    clamp_duration,
    days_from_civil,
    local,
)
from .timelayout import format_time

# --- the time value --------------------------------------------------------------------------

_MONO_START = _time.monotonic_ns()


def _since_start() -> int:
    """Go's monotonic reading: nanoseconds since the process started."""
    return _time.monotonic_ns() - _MONO_START


_wall_ns: Callable[[], int] = _time.time_ns
_mono_ns: Callable[[], int] = _since_start


def set_clock(
    wall_ns: Callable[[], int] | None = None, mono_ns: Callable[[], int] | None = None
) -> None:
    """Pin the clock behind `now` (tests): Unix ns and ns since start; None restores it."""
    global _wall_ns, _mono_ns
    _wall_ns = wall_ns or _time.time_ns
    _mono_ns = mono_ns or _since_start


class GoMonth(int):
    """Go's time.Month: an int that prints as its English name."""

    go_type = "time.Month"

    def __go_str__(self) -> str:
        return LONG_MONTHS[self - 1] if 1 <= self <= 12 else f"%!Month({int(self)})"


class GoWeekday(int):
    """Go's time.Weekday: an int that prints as its English name."""

    go_type = "time.Weekday"

    def __go_str__(self) -> str:
        return LONG_DAYS[self] if 0 <= self <= 6 else f"%!Weekday({int(self)})"


class GoTime(GoStruct):
    """Go's time.Time (a struct value, so kindOf says "struct")."""

    go_type = "time.Time"
    go_kind_name = "struct"
    # The exported Go methods templates may call (the runtime's method set).
    go_methods = frozenset({
        "Unix", "UnixMilli", "UnixMicro", "UnixNano", "Year", "Month", "Day", "Hour", "Minute",
        "Second", "Nanosecond", "YearDay", "Weekday", "Format", "String", "UTC", "Local",
        "IsZero", "Add", "AddDate", "Sub", "Before", "After", "Equal",
    })
    __slots__ = ("loc", "mono", "nsec", "sec")

    def __init__(self, sec: int, nsec: int = 0, loc: Location = UTC, mono: int | None = None):
        self.sec = sec + nsec // NS
        self.nsec = nsec % NS
        self.loc = loc
        self.mono = mono

    # -- construction --
    @classmethod
    def now(cls) -> GoTime:
        wall = _wall_ns()
        return cls(wall // NS, wall % NS, local(), _mono_ns())

    @classmethod
    def unix(cls, sec: int, nsec: int = 0) -> GoTime:
        """Go's time.Unix: the instant in the Local zone."""
        return cls(sec, nsec, local())

    @classmethod
    def zero(cls) -> GoTime:
        return cls(ZERO_UNIX, 0, UTC)

    @classmethod
    def date(cls, year: int, month: int, day: int, hour: int, minute: int, sec: int,
             nsec: int, loc: Location) -> GoTime:
        """Go's time.Date: normalises overflowing fields, then resolves the zone offset."""
        m0 = month - 1
        year += m0 // 12
        month = m0 % 12 + 1
        days = days_from_civil(year, month, 1) + day - 1
        unix = days * 86400 + hour * 3600 + minute * 60 + sec + nsec // NS
        _, off = loc.lookup(unix)
        if off != 0:
            # Go looks the offset up again at the shifted instant to cross transitions.
            _, off = loc.lookup(unix - off)
            unix -= off
        return cls(unix, nsec % NS, loc)

    # -- derived fields --
    def _abs(self) -> tuple[str, int, int]:
        name, off = self.loc.lookup(self.sec)
        return name, off, self.sec + off

    def civil(self) -> tuple[int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second) in the time's own zone."""
        _, _, local_sec = self._abs()
        days, secs = divmod(local_sec, 86400)
        y, mo, d = civil_from_days(days)
        return y, mo, d, secs // 3600, secs // 60 % 60, secs % 60

    def with_loc(self, loc: Location) -> GoTime:
        """Go's Time.In (drops nothing: the monotonic reading survives In/UTC/Local)."""
        return GoTime(self.sec, self.nsec, loc, self.mono)

    def add_ns(self, d: int) -> GoTime:
        total = self.nsec + d
        mono = None if self.mono is None else self.mono + d
        return GoTime(self.sec + total // NS, total % NS, self.loc, mono)

    def sub_ns(self, other: GoTime) -> int:
        """Go's Time.Sub, saturating; uses monotonic readings when both have one."""
        if self.mono is not None and other.mono is not None:
            return clamp_duration(self.mono - other.mono)
        return clamp_duration((self.sec - other.sec) * NS + self.nsec - other.nsec)

    def format(self, layout: str) -> str:
        return format_time(self, layout)

    # -- printing hooks used by gofmt / toJson --
    def __go_str__(self) -> str:
        s = self.format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.mono is not None:
            m = self.mono
            sign = "-" if m < 0 else "+"
            whole, frac = divmod(abs(m), NS)
            s += f" m={sign}{whole}.{frac:09d}"
        return s

    def __go_json__(self) -> str:
        """Go's Time.MarshalJSON value (RFC 3339 with nanoseconds)."""
        y = self.civil()[0]
        if not 0 <= y <= 9999:
            raise GoTimeError("Time.MarshalJSON: year outside of range [0,9999]")
        return self.format("2006-01-02T15:04:05.999999999Z07:00")

    def __str__(self) -> str:
        return self.__go_str__()

    def __repr__(self) -> str:
        return f"GoTime({self.__go_str__()!r})"

    def __eq__(self, other: object) -> bool:
        # Go's == on Time compares wall, ext and loc; Equal compares instants.
        return (isinstance(other, GoTime) and (self.sec, self.nsec, self.mono) ==
                (other.sec, other.nsec, other.mono) and self.loc is other.loc)

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))

    # -- exported Go methods reachable from templates --
    def Unix(self) -> Int64:
        return Int64(self.sec)

    def UnixMilli(self) -> Int64:
        return Int64(self.sec * 1000 + self.nsec // 1000_000)

    def UnixMicro(self) -> Int64:
        return Int64(self.sec * 1000_000 + self.nsec // 1000)

    def UnixNano(self) -> Int64:
        return Int64(self.sec * NS + self.nsec)

    def Year(self) -> int:
        return self.civil()[0]

    def Month(self) -> GoMonth:
        return GoMonth(self.civil()[1])

    def Day(self) -> int:
        return self.civil()[2]

    def Hour(self) -> int:
        return self.civil()[3]

    def Minute(self) -> int:
        return self.civil()[4]

    def Second(self) -> int:
        return self.civil()[5]

    def Nanosecond(self) -> int:
        return self.nsec

    def YearDay(self) -> int:
        y, mo, d = self.civil()[:3]
        return days_from_civil(y, mo, d) - days_from_civil(y, 1, 1) + 1

    def Weekday(self) -> GoWeekday:
        _, _, local_sec = self._abs()
        return GoWeekday((local_sec // 86400 + 4) % 7)

    @go_params("string")
    def Format(self, layout: str) -> str:
        return self.format(layout)

    def String(self) -> str:
        return self.__go_str__()

    def UTC(self) -> GoTime:
        return self.with_loc(UTC)

    def Local(self) -> GoTime:
        return self.with_loc(local())

    def IsZero(self) -> bool:
        return self.sec == ZERO_UNIX and self.nsec == 0

    @go_params("time.Duration")
    def Add(self, d: int) -> GoTime:
        return self.add_ns(int(d))

    @go_params("int", "int", "int")
    def AddDate(self, years: int, months: int, days: int) -> GoTime:
        y, mo, d, h, mi, s = self.civil()
        return GoTime.date(y + years, mo + months, d + days, h, mi, s, self.nsec, self.loc)

    @go_params("time.Time")
    def Sub(self, u: GoTime) -> Int64:
        return Int64(self.sub_ns(u))

    @go_params("time.Time")
    def Before(self, u: GoTime) -> bool:
        return (self.sec, self.nsec) < (u.sec, u.nsec)

    @go_params("time.Time")
    def After(self, u: GoTime) -> bool:
        return (self.sec, self.nsec) > (u.sec, u.nsec)

    @go_params("time.Time")
    def Equal(self, u: GoTime) -> bool:
        return (self.sec, self.nsec) == (u.sec, u.nsec)

