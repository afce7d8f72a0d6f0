"""Go's time package below the Time value: calendar arithmetic, zones, durations, quoting.

Feeds timelayout.py (formatting), gotime.py (the Time value) and timeparse.py
(parsing).  Civil dates are computed here (not with `datetime`) so years 0
and below work as in Go; zone offsets come from the IANA database through
`zoneinfo`.  Durations are plain int nanoseconds (Go's time.Duration) with
Go's String and ParseDuration.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any

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
