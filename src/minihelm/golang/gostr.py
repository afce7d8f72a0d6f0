"""Go string semantics shared by the string and regex functions: bytes, runes, unicode, strconv.Quote.

Go strings are byte strings.  We carry them as Python `str`; bytes that are
not valid UTF-8 (e.g. what `trunc` leaves when it cuts a multi-byte rune in
half) are held as lone surrogates U+DC80..U+DCFF, Python's 'surrogateescape'
convention, so `to_bytes(s)` gives Go's exact bytes back and the printer can
write them out unchanged (encode with errors="surrogateescape").
"""

from __future__ import annotations

import unicodedata

# --- Go byte strings ---------------------------------------------------------


def to_bytes(s: str) -> bytes:
    """A Go string's bytes."""
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    """Go bytes as our str (invalid UTF-8 kept as surrogate escapes)."""
    return b.decode("utf-8", "surrogateescape")


def latin1_runes(b: bytes) -> str:
    # goutils' byte loops do `rune(str[i])` then WriteRune: each byte becomes
    # the code point of the same value (so UTF-8 input comes out as mojibake).
    return b.decode("latin-1")


# --- Go's unicode package (simple, one-rune case mappings) --------------------

RUNE_ERROR = "\ufffd"
_LATIN1_SPACE = "\t\n\v\f\r \x85\xa0"
_WIDE_SPACE = "\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)


def is_escape(c: str) -> bool:
    return "\udc80" <= c <= "\udcff"


def go_isspace(c: str) -> bool:
    """unicode.IsSpace: Latin-1 spaces plus the White_Space property (not Python's isspace)."""
    return c in _LATIN1_SPACE or c in _WIDE_SPACE


def go_isupper(c: str) -> bool:
    return unicodedata.category(c) == "Lu"


def go_islower(c: str) -> bool:
    return unicodedata.category(c) == "Ll"


def go_istitle(c: str) -> bool:
    return unicodedata.category(c) == "Lt"


def go_isletter(c: str) -> bool:
    return unicodedata.category(c)[0] == "L"


def go_isdigit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def go_isnumber(c: str) -> bool:
    return unicodedata.category(c)[0] == "N"


def go_ispunct(c: str) -> bool:
    return unicodedata.category(c)[0] == "P"


def _simple(c: str, full: str, alt: str) -> str:
    # Go maps one rune to one rune (UnicodeData simple mappings); Python's
    # str.upper() applies full mappings ('ß' -> 'SS').  A multi-rune full
    # mapping means "no simple mapping", except for the Greek iota-subscript
    # letters whose simple upper case is their title-case form.
    if is_escape(c):
        return RUNE_ERROR  # strings.Map turns invalid bytes into U+FFFD
    if len(full) == 1:
        return full
    if len(alt) == 1 and alt != c and "\u1f80" <= c <= "\u1fff":
        return alt
    return c


def go_toupper(c: str) -> str:
    return _simple(c, c.upper(), c.title())


def go_totitle(c: str) -> str:
    return _simple(c, c.title(), c.upper())


def go_tolower(c: str) -> str:
    if c == "\u0130":  # İ: simple lower case is plain 'i'
        return "i"
    return _simple(c, c.lower(), c.lower())


def fix_escape(c: str) -> str:
    """An invalid byte read as a rune is U+FFFD (utf8.DecodeRune, []rune(s), range)."""
    return RUNE_ERROR if is_escape(c) else c


_QUOTE_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
              "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def go_quote(s: str) -> str:
    """strconv.Quote: Go escapes; \\u/\\U for non-printable runes; \\x for bytes that are not UTF-8."""
    out = ['"']
    for c in s:
        o = ord(c)
        if c in _QUOTE_ESC:
            out.append(_QUOTE_ESC[c])
        elif is_escape(c):
            out.append(f"\\x{o - 0xDC00:02x}")
        elif c.isprintable():  # Go's IsPrint: L, M, N, P, S and ASCII space
            out.append(c)
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)
