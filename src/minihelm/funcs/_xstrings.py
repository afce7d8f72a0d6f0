"""Ports of huandu/xstrings v1.5.0 case conversion (snakecase, kebabcase, camelcase) for funcs.strings."""

from __future__ import annotations

from typing import Any

from minihelm.golang.gostr import (
    RUNE_ERROR,
    fix_escape,
    go_isletter,
    go_isnumber,
    go_ispunct,
    go_isspace,
    go_isupper,
    go_tolower,
    go_toupper,
)

# Word kinds of xstrings' nextWord.
_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _rune(s: str, i: int) -> str:
    # utf8.DecodeRuneInString: an invalid byte decodes as U+FFFD.
    return fix_escape(s[i])


def _is_connector(r: str) -> bool:
    return r in "-_" or go_isspace(r)


def _is_alphabet(r: str) -> bool:
    """xstrings' isAlphabet: a letter that is not a CJK ideograph."""
    if not go_isletter(r):
        return False
    o = ord(r)
    return not (0x4E00 <= o <= 0x9FCC or 0x3400 <= o <= 0x4D85 or 0x20000 <= o <= 0x2B81D)


def _next_valid(s: str, i: int, prev: str) -> tuple[str, int]:
    """xstrings' nextValidRune: skip undecodable runes; (prev, all) if none is left."""
    n = 0
    while i + n < len(s):
        r = _rune(s, i + n)
        n += 1
        if r != RUNE_ERROR:
            return r, n
    return prev, n


def _run(s: str, rem: int, offset: int, r: str, stop: Any) -> tuple[int, int, str]:
    """Extend a word while `stop(r)` is false; returns (rem, offset, last rune read)."""
    while rem < len(s):
        r, size = _next_valid(s, rem, r)
        if stop(r):
            break
        offset += size
        rem += size
    return rem, offset, r


def _next_word(s: str, pos: int) -> tuple[int, str, int]:
    """xstrings' nextWord: (kind, word, start of the remaining text), in char indices."""
    if pos >= len(s):
        return _INVALID, "", pos
    r, size = _next_valid(s, pos, RUNE_ERROR)
    offset, rem = size, pos + size
    if r == RUNE_ERROR:
        return _INVALID, s[pos:pos + offset], pos + offset
    if _is_connector(r):
        wt = _CONNECTOR
        rem, offset, r = _run(s, rem, offset, r, lambda x: not _is_connector(x))
    elif go_ispunct(r):
        wt = _PUNCT
        rem, offset, r = _run(s, rem, offset, r, lambda x: not go_ispunct(x))
    elif go_isupper(r):
        wt = _UPPER
        if rem < len(s):
            r, size = _next_valid(s, rem, r)
            if go_isupper(r):
                prev_size = size
                offset += size
                rem += size
                while rem < len(s):
                    r, size = _next_valid(s, rem, r)
                    if not go_isupper(r):
                        break
                    prev_size = size
                    offset += size
                    rem += size
                # "HTTPStatus" -> "HTTP" + "Status": give the last capital back.
                if rem < len(s) and _is_alphabet(r):
                    offset -= prev_size
                    rem = pos + offset
            elif _is_alphabet(r):
                offset += size
                rem += size
                rem, offset, r = _run(
                    s, rem, offset, r, lambda x: not _is_alphabet(x) or go_isupper(x))
    elif _is_alphabet(r):
        wt = _ALPHA
        rem, offset, r = _run(s, rem, offset, r, lambda x: not _is_alphabet(x) or go_isupper(x))
    elif go_isnumber(r):
        wt = _NUMBER
        rem, offset, r = _run(s, rem, offset, r, lambda x: not go_isnumber(x))
    else:
        wt = _OTHER
        rem, offset, r = _run(
            s, rem, offset, r,
            lambda x: _is_connector(x) or _is_alphabet(x) or go_isnumber(x) or go_ispunct(x))
    return wt, s[pos:pos + offset], rem


def _lower_word(out: list[str], wt: int, word: str, conn: str) -> None:
    """xstrings' toLower: only upper-case and connector words are rewritten."""
    if wt not in (_UPPER, _CONNECTOR):
        out.append(word)
        return
    for c in word:
        r = fix_escape(c)
        out.append(conn if _is_connector(r) else go_tolower(r) if go_isupper(r) else r)


def _camel_to_lower(s: str, conn: str) -> str:
    """xstrings' camelCaseToLowerCase (ToSnakeCase / ToKebabCase)."""
    if not s:
        return ""
    out: list[str] = []
    wt, word, rem = _next_word(s, 0)
    while rem < len(s):
        if wt != _CONNECTOR:
            _lower_word(out, wt, word, conn)
        prev, last = wt, word
        wt, word, rem = _next_word(s, rem)
        if prev == _NUMBER:
            while wt in (_ALPHA, _NUMBER):
                _lower_word(out, wt, word, conn)
                wt, word, rem = _next_word(s, rem)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                out.append(conn)
        elif prev == _CONNECTOR:
            _lower_word(out, prev, last, conn)
        elif prev == _PUNCT:
            pass
        elif wt != _NUMBER:
            if wt not in (_CONNECTOR, _PUNCT):
                out.append(conn)
        elif rem < len(s):
            last = word
            wt, word, rem = _next_word(s, rem)
            if wt != _ALPHA:
                # a number is part of the previous word: "Bld4Floor" -> "bld4_floor"
                _lower_word(out, _NUMBER, last, conn)
                if wt not in (_CONNECTOR, _PUNCT):
                    out.append(conn)
            else:
                # letters after a number start a new word: "HTTP2xx" -> "http_2xx"
                out.append(conn)
                _lower_word(out, _NUMBER, last, conn)
                while wt in (_ALPHA, _NUMBER):
                    _lower_word(out, wt, word, conn)
                    wt, word, rem = _next_word(s, rem)
                if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                    out.append(conn)
    _lower_word(out, wt, word, conn)
    return "".join(out)


def to_snake_case(s: str) -> str:
    return _camel_to_lower(s, "_")


def to_kebab_case(s: str) -> str:
    return _camel_to_lower(s, "-")


def to_pascal_case(s: str) -> str:
    """xstrings.ToPascalCase (toCamelCase with isBig): connectors dropped, words capitalised."""
    if not s:
        return ""
    out: list[str] = []
    first_upper = False
    r0 = ""
    i = 0
    while i < len(s):
        r0 = _rune(s, i)
        i += 1
        if not _is_connector(r0):
            first_upper = go_isupper(r0)
            r0 = go_toupper(r0)
            break
        out.append(r0)
    if i >= len(s):
        out.append(r0)  # Go writes the last rune again, even a connector
        return "".join(out)
    while i < len(s):
        r1, r0 = r0, _rune(s, i)
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            out.append(r1)
            continue
        if _is_connector(r1):
            first_upper = go_isupper(r0)
            r0 = go_toupper(r0)
        else:
            if first_upper:
                if go_isupper(r0):
                    r0 = go_tolower(r0)
                else:
                    first_upper = False
            out.append(r1)
    out.append(r0)
    return "".join(out)
