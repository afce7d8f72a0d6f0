"""Go's strconv for the printer and functions: float formatting and Go string/rune quoting."""

from __future__ import annotations

import math

_MAX_RUNE = 0x10FFFF


# --- strconv: floats -------------------------------------------------------


def _shortest_digits(x: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |x| and the decimal point position.

    Python's repr and Go's strconv both pick the shortest string that reads
    back to the same float64, so their digits agree.
    """
    if x == 0:
        return "", 0
    # repr is [int].[frac][e±exp]; read as a digit string (no decimal module:
    # importing it costs every render 1 ms for the odd float it prints)
    mant, _, e = repr(abs(x)).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    ds = digits.rstrip("0")
    exp = (int(e) if e else 0) - len(frac) + len(digits) - len(ds)
    return ds, len(ds) + exp


def _rounded_digits(x: float, prec: int) -> tuple[str, int]:
    """|x| rounded (exactly, half-even) to prec significant digits, trailing zeros trimmed."""
    if x == 0:
        return "", 0
    mant, _, exp = f"{abs(x):.{prec - 1}e}".partition("e")
    ds = mant.replace(".", "").rstrip("0")
    return ds, int(exp) + 1


def _fmt_e(ds: str, dp: int, prec: int, e: str) -> str:
    first = ds[0] if ds else "0"
    frac = (ds[1 : prec + 1]).ljust(prec, "0") if prec > 0 else ""
    exp = dp - 1 if ds else 0
    sign = "-" if exp < 0 else "+"
    return f"{first}{'.' + frac if prec > 0 else ''}{e}{sign}{abs(exp):02d}"


def _fmt_f(ds: str, dp: int, prec: int) -> str:
    whole = ds[:dp].ljust(dp, "0") if dp > 0 else "0"
    if prec <= 0:
        return whole
    frac = "".join(ds[j] if 0 <= j < len(ds) else "0" for j in range(dp, dp + prec))
    return whole + "." + frac


def _fmt_g(ds: str, dp: int, prec: int, shortest: bool, upper: bool) -> str:
    # strconv: %e is used when the exponent is < -4 or >= the precision
    # (6 when printing the shortest representation).
    eprec = prec
    if eprec > len(ds) and len(ds) >= dp:
        eprec = len(ds)
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        return _fmt_e(ds, dp, min(prec, len(ds)) - 1, "E" if upper else "e")
    if prec > dp:
        prec = len(ds)
    return _fmt_f(ds, dp, max(prec - dp, 0))


def _fmt_binary_exp(x: float) -> str:
    # strconv 'b': mantissa "p" binary exponent, e.g. 4503599627370496p-52.
    if x == 0:
        return "0p-1074"
    m, e = math.frexp(abs(x))
    mant, exp = int(m * (1 << 53)), e - 53
    if exp < -1074:  # subnormal: Go keeps the exponent at -1074
        mant >>= -1074 - exp
        exp = -1074
    return f"{mant}p{'+' if exp >= 0 else ''}{exp}"


def _fmt_hex_float(x: float, prec: int, upper: bool) -> str:
    # strconv 'x': -0x1.23abcp+20, mantissa normalised to 1.xxx, exponent >= 2 digits.
    if x == 0:
        mant, exp = 0, 0
    else:
        m, e = math.frexp(abs(x))
        mant, exp = int(m * (1 << 53)), e - 1  # mant has 53 bits: 1.52 bits
    frac_bits = 52
    if prec >= 0 and prec * 4 < frac_bits:
        shift = frac_bits - prec * 4
        low = mant & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        mant >>= shift
        if low > half or (low == half and mant & 1):
            mant += 1
        frac_bits = prec * 4
        if mant >> (frac_bits + 1):
            mant >>= 1
            exp += 1
            frac_bits -= 1
            mant <<= 1
            frac_bits += 1
    lead = mant >> frac_bits
    frac = mant & ((1 << frac_bits) - 1)
    hexd = f"{frac:0{frac_bits // 4}x}" if frac_bits else ""
    if prec < 0:
        hexd = hexd.rstrip("0")
    else:
        hexd = hexd.ljust(prec, "0")[:prec] if prec else ""
    out = f"0x{lead}{'.' + hexd if hexd else ''}p{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return out.upper() if upper else out


def format_float(x: float, verb: str, prec: int) -> str:
    """strconv.FormatFloat(x, verb, prec, 64): verb in b e E f g G x X; prec -1 = shortest."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    neg = math.copysign(1.0, x) < 0
    ax = abs(x)
    if verb == "b":
        body = _fmt_binary_exp(ax)
    elif verb in "xX":
        body = _fmt_hex_float(ax, prec, verb == "X")
    elif prec < 0:
        ds, dp = _shortest_digits(ax)
        if verb in "eE":
            body = _fmt_e(ds, dp, max(len(ds) - 1, 0), verb)
        elif verb == "f":
            body = _fmt_f(ds, dp, max(len(ds) - dp, 0))
        else:
            body = _fmt_g(ds, dp, len(ds), True, verb == "G")
    elif verb in "eE":
        body = f"{ax:.{prec}{verb}}"
    elif verb == "f":
        body = f"{ax:.{prec}f}"
    else:
        p = max(prec, 1)
        ds, dp = _rounded_digits(ax, p)
        body = _fmt_g(ds, dp, p, False, verb == "G")
    return ("-" if neg else "") + body


# --- strconv: quoting ---------------------------------------------------------

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def is_print(ch: str) -> bool:
    # Go's unicode.IsPrint (L, M, N, P, S and ASCII space) is Python's isprintable.
    return ch.isprintable()


def _quote_char(ch: str, quote: str, ascii_only: bool) -> str:
    if ch == quote or ch == "\\":
        return "\\" + ch
    if ascii_only and ord(ch) >= 0x80 or not is_print(ch):
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        o = ord(ch)
        if o < 0x20 or o == 0x7F:
            return f"\\x{o:02x}"
        if 0xDC80 <= o <= 0xDCFF:  # a byte of invalid UTF-8 (surrogateescape)
            return f"\\x{o - 0xDC00:02x}"
        if 0xD800 <= o <= 0xDFFF:  # not encodable in UTF-8: Go sees RuneError
            return "\\ufffd"
        return f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"
    return ch


def quote(s: str, ascii_only: bool = False) -> str:
    """strconv.Quote (QuoteToASCII when ascii_only)."""
    return '"' + "".join(_quote_char(c, '"', ascii_only) for c in s) + '"'


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """strconv.QuoteRune: invalid code points print as '\\ufffd' (RuneError)."""
    if r < 0 or r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return "'" + _quote_char(chr(r), "'", ascii_only) + "'"


def can_backquote(s: str) -> bool:
    """strconv.CanBackquote: no backquote, no control character but tab, valid UTF-8, no BOM."""
    return all(
        c == "\t" or (c >= " " and c not in "`\x7f\ufeff" and not "\ud800" <= c <= "\udfff")
        for c in s
    )


def go_bytes(s: str) -> bytes:
    """A Go string's bytes: invalid UTF-8 travels as surrogate escapes (U+DC80..U+DCFF)."""
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace")
