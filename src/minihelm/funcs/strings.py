"""Template arguments -> Sprig's string functions (upper, trunc, quote, split, ...) for the runtime.

Strings follow the conventions of funcs._gostr (Go bytes in a Python str).
"""

from __future__ import annotations

import random
from typing import Any

from minihelm._core.limits import check_output_size
from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.funcs._xstrings import to_kebab_case, to_pascal_case, to_snake_case
from minihelm.golang.gostr import (
    RUNE_ERROR,
    fix_escape,
    from_bytes,
    go_isdigit,
    go_isletter,
    go_islower,
    go_isspace,
    go_istitle,
    go_isupper,
    go_quote,
    go_tolower,
    go_totitle,
    go_toupper,
    is_escape,
    latin1_runes,
    to_bytes,
)
from minihelm.golang.gotypes import GoList, GoMap

# --- strval: Sprig's toString -------------------------------------------------


def strval(v: Any) -> str:
    """Sprig's strval: strings and []byte as is, else fmt.Sprintf("%v")."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return from_bytes(bytes(v))
    # deferred: only strval() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    return format_value(v)


def strslice(v: Any) -> GoList:
    """Sprig's strslice: a list becomes []string (nils dropped); nil -> []; else [strval(v)]."""
    if isinstance(v, GoList) and v.go_type == "[]string":
        return v
    if isinstance(v, (list, tuple)):
        return GoList([strval(x) for x in v if x is not None])
    if isinstance(v, (bytes, bytearray)):  # []uint8: each byte through %v
        return GoList([str(b) for b in v])
    if v is None:
        return GoList([])
    return GoList([strval(v)])


# --- case -------------------------------------------------------------------------


@gofunc("upper", "string")
def upper(s: str) -> str:
    if s.isascii():  # the same one-to-one mapping, without a call per character
        return s.upper()
    return "".join(go_toupper(c) for c in s)


@gofunc("lower", "string")
def lower(s: str) -> str:
    if s.isascii():
        return s.lower()
    return "".join(go_tolower(c) for c in s)


def _title_separator(c: str) -> bool:
    # strings.Title's isSeparator: ASCII alnum and '_' join words; other
    # letters and digits join; otherwise only spaces separate.
    if c <= "\x7f":
        return not (c.isalnum() or c == "_")
    if is_escape(c):
        c = RUNE_ERROR
    if go_isletter(c) or go_isdigit(c):
        return False
    return go_isspace(c)


@gofunc("title", "string")
def title(s: str) -> str:
    out = []
    prev = " "
    for c in s:
        out.append(go_totitle(c) if _title_separator(prev) else fix_escape(c))
        prev = c
    return "".join(out)


@gofunc("untitle", "string")
def untitle(s: str) -> str:
    """goutils.Uncapitalize: lower-case the first rune of each whitespace-separated word."""
    out = []
    nxt = True
    for c in s:
        c = fix_escape(c)  # []rune(str) turns invalid bytes into U+FFFD
        if go_isspace(c):
            nxt = True
        elif nxt:
            c = go_tolower(c)
            nxt = False
        out.append(c)
    return "".join(out)


@gofunc("swapcase", "string")
def swapcase(s: str) -> str:
    """goutils.SwapCase: upper/title -> lower; lower -> title after whitespace, else upper."""
    out = []
    whitespace = True
    for c in s:
        c = fix_escape(c)
        if go_isupper(c) or go_istitle(c):
            c = go_tolower(c)
            whitespace = False
        elif go_islower(c):
            c = go_totitle(c) if whitespace else go_toupper(c)
            whitespace = False
        else:
            whitespace = go_isspace(c)
        out.append(c)
    return "".join(out)


# --- cutting ----------------------------------------------------------------------


@gofunc("trunc", "int, string")
def trunc(c: int, s: str) -> str:
    """Keep the first c bytes, or for c < 0 the last -c bytes."""
    b = to_bytes(s)
    if c < 0 and len(b) + c > 0:
        return from_bytes(b[len(b) + c:])
    if c >= 0 and len(b) > c:
        return from_bytes(b[:c])
    return s


def _hi_panic(hi: int, n: int) -> GoFuncError:
    # Go's runtime text for s[:hi] out of range (negative indexes omit the length).
    if hi < 0:
        return GoFuncError(f"runtime error: slice bounds out of range [:{hi}]")
    return GoFuncError(f"runtime error: slice bounds out of range [:{hi}] with length {n}")


@gofunc("substr", "int, int, string")
def substr(start: int, end: int, s: str) -> str:
    """Sprig's substring, byte-wise: start < 0 -> s[:end]; end < 0 or past the end -> s[start:]."""
    b = to_bytes(s)
    n = len(b)
    if start < 0:
        if end < 0 or end > n:
            raise _hi_panic(end, n)
        return from_bytes(b[:end])
    if end < 0 or end > n:
        end = n
    if start > end:
        raise GoFuncError(f"runtime error: slice bounds out of range [{start}:{end}]")
    return from_bytes(b[start:end])


def _abbreviate_full(b: bytes, offset: int, width: int) -> bytes:
    """goutils.AbbreviateFull on bytes (callers already rejected widths that error)."""
    n = len(b)
    if n == 0 or n <= width:
        return b
    offset = min(offset, n)
    if n - offset < width - 3:
        offset = n - (width - 3)
    if offset <= 4:
        return b[: width - 3] + b"..."
    if offset + width - 3 < n:
        return b"..." + _abbreviate_full(b[offset:], 0, width - 3)
    return b"..." + b[n - (width - 3):]


@gofunc("abbrev", "int, string")
def abbrev(width: int, s: str) -> str:
    if width < 4:
        return s
    return from_bytes(_abbreviate_full(to_bytes(s), 0, width))


@gofunc("abbrevboth", "int, int, string")
def abbrevboth(left: int, right: int, s: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return s
    b = to_bytes(s)
    # AbbreviateFull errors (returns "") for width < 7 once the offset is > 4;
    # the inner Abbreviate with width-3 < 4 also errors and yields "".
    res = _abbrev_checked(b, left, right)
    return from_bytes(res)


def _abbrev_checked(b: bytes, offset: int, width: int) -> bytes:
    n = len(b)
    if n == 0:
        return b
    if width < 4:
        return b""
    if n <= width:
        return b
    offset = min(offset, n)
    if n - offset < width - 3:
        offset = n - (width - 3)
    if offset <= 4:
        return b[: width - 3] + b"..."
    if width < 7:
        return b""
    if offset + width - 3 < n:
        return b"..." + _abbrev_checked(b[offset:], 0, width - 3)
    return b"..." + b[n - (width - 3):]


@gofunc("initials", "string")
def initials(s: str) -> str:
    """goutils.Initials: byte-wise; each first byte of a word is written as the rune of that value."""
    out = []
    gap = True
    for c in latin1_runes(to_bytes(s)):
        if go_isspace(c):
            gap = True
        elif gap:
            out.append(c)
            gap = False
    return "".join(out)


@gofunc("nospace", "string")
def nospace(s: str) -> str:
    """goutils.DeleteWhiteSpace: byte-wise; unchanged if nothing was removed."""
    runes = latin1_runes(to_bytes(s))
    kept = [c for c in runes if not go_isspace(c)]
    if len(kept) == len(runes):
        return s
    return "".join(kept)


# --- wrapping (goutils WordUtils, byte offsets) -------------------------------------


def _wrap(b: bytes, width: int, newline: bytes, long_words: bool) -> bytes:
    if not b:
        return b""
    newline = newline or b"\n"
    width = max(width, 1)
    n = len(b)
    off = 0
    out = bytearray()
    while n - off > width:
        if b[off] == 0x20:
            off += 1
            continue
        space = b.rfind(b" ", off, width + off + 1)
        if space >= off:
            out += b[off:space] + newline
            off = space + 1
        elif long_words:
            out += b[off:width + off] + newline
            off += width
        else:
            nxt = b.find(b" ", width + off)
            if nxt == -1:
                out += b[off:]
                off = n
            else:
                out += b[off:nxt] + newline
                off = nxt + 1
    out += b[off:]
    return bytes(out)


@gofunc("wrap", "int, string")
def wrap(width: int, s: str) -> str:
    return from_bytes(_wrap(to_bytes(s), width, b"\n", False))


@gofunc("wrapWith", "int, string, string")
def wrap_with(width: int, sep: str, s: str) -> str:
    return from_bytes(_wrap(to_bytes(s), width, to_bytes(sep), True))


# --- simple string operations -----------------------------------------------------


@gofunc("repeat", "int, string")
def repeat(count: int, s: str) -> str:
    if count < 0:
        raise GoFuncError("strings: negative Repeat count")
    if s and count * len(to_bytes(s)) >= 1 << 63:
        raise GoFuncError("strings: Repeat output length overflow")
    check_output_size(count * len(s))
    return s * count


def _trim_space(s: str) -> str:
    # strings.TrimSpace trims unicode.IsSpace runes (U+0085, U+00A0 too,
    # but not Python's extra \x1c-\x1f).
    i, j = 0, len(s)
    while i < j and go_isspace(s[i]):
        i += 1
    while j > i and go_isspace(s[j - 1]):
        j -= 1
    return s[i:j]


@gofunc("trim", "string")
def trim(s: str) -> str:
    return _trim_space(s)


def _trim_set(s: str, cutset: str) -> str:
    # strings.Trim: cutset is a set of runes; an invalid byte in s is U+FFFD
    # for the comparison (so it is cut only if the cutset holds U+FFFD).
    if not s or not cutset:
        return s
    cut = {fix_escape(c) for c in cutset}
    i, j = 0, len(s)
    while i < j and fix_escape(s[i]) in cut:
        i += 1
    while j > i and fix_escape(s[j - 1]) in cut:
        j -= 1
    return s[i:j]


@gofunc("trimAll", "string, string")
def trim_all(cutset: str, s: str) -> str:
    return _trim_set(s, cutset)


@gofunc("trimall", "string, string")
def trimall(cutset: str, s: str) -> str:
    return _trim_set(s, cutset)


@gofunc("trimPrefix", "string, string")
def trim_prefix(prefix: str, s: str) -> str:
    return s.removeprefix(prefix)


@gofunc("trimSuffix", "string, string")
def trim_suffix(suffix: str, s: str) -> str:
    return s[: len(s) - len(suffix)] if suffix and s.endswith(suffix) else s


@gofunc("contains", "string, string")
def contains(sub: str, s: str) -> bool:
    return sub in s


@gofunc("hasPrefix", "string, string")
def has_prefix(prefix: str, s: str) -> bool:
    return s.startswith(prefix)


@gofunc("hasSuffix", "string, string")
def has_suffix(suffix: str, s: str) -> bool:
    return s.endswith(suffix)


@gofunc("replace", "string, string, string")
def replace(old: str, new: str, src: str) -> str:
    if old == "":
        # strings.Replace with an empty old inserts `new` before every rune
        # (Go counts an invalid byte as one rune) and at the end.
        return new + "".join(c + new for c in src)
    return src.replace(old, new)


@gofunc("indent", "int, string")
def indent(spaces: int, s: str) -> str:
    pad = " " * max(spaces, 0)
    if spaces < 0:
        raise GoFuncError("strings: negative Repeat count")
    return pad + s.replace("\n", "\n" + pad)


@gofunc("nindent", "int, string")
def nindent(spaces: int, s: str) -> str:
    return "\n" + indent(spaces, s)


@gofunc("plural", "string, string, int")
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


# --- quoting and joining ----------------------------------------------------------


@gofunc("quote", "...interface {}")
def quote(*args: Any) -> str:
    return " ".join(go_quote(strval(a)) for a in args if a is not None)


@gofunc("squote", "...interface {}")
def squote(*args: Any) -> str:
    return " ".join("'" + _fmt_v(a) + "'" for a in args if a is not None)


def _fmt_v(v: Any) -> str:
    # squote and cat use fmt's %v directly (not strval): []byte prints as [104 105].
    if isinstance(v, str):
        return v
    # deferred: only _fmt_v() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    return format_value(v)


@gofunc("cat", "...interface {}")
def cat(*args: Any) -> str:
    return " ".join(_fmt_v(a) for a in args if a is not None)


@gofunc("toString", "interface {}")
def to_string(v: Any) -> str:
    return strval(v)


@gofunc("toStrings", "interface {}")
def to_strings(v: Any) -> GoList:
    return strslice(v)


@gofunc("join", "string, interface {}")
def join(sep: str, v: Any) -> str:
    return sep.join(strslice(v))


@gofunc("sortAlpha", "interface {}")
def sort_alpha(v: Any) -> GoList:
    if isinstance(v, (list, tuple, bytes, bytearray)):
        # Go sorts strings by bytes; UTF-8 byte order equals code point order
        # except for our surrogate escapes, so sort on the bytes.
        return GoList(sorted(strslice(v), key=to_bytes))
    return GoList([strval(v)])


def _go_split(s: str, sep: str, n: int = -1) -> list[str]:
    """strings.SplitN; an empty sep splits into runes (invalid bytes each their own)."""
    if n == 0:
        return []
    if sep == "":
        chars = list(s)
        if 0 < n < len(chars):
            return chars[: n - 1] + ["".join(chars[n - 1:])]
        return chars
    if n < 0:
        return s.split(sep)
    return s.split(sep, n - 1)


def _indexed(parts: list[str]) -> GoMap:
    return GoMap({f"_{i}": p for i, p in enumerate(parts)}, "map[string]string")


@gofunc("split", "string, string")
def split(sep: str, s: str) -> GoMap:
    return _indexed(_go_split(s, sep))


@gofunc("splitn", "string, int, string")
def splitn(sep: str, n: int, s: str) -> GoMap:
    return _indexed(_go_split(s, sep, n))


@gofunc("splitList", "string, string")
def split_list(sep: str, s: str) -> GoList:
    return GoList(_go_split(s, sep))


# --- xstrings ----------------------------------------------------------------------


@gofunc("shuffle", "string", hermetic=False,
         note="permutes with Python's random, not Go's math/rand (random in helm too)")
def shuffle(s: str) -> str:
    runes = [fix_escape(c) for c in s]
    random.shuffle(runes)
    return "".join(runes)


@gofunc("snakecase", "string")
def snakecase(s: str) -> str:
    return to_snake_case(s)


@gofunc("kebabcase", "string")
def kebabcase(s: str) -> str:
    return to_kebab_case(s)


@gofunc("camelcase", "string")
def camelcase(s: str) -> str:
    return to_pascal_case(s)


@gofunc("hello", "")
def hello() -> str:
    """Sprig's leftover demo function, still in its map (and so in helm's)."""
    return "Hello!"
