"""Go regexp (RE2) pattern text -> a pattern compiled by Google's RE2, for funcs.regex and valuecheck.

Go's regexp and RE2 are one design: the same syntax, leftmost-first matching
in linear time, ASCII \\d \\s \\w \\b, `$` at the end of text only unless (?m),
simple case folding, repeat counts up to 1000.  So the Go pattern goes to RE2
as written (google-re2, Google's own bindings), and no pattern or input from
a chart's values can make a render backtrack for minutes.

What RE2 would not say as Go says it is checked here first: a pattern Go
rejects raises `RegexpSyntaxError` with Go's message, "error parsing regexp:
<code>: `<text>`" (regexp/syntax's error codes and the text they quote), and
RE2 never sees it.  The checker walks the pattern as regexp/syntax's parser
does but builds nothing.

Go's strings may hold bytes that are not UTF-8 (kept as lone surrogates,
see funcs._gostr); Go reads each as one U+FFFD rune.  RE2 takes UTF-8 only,
so each such character is swapped for a private-use one of its own while
matching; spans are in characters either way, so callers slice the text they
passed in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from minihelm.golang.gostr import is_escape
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
ERR_LARGE = "expression too large"


class RegexpSyntaxError(Exception):
    """regexp/syntax.Error: Go prints it as "error parsing regexp: CODE: `EXPR`"."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


MAX_RUNE = 0x10FFFF
MAX_REPEAT = 1000  # regexp/syntax's limit on {n,m}

_PERL_CLASSES = frozenset("dsw")
_POSIX_CLASSES = frozenset({
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
})
_CATEGORIES = frozenset({
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
    "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
    "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Any",
})
_HEX = frozenset("0123456789abcdefABCDEF")


def _options() -> Any:
    opts = re2.Options()
    opts.log_errors = False  # RE2 logs a refused pattern to stderr; ours never reach it
    return opts


_OPTIONS = _options()


@lru_cache(maxsize=512)
def _is_script(name: str) -> bool:
    """Whether RE2 knows \\p{name} as a Unicode script (Go knows the same names)."""
    if not (name[:1].isupper() and all(c.isascii() and (c.isalnum() or c == "_") for c in name)):
        return False
    try:
        re2.compile(f"\\p{{{name}}}", _OPTIONS)
    except re2.error:
        return False
    return True


class _Checker:
    """regexp/syntax's parse of a pattern, raising Go's errors; counts capture groups.

    regexp := alt ; alt := concat { '|' concat } ; concat := { repeat }
    repeat := atom [ ('*' | '+' | '?' | '{' n [ ',' [ m ] ] '}') [ '?' ] ]
    atom   := '(' [ '?' flags ( ':' alt | ')' ) | '?P<' name '>' alt | '?<' name '>' alt ] alt ')'
            | '[' class ']' | '\\' escape | '.' | '^' | '$' | char
    A repeat may not follow a repeat; `{` that does not open a count is a literal.

    Counted repeats nested in each other may not ask for more than MAX_REPEAT
    copies of the innermost thing (Go's repeatIsValid): each operand carries its
    `need`, the least limit under which its nested counts are valid.
    """

    def __init__(self, pat: str) -> None:
        self.pat = pat
        self.i = 0
        self.needs = [0]  # per open group: the largest need among its operands so far
        self.last_need = 0  # the need of the last operand
        self.can_repeat = False  # is there an operand to repeat?
        self.last_repeat = -1  # start of the previous repeat operator, if the last token was one

    @property
    def depth(self) -> int:
        return len(self.needs) - 1

    def operand(self, need: int = 0) -> None:
        self.can_repeat = True
        self.last_repeat = -1
        self.last_need = need
        self.needs[-1] = max(self.needs[-1], need)

    def check(self) -> None:
        p = self.pat
        bad = next((i for i, c in enumerate(p) if is_escape(c)), -1)
        if bad >= 0:  # Go checks the whole pattern's UTF-8 before parsing it
            raise RegexpSyntaxError(ERR_UTF8, p[bad:])
        while self.i < len(p):
            c = p[self.i]
            if c == "(":
                self.open_group()
            elif c == ")":
                if not self.depth:
                    raise RegexpSyntaxError(ERR_UNEXPECTED_PAREN, p)
                self.i += 1
                self.operand(self.needs.pop())
            elif c == "|":
                self.i += 1
                self.can_repeat, self.last_repeat = False, -1
            elif c in "*+?":
                self.repeat(1)
            elif c == "{" and (n := _count_len(p, self.i)):
                self.repeat(n)
            elif c == "[":
                self.parse_class()
                self.operand()
            elif c == "\\":
                self.escape()
            else:
                self.i += 1
                self.operand()  # a literal, '.', '^' or '$' (Go lets assertions repeat)
        if self.depth:
            raise RegexpSyntaxError(ERR_MISSING_PAREN, p)

    # -- groups -------------------------------------------------------------------

    def open_group(self) -> None:
        s = self.pat[self.i:]
        if not s.startswith("(?"):
            self.enter(1)
            return
        if (len(s) > 4 and s[2] == "P" and s[3] == "<") or (len(s) > 3 and s[2] == "<"):
            begin = 4 if s[2] == "P" else 3
            end = s.find(">")
            if end < 0:
                raise RegexpSyntaxError(ERR_NAMED, s)
            name = s[begin:end]
            if not name or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in name):
                raise RegexpSyntaxError(ERR_NAMED, s[: end + 1])
            self.enter(end + 1)
            return
        j, sign, saw = 2, 1, False
        while j < len(s):
            ch = s[j]
            j += 1
            if ch in "imsU":
                saw = True
            elif ch == "-" and sign > 0:
                sign, saw = -1, False
            elif ch in ":)" and (sign > 0 or saw):
                if ch == ":":
                    self.enter(j)
                else:
                    self.i += j  # flags for the rest of the group: the operand stays as it was
                return
            else:
                break
        raise RegexpSyntaxError(ERR_INVALID_PERL, s[:j])

    def enter(self, width: int) -> None:
        self.i += width
        self.needs.append(0)
        self.can_repeat, self.last_repeat = False, -1

    # -- repetition -------------------------------------------------------------------

    def repeat(self, oplen: int) -> None:
        p = self.pat
        start = self.i
        op = p[start:start + oplen]
        self.i += oplen
        if self.i < len(p) and p[self.i] == "?":
            self.i += 1
        if self.last_repeat >= 0:
            raise RegexpSyntaxError(ERR_NESTED_REPEAT, p[self.last_repeat:self.i])
        if not self.can_repeat:
            raise RegexpSyntaxError(ERR_MISSING_REPEAT, p[start:self.i])
        if op.startswith("{"):
            lo_text, comma, hi_text = op[1:-1].partition(",")
            lo = int(lo_text)
            hi = lo if not comma else (int(hi_text) if hi_text else -1)
            if lo > MAX_REPEAT or hi > MAX_REPEAT or (hi >= 0 and hi < lo):
                raise RegexpSyntaxError(ERR_REPEAT_SIZE, op)
            need = _repeat_need(lo, hi, self.last_need)
            if (lo >= 2 or hi >= 2) and need > MAX_REPEAT:
                raise RegexpSyntaxError(ERR_REPEAT_SIZE, p[start:self.i])
            self.operand(need)
        self.last_repeat = start

    # -- escapes ------------------------------------------------------------------------

    def escape(self) -> None:
        p = self.pat
        if self.i + 1 >= len(p):
            raise RegexpSyntaxError(ERR_TRAILING, "")
        c = p[self.i + 1]
        if c in "AzbB":
            self.i += 2
        elif c == "Q":
            end = p.find("\\E", self.i + 2)
            literal = p[self.i + 2:] if end < 0 else p[self.i + 2:end]
            self.i = len(p) if end < 0 else end + 2
            if not literal:
                return  # `\Q\E` is nothing: no operand for a repeat
        elif not self.class_escape():
            self.single_escape()
        self.operand()

    def class_escape(self) -> bool:
        """Skip \\d \\s \\w (and negations) or \\p{..}; False if the escape at i is not a class."""
        p = self.pat
        c = p[self.i + 1]
        if c.lower() in _PERL_CLASSES:
            self.i += 2
            return True
        if c not in "pP":
            return False
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
        name = name.removeprefix("^")
        if name not in _CATEGORIES and not _is_script(name):
            raise RegexpSyntaxError(ERR_INVALID_RANGE, p[start:self.i])
        return True

    def single_escape(self) -> int:
        """One escaped rune (regexp/syntax parseEscape); i is at the backslash."""
        p = self.pat
        start = self.i
        c = p[self.i + 1]
        self.i += 2
        if "1" <= c <= "7" and not (self.i < len(p) and "0" <= p[self.i] <= "7"):
            raise RegexpSyntaxError(ERR_INVALID_ESCAPE, p[start:self.i])  # a backreference
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
        """\\xHH or \\x{H...} (at most MAX_RUNE); i is after the x."""
        p = self.pat

        def bad() -> RegexpSyntaxError:
            return RegexpSyntaxError(ERR_INVALID_ESCAPE, p[start:self.i])

        if self.i >= len(p):
            raise bad()
        if p[self.i] == "{":
            self.i += 1
            n = digits = 0
            while self.i < len(p) and p[self.i] != "}":
                d = p[self.i]
                self.i += 1
                if d not in _HEX:
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
        if len(two) < 2 or any(d not in _HEX for d in two):
            raise bad()
        return int(two, 16)

    # -- character classes ------------------------------------------------------------

    def parse_class(self) -> None:
        """class := [ '^' ] item { item } ; item := '[:' name ':]' | escape | char [ '-' char ]
        (a ']' first in the class is a literal)."""
        p = self.pat
        start = self.i
        self.i += 1
        if self.i < len(p) and p[self.i] == "^":
            self.i += 1
        first = True
        while self.i < len(p) and (p[self.i] != "]" or first):
            first = False
            if p.startswith("[:", self.i):
                end = p.find(":]", self.i + 2)
                if end >= 0:
                    name = p[self.i + 2:end].removeprefix("^")
                    if name not in _POSIX_CLASSES:
                        raise RegexpSyntaxError(ERR_INVALID_RANGE, p[self.i:end + 2])
                    self.i = end + 2
                    continue
            if p[self.i] == "\\" and self.i + 1 < len(p) and self.class_escape():
                continue
            range_start = self.i
            lo = self.class_char(start)
            if p.startswith("-", self.i) and self.i + 1 < len(p) and p[self.i + 1] != "]":
                self.i += 1
                if self.class_char(start) < lo:
                    raise RegexpSyntaxError(ERR_INVALID_RANGE, p[range_start:self.i])
        if self.i >= len(p):
            raise RegexpSyntaxError(ERR_MISSING_BRACKET, p[start:])
        self.i += 1

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


def _repeat_need(lo: int, hi: int, inner: int) -> int:
    """The need of x{lo,hi} (hi -1: no upper bound) when x's own need is inner.

    Go checks a repeat of m copies (its max, else its min) against a limit n,
    then what it repeats against n // m; so m copies of a thing needing k need
    max(m, m * k), and x{0} needs nothing at all.
    """
    if hi == 0:
        return 0
    m = lo if hi < 0 else hi
    if m == 0:
        return inner
    return max(m, m * inner)


def _count_len(p: str, i: int) -> int:
    """Length of a repeat count `{n}`, `{n,}` or `{n,m}` at p[i], or 0 (then `{` is a literal)."""
    j = i + 1
    while j < len(p) and p[j].isascii() and p[j].isdigit():
        j += 1
    if j == i + 1:
        return 0
    if j < len(p) and p[j] == ",":
        j += 1
        while j < len(p) and p[j].isascii() and p[j].isdigit():
            j += 1
    return j + 1 - i if j < len(p) and p[j] == "}" else 0


# Lone surrogates (bytes that are not UTF-8) <-> private-use characters while RE2 matches.
_TO_PRIVATE = {cp: 0xF0000 + cp - 0xDC80 for cp in range(0xDC80, 0xDD00)}


class Matcher:
    """RE2 behind the few `re.Pattern` calls the regex functions make: search and groups."""

    __slots__ = ("groups", "rx")

    def __init__(self, rx: Any) -> None:
        self.rx = rx
        self.groups: int = rx.groups

    def search(self, text: str, pos: int = 0) -> Any:
        """The leftmost-first match starting at or after pos (`^` still means position 0)."""
        try:
            return self.rx.search(text, pos)
        except UnicodeEncodeError:  # lone surrogates: Go's invalid bytes, one rune each
            return self.rx.search(text.translate(_TO_PRIVATE), pos)


class GoRegexp(Frozen):
    """A compiled Go regexp: the matcher and Go's capture-group names (index 0 is "")."""

    __slots__ = ("expr", "names", "rx")
    _fields = ("expr", "rx", "names")

    def __init__(self, expr: str, rx: Matcher, names: tuple[str, ...]) -> None:
        self.expr = expr
        self.rx = rx
        self.names = names


@lru_cache(maxsize=256)
def compile_go(expr: str) -> GoRegexp:
    """regexp.Compile: raises RegexpSyntaxError with Go's message."""
    _Checker(expr).check()
    try:
        rx = re2.compile(expr, _OPTIONS)
    except re2.error:  # e.g. a program past RE2's memory budget; Go's limit is ErrLarge
        raise RegexpSyntaxError(ERR_LARGE, expr) from None
    names = [""] * (rx.groups + 1)
    for name, index in rx.groupindex.items():
        names[index] = name
    return GoRegexp(expr, Matcher(rx), tuple(names))
