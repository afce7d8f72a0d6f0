"""Template arguments -> Sprig's regex functions (regexMatch, regexFindAll, regexReplaceAll, ...).

Patterns are Go RE2 syntax, checked by golang/re2.py and matched by RE2 in linear time.  The non-must forms
call regexp.MustCompile, so a bad pattern is a panic that text/template
reports as `regexp: Compile(<quoted>): error parsing regexp: ...`; the must
forms return the plain Go error.  regexMatch alone swallows the error and
returns false.  Matching loops follow Go's rules for empty matches (FindAll
skips an empty match right after a previous match; ReplaceAll does not
replace it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gostr import go_isdigit, go_isletter, go_quote
from minihelm.golang.gotypes import GoList
from minihelm.golang.re2 import GoRegexp, RegexpSyntaxError, compile_go

# Go 1.25 (helm 4.1.4) has Unicode 15.0 tables; RE2 has its own release's tables.
UNICODE_NOTE = ("Unicode classes (\\pL, \\p{Lu}, (?i) folding) use the tables of the installed "
                "RE2 (google-re2), not Go 1.25's Unicode 15.0: the newest letters may differ")


def _go_backquote_ok(s: str) -> bool:
    # strconv.CanBackquote: no backquote, no control characters except tab, valid UTF-8.
    return all(
        c != "`" and c != "\ufeff" and (c == "\t" or ord(c) >= 0x20) and c != "\x7f"
        and not ("\udc80" <= c <= "\udcff") for c in s)


def _must_compile(expr: str) -> GoRegexp:
    """regexp.MustCompile: the panic text Go gives a bad pattern."""
    try:
        return compile_go(expr)
    except RegexpSyntaxError as e:
        q = f"`{expr}`" if _go_backquote_ok(expr) else go_quote(expr)
        raise GoFuncError(f"regexp: Compile({q}): {e}") from None


def _compile(expr: str) -> GoRegexp:
    """regexp.Compile for the must* forms: Go's error as is."""
    try:
        return compile_go(expr)
    except RegexpSyntaxError as e:
        raise GoFuncError(str(e)) from None


def _all_matches(r: GoRegexp, s: str, n: int) -> list[tuple[int, int]]:
    """Go's allMatches: spans of up to n matches (n < 0: all), skipping empty ones that abut."""
    out: list[tuple[int, int]] = []
    pos, prev_end = 0, -1
    while (n < 0 or len(out) < n) and pos <= len(s):
        m = r.rx.search(s, pos)
        if m is None:
            break
        accept = True
        if m.end() == pos:
            if m.start() == prev_end:
                accept = False
            pos += 1  # next rune (one char in our representation)
        else:
            pos = m.end()
        prev_end = m.end()
        if accept:
            out.append(m.span())
    return out


@gofunc("regexMatch", "string, string", note=UNICODE_NOTE)
def regex_match(regex: str, s: str) -> bool:
    try:
        r = compile_go(regex)
    except RegexpSyntaxError:
        return False
    return r.rx.search(s) is not None


@gofunc("mustRegexMatch", "string, string", note=UNICODE_NOTE)
def must_regex_match(regex: str, s: str) -> bool:
    return _compile(regex).rx.search(s) is not None


def _find_all(r: GoRegexp, s: str, n: int) -> GoList:
    if n == 0:
        return GoList([])
    return GoList([s[a:b] for a, b in _all_matches(r, s, n)])


@gofunc("regexFindAll", "string, string, int", note=UNICODE_NOTE)
def regex_find_all(regex: str, s: str, n: int) -> GoList:
    return _find_all(_must_compile(regex), s, n)


@gofunc("mustRegexFindAll", "string, string, int", note=UNICODE_NOTE)
def must_regex_find_all(regex: str, s: str, n: int) -> GoList:
    return _find_all(_compile(regex), s, n)


def _find(r: GoRegexp, s: str) -> str:
    m = r.rx.search(s)
    return s[m.start():m.end()] if m else ""


@gofunc("regexFind", "string, string", note=UNICODE_NOTE)
def regex_find(regex: str, s: str) -> str:
    return _find(_must_compile(regex), s)


@gofunc("mustRegexFind", "string, string", note=UNICODE_NOTE)
def must_regex_find(regex: str, s: str) -> str:
    return _find(_compile(regex), s)


# --- replacing ------------------------------------------------------------------------


def _extract(t: str) -> tuple[str, int, str] | None:
    """Go's Regexp.extract on text after '$': (name, number or -1, rest) or None if malformed."""
    if len(t) < 1:
        return None
    brace = t[0] == "{"
    body = t[1:] if brace else t
    i = 0
    while i < len(body) and (go_isletter(body[i]) or go_isdigit(body[i]) or body[i] == "_"):
        i += 1
    if i == 0:
        return None
    name = body[:i]
    if brace:
        if i >= len(body) or body[i] != "}":
            return None
        i += 1
    num = int(name) if name.isascii() and name.isdigit() and len(name) <= 9 else -1
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, body[i:]


def _group(m: Any, src: str, n: int) -> str | None:
    """Group n of a match, sliced from src (the matcher may have seen a stand-in text)."""
    a, b = m.span(n)
    return None if a < 0 else src[a:b]


def _expand(r: Any, template: str, m: Any, src: str) -> str:
    """Regexp.Expand: $1 ${1} $name ${name}; $$ is '$'; a malformed $ stays as text."""
    out: list[str] = []
    while True:
        k = template.find("$")
        if k < 0:
            break
        out.append(template[:k])
        template = template[k + 1:]
        if template.startswith("$"):
            out.append("$")
            template = template[1:]
            continue
        ext = _extract(template)
        if ext is None:
            out.append("$")
            continue
        name, num, template = ext
        if num >= 0:
            if num <= r.rx.groups:
                out.append(_group(m, src, num) or "")
        else:
            for idx, gname in enumerate(r.names):
                if gname == name:
                    out.append(_group(m, src, idx) or "")
                    break
    out.append(template)
    return "".join(out)


def _replace_all(r: GoRegexp, src: str, repl: Callable[[Any], str]) -> str:
    """Go's replaceAll: an empty match right after a match is not replaced."""
    out: list[str] = []
    last_end = 0
    pos = 0
    while pos <= len(src):
        m = r.rx.search(src, pos)
        if m is None:
            break
        a, b = m.span()
        out.append(src[last_end:a])
        if b > last_end or a == 0:
            out.append(repl(m))
        last_end = b
        pos = max(b, pos + 1)
    out.append(src[last_end:])
    return "".join(out)


@gofunc("regexReplaceAll", "string, string, string", note=UNICODE_NOTE)
def regex_replace_all(regex: str, s: str, repl: str) -> str:
    r = _must_compile(regex)
    return _replace_all(r, s, lambda m: _expand(r, repl, m, s))


@gofunc("mustRegexReplaceAll", "string, string, string", note=UNICODE_NOTE)
def must_regex_replace_all(regex: str, s: str, repl: str) -> str:
    r = _compile(regex)
    return _replace_all(r, s, lambda m: _expand(r, repl, m, s))


@gofunc("regexReplaceAllLiteral", "string, string, string", note=UNICODE_NOTE)
def regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _replace_all(_must_compile(regex), s, lambda m: repl)


@gofunc("mustRegexReplaceAllLiteral", "string, string, string", note=UNICODE_NOTE)
def must_regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _replace_all(_compile(regex), s, lambda m: repl)


# --- splitting and quoting --------------------------------------------------------------


def _split(r: GoRegexp, s: str, n: int) -> GoList:
    """Regexp.Split: n > 0 at most n pieces; n == 0 none; n < 0 all."""
    if n == 0:
        return GoList([])
    if r.expr and s == "":
        return GoList([""])
    out: list[str] = []
    beg = end = 0
    for a, b in _all_matches(r, s, n):
        if n > 0 and len(out) == n - 1:
            break
        end = a
        if b != 0:
            out.append(s[beg:end])
        beg = b
    if end != len(s):
        out.append(s[beg:])
    return GoList(out)


@gofunc("regexSplit", "string, string, int", note=UNICODE_NOTE)
def regex_split(regex: str, s: str, n: int) -> GoList:
    return _split(_must_compile(regex), s, n)


@gofunc("mustRegexSplit", "string, string, int", note=UNICODE_NOTE)
def must_regex_split(regex: str, s: str, n: int) -> GoList:
    return _split(_compile(regex), s, n)


_META = set("\\.+*?()|[]{}^$")


@gofunc("regexQuoteMeta", "string")
def regex_quote_meta(s: str) -> str:
    return "".join("\\" + c if c in _META else c for c in s)


def go_compile(expr: str) -> GoRegexp:
    """regexp.Compile for callers outside the template functions (a GoFuncError with Go's text)."""
    return _compile(expr)
