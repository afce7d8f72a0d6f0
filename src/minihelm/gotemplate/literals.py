"""Go literal syntax (strconv) for the template lexer and parser: quoting, unquoting, numbers.

Mirrors the parts of Go's strconv and fmt that text/template/parse uses:
`strconv.Quote` (and fmt's `%q`, `%.10q`, `%#U` in error messages),
`strconv.Unquote`/`UnquoteChar` for string and character constants, and
`ParseUint`/`ParseInt`/`ParseFloat` with base prefix 0 as parse.newNumber
calls them.
"""

from __future__ import annotations

# Go's strconv.ErrSyntax text, which the parser reports verbatim.
ERR_SYNTAX = "invalid syntax"

_SIMPLE_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
}


def _is_print(ch: str) -> bool:
    """Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.

    Python's isprintable() excludes exactly the other categories (C*, Z* but
    the ASCII space), which is the same set.
    """
    return ch.isprintable()


def go_quote(s: str) -> str:
    """strconv.Quote: a double-quoted Go string literal for s."""
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif _is_print(ch):
            out.append(ch)
        elif ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        else:
            r = ord(ch)
            if r < 0x20 or r == 0x7F:
                out.append(f"\\x{r:02x}")
            elif 0xDC80 <= r <= 0xDCFF:
                # A byte of invalid UTF-8 kept by surrogateescape: Go shows the byte.
                out.append(f"\\x{r - 0xDC00:02x}")
            elif 0xD800 <= r <= 0xDFFF:
                out.append("\\ufffd")  # not a valid rune: Go quotes U+FFFD
            elif r < 0x10000:
                out.append(f"\\u{r:04x}")
            else:
                out.append(f"\\U{r:08x}")
    out.append('"')
    return "".join(out)


def go_quote_prefix(s: str, runes: int) -> str:
    """fmt's `%.Nq`: the precision truncates the string to N runes before quoting."""
    return go_quote(s[:runes])


def go_unicode(ch: str) -> str:
    """fmt's `%#U`: "U+0023 '#'" (the character only when it is printable)."""
    r = ord(ch)
    if _is_print(ch):
        return f"U+{r:04X} '{ch}'"
    return f"U+{r:04X}"


class LiteralError(Exception):
    """A constant that Go's strconv rejects; the message is Go's error text."""


def _to_bytes(ch: str) -> bytes:
    try:
        return ch.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return "\ufffd".encode()


def unquote_char(s: str, i: int, quote: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar on s[i:]: (value, multibyte, index after the character).

    `multibyte` false means the value is a single byte (ASCII or a \\x / octal
    escape, which in Go strings need not be UTF-8).
    """
    n = len(s)
    if i >= n:
        raise LiteralError(ERR_SYNTAX)
    c = s[i]
    if c == quote and quote in "'\"":
        raise LiteralError(ERR_SYNTAX)
    if ord(c) >= 0x80:
        return ord(c), True, i + 1
    if c != "\\":
        return ord(c), False, i + 1
    if i + 1 >= n:
        raise LiteralError(ERR_SYNTAX)
    c = s[i + 1]
    i += 2
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
    if c in simple:
        return simple[c], False, i
    if c in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[i:i + width]
        if len(digits) < width or not all(d in "0123456789abcdefABCDEF" for d in digits):
            raise LiteralError(ERR_SYNTAX)
        v = int(digits, 16)
        if c == "x":
            return v, False, i + width
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise LiteralError(ERR_SYNTAX)
        return v, True, i + width
    if c in "01234567":
        digits = s[i:i + 2]
        if len(digits) < 2 or not all(d in "01234567" for d in digits):
            raise LiteralError(ERR_SYNTAX)
        v = int(c + digits, 8)
        if v > 255:
            raise LiteralError(ERR_SYNTAX)
        return v, False, i + 2
    if c in "'\"":
        if c != quote:
            raise LiteralError(ERR_SYNTAX)
        return ord(c), False, i
    raise LiteralError(ERR_SYNTAX)


def unquote(s: str) -> str:
    """strconv.Unquote for "..." and `...` literals (the lexer already delimited them)."""
    if len(s) < 2 or s[0] != s[-1]:
        raise LiteralError(ERR_SYNTAX)
    quote = s[0]
    if quote == "`":
        body = s[1:-1]
        if "`" in body:
            raise LiteralError(ERR_SYNTAX)
        return body.replace("\r", "")  # Go drops carriage returns from raw strings
    if quote != '"':
        raise LiteralError(ERR_SYNTAX)
    body = s[1:-1]
    if "\\" not in body and '"' not in body and "\n" not in body:
        return body
    buf = bytearray()
    i, end = 1, len(s) - 1
    while i < end:
        if s[i] == "\n":
            raise LiteralError(ERR_SYNTAX)
        value, multibyte, i = unquote_char(s, i, quote)
        if value < 0x80 or not multibyte:
            buf.append(value)
        else:
            buf += _to_bytes(chr(value))
    if i != end:
        raise LiteralError(ERR_SYNTAX)
    return buf.decode("utf-8", "surrogateescape")


# ---- numbers -------------------------------------------------------------

def _underscore_ok(s: str) -> bool:
    """strconv.underscoreOK: '_' only between digits or between a base prefix and a digit."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i = 2
        saw = "0"
        hexa = s[1] in "xX"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and c in "abcdefABCDEF"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(s: str) -> int | None:
    """strconv.ParseUint(s, 0, 64); None where Go returns an error."""
    if not s:
        return None
    s0 = s
    base = 10
    if s[0] == "0":
        if len(s) >= 3 and s[1] in "bB":
            base, s = 2, s[2:]
        elif len(s) >= 3 and s[1] in "oO":
            base, s = 8, s[2:]
        elif len(s) >= 3 and s[1] in "xX":
            base, s = 16, s[2:]
        else:
            base, s = 8, s[1:]
    underscores = False
    n = 0
    for c in s:
        if c == "_":
            underscores = True
            continue
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c.lower() <= "z" and c.isascii():
            d = ord(c.lower()) - 87
        else:
            return None
        if d >= base:
            return None
        n = n * base + d
        if n >= 1 << 64:
            return None
    if underscores and not _underscore_ok(s0):
        return None
    return n


def parse_int(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64); None where Go returns an error."""
    if not s:
        return None
    neg = s[0] == "-"
    if s[0] in "+-":
        s = s[1:]
    un = parse_uint(s)
    if un is None:
        return None
    if (not neg and un >= 1 << 63) or (neg and un > 1 << 63):
        return None
    return -un if neg else un


def _read_float(s: str) -> bool:
    """strconv.readFloat's syntax check, requiring the whole string to be consumed."""
    n = len(s)
    i = 1 if s[:1] in ("+", "-") else 0
    hexa = i + 2 < n and s[i] == "0" and s[i + 1] in "xX"
    if hexa:
        i += 2
    digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
    saw_dot = saw_digits = False
    while i < n:
        c = s[i]
        if c == ".":
            if saw_dot:
                break
            saw_dot = True
        elif c in digits:
            saw_digits = True
        elif c != "_":
            break
        i += 1
    if not saw_digits:
        return False
    if i < n and s[i] in ("pP" if hexa else "eE"):
        i += 1
        if i < n and s[i] in "+-":
            i += 1
        if i >= n or not "0" <= s[i] <= "9":
            return False
        while i < n and ("0" <= s[i] <= "9" or s[i] == "_"):
            i += 1
    elif hexa:
        return False  # a hex mantissa needs its binary exponent
    if "_" in s[:i] and not _underscore_ok(s[:i]):
        return False
    return i == n


def parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64); None where Go returns an error (syntax or range)."""
    if not _read_float(s):
        return None
    clean = s.replace("_", "")
    try:
        f = float.fromhex(clean) if "x" in clean or "X" in clean else float(clean)
    except (OverflowError, ValueError):
        return None
    if f in (float("inf"), float("-inf")):
        return None  # Go's ErrRange
    return f


def _simplify_complex(c: complex) -> dict[str, object]:
    """NumberNode.simplifyComplex: a zero imaginary part also makes it a float/int."""
    fields: dict[str, object] = {"is_complex": True, "complex_value": c}
    if c.imag == 0:
        fields.update(_float_fields(c.real))
    return fields


def _float_fields(f: float) -> dict[str, object]:
    """The float flags, plus int/uint where Go's float64(int64(f)) == f (amd64 conversions)."""
    fields: dict[str, object] = {"is_float": True, "float_value": f}
    if f.is_integer() and -(2**63) <= f < 2**63:
        fields.update(is_int=True, int_value=int(f))
    if f.is_integer() and 0 <= f < 2**64:
        fields.update(is_uint=True, uint_value=int(f))
    return fields


def _parse_complex(text: str) -> complex:
    """fmt.Sscan of a complex constant `real±imag i` (the lexer's COMPLEX token)."""
    body = text.removesuffix("i")
    for k in range(len(body) - 1, 0, -1):
        if body[k] in "+-" and body[k - 1] not in "eEpP":
            re_part, im_part = parse_float(body[:k]), parse_float(body[k:])
            if re_part is not None and im_part is not None and text.endswith("i"):
                return complex(re_part, im_part)
            break
    raise LiteralError(f"illegal number syntax: {go_quote(text)}")


def number_fields(text: str, is_char: bool = False, is_complex: bool = False) -> dict[str, object]:
    """parse.newNumber: the NumberNode flags and values of a numeric constant.

    Go stores the value under every type that represents it exactly: 1e3 is a
    float and an int, 'a' is int, uint and float 97, a number above MaxInt64
    that fits in 64 bits is uint only.
    """
    if is_char:
        value, _, end = unquote_char(text, 1, "'")
        if text[end:] != "'":
            raise LiteralError(f"malformed character constant: {text}")
        return {"is_int": True, "int_value": value, "is_uint": True, "uint_value": value,
                "is_float": True, "float_value": float(value)}
    if is_complex:
        return _simplify_complex(_parse_complex(text))
    if text.endswith("i"):
        imag = parse_float(text[:-1])
        if imag is not None:
            return _simplify_complex(complex(0, imag))
    fields: dict[str, object] = {}
    u = parse_uint(text)
    if u is not None:
        fields.update(is_uint=True, uint_value=u)
    i = parse_int(text)
    if i is not None:
        fields.update(is_int=True, int_value=i)
        if i == 0:
            fields.update(is_uint=True, uint_value=0)  # -0
    if i is not None:
        fields.update(is_float=True, float_value=float(i))
    elif u is not None:
        fields.update(is_float=True, float_value=float(u))
    else:
        f = parse_float(text)
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                # Parsed as a float but spelled like an integer: too big for 64 bits.
                raise LiteralError(f"integer overflow: {go_quote(text)}")
            fields.update(_float_fields(f))
    if not fields:
        raise LiteralError(f"illegal number syntax: {go_quote(text)}")
    return fields
