"""Python values <-> JSON text exactly as Go's encoding/json Marshal/Unmarshal does it.

Feeds toJson/fromJson, the YAML pipeline (sigs.k8s.io/yaml goes through JSON)
and anything else that prints JSON the way helm does.  Also holds Go's
strconv float formatting, shared with the YAML emitter.
"""

from __future__ import annotations

import base64
import math
import re
import struct
from typing import Any

from minihelm.golang.gotypes import GoStruct, NilList, NilMap


class GoJSONError(Exception):
    """A Go encoding/json error; str() is Go's err.Error() text."""


# ---------------------------------------------------------------------------
# strconv.FormatFloat


def _shortest_digits(f: float, bits: int) -> tuple[str, int]:
    """Shortest decimal digits d and decimal point position dp with 0.d x 10^dp == f."""
    if bits == 32:
        digits, exp = _shortest_digits32(f)
    else:
        r = repr(abs(f))
        mant, _, e = r.partition("e")
        exp = int(e) if e else 0
        ip, _, fp = mant.partition(".")
        if fp == "0":
            fp = ""
        digits = ip + fp
        exp += len(ip)
    stripped = digits.lstrip("0")
    exp -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    if digits == "0":
        return "0", 1
    return digits, exp


def _shortest_digits32(f: float) -> tuple[str, int]:
    f32 = struct.unpack("f", struct.pack("f", abs(f)))[0]
    for prec in range(1, 10):
        s = f"{f32:.{prec - 1}e}"
        if struct.unpack("f", struct.pack("f", float(s)))[0] == f32:
            mant, _, e = s.partition("e")
            return mant.replace(".", ""), int(e) + 1
    raise AssertionError("unreachable")  # pragma: no cover


def _fmt_exp(neg: bool, digits: str, dp: int, upper: bool = False) -> str:
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    e = dp - 1
    sign = "-" if e < 0 else "+"
    es = str(abs(e)).rjust(2, "0")
    return ("-" if neg else "") + mant + ("E" if upper else "e") + sign + es


def _fmt_fixed(neg: bool, digits: str, dp: int) -> str:
    if dp <= 0:
        s = "0." + "0" * (-dp) + digits
    elif dp >= len(digits):
        s = digits + "0" * (dp - len(digits))
    else:
        s = digits[:dp] + "." + digits[dp:]
    return ("-" if neg else "") + s


# Above this a float64 rounds to +Inf as a float32 (half-way to the next power of two).
_MAX_FLOAT32 = 3.4028235677973366e38


def format_float(f: float, fmt: str = "g", bits: int = 64) -> str:
    """strconv.FormatFloat(f, fmt, -1, bits) for fmt in 'g', 'e', 'f' (shortest digits)."""
    if math.isnan(f):
        return "NaN"
    if bits == 32 and abs(f) > _MAX_FLOAT32:
        # Go's float32(f) rounds to infinity past the largest float32.
        f = math.copysign(math.inf, f)
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    digits, dp = _shortest_digits(f, bits)
    if fmt == "e":
        return _fmt_exp(neg, digits, dp)
    if fmt == "f":
        return _fmt_fixed(neg, digits, dp)
    # 'g' with shortest precision: strconv decides with eprec = 6.
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return _fmt_exp(neg, digits, dp)
    return _fmt_fixed(neg, digits, dp)


def json_float(f: float) -> str:
    """encoding/json's float64 text: 'f' unless |f| < 1e-6 or >= 1e21, then 'e' with e-07 -> e-7."""
    if math.isnan(f) or math.isinf(f):
        raise GoJSONError(f"json: unsupported value: {format_float(f)}")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        s = format_float(f, "e")
        if len(s) >= 4 and s[-4] == "e" and s[-3] == "-" and s[-2] == "0":
            s = s[:-2] + s[-1]
        return s
    return format_float(f, "f")


# ---------------------------------------------------------------------------
# Encoding


def go_bytes(s: str) -> bytes:
    """A Go string's bytes (invalid bytes are carried as surrogate escapes, see funcs._gostr)."""
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass")


def go_utf8(b: bytes) -> str:
    """Go's view of possibly invalid UTF-8 bytes: each bad byte becomes U+FFFD."""
    s = b.decode("utf-8", "surrogateescape")
    return re.sub("[\udc80-\udcff]", "\ufffd", s)


_HEX = "0123456789abcdef"


def _quote(s: str, escape_html: bool) -> str:
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif c < 0x20:
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}.get(
                ch, "\\u00" + _HEX[c >> 4] + _HEX[c & 0xF]))
        elif escape_html and ch in "<>&":
            out.append("\\u00" + _HEX[c >> 4] + _HEX[c & 0xF])
        elif c in (0x2028, 0x2029):
            out.append("\\u202" + _HEX[c & 0xF])
        elif 0xD800 <= c <= 0xDFFF:  # a lone surrogate is invalid UTF-8 in Go
            out.append("\\ufffd")  # encoding/json writes the escape itself
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_json_value(v: Any) -> Any:
    """A Go value's JSON stand-in: its `__go_json__()` (MarshalJSON) if it has one,
    else a struct's exported fields."""
    fn = getattr(v, "__go_json__", None)
    if callable(fn):
        try:
            return fn()
        except GoJSONError:
            raise
        except (ValueError, TypeError) as e:  # MarshalJSON returned an error
            from minihelm.golang.gotypes import go_type_name

            raise GoJSONError(f"json: error calling MarshalJSON for type {go_type_name(v)}: "
                              f"{e}") from None
    return {k: getattr(v, k) for k in vars(v) if k[:1].isupper()}


def _encode(v: Any, esc: bool, indent: str | None, level: int, out: list[str]) -> None:
    if hasattr(v, "__go_json__"):
        _encode(go_json_value(v), esc, indent, level, out)
    elif v is None or isinstance(v, (NilMap, NilList)):
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int):
        out.append(str(int(v)))
    elif isinstance(v, float):
        out.append(json_float(v))
    elif isinstance(v, str):
        out.append(_quote(v, esc))
    elif isinstance(v, (bytes, bytearray)):
        out.append('"' + base64.b64encode(bytes(v)).decode() + '"')
    elif isinstance(v, dict):
        _encode_map(v, esc, indent, level, out)
    elif isinstance(v, (list, tuple)):
        _encode_list(v, esc, indent, level, out)
    elif isinstance(v, GoStruct) or hasattr(v, "__go_json__"):
        _encode(go_json_value(v), esc, indent, level, out)
    else:
        raise GoJSONError(f"json: unsupported type: {type(v).__name__}")


def _newline(indent: str | None, level: int, out: list[str]) -> None:
    if indent is not None:
        out.append("\n" + indent * level)


def _encode_map(v: dict[Any, Any], esc: bool, indent: str | None, level: int,
                out: list[str]) -> None:
    if not v:
        out.append("{}")
        return
    out.append("{")
    for i, k in enumerate(sorted(v, key=lambda k: _key_text(k).encode("utf-8", "surrogatepass"))):
        if i:
            out.append(",")
        _newline(indent, level + 1, out)
        out.append(_quote(_key_text(k), esc))
        out.append(": " if indent is not None else ":")
        _encode(v[k], esc, indent, level + 1, out)
    _newline(indent, level, out)
    out.append("}")


def _key_text(k: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool) or k is None:
        raise GoJSONError(f"json: unsupported type: map[{type(k).__name__}]interface {{}}")
    return str(k)


def _encode_list(v: Any, esc: bool, indent: str | None, level: int, out: list[str]) -> None:
    if not v:
        out.append("[]")
        return
    out.append("[")
    for i, item in enumerate(v):
        if i:
            out.append(",")
        _newline(indent, level + 1, out)
        _encode(item, esc, indent, level + 1, out)
    _newline(indent, level, out)
    out.append("]")


def dumps_go(value: Any, escape_html: bool = True, indent: str | None = None) -> str:
    """json.Marshal (indent=None) or json.MarshalIndent(v, "", indent); escape_html=False is
    an Encoder with SetEscapeHTML(false) minus its trailing newline.  Raises GoJSONError."""
    out: list[str] = []
    _encode(value, escape_html, indent, 0, out)
    return "".join(out)


# ---------------------------------------------------------------------------
# Decoding (json.Unmarshal into interface{})

_WS = " \t\r\n"
_NUM = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
MAX_JSON_DEPTH = 10000


def _char_desc(c: str) -> str:
    """Go's quoteChar: the offending byte, shown as strconv.Quote shows string(rune(byte))."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    b = c.encode("utf-8", "surrogatepass")[0]
    named = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r",
             92: "\\\\"}
    if b in named:
        return "'" + named[b] + "'"
    if b < 0x20 or b == 0x7F:
        return f"'\\x{b:02x}'"
    if 0x80 <= b < 0xA0 or b == 0xAD:
        return f"'\\u{b:04x}'"
    return "'" + chr(b) + "'"


class _Parser:
    """Recursive-descent JSON reader reporting Go's scanner errors."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.depth = 0
        self.saved: GoJSONError | None = None  # Go's d.saveError: first type error, decode goes on

    def err(self, context: str, space_invalid: bool = False) -> GoJSONError:
        """Go's scanner error at self.i.  At the end of input Go's checkValid feeds a space:
        where a space is itself invalid (inside a literal, number or escape) the error names
        it, elsewhere it is "unexpected end of JSON input"."""
        if self.i >= len(self.s):
            if space_invalid:
                return GoJSONError(f"invalid character ' ' {context}")
            return GoJSONError("unexpected end of JSON input")
        return GoJSONError(f"invalid character {_char_desc(self.s[self.i])} {context}")

    def ws(self) -> None:
        s, i = self.s, self.i
        while i < len(s) and s[i] in _WS:
            i += 1
        self.i = i

    def value(self) -> Any:
        self.ws()
        if self.i >= len(self.s):
            raise self.err("")
        c = self.s[self.i]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c == '"':
            return self.string()
        if c == "-" or c.isdigit():
            return self.number()
        for lit, val in (("true", True), ("false", False), ("null", None)):
            if c == lit[0]:
                return self.literal(lit, val)
        raise self.err("looking for beginning of value")

    def literal(self, lit: str, val: Any) -> Any:
        for want in lit:
            if self.i >= len(self.s) or self.s[self.i] != want:
                raise self.err(f"in literal {lit} (expecting {_char_desc(want)})", True)
            self.i += 1
        return val

    def number(self) -> float | None:
        m = _NUM.match(self.s, self.i)
        if not m or m.end() == self.i or m.group().endswith("-"):
            self.i += 1
            raise self.err("in numeric literal", True)
        text = m.group()
        self.i = m.end()
        nxt = self.s[self.i:self.i + 1]
        if nxt == ".":
            self.i += 1
            raise self.err("after decimal point in numeric literal", True)
        if nxt in ("e", "E"):
            self.i += 1
            if self.s[self.i:self.i + 1] in ("+", "-"):
                self.i += 1
            raise self.err("in exponent of numeric literal", True)
        f = float(text)
        if math.isinf(f):
            if self.saved is None:
                self.saved = GoJSONError(
                    f"json: cannot unmarshal number {text} into Go value of type float64")
            return None
        return f

    def string(self) -> str:
        s = self.s
        i = self.i + 1
        parts: list[str] = []
        start = i
        while True:
            if i >= len(s):
                self.i = i
                raise self.err("")
            c = s[i]
            if c == '"':
                parts.append(s[start:i])
                self.i = i + 1
                return "".join(parts)
            if c < " ":
                self.i = i
                raise self.err("in string literal")
            if c == "\\":
                parts.append(s[start:i])
                i = self._escape(i + 1, parts)
                start = i
                continue
            i += 1

    def _escape(self, i: int, parts: list[str]) -> int:
        s = self.s
        if i >= len(s):
            self.i = i
            raise self.err("in string escape code", True)
        c = s[i]
        if c in _ESC:
            parts.append(_ESC[c])
            return i + 1
        if c != "u":
            self.i = i
            raise self.err("in string escape code")
        cp = self._hex4(i + 1)
        i += 5
        if 0xD800 <= cp < 0xDC00 and s[i:i + 2] == "\\u":
            lo = self._hex4(i + 2)
            if 0xDC00 <= lo < 0xE000:
                parts.append(chr(0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)))
                return i + 6
        parts.append("\ufffd" if 0xD800 <= cp < 0xE000 else chr(cp))
        return i

    def _hex4(self, i: int) -> int:
        for k in range(4):
            if i + k >= len(self.s):
                self.i = i + k
                raise self.err("in \\u hexadecimal character escape", True)
            if self.s[i + k] not in "0123456789abcdefABCDEF":
                self.i = i + k
                raise self.err("in \\u hexadecimal character escape")
        return int(self.s[i:i + 4], 16)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_JSON_DEPTH:
            raise GoJSONError("exceeded max depth")

    def obj(self) -> dict[str, Any]:
        self.enter()
        self.i += 1
        out: dict[str, Any] = {}
        self.ws()
        if self.i < len(self.s) and self.s[self.i] == "}":
            self.i += 1
            self.depth -= 1
            return out
        while True:
            self.ws()
            if self.i >= len(self.s) or self.s[self.i] != '"':
                raise self.err("looking for beginning of object key string")
            key = self.string()
            self.ws()
            if self.i >= len(self.s) or self.s[self.i] != ":":
                raise self.err("after object key")
            self.i += 1
            out[key] = self.value()
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
                continue
            if self.i < len(self.s) and self.s[self.i] == "}":
                self.i += 1
                self.depth -= 1
                return out
            raise self.err("after object key:value pair")

    def arr(self) -> list[Any]:
        self.enter()
        self.i += 1
        out: list[Any] = []
        self.ws()
        if self.i < len(self.s) and self.s[self.i] == "]":
            self.i += 1
            self.depth -= 1
            return out
        while True:
            out.append(self.value())
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
                continue
            if self.i < len(self.s) and self.s[self.i] == "]":
                self.i += 1
                self.depth -= 1
                return out
            raise self.err("after array element")


class GoJSONTypeError(GoJSONError):
    """A type error Go records while decoding on; `value` is what was decoded anyway."""

    def __init__(self, msg: str, value: Any) -> None:
        super().__init__(msg)
        self.value = value


def loads_go(text: str | bytes) -> Any:
    """json.Unmarshal into interface{}: numbers -> float; raises GoJSONError with Go's text
    (GoJSONTypeError, carrying the partly decoded value, for a number out of float64 range)."""
    if isinstance(text, (bytes, bytearray)):
        text = go_utf8(bytes(text))
    p = _Parser(text)
    v = p.value()
    p.ws()
    if p.i < len(p.s):
        raise p.err("after top-level value")
    if p.saved is not None:
        raise GoJSONTypeError(str(p.saved), v)
    return v


def go_json_kind(v: Any) -> str:
    """The JSON kind word Go's UnmarshalTypeError uses for a decoded value."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"
