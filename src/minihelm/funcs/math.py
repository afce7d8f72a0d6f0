"""Template arguments -> Sprig's math and number-conversion functions (add, div, round, addf, int64, ...).

Integer maths is Go int64 (wrapping on overflow); arguments go through
spf13/cast v1.7.0 conversions (`cast.ToInt64`, `cast.ToFloat64`), which turn
anything they cannot convert into 0 instead of failing.  The float forms
(addf, subf, mulf, divf, add1f) compute in shopspring/decimal v1.4.0: each
operand becomes the shortest decimal that round-trips its float64, the sum or
product is exact, a quotient is rounded half away from zero at 16 places, and
the result goes back to the nearest float64.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minihelm._core.limits import check_list_size
from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gotypes import GoList, Int64, go_type_name

if TYPE_CHECKING:
    from fractions import Fraction

_I64_MIN = -(1 << 63)
_I64_MAX = (1 << 63) - 1

# Integer types cast's type switch accepts (time.Month and time.Weekday via
# its toInt helper); other named integer types such as time.Duration fail.
_CAST_INT_TYPES = {
    "int", "int64", "int32", "int16", "int8",
    "uint", "uint64", "uint32", "uint16", "uint8", "time.Month", "time.Weekday",
}


def wrap64(n: int) -> int:
    """Go int64 overflow: keep the low 64 bits, two's complement."""
    return ((n - _I64_MIN) & ((1 << 64) - 1)) + _I64_MIN


def float_to_int64(f: float) -> int:
    """Go's int64(f): truncate; NaN, ±Inf and out-of-range give MinInt64 on amd64."""
    if math.isnan(f) or math.isinf(f):
        return _I64_MIN
    t = int(f)
    return t if _I64_MIN <= t <= _I64_MAX else _I64_MIN


# --- strconv number parsing -----------------------------------------------------


def _underscore_ok(s: str) -> bool:
    """strconv's underscoreOK: '_' only between digits or after a base prefix."""
    if s[:1] in ("+", "-"):
        s = s[1:]
    saw, i, hexa = "^", 0, False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, hexa = 2, "0", s[1].lower() == "x"
    for c in s[i:]:
        if c.isascii() and (c.isdigit() or (hexa and c.lower() in "abcdef")):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def parse_int(s: str, base: int = 0) -> int | None:
    """strconv.ParseInt(s, base, 64); None for a syntax or range error."""
    s0 = s
    neg = s[:1] == "-"
    if s[:1] in ("+", "-"):
        s = s[1:]
    base0 = base == 0
    if base0:
        base = 10
        if s[:1] == "0":
            if len(s) >= 3 and s[1].lower() in "box":
                base = {"b": 2, "o": 8, "x": 16}[s[1].lower()]
                s = s[2:]
            else:
                base = 8
                s = s[1:] or "0"
    if not s:
        return None
    n = 0
    underscores = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        d = _DIGITS.find(c.lower()) if c.isascii() else -1
        if d < 0 or d >= base:
            return None
        n = n * base + d
    if underscores and not _underscore_ok(s0):
        return None
    n = -n if neg else n
    return n if _I64_MIN <= n <= _I64_MAX else None


_FLOAT_DEC = re.compile(r"[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?")
_FLOAT_HEX = re.compile(
    r"[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F]*(?:_?[0-9a-fA-F])*)?[pP][+-]?\d(?:_?\d)*")
_FLOAT_SPECIAL = re.compile(r"[+-]?(?:inf|infinity)|nan", re.IGNORECASE)


def parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64); None for a syntax error or overflow (Go's ErrRange)."""
    if _FLOAT_SPECIAL.fullmatch(s):
        return float(s.lower().replace("infinity", "inf"))
    if _FLOAT_DEC.fullmatch(s):
        if "_" in s and not _underscore_ok(s):
            return None
        f = float(s.replace("_", ""))
    elif _FLOAT_HEX.fullmatch(s) and re.search(r"[0-9a-fA-F]", s[s.lower().index("x") + 1:]):
        if "_" in s and not _underscore_ok(s):
            return None
        try:
            f = float.fromhex(s.replace("_", ""))
        except OverflowError:
            return None
    else:
        return None
    return None if math.isinf(f) else f


# --- spf13/cast ----------------------------------------------------------------------


def _trim_zero_decimal(s: str) -> str:
    """cast's trimZeroDecimal: "10.00" -> "10"; anything else unchanged."""
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[: i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


def _cast_int(v: Any) -> int | None:
    """cast.ToInt64E without the error: None where cast fails."""
    if v is None:
        return 0
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        if go_type_name(v) not in _CAST_INT_TYPES:
            return None
        return wrap64(int(v))  # uint64 above MaxInt64 wraps like int64(u)
    if isinstance(v, float):
        return float_to_int64(v)
    if isinstance(v, str):
        return parse_int(_trim_zero_decimal(v))
    return None


def to_int64(v: Any) -> int:
    """cast.ToInt64: 0 for anything it cannot convert."""
    n = _cast_int(v)
    return 0 if n is None else n


def to_float64(v: Any) -> float:
    """cast.ToFloat64: 0 for anything it cannot convert."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, int):
        return float(v) if go_type_name(v) in _CAST_INT_TYPES else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        f = parse_float(v)
        return 0.0 if f is None else f
    return 0.0


@gofunc("int64", "interface {}")
def int64_(v: Any) -> Int64:
    return Int64(to_int64(v))


@gofunc("int", "interface {}")
def int_(v: Any) -> int:
    return to_int64(v)


@gofunc("float64", "interface {}")
def float64_(v: Any) -> float:
    return to_float64(v)


@gofunc("atoi", "string")
def atoi(s: str) -> int:
    """strconv.Atoi with the error dropped: 0 on bad syntax, clamped on overflow."""
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        return 0
    n = int(s)
    return max(_I64_MIN, min(_I64_MAX, n))


@gofunc("toDecimal", "interface {}")
def to_decimal(v: Any) -> Int64:
    """Sprig's toDecimal: fmt.Sprint(v) read as octal; 0 if it is not octal."""
    # deferred: only to_decimal() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    n = parse_int(v if isinstance(v, str) else format_value(v), 8)
    return Int64(0 if n is None else n)


# --- integer arithmetic ----------------------------------------------------------------

_DIV_ZERO = "runtime error: integer divide by zero"


@gofunc("add1", "interface {}")
def add1(v: Any) -> Int64:
    return Int64(wrap64(to_int64(v) + 1))


@gofunc("add", "...interface {}")
def add(*vs: Any) -> Int64:
    return Int64(wrap64(sum(to_int64(v) for v in vs)))


@gofunc("sub", "interface {}, interface {}")
def sub(a: Any, b: Any) -> Int64:
    return Int64(wrap64(to_int64(a) - to_int64(b)))


@gofunc("mul", "interface {}, ...interface {}")
def mul(a: Any, *vs: Any) -> Int64:
    n = to_int64(a)
    for v in vs:
        n = wrap64(n * to_int64(v))
    return Int64(n)


def _quo_rem(a: int, b: int) -> tuple[int, int]:
    # Go truncates toward zero (Python floors); MinInt64 / -1 wraps.
    if b == 0:
        raise GoFuncError(_DIV_ZERO)
    q = abs(a) // abs(b)
    q = q if (a < 0) == (b < 0) else -q
    return wrap64(q), a - b * q


@gofunc("div", "interface {}, interface {}")
def div(a: Any, b: Any) -> Int64:
    return Int64(_quo_rem(to_int64(a), to_int64(b))[0])


@gofunc("mod", "interface {}, interface {}")
def mod(a: Any, b: Any) -> Int64:
    return Int64(_quo_rem(to_int64(a), to_int64(b))[1])


@gofunc("max", "interface {}, ...interface {}")
def max_(a: Any, *vs: Any) -> Int64:
    return Int64(max([to_int64(a)] + [to_int64(v) for v in vs]))


@gofunc("biggest", "interface {}, ...interface {}")
def biggest(a: Any, *vs: Any) -> Int64:
    return max_(a, *vs)


@gofunc("min", "interface {}, ...interface {}")
def min_(a: Any, *vs: Any) -> Int64:
    return Int64(min([to_int64(a)] + [to_int64(v) for v in vs]))


@gofunc("randInt", "int, int", hermetic=False,
         note="draws from Python's random, not Go's math/rand (random in helm too)")
def rand_int(lo: int, hi: int) -> int:
    n = wrap64(hi - lo)
    if n <= 0:
        raise GoFuncError("invalid argument to Intn")
    return wrap64(random.randrange(n) + lo)


# --- float64 -----------------------------------------------------------------------------


def go_max(a: float, b: float) -> float:
    """math.Max: +Inf wins, then NaN, and +0 beats -0."""
    if math.isinf(a) and a > 0 or math.isinf(b) and b > 0:
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return b if math.copysign(1, a) < 0 else a
    return max(b, a)


def go_min(a: float, b: float) -> float:
    """math.Min: -Inf wins, then NaN, and -0 beats +0."""
    if math.isinf(a) and a < 0 or math.isinf(b) and b < 0:
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1, a) < 0 else b
    return min(b, a)


@gofunc("maxf", "interface {}, ...interface {}")
def maxf(a: Any, *vs: Any) -> float:
    r = to_float64(a)
    for v in vs:
        r = go_max(r, to_float64(v))
    return r


@gofunc("minf", "interface {}, ...interface {}")
def minf(a: Any, *vs: Any) -> float:
    r = to_float64(a)
    for v in vs:
        r = go_min(r, to_float64(v))
    return r


def _go_floor(f: float) -> float:
    if math.isinf(f) or math.isnan(f) or f == 0:
        return f  # math.Floor keeps ±0, ±Inf and NaN
    return float(math.floor(f))


def _go_ceil(f: float) -> float:
    if math.isinf(f) or math.isnan(f) or f == 0:
        return f
    c = float(math.ceil(f))
    return -0.0 if c == 0 and f < 0 else c  # math.Ceil(-0.5) is -0


@gofunc("floor", "interface {}")
def floor(v: Any) -> float:
    return _go_floor(to_float64(v))


@gofunc("ceil", "interface {}")
def ceil(v: Any) -> float:
    return _go_ceil(to_float64(v))


def _pow10(p: float) -> float:
    # math.Pow(10, p) for Sprig's integer places; exact up to 1e22 like Go's
    # repeated squaring, and 1/10^n for negative n.
    try:
        return 10.0 ** p if p >= 0 else 1.0 / (10.0 ** -p)
    except OverflowError:
        return math.inf


@gofunc("round", "interface {}, int, ...float64")
def round_(v: Any, places: int, *round_on: float) -> float:
    """Sprig's round: scale, round up if the fraction >= roundOn (default .5), else down."""
    on = round_on[0] if round_on else 0.5
    val = to_float64(v)
    pw = _pow10(float(places))
    digit = pw * val
    frac = math.modf(digit)[0] if not math.isinf(digit) else 0.0
    r = _go_ceil(digit) if frac >= on else _go_floor(digit)
    return _fdiv(r, pw)


def _fdiv(a: float, b: float) -> float:
    # IEEE division as Go does it (Python raises on /0).
    try:
        return a / b
    except ZeroDivisionError:
        if math.isnan(a) or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1, b)


# --- shopspring/decimal -----------------------------------------------------------------


def _decimal(v: Any) -> Fraction:
    """decimal.NewFromFloat(cast.ToFloat64(v)): the shortest round-tripping decimal, exactly."""
    from fractions import Fraction  # here: it imports decimal and compiles a regex (2 ms)

    f = to_float64(v)
    if math.isnan(f) or math.isinf(f):
        from minihelm.golang.gofmt import format_value

        raise GoFuncError(f"Cannot create a Decimal from {format_value(f)}")
    return Fraction(repr(f)) if f != 0 else Fraction(0)


def _dec_div(a: Fraction, b: Fraction) -> Fraction:
    """Decimal.Div: DivRound to 16 places, half away from zero."""
    from fractions import Fraction

    if b == 0:
        raise GoFuncError("decimal division by 0")
    scaled = a / b * 10**16
    q = math.trunc(scaled)
    if abs(scaled - q) * 2 >= 1:
        q += 1 if scaled > 0 else -1
    return Fraction(q, 10**16)


def _to_float(d: Fraction) -> float:
    try:
        return float(d)
    except OverflowError:
        return math.inf if d > 0 else -math.inf


def _decimal_op(a: Any, vs: tuple[Any, ...], op: Callable[[Fraction, Fraction], Fraction]) -> float:
    acc = _decimal(a)
    for v in vs:
        acc = op(acc, _decimal(v))
    return _to_float(acc)


@gofunc("add1f", "interface {}")
def add1f(v: Any) -> float:
    return _decimal_op(v, (1,), lambda x, y: x + y)


@gofunc("addf", "...interface {}")
def addf(*vs: Any) -> float:
    return _decimal_op(0.0, vs, lambda x, y: x + y)


@gofunc("subf", "interface {}, ...interface {}")
def subf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, lambda x, y: x - y)


@gofunc("mulf", "interface {}, ...interface {}")
def mulf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, lambda x, y: x * y)


@gofunc("divf", "interface {}, ...interface {}")
def divf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, _dec_div)


# --- sequences -----------------------------------------------------------------------------


def _until_step(start: int, stop: int, step: int) -> list[int]:
    if step:
        check_list_size(len(range(start, stop, step)))
    if stop < start:
        return list(range(start, stop, step)) if step < 0 else []
    return list(range(start, stop, step)) if step > 0 else []


@gofunc("until", "int")
def until(count: int) -> GoList:
    return GoList(_until_step(0, count, -1 if count < 0 else 1), "[]int")


@gofunc("untilStep", "int, int, int")
def until_step(start: int, stop: int, step: int) -> GoList:
    return GoList(_until_step(start, stop, step), "[]int")


@gofunc("seq", "...int")
def seq(*params: int) -> str:
    """Sprig's seq: `seq END`, `seq START END`, `seq START STEP END`, space separated."""
    if len(params) == 1:
        start, end = 1, params[0]
        inc = -1 if end < start else 1
        nums = _until_step(start, end + inc, inc)
    elif len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        nums = _until_step(start, end + step, step)
    elif len(params) == 3:
        start, step, end = params
        inc = 1
        if end < start:
            inc = -1
            if step > 0:
                return ""
        nums = _until_step(start, end + inc, step)
    else:
        return ""
    return " ".join(str(n) for n in nums)
