"""Go regexp (RE2) pattern text -> a compiled Python `re` pattern with Go's meaning, for funcs.regex.

Go's syntax (regexp/syntax with the Perl flags) is parsed here and re-emitted
as Python syntax with every difference spelled out:

    ^ $          \\A and \\Z unless (?m); Go's $ never matches before a final \\n
    .            excludes only \\n unless (?s)
    \\d \\s \\w \\b  ASCII only: [0-9], [\\t\\n\\f\\r ], [0-9A-Za-z_]
    [[:alpha:]]  POSIX classes (ASCII); \\pL \\p{Lu} \\PN Unicode categories
    (?i) (?m) (?s) (?U)  flags, scoped to the enclosing group
    (?P<n>x) (?<n>x)     named captures (Go names may start with a digit)
    x{n,m}       n, m <= 1000; a '{' that does not form a repeat is literal
    \\Q...\\E      literal text

Go rejects what RE2 cannot do (backreferences, lookaround, possessive or
stacked repeats); those raise `RegexpSyntaxError` with Go's message,
"error parsing regexp: <code>: `<text>`".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from minihelm.funcs._gostr import is_escape
from minihelm.records import Frozen

ERR_MISSING_PAREN = "missing closing )"
ERR_UNEXPECTED_PAREN = "unexpected )"
ERR_MISSING_BRACKET = "missing closing ]"
ERR_INVALID_ESCAPE = "invalid escape sequence"
ERR_INVALID_RANGE = "invalid character class range"
ERR_INVALID_PERL = "invalid or unsupported Perl syntax"
ERR_NAMED = "invalid named capture"
ERR_NESTED_REPEAT = "invalid nested repetition operator"
ERR_REPEAT_SIZE = "invalid repeat count"
ERR_MISSING_REPEAT = "missing argument to repetition operator"
ERR_TRAILING = "trailing backslash at end of expression"
ERR_UTF8 = "invalid UTF-8"


class RegexpSyntaxError(Exception):
    """regexp/syntax.Error: Go prints it as "error parsing regexp: CODE: `EXPR`"."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


MAX_RUNE = 0x10FFFF
Ranges = list[tuple[int, int]]

_PERL: dict[str, Ranges] = {
    "d": [(0x30, 0x39)],
    "s": [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)],
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
}
_POSIX: dict[str, Ranges] = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)],
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_CATEGORIES = {
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
    "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
    "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
}


def negate(rs: Ranges) -> Ranges:
    out: Ranges = []
    nxt = 0
    for lo, hi in normalize(rs):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_RUNE:
        out.append((nxt, MAX_RUNE))
    return out


def normalize(rs: Ranges) -> Ranges:
    out: Ranges = []
    for lo, hi in sorted(rs):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


@cache
def _category_ranges(name: str) -> tuple[tuple[int, int], ...]:
    """Code point ranges of a Unicode general category (one letter = the whole group)."""
    if name == "Any":
        return ((0, MAX_RUNE),)
    out: Ranges = []
    start = -1
    for cp in range(MAX_RUNE + 2):
        cat = unicodedata.category(chr(cp)) if cp <= MAX_RUNE else ""
        hit = cat == name or (len(name) == 1 and cat[:1] == name and cat != "Cn")
        if hit and start < 0:
            start = cp
        elif not hit and start >= 0:
            out.append((start, cp - 1))
            start = -1
    return tuple(out)


@lru_cache(maxsize=1)
def _fold_orbits() -> dict[int, tuple[int, ...]]:
    """Code point -> every code point that equals it under simple case folding (Go's SimpleFold orbit)."""
    groups: dict[str, list[int]] = {}
    for cp in range(MAX_RUNE + 1):
        ch = chr(cp)
        key = ch.casefold()
        if len(key) != 1:
            key = ch.lower() if len(ch.lower()) == 1 else ch
        if key != ch or ch.upper() != ch:
            groups.setdefault(key, []).append(cp)
    orbits: dict[int, tuple[int, ...]] = {}
    for key, members in groups.items():
        orbit = set(members) | {ord(key)}
        if len(orbit) > 1:
            for cp in orbit:
                orbits[cp] = tuple(sorted(orbit))
    return orbits


_FOLD_LIMIT = 0x3000  # wider ranges (negations, \pL) already hold their case partners


def fold_ranges(rs: Ranges) -> Ranges:
    """Add the case-fold partners of every code point, as Go's parser does under (?i)."""
    orbits = _fold_orbits()
    out = list(rs)
    for lo, hi in rs:
        if hi - lo > _FOLD_LIMIT:
            continue
        for cp in range(lo, hi + 1):
            out.extend((o, o) for o in orbits.get(cp, ()))
    return normalize(out)


def _emit_char(cp: int) -> str:
    c = chr(cp)
    if c.isascii() and c.isalnum():
        return c
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def emit_class(rs: Ranges, may_negate: bool = False) -> str:
    """A Python class for the set rs.  may_negate: the class is read without
    IGNORECASE, so a large set may be written as the negation of its complement."""
    rs = normalize(rs)
    if not rs:
        return "[^\\x00-\\U0010ffff]"  # matches nothing, like Go's empty class
    if may_negate and _bmp_size(rs) > _CHEAP_CLASS:
        rest = negate(rs)
        if rest:
            return "[^" + _class_body(rest) + "]"
    return "[" + _class_body(rs) + "]"


# CPython's sre fills a class's charset one BMP code point at a time, so \W
# written out ([\u0000-\u002f...\u007b-\U0010ffff]) costs 1.5 ms to compile;
# [^0-9A-Z_a-z] is the same set of code points and compiles in microseconds.
_CHEAP_CLASS = 4096


def _bmp_size(rs: Ranges) -> int:
    return sum(min(hi, 0xFFFF) - lo + 1 for lo, hi in rs if lo <= 0xFFFF)


def _class_body(rs: Ranges) -> str:
    return "".join(_emit_char(lo) if lo == hi else f"{_emit_char(lo)}-{_emit_char(hi)}"
                   for lo, hi in rs)


class _Frame:
    """One open group: flags at its start, and what came before it."""

    __slots__ = ("flags", "kind", "out")

    def __init__(self, flags: str = "", kind: str = "") -> None:
        self.out: list[str] = []
        self.flags = flags
        self.kind = kind  # "(" capture, "(?:" non-capturing, "" top level


_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")


class _Translator:
    def __init__(self, pat: str) -> None:
        self.pat = pat
        self.i = 0
        self.names: list[str] = [""]
        self.scripts = False  # uses \p{Script}: needs the `regex` package
        self.stack: list[_Frame] = []
        self.cur = _Frame()
        self.flags = ""  # subset of "imsU"
        self.can_repeat = False  # is there an operand to repeat?
        self.last_repeat = -1  # start of the previous repeat operator, if the last token was one

    # -- helpers ------------------------------------------------------------------

    def atom(self, text: str) -> None:
        self.cur.out.append(text)
        self.can_repeat = True
        self.last_repeat = -1

    def class_atom(self, rs: Ranges, negated: bool = False, extras: list[str] | None = None) -> None:
        # Go folds a class's members before negating it; Python's (?i) on a
        # negated class does not (it lets (?i)[^a] match "A"), so fold here.
        if "i" in self.flags:
            rs = fold_ranges(rs)
        if extras:
            body = emit_class(rs)[1:-1] if rs else ""
            self.atom(f"[{'^' if negated else ''}{body}{''.join(extras)}]")
            return
        self.atom(emit_class(negate(rs) if negated else rs, may_negate="i" not in self.flags))

    def literal(self, cp: int) -> None:
        if "i" in self.flags and cp in _fold_orbits():
            self.class_atom([(cp, cp)])
        else:
            self.atom(_emit_char(cp))

    def assertion(self, text: str) -> None:
        # Go lets an empty-width assertion be repeated; wrapping keeps Python happy.
        self.cur.out.append(f"(?:{text})")
        self.can_repeat = True
        self.last_repeat = -1

    def translate(self) -> str:
        p = self.pat
        while self.i < len(p):
            c = p[self.i]
            if is_escape(c):
                raise RegexpSyntaxError(ERR_UTF8, p[self.i:])
            if c == "(":
                self.open_group()
            elif c == ")":
                self.close_group()
            elif c == "|":
                self.cur.out.append("|")
                self.i += 1
                self.can_repeat = False
                self.last_repeat = -1
            elif c in "*+?":
                self.repeat(1)
            elif c == "{" and _REPEAT.match(p, self.i):
                m = _REPEAT.match(p, self.i)
                assert m is not None
                self.repeat(m.end() - self.i)
            elif c == "[":
                self.class_atom(*self.parse_class())
            elif c == ".":
                self.i += 1
                self.atom("(?s:.)" if "s" in self.flags else "[^\\n]")
            elif c == "^":
                self.i += 1
                self.assertion("(?m:^)" if "m" in self.flags else "\\A")
            elif c == "$":
                self.i += 1
                self.assertion("(?m:$)" if "m" in self.flags else "\\Z")
            elif c == "\\":
                self.escape()
            else:
                self.i += 1
                self.literal(ord(c))
        if self.stack:
            raise RegexpSyntaxError(ERR_MISSING_PAREN, p)
        return "".join(self.cur.out)

    # -- groups -------------------------------------------------------------------

    def push(self, kind: str) -> None:
        self.stack.append(self.cur)
        self.cur = _Frame(flags=self.flags, kind=kind)
        self.can_repeat = False
        self.last_repeat = -1

    def open_group(self) -> None:
        s = self.pat[self.i:]
        if not s.startswith("(?"):
            self.i += 1
            self.names.append("")
            self.push("(")
            return
        if (len(s) > 4 and s[2] == "P" and s[3] == "<") or (len(s) > 3 and s[2] == "<"):
            begin = 4 if s[2] == "P" else 3
            end = s.find(">")
            if end < 0:
                raise RegexpSyntaxError(ERR_NAMED, s)
            name = s[begin:end]
            if not name or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in name):
                raise RegexpSyntaxError(ERR_NAMED, s[: end + 1])
            self.i += end + 1
            self.names.append(name)
            self.push("(")
            return
        flags = set(self.flags)
        j = 2
        sign = 1
        saw = False
        while j < len(s):
            ch = s[j]
            j += 1
            if ch in "imsU":
                (flags.add if sign > 0 else flags.discard)(ch)
                saw = True
            elif ch == "-" and sign > 0:
                sign, saw = -1, False
            elif ch in ":)" and (sign > 0 or saw):
                self.i += j
                new = "".join(sorted(flags))
                if ch == ":":
                    self.push("(?:")
                self.flags = new
                return
            else:
                break
        raise RegexpSyntaxError(ERR_INVALID_PERL, s[:j])

    def close_group(self) -> None:
        if not self.stack:
            raise RegexpSyntaxError(ERR_UNEXPECTED_PAREN, self.pat)
        self.i += 1
        inner = "".join(self.cur.out)
        kind = self.cur.kind
        self.flags = self.cur.flags
        self.cur = self.stack.pop()
        self.cur.out.append(f"{kind}{inner})")
        self.can_repeat = True
        self.last_repeat = -1

    # -- repetition -------------------------------------------------------------------

    def repeat(self, oplen: int) -> None:
        p = self.pat
        start = self.i
        op = p[start:start + oplen]
        self.i += oplen
        lazy = self.i < len(p) and p[self.i] == "?"
        if lazy:
            self.i += 1
        if self.last_repeat >= 0:
            raise RegexpSyntaxError(ERR_NESTED_REPEAT, p[self.last_repeat:self.i])
        if not self.can_repeat or not self.cur.out or self.cur.out[-1] == "|":
            raise RegexpSyntaxError(ERR_MISSING_REPEAT, p[start:self.i])
        if op.startswith("{"):
            m = _REPEAT.fullmatch(op)
            assert m is not None
            lo = int(m.group(1))
            hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else -1)
            if lo > 1000 or hi > 1000 or (hi >= 0 and hi < lo):
                raise RegexpSyntaxError(ERR_REPEAT_SIZE, op)
        if "U" in self.flags:
            lazy = not lazy
        self.cur.out[-1] = f"(?:{self.cur.out[-1]}){op}{'?' if lazy else ''}"
        self.last_repeat = start

    # -- escapes ------------------------------------------------------------------------

    def escape(self) -> None:
        p = self.pat
        if self.i + 1 >= len(p):
            raise RegexpSyntaxError(ERR_TRAILING, "")
        c = p[self.i + 1]
        if c in "AzbB":
            self.i += 2
            self.assertion({"A": "\\A", "z": "\\Z", "b": "(?a:\\b)", "B": "(?a:\\B)"}[c])
            return
        if c == "Q":
            end = p.find("\\E", self.i + 2)
            lit = p[self.i + 2:] if end < 0 else p[self.i + 2:end]
            self.i = len(p) if end < 0 else end + 2
            for ch in lit:
                self.literal(ord(ch))
            return
        rs = self.class_escape()
        if isinstance(rs, str):
            self.atom(rs)
            return
        if rs is not None:
            self.class_atom(rs)
            return
        self.literal(self.single_escape())

    def class_escape(self) -> Ranges | str | None:
        """\\d \\s \\w (and negations) or \\p{..}; None if the escape at i is not a class."""
        p = self.pat
        c = p[self.i + 1]
        if c.lower() in _PERL:
            self.i += 2
            rs = _PERL[c.lower()]
            return negate(rs) if c.isupper() else list(rs)
        if c in "pP":
            start = self.i
            j = self.i + 2
            if j >= len(p):
                raise RegexpSyntaxError(ERR_INVALID_RANGE, p[start:])
            if p[j] == "{":
                end = p.find("}", j)
                if end < 0:
                    raise RegexpSyntaxError(ERR_INVALID_RANGE, p[start:])
                name, self.i = p[j + 1:end], end + 1
            else:
                name, self.i = p[j], j + 1
            neg = c == "P"
            if name.startswith("^"):
                neg, name = not neg, name[1:]
            if name not in _CATEGORIES and name != "Any":
                script = _script_class(name, neg)
                if script is None:
                    raise RegexpSyntaxError(ERR_INVALID_RANGE, p[start:self.i])
                self.scripts = True
                return script
            rs = list(_category_ranges(name))
            return negate(rs) if neg else rs
        return None

    def single_escape(self) -> int:
        """One escaped rune (regexp/syntax parseEscape); i is at the backslash."""
        p = self.pat
        start = self.i
        c = p[self.i + 1]
        self.i += 2
        if "1" <= c <= "7" and not (self.i < len(p) and "0" <= p[self.i] <= "7"):
            raise RegexpSyntaxError(ERR_INVALID_ESCAPE, p[start:self.i])
        if "0" <= c <= "7":
            r = ord(c) - 48
            for _ in range(2):
                if self.i < len(p) and "0" <= p[self.i] <= "7":
                    r = r * 8 + ord(p[self.i]) - 48
                    self.i += 1
            return r
        if c == "x":
            return self.hex_escape(start)
        simple = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
        if c in simple:
            return simple[c]
        if c.isascii() and not c.isalnum():
            return ord(c)
        raise RegexpSyntaxError(ERR_INVALID_ESCAPE, p[start:self.i])

    def hex_escape(self, start: int) -> int:
        p = self.pat

        def bad() -> RegexpSyntaxError:
            return RegexpSyntaxError(ERR_INVALID_ESCAPE, p[start:self.i])

        if self.i >= len(p):
            raise bad()
        if p[self.i] == "{":
            self.i += 1
            n = 0
            digits = 0
            while self.i < len(p) and p[self.i] != "}":
                d = p[self.i]
                self.i += 1
                if d not in "0123456789abcdefABCDEF":
                    raise bad()
                n = n * 16 + int(d, 16)
                digits += 1
                if n > MAX_RUNE:
                    raise bad()
            if self.i >= len(p) or digits == 0:
                raise bad()
            self.i += 1
            return n
        two = p[self.i:self.i + 2]
        self.i += min(2, len(two))
        if len(two) < 2 or any(d not in "0123456789abcdefABCDEF" for d in two):
            raise bad()
        return int(two, 16)

    # -- character classes ------------------------------------------------------------

    def parse_class(self) -> tuple[Ranges, bool, list[str]]:
        p = self.pat
        start = self.i
        self.i += 1
        neg = self.i < len(p) and p[self.i] == "^"
        if neg:
            self.i += 1
        rs: Ranges = []
        extras: list[str] = []
        first = True
        while self.i < len(p) and (p[self.i] != "]" or first):
            if p[self.i] == "[" and p.startswith("[:", self.i):
                end = p.find(":]", self.i + 2)
                if end >= 0:
                    name = p[self.i + 2:end]
                    pneg = name.startswith("^")
                    cls = _POSIX.get(name[1:] if pneg else name)
                    if cls is None:
                        raise RegexpSyntaxError(ERR_INVALID_RANGE, p[self.i:end + 2])
                    rs += negate(cls) if pneg else cls
                    self.i = end + 2
                    first = False
                    continue
            if p[self.i] == "\\" and self.i + 1 < len(p):
                sub = self.class_escape()
                if isinstance(sub, str):
                    extras.append(sub)
                    first = False
                    continue
                if sub is not None:
                    rs += sub
                    first = False
                    continue
            range_start = self.i
            lo = self.class_char(start)
            hi = lo
            if p.startswith("-", self.i) and self.i + 1 < len(p) and p[self.i + 1] != "]":
                self.i += 1
                hi = self.class_char(start)
                if hi < lo:
                    raise RegexpSyntaxError(ERR_INVALID_RANGE, p[range_start:self.i])
            rs.append((lo, hi))
            first = False
        if self.i >= len(p):
            raise RegexpSyntaxError(ERR_MISSING_BRACKET, p[start:])
        self.i += 1
        return rs, neg, extras

    def class_char(self, class_start: int) -> int:
        p = self.pat
        if self.i >= len(p):
            raise RegexpSyntaxError(ERR_MISSING_BRACKET, p[class_start:])
        if p[self.i] == "\\":
            if self.i + 1 >= len(p):
                raise RegexpSyntaxError(ERR_TRAILING, "")
            return self.single_escape()
        self.i += 1
        return ord(p[self.i - 1])


def _regex_module() -> Any:
    try:
        import regex  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise RegexpSyntaxError(
            "Unicode script classes need the Python 'regex' package", "") from None
    return regex


def _script_class(name: str, neg: bool) -> str | None:
    """\\p{Greek}: Go knows Unicode scripts by their exact names; Python's re does not,
    so these patterns are compiled with the `regex` package.  None if not a script."""
    if not (name[:1].isupper() and all(c.isalnum() or c == "_" for c in name)):
        return None
    text = f"\\{'P' if neg else 'p'}{{Script={name}}}"
    mod = _regex_module()
    try:
        mod.compile(text)
    except mod.error:  # an unknown property name
        return None
    return text


class GoRegexp(Frozen):
    """A compiled Go regexp: the Python pattern and Go's capture-group names."""

    __slots__ = ("expr", "names", "rx")
    _fields = ("expr", "rx", "names")

    def __init__(self, expr: str, rx: Any, names: tuple[str, ...]) -> None:
        self.expr = expr
        self.rx = rx  # re.Pattern, or a regex.Pattern when script classes are used
        self.names = names


@lru_cache(maxsize=256)
def compile_go(expr: str) -> GoRegexp:
    """regexp.Compile: raises RegexpSyntaxError with Go's message."""
    tr = _Translator(expr)
    py = tr.translate()
    try:
        rx = _regex_module().compile(py) if tr.scripts else re.compile(py)
    except re.error as e:  # pragma: no cover - a translation gap
        raise RegexpSyntaxError("minihelm could not translate the pattern", f"{expr}: {e}") from e
    return GoRegexp(expr, rx, tuple(tr.names))
