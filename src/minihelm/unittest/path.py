"""Assertion `path` text -> a compiled JSONPath -> the values it finds in a decoded manifest.

helm-unittest hands `path` to vmware-labs/yaml-jsonpath, so that is the
dialect: `metadata.name`, `a["key.with.dots"]`, `a['x', 'y']`, `a[0]`,
`a[-1]`, `a[1:3]`, `a[*]`, `.*`, `..name`, `a~` (the key itself) and
filters `[?(@.name == "x" && @.port > 80)]`.  The module also holds
helm-unittest's `set:` key grammar (BuildValueOfSetPath), which is not
JSONPath.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from ..errors import ChartTestError, GoFuncError

Matcher = Callable[[Any, Any], Iterator[Any]]  # (value, root) -> found values
_STOP_DOTTED = set(".[)] &|=!><~")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class Key(str):
    """A map key found by the `~` operator."""


class JSONPath:
    """A parsed path: a chain of matchers applied left to right."""

    __slots__ = ("matchers", "text")

    def __init__(self, text: str, matchers: list[Matcher]) -> None:
        self.text, self.matchers = text, matchers

    def find(self, doc: Any, root: Any = None) -> list[Any]:
        root = doc if root is None else root
        found = [doc]
        for m in self.matchers:
            found = [v for x in found for v in m(x, root)]
            if not found:
                break
        return found


_CACHE: dict[str, JSONPath] = {}


def compile_path(text: str) -> JSONPath:
    """Parse a path (cached by text).

    Grammar (yaml-jsonpath)::

        path     := "" | "$" sub | name? sub         (a leading child needs no dot)
        sub      := ( "." name | ".*" | ".." (name | bracket) | bracket )* "~"?
        bracket  := "[" quoted ("," quoted)* "]" | "[*]" | "[" union "]" | "[?(" expr ")]"
        union    := index ("," index)* ;  index := int | int? ":" int? (":" int)?
        expr     := and ("||" and)* ;    and := unary ("&&" unary)*
        unary    := "!" unary | "(" expr ")" | term (op term | "=~" /regex/)?
        term     := "@" sub | "$" sub | number | 'str' | "str" | true | false | null
    """
    got = _CACHE.get(text)
    if got is None:
        got = _CACHE[text] = JSONPath(text, _Parser(text).path())
    return got


def find(doc: Any, text: str) -> list[Any]:
    """helm-unittest's GetValueOfSetPath: every value `text` selects ([doc] for "")."""
    if text == "":
        return [doc]
    return compile_path(text).find(doc)


# --- matchers --------------------------------------------------------------------------


def _child(names: list[str]) -> Matcher:
    def m(v: Any, root: Any) -> Iterator[Any]:
        if isinstance(v, dict):
            for n in names:
                if n in v:
                    yield v[n]
    return m


def _child_key(names: list[str]) -> Matcher:
    def m(v: Any, root: Any) -> Iterator[Any]:
        if isinstance(v, dict):
            for n in names:
                if n in v:
                    yield Key(n)
    return m


def _all_children(v: Any, root: Any) -> Iterator[Any]:
    if isinstance(v, dict):
        yield from v.values()
    elif isinstance(v, list):
        yield from v


def _all_keys(v: Any, root: Any) -> Iterator[Any]:
    if isinstance(v, dict):
        yield from (Key(k) for k in v)


def _descendants(v: Any) -> Iterator[Any]:
    yield v
    if isinstance(v, dict):
        for x in v.values():
            yield from _descendants(x)
    elif isinstance(v, list):
        for x in v:
            yield from _descendants(x)


def _recursive(then: Matcher) -> Matcher:
    def m(v: Any, root: Any) -> Iterator[Any]:
        for d in _descendants(v):
            yield from then(d, root)
    return m


def _indices(parts: list[tuple[int | None, ...]]) -> Matcher:
    def m(v: Any, root: Any) -> Iterator[Any]:
        if not isinstance(v, list):
            return
        n = len(v)
        for p in parts:
            if len(p) == 1:
                i = p[0]
                assert i is not None
                if -n <= i < n:
                    yield v[i]
                continue
            start, end, step = p
            yield from v[slice(start, end, step)]
    return m


def _filter(pred: Callable[[Any, Any], bool]) -> Matcher:
    # yaml-jsonpath filters a sequence's items, and any other node as itself
    # (so `$[?(@.kind == "Pod")]` selects a whole document).
    def m(v: Any, root: Any) -> Iterator[Any]:
        if isinstance(v, list):
            for x in v:
                if pred(x, root):
                    yield x
        elif pred(v, root):
            yield v
    return m


# --- typed comparison (yaml-jsonpath's comparison.go) ------------------------------------

_STR, _NUM, _BOOL, _NULL, _OTHER = range(5)


def _kind(v: Any) -> tuple[int, Any]:
    if isinstance(v, bool):
        return _BOOL, v
    if isinstance(v, (int, float)):
        return _NUM, float(v)
    if isinstance(v, str):
        return _STR, str(v)
    if v is None:
        return _NULL, None
    return _OTHER, None


def _ordered(op: str, a: Any, b: Any) -> bool:
    if op == "==":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    if op == ">":
        return bool(a > b)
    if op == ">=":
        return bool(a >= b)
    if op == "<":
        return bool(a < b)
    return bool(a <= b)


def _accept(op: str, left: Any, right: Any) -> bool:
    lk, lv = _kind(left)
    rk, rv = _kind(right)
    if lk != rk or lk == _OTHER:
        return op == "!="  # incomparable: only "not equal" holds
    if lk in (_BOOL, _NULL):
        same = lv == rv
        return same if op == "==" else (not same if op == "!=" else False)
    return _ordered(op, lv, rv)


# --- the parser ------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.s, self.i = text, 0

    def fail(self, msg: str) -> ChartTestError:
        return ChartTestError(f"{msg} at position {self.i}, following {self.s[:self.i]!r}")

    def peek(self, k: str) -> bool:
        return self.s.startswith(k, self.i)

    def eat(self, k: str) -> bool:
        if self.s.startswith(k, self.i):
            self.i += len(k)
            return True
        return False

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def path(self) -> list[Matcher]:
        out: list[Matcher] = []
        if self.eat("$"):
            pass
        elif self.i < len(self.s) and not self.peek("[") and not self.peek("."):
            self._named(out, leading=True)
        self.subpath(out, top=True)
        if self.i != len(self.s):
            raise self.fail("invalid path syntax")
        return out

    def _name(self, leading: bool = False) -> str:
        start = self.i
        stop = _STOP_DOTTED if not leading else _STOP_DOTTED | {"]"}
        while self.i < len(self.s) and self.s[self.i] not in stop:
            self.i += 1
        if self.i == start:
            raise self.fail("child name missing")
        return self.s[start:self.i]

    def _named(self, out: list[Matcher], leading: bool = False) -> None:
        name = self._name(leading)
        if name == "*":
            out.append(_all_keys if self.eat("~") else _all_children)
        elif self.eat("~"):
            out.append(_child_key([name]))
        else:
            out.append(_child([name]))

    def subpath(self, out: list[Matcher], top: bool = False) -> None:
        while self.i < len(self.s):
            if self.eat(".."):
                inner: list[Matcher] = []
                if self.peek("["):
                    self.bracket(inner)
                elif self.eat("*"):
                    inner.append(_all_children)
                else:
                    inner.append(_child([self._name()]))
                out.append(_recursive(inner[0]))
            elif self.eat("."):
                self._named(out)
            elif self.peek("["):
                self.bracket(out)
            elif not top:
                return
            else:
                raise self.fail("invalid path syntax")

    def bracket(self, out: list[Matcher]) -> None:
        self.eat("[")
        self.ws()
        if self.peek("'") or self.peek('"'):
            names = [self.quoted()]
            self.ws()
            while self.eat(","):
                self.ws()
                if not (self.peek("'") or self.peek('"')):
                    raise self.fail("missing \"'\" or '\"'")
                names.append(self.quoted())
                self.ws()
            if not self.eat("]"):
                raise self.fail('missing "]" or ","')
            out.append(_child_key(names) if self.eat("~") else _child(names))
            return
        if self.eat("?("):
            pred = self.expr()
            self.ws()
            if not self.eat(")") or not self.eat("]"):
                raise self.fail("missing end of filter")
            out.append(_filter(pred))
            return
        end = self.s.find("]", self.i)
        if end < 0:
            raise self.fail('unmatched "["')
        body, self.i = self.s[self.i:end].strip(), end + 1
        if body == "*":
            out.append(_all_keys if self.eat("~") else _all_children_of_list)
            return
        if not body:
            raise ChartTestError(f'subscript missing from [] before position {self.i}')
        out.append(_indices([self._index(p.strip(), body) for p in body.split(",")]))

    def _index(self, part: str, body: str) -> tuple[int | None, ...]:
        try:
            if ":" not in part:
                return (int(part),)
            bits = part.split(":")
            if len(bits) > 3:
                raise ValueError
            nums = [int(b) if b.strip() else None for b in bits] + [None] * (3 - len(bits))
            if nums[2] == 0:
                raise ValueError
            return tuple(nums)
        except ValueError:
            raise ChartTestError(f"invalid array index [{body}] before position {self.i}") from None

    def quoted(self) -> str:
        q = self.s[self.i]
        self.i += 1
        out = []
        while True:
            if self.i >= len(self.s):
                raise self.fail(f"unmatched {q}")
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s) and self.s[self.i + 1] in (q, "\\"):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if c == q:
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1

    # filter expressions -> predicates (node, root) -> bool

    def expr(self) -> Callable[[Any, Any], bool]:
        left = self.conj()
        self.ws()
        while self.eat("||"):
            right = self.conj()
            left = _either(left, right)
            self.ws()
        return left

    def conj(self) -> Callable[[Any, Any], bool]:
        left = self.unary()
        self.ws()
        while self.eat("&&"):
            right = self.unary()
            left = _both(left, right)
            self.ws()
        return left

    def unary(self) -> Callable[[Any, Any], bool]:
        self.ws()
        if self.eat("!") and not self.peek("="):
            inner = self.unary()
            return lambda n, r: not inner(n, r)
        if self.eat("("):
            inner = self.expr()
            self.ws()
            if not self.eat(")"):
                raise self.fail("missing ')'")
            return inner
        left, is_path = self.term()
        self.ws()
        for op in ("==", "!=", ">=", "<=", "=~", ">", "<"):
            if self.eat(op):
                break
        else:
            if is_path:
                return lambda n, r: bool(left(n, r))
            lit = left(None, None)
            if lit in ([True], [False]):
                return lambda n, r: bool(lit[0])
            raise self.fail("invalid filter expression")
        self.ws()
        if op == "=~":
            return self._regex(left)
        right, _ = self.term()

        def compare(n: Any, r: Any) -> bool:
            match = False
            for a in left(n, r):
                for b in right(n, r):
                    if not _accept(op, a, b):
                        return False
                    match = True
            return match
        return compare

    def _regex(self, left: Callable[[Any, Any], list[Any]]) -> Callable[[Any, Any], bool]:
        if not self.eat("/"):
            raise self.fail("regular expression does not start with /")
        start = self.i
        while self.i < len(self.s) and self.s[self.i] != "/":
            self.i += 2 if self.s[self.i] == "\\" else 1
        if self.i >= len(self.s):
            raise self.fail("unmatched regular expression delimiter /")
        try:
            rx = go_regex(self.s[start:self.i].replace("\\/", "/"))
        except ChartTestError as e:
            raise self.fail(f"invalid regular expression: {e.message}") from None
        self.i += 1
        return lambda n, r: any(isinstance(v, str) and rx.search(v) for v in left(n, r))

    def term(self) -> tuple[Callable[[Any, Any], list[Any]], bool]:
        self.ws()
        for lead in ("@", "$"):
            if self.eat(lead):
                sub: list[Matcher] = []
                self.subpath(sub)
                path = JSONPath(lead, sub)
                if lead == "@":
                    return (lambda n, r, p=path: p.find(n, r)), True
                return (lambda n, r, p=path: p.find(r, r)), True
        if self.peek("'") or self.peek('"'):
            s = self.quoted()
            return (lambda n, r: [s]), False
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.eat(word):
                return (lambda n, r, v=val: [v]), False
        m = _NUMBER.match(self.s, self.i)
        if m:
            self.i = m.end()
            text = m.group()
            num: float | int = float(text) if any(c in text for c in ".eE") else int(text)
            return (lambda n, r: [num]), False
        raise self.fail("invalid filter term")


Pred = Callable[[Any, Any], bool]


def _either(a: Pred, b: Pred) -> Pred:
    return lambda n, r: a(n, r) or b(n, r)


def _both(a: Pred, b: Pred) -> Pred:
    return lambda n, r: a(n, r) and b(n, r)


class Searcher(Protocol):
    """What a compiled Go regexp offers the assertions: a leftmost-first search."""

    def search(self, text: str, pos: int = 0) -> Any: ...


def go_regex(pattern: str) -> Searcher:
    """Go's regexp.Compile: a Python pattern with RE2's meaning, or ChartTestError with Go's text."""
    # deferred: only go_regex() needs it, and it brings re2
    from ..funcs.regex import go_compile

    try:
        return go_compile(pattern).rx
    except GoFuncError as e:
        raise ChartTestError(str(e)) from None


def _all_children_of_list(v: Any, root: Any) -> Iterator[Any]:
    if isinstance(v, list):
        yield from v
    elif isinstance(v, dict):
        yield from v.values()


# --- helm-unittest's `set:` keys ------------------------------------------------------------


def build_set_value(path: str, value: Any) -> dict[str, Any]:
    """BuildValueOfSetPath: `a.b[1].c` (or `a[some.dotted.key]`) and a value -> nested maps.

    Grammar::

        path  := key ( "." key | "[" int "]" | "[" escaped "]" )*
        key   := any runes but . [ ] , { } =
        escaped := key ("." key)*          (brackets right after a dot keep dots in the key)
    """
    if path == "":
        raise ChartTestError("set path is empty")
    cursors: list[str | int] = []
    i, n = 0, len(path)
    state = "key"
    while True:
        j = i
        while j < n and path[j] not in ".[],{}=":
            j += 1
        tok, last = path[i:j], (path[j] if j < n else "")
        if last in (",", "{", "}", "="):
            raise ChartTestError(f"invalid token found {last}")
        if last == "":
            if tok and state == "key":
                cursors.append(tok)
                break
            if not tok and state == "denotation":
                break
            raise ChartTestError("unexpected end of")
        i = j + 1
        if state == "index":
            if last != "]":
                raise ChartTestError("missing index value")
            try:
                cursors.append(int(tok))
            except ValueError:
                raise ChartTestError(f'strconv.Atoi: parsing "{tok}": invalid syntax') from None
            state = "denotation"
        elif state == "denotation":
            if last not in ".[":
                raise ChartTestError(f"invalid denotation token {last}")
            state = "key" if last == "." else "index"
        elif state == "key":
            if last == "." :
                cursors.append(tok)
            elif last == "[" and not tok:
                state, buf = "escaping", ""
                continue
            elif last == "[":
                cursors.append(tok)
                state = "index"
                continue
            else:
                raise ChartTestError(f"invalid key {last}")
        else:  # escaping
            if last == ".":
                buf += tok + "."
                continue
            if last != "]":
                raise ChartTestError(f"invalid escaping token {last}")
            cursors.append(buf + tok)
            state = "denotation"
    return _nest(cursors, value)


def _nest(cursors: list[str | int], value: Any) -> dict[str, Any]:
    top: dict[str, Any] = {}
    cur: Any = top
    for depth, c in enumerate(cursors):
        if depth == len(cursors) - 1:
            nxt = value
        else:
            after = cursors[depth + 1]
            nxt = [None] * (after + 1) if isinstance(after, int) else {}
        if isinstance(c, str):
            cur[c] = nxt
        else:
            if c < 0 or not isinstance(cur, list):
                raise ChartTestError(f"index out of range [{c}]")
            cur[c] = nxt
        cur = nxt
    return top
