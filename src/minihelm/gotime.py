"""Go's time package in Python: instants, zones, layouts and durations, for the date functions.

A `GoTime` is Go's time.Time: Unix seconds, nanoseconds, a `Location` and an
optional monotonic reading (only `now` has one; it shows as " m=+0.04" in
Time.String).  Layout strings are Go's reference-time layouts
("2006-01-02T15:04:05Z07:00"), formatted and parsed the way Go's
time/format.go does it, with Go's ParseError texts.  Durations are plain int
nanoseconds (Go's time.Duration) with Go's String and ParseDuration.
Civil dates are computed here (not with `datetime`) so years 0 and below work
as in Go; zone offsets come from the IANA database through `zoneinfo`.
"""

from __future__ import annotations

import os
import time as _time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from minihelm.gotypes import GoStruct, Int64, go_params

NS = 1_000_000_000
SECOND = NS
MINUTE = 60 * NS
HOUR = 3600 * NS
MAX_DURATION = (1 << 63) - 1
MIN_DURATION = -(1 << 63)

# Unix seconds of Go's zero Time (January 1, year 1, 00:00:00 UTC).
ZERO_UNIX = -62135596800

LONG_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
SHORT_DAYS = tuple(d[:3] for d in LONG_DAYS)
SHORT_MONTHS = tuple(m[:3] for m in LONG_MONTHS)


class GoTimeError(ValueError):
    """A Go time error (ParseError, ParseDuration error); str() is Go's Error() text."""


# --- civil calendar (proleptic Gregorian, any year) ---------------------------------------

def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a valid civil date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# --- locations ------------------------------------------------------------------------------

# zoneinfo works on datetimes, so instants are clamped into datetime's range;
# Go uses the first/last zone rule outside the tz data anyway.
_MIN_LOOKUP = -62104060800  # 0002-01-01
_MAX_LOOKUP = 253370764800  # 9998-12-31
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Location:
    """Go's *time.Location: a name plus either a fixed zone or an IANA zone."""

    def __init__(self, name: str, tz: Any = None, fixed: tuple[str, int] | None = None) -> None:
        self.name = name
        self._tz = tz
        self._fixed = fixed

    def lookup(self, unix: int) -> tuple[str, int]:
        """(zone abbreviation, offset seconds east of UTC) in effect at `unix`."""
        if self._fixed is not None:
            return self._fixed
        if self._tz is None:
            return "UTC", 0
        s = min(max(unix, _MIN_LOOKUP), _MAX_LOOKUP)
        dt = (_EPOCH + timedelta(seconds=s)).astimezone(self._tz)
        off = dt.utcoffset()
        return dt.tzname() or "", int(off.total_seconds()) if off is not None else 0

    def lookup_name(self, abbr: str, unix: int) -> int | None:
        """Offset of zone `abbr` in this location near `unix` (Go's Location.lookupName)."""
        # Go walks the location's zone list; the zones in force during the
        # surrounding year (probed monthly) stand in for it here.
        offsets: list[int] = []
        for k in range(-7, 8):
            name, off = self.lookup(unix + k * 30 * 86400)
            if name == abbr and off not in offsets:
                offsets.append(off)
        # First choice: a zone with that name actually in effect at the time.
        for off in offsets:
            if self.lookup(unix - off)[0] == abbr:
                return off
        return offsets[0] if offsets else None

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Location({self.name!r})"


UTC = Location("UTC")


def fixed_zone(name: str, offset: int) -> Location:
    """Go's time.FixedZone."""
    return Location(name, fixed=(name, offset))


_local_cache: dict[str | None, Location] = {}


def local() -> Location:
    """Go's time.Local, as initLocal derives it from $TZ and /etc/localtime."""
    tz = os.environ.get("TZ")
    loc = _local_cache.get(tz)
    if loc is None:
        loc = _load_local(tz)
        _local_cache[tz] = loc
    return loc


def _load_local(tz: str | None) -> Location:
    from zoneinfo import ZoneInfo

    try:
        if tz is None:
            with open("/etc/localtime", "rb") as f:
                return Location("Local", ZoneInfo.from_file(f, key="Local"))
        tz = tz.removeprefix(":")
        if tz.startswith("/"):
            with open(tz, "rb") as f:
                return Location("Local" if tz == "/etc/localtime" else tz, ZoneInfo.from_file(f))
        if tz and tz != "UTC":
            return Location(tz, ZoneInfo(tz))
    except Exception:  # noqa: BLE001 - Go falls back to UTC on any failure
        return Location("UTC")
    return Location("UTC")


def load_location(name: str) -> Location:
    """Go's time.LoadLocation; raises GoTimeError for unknown zones."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return local()
    if ".." in name or name.startswith(("/", "\\")):
        raise GoTimeError("time: invalid location name")
    from zoneinfo import ZoneInfo

    try:
        return Location(name, ZoneInfo(name))
    except Exception as e:
        raise GoTimeError(f"unknown time zone {name}") from e


# --- durations -------------------------------------------------------------------------------

def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    """Go's fmtFrac: the fraction of v/10**prec without trailing zeros, and v/10**prec."""
    digits = ""
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits = str(digit) + digits
        v //= 10
    return ("." + digits if printed else ""), v


def duration_string(d: int) -> str:
    """Go's Duration.String: "72h3m0.5s", "1.5ms", "0s"."""
    if d == 0:
        return "0s"
    neg = d < 0
    u = -d if neg else d
    if u < SECOND:
        if u < 1000:
            out = f"{u}ns"
        elif u < 1000_000:
            frac, whole = _fmt_frac(u, 3)
            out = f"{whole}{frac}µs"
        else:
            frac, whole = _fmt_frac(u, 6)
            out = f"{whole}{frac}ms"
    else:
        frac, u = _fmt_frac(u, 9)
        out = f"{u % 60}{frac}s"
        u //= 60
        if u > 0:
            out = f"{u % 60}m" + out
            u //= 60
            if u > 0:
                out = f"{u}h" + out
    return "-" + out if neg else out


_UNITS = {
    "ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1000_000,
    "s": SECOND, "m": MINUTE, "h": HOUR,
}


def _leading_digits(s: str) -> tuple[str, str]:
    i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        i += 1
    return s[:i], s[i:]


def parse_duration(orig: str) -> int:
    """Go's time.ParseDuration: [-+]?([0-9]*(\\.[0-9]*)?[a-z]+)+ -> nanoseconds."""
    bad = GoTimeError("time: invalid duration " + go_quote(orig))
    s = orig
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise bad
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise bad
        whole, s = _leading_digits(s)
        if whole and int(whole) > 1 << 63:
            raise bad
        frac = ""
        has_frac = False
        if s.startswith("."):
            frac, s = _leading_digits(s[1:])
            has_frac = bool(frac)
        if not whole and not has_frac:
            raise bad
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoTimeError("time: missing unit in duration " + go_quote(orig))
        unit_name, s = s[:i], s[i:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise GoTimeError(
                f"time: unknown unit {go_quote(unit_name)} in duration {go_quote(orig)}"
            )
        v = int(whole or "0")
        if v > (1 << 63) // unit:
            raise bad
        v *= unit
        if frac:
            # Go keeps at most ~19 significant fraction digits and scales in float64.
            f, scale = _fraction(frac)
            if f > 0:
                v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise bad
        total += v
        if total > 1 << 63:
            raise bad
    if neg:
        return -total
    if total > MAX_DURATION:
        raise bad
    return total


def _fraction(digits: str) -> tuple[int, float]:
    """Go's leadingFraction: value and scale, ignoring digits past int64 precision."""
    x, scale = 0, 1.0
    for c in digits:
        if x > ((1 << 63) - 1) // 10:
            break
        y = x * 10 + int(c)
        if y > 1 << 63:
            break
        x = y
        scale *= 10
    return x, scale


def duration_round(d: int, m: int) -> int:
    """Go's Duration.Round: nearest multiple of m, halfway away from zero, saturating."""
    if m <= 0:
        return d
    r = abs(d) % m
    if d < 0:
        r = -r
        if r + r > -m:
            return d - r
        d1 = d - m - r
        return d1 if d1 < d else MIN_DURATION
    if r + r < m:
        return d - r
    d1 = d + m - r
    return d1 if d1 > d else MAX_DURATION


def clamp_duration(ns: int) -> int:
    return max(MIN_DURATION, min(MAX_DURATION, ns))


def go_quote(s: str) -> str:
    """The quoting of Go's time package (ASCII printable as is, others as \\x escapes)."""
    out = ['"']
    for ch in s:
        if ch < " " or ord(ch) >= 0x80:
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


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
        from minihelm.gotime_layout import format_time

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

