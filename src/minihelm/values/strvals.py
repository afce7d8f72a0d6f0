"""--set / --set-string / --set-json / --set-file / --set-literal text -> nested values for the values merge.

Mirrors helm v4 pkg/strvals (parser.go, literal_parser.go) behaviour, including
its quirks: partial results kept when the input simply runs out, Go's
"interface conversion" panics turned into errors, int64 typing of --set
numbers, and a JSON decoder that stops right after one value.

Helm's parser is recursive; this one keeps an explicit stack so that any input
(``a[0][0]...`` thousands deep, which Go happily accepts) finishes without
Python recursion limits.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from minihelm._core.maps import merge_maps
from minihelm._core.recorder import recorder
from minihelm.errors import SetParseError
from minihelm.golang.gotypes import Int64, go_type_name
from minihelm.values.setjson import decode_json_prefix, json_whole_object

MAX_INDEX = 65536  # strvals.MaxIndex
MAX_NESTED_NAME_LEVEL = 30  # strvals.MaxNestedNameLevel
PADDING_ENV = "MINIHELM_MAX_SET_PADDING"
DEFAULT_MAX_PADDING = 1 << 20  # ours: null slots all --set flags of one command may add

# What is left of the padding allowance of the current merge (None: unbounded, as helm).
_padding_left: ContextVar[list[int] | None] = ContextVar("_padding_left", default=None)


@contextlib.contextmanager
def padding_budget(cells: int | None = None) -> Iterator[None]:
    """Bound the null padding every --set parsed inside the block may add in total.

    Each `a[65536]=x` adds 65536 nulls; a thousand of them in one short flag would
    need gigabytes (helm has no bound).  Default: $MINIHELM_MAX_SET_PADDING or 1 Mi.
    """
    if cells is None:
        raw = os.environ.get(PADDING_ENV, "").strip()
        cells = int(raw) if raw.isdigit() else DEFAULT_MAX_PADDING
    token = _padding_left.set([cells])
    try:
        yield
    finally:
        _padding_left.reset(token)

Reader = Callable[[str], Any]

__all__ = [
    "MAX_INDEX",
    "MAX_NESTED_NAME_LEVEL",
    "go_trim_space",
    "padding_budget",
    "parse_set",
    "parse_set_file",
    "parse_set_json",
    "parse_set_literal",
    "parse_set_string",
]


# --- small pieces of Go ------------------------------------------------------

# unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property.
_GO_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _is_space(ch: str) -> bool:
    return ch in _GO_SPACES


def go_trim_space(s: str) -> str:
    """strings.TrimSpace (Python's strip() also removes \\x1c-\\x1f, Go's does not)."""
    start, end = 0, len(s)
    while start < end and s[start] in _GO_SPACES:
        start += 1
    while end > start and s[end - 1] in _GO_SPACES:
        end -= 1
    return s[start:end]


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _quote_char(ch: str, quote: str) -> str:
    if ch == quote or ch == "\\":
        return "\\" + ch
    if ch.isprintable():
        return ch
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    cp = ord(ch)
    if cp < 0x80:
        return f"\\x{cp:02x}"
    if 0xD800 <= cp <= 0xDFFF:  # not valid UTF-8: Go sees U+FFFD
        return "\ufffd"
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _go_q(s: str) -> str:
    """fmt's %q of a string (strconv.Quote)."""
    return '"' + "".join(_quote_char(c, '"') for c in s) + '"'


def _go_q_runes(rs: str) -> str:
    """fmt's %q of a []rune: each rune as a Go rune literal, space separated."""
    return "[" + " ".join("'" + _quote_char(c, "'") + "'" for c in rs) + "]"


def _equal_fold(s: str, word: str) -> bool:
    """strings.EqualFold against a lowercase ASCII word (simple folding: 'ſ' folds to 's')."""
    if len(s) != len(word):
        return False
    for c, w in zip(s, word):
        if c != w and not (c.isascii() and c.lower() == w) and not (c == "\u017f" and w == "s"):
            return False
    return True


_MAX_U64 = (1 << 64) - 1


def _parse_int64(s: str) -> tuple[int | None, str]:
    """strconv.ParseInt(s, 10, 64): (value, "") or (None, "invalid syntax"/"value out of range")."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body:
        return None, "invalid syntax"
    n = 0
    for c in body:
        if not ("0" <= c <= "9"):
            return None, "invalid syntax"
        n = n * 10 + ord(c) - 48
        if n > _MAX_U64:  # ParseUint stops at the first overflow
            return None, "value out of range"
    if s[0] == "-":
        return (-n, "") if n <= 1 << 63 else (None, "value out of range")
    return (n, "") if n < 1 << 63 else (None, "value out of range")


def typed_val(v: str, as_string: bool) -> Any:
    """strvals.typedVal: true/false/null (any case) and int64 literals; else the string."""
    if as_string:
        return v
    if _equal_fold(v, "true"):
        return True
    if _equal_fold(v, "false"):
        return False
    if _equal_fold(v, "null"):
        return None
    if v == "0":
        return Int64(0)
    if v and v[0] != "0":
        n, _ = _parse_int64(v)
        if n is not None:
            return Int64(n)
    return v


def _assert_type_name(v: Any) -> str:
    """The dynamic type Go's panic message names in `interface {} is X, not Y`."""
    return "nil" if v is None else go_type_name(v)


# --- errors -------------------------------------------------------------------


class _Fail(Exception):
    """A Go error inside the parser; `eof` is errors.Is(err, io.EOF)."""

    def __init__(self, message: str, pos: int, eof: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.eof = eof


class _Panic(Exception):
    """A Go runtime panic (failed type assertion), recovered by the nearest key()."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def _conversion_panic(v: Any, want: str, pos: int) -> _Panic:
    return _Panic(f"interface conversion: interface {{}} is {_assert_type_name(v)}, not {want}", pos)


_LIST_T = "[]interface {}"
_MAP_T = "map[string]interface {}"


# --- the parser ---------------------------------------------------------------

_KEY_STOP = frozenset("=[,.")
_LITERAL_KEY_STOP = frozenset("=[.")
_ITEM_STOP = frozenset("[.=")
_INDEX_STOP = frozenset("]")
_VAL_STOP = frozenset(",")
_LIST_STOP = frozenset(",}")

# A step result: (value, error). Lists travel as the value of listItem steps.
_Result = tuple[Any, "_Fail | None"]


class _Task(tuple):  # type: ignore[type-arg]
    """A call to descend into: ("key", data, level) or ("item", list, index, level, pos)."""

    __slots__ = ()

    def __new__(cls, *parts: Any) -> _Task:  # noqa: PYI034
        return super().__new__(cls, parts)


def _set(data: dict[str, Any], key: str, val: Any) -> None:
    if key != "":  # strvals.set ignores empty keys
        data[key] = val


class _Parser:
    """One strvals parse over `text` into `data`.

    mode: "typed" (--set), "string" (--set-string), "file" (--set-file),
    "json" (--set-json) or "literal" (--set-literal).
    """

    def __init__(self, text: str, data: dict[str, Any], mode: str, read: Reader | None = None):
        self.s = text
        self.i = 0
        self.data = data
        self.mode = mode
        self.read = read
        self.literal = mode == "literal"

    # -- scanning --

    def _runes_until(self, stop: frozenset[str]) -> tuple[str, str | None]:
        """Read up to a stop rune (consumed); backslash escapes the next rune unless literal.

        Returns (text, stop rune) or (text, None) at end of input.
        """
        s, n = self.s, len(self.s)
        buf: list[str] = []
        while self.i < n:
            c = s[self.i]
            self.i += 1
            if c in stop:
                return "".join(buf), c
            if c == "\\" and not self.literal:
                if self.i >= n:
                    break
                c = s[self.i]
                self.i += 1
            buf.append(c)
        return "".join(buf), None

    def _eof(self) -> _Fail:
        return _Fail("EOF", self.i, eof=True)

    def _key_index(self) -> int:
        """The number inside `[...]`; errors come wrapped as helm's "error parsing index"."""
        start = self.i
        text, last = self._runes_until(_INDEX_STOP)
        if last is None:
            raise _Fail("error parsing index: EOF", self.i, eof=True)
        n, why = _parse_int64(text)
        if n is None:
            raise _Fail(
                f"error parsing index: strconv.Atoi: parsing {_go_q(text)}: {why}", start
            )
        return n

    def _empty_val(self) -> bool:
        """Skip spaces; True (and consume it) at a comma or the end, else leave the rune."""
        while self.i < len(self.s):
            c = self.s[self.i]
            self.i += 1
            if c == ",":
                return True
            if not _is_space(c):
                self.i -= 1
                return False
        return True

    def _convert(self, raw: str, pos: int) -> Any:
        if self.mode == "file":
            assert self.read is not None
            try:
                return self.read(raw)
            except Exception as e:  # noqa: BLE001  (any reader failure is helm's message)
                raise _Fail(getattr(e, "message", None) or str(e), pos) from None
        return typed_val(raw, self.mode == "string")

    def _val_list(self) -> list[Any] | None:
        """`{a,b}` after `=`: the list, or None when the value is not a list. At the end: EOF."""
        if self.i >= len(self.s):
            raise self._eof()
        if self.s[self.i] != "{":
            return None
        self.i += 1
        out: list[Any] = []
        while True:
            pos = self.i
            text, last = self._runes_until(_LIST_STOP)
            if last is None:
                raise _Fail("list must terminate with '}'", self.i)
            if last == "}":
                if self.i < len(self.s) and self.s[self.i] == ",":
                    self.i += 1
                out.append(self._convert(text, pos))
                return out
            out.append(self._convert(text, pos))

    def _value(self) -> Any:
        """The value after `=` (not --set-json); an empty remainder is EOF."""
        if self.literal:
            rest = self.s[self.i :]
            self.i = len(self.s)
            return rest
        vl = self._val_list()
        if vl is not None:
            return vl
        pos = self.i
        text, _ = self._runes_until(_VAL_STOP)
        return self._convert(text, pos)

    def _json_value(self) -> Any:
        if self._empty_val():
            return None
        try:
            value, end = decode_json_prefix(self.s, self.i)
        except ValueError as e:
            raise _Fail(str(e), self.i) from None
        self.i = end
        self._empty_val()
        return value

    # -- key() and listItem() as steps over an explicit stack --

    def _key_step(self, data: dict[str, Any], level: int, stack: list[tuple[Any, ...]]) -> Any:
        """One key(): either a finished _Result or a ("key"|"item", ...) task to descend into."""
        start = self.i
        k, last = self._runes_until(_LITERAL_KEY_STOP if self.literal else _KEY_STOP)
        if last is None:
            if not k:
                raise self._eof()
            raise _Fail(f"key {_go_q(k)} has no value", start)
        if last == "[":
            idx_pos = self.i
            i = self._key_index()
            lst: list[Any] = []
            if k in data:
                if not isinstance(data[k], list):
                    raise _conversion_panic(data[k], _LIST_T, start)
                lst = data[k]
            stack.append(("keylist", data, k, lst))
            return _Task("item", lst, i, level, idx_pos)
        if last == "=":
            if self.mode == "json":
                _set(data, k, self._json_value())
                return (None, None)
            try:
                _set(data, k, self._value())
            except _Fail as e:
                if e.eof:  # `a=` at the end: helm still sets ""
                    _set(data, k, "")
                raise
            return (None, None)
        if last == ",":
            _set(data, k, "")
            raise _Fail(f"key {_go_q(k)} has no value (cannot end with ,)", start)
        # last == "."
        level += 1
        if level > MAX_NESTED_NAME_LEVEL:
            raise _Fail(
                "value name nested level is greater than maximum supported nested level of "
                f"{MAX_NESTED_NAME_LEVEL}",
                start,
            )
        inner: dict[str, Any] = {}
        if k in data:
            if not isinstance(data[k], dict):
                raise _conversion_panic(data[k], _MAP_T, start)
            inner = data[k]
        stack.append(("dot", data, k, inner, start))
        return _Task("key", inner, level)

    def _item_step(
        self, lst: list[Any], i: int, level: int, pos: int, stack: list[tuple[Any, ...]]
    ) -> Any:
        """One listItem(lst, i): a finished _Result or a task to descend into."""
        if i < 0:
            raise _Fail(f"negative {i} index not allowed", pos)
        start = self.i
        k, last = self._runes_until(_ITEM_STOP)
        if k:
            raise _Fail(f"unexpected data at end of array index: {_go_q_runes(k)}", start)
        if last is None:
            raise self._eof()
        if last == "=":
            if self.mode == "json":
                value = self._json_value()
            else:
                try:
                    value = self._value()
                except _Fail as e:
                    if not e.eof:
                        raise
                    value = ""
            return _set_index(lst, i, value, pos)
        if last == "[":
            idx_pos = self.i
            nxt = self._key_index()
            crt: list[Any] = []
            if len(lst) > i and lst[i] is not None:
                if not isinstance(lst[i], list):
                    raise _conversion_panic(lst[i], _LIST_T, start)
                crt = lst[i]
            stack.append(("nested", lst, i, pos))
            return _Task("item", crt, nxt, level, idx_pos)
        # last == "."
        inner: dict[str, Any] = {}
        if len(lst) > i:
            if not isinstance(lst[i], dict):
                lst[i] = {}  # helm: "indices out of order", start this element afresh
            inner = lst[i]
        stack.append(("ldot", lst, i, inner, pos))
        return _Task("key", inner, level)

    def _one_key(self) -> _Fail | None:
        """One top-level key(self.data, 0); returns its error (None when a value was set)."""
        stack: list[tuple[Any, ...]] = []
        task = _Task("key", self.data, 0)
        while True:
            try:
                if task[0] == "key":
                    stack.append(("boundary",))
                    out = self._key_step(task[1], task[2], stack)
                else:
                    out = self._item_step(task[1], task[2], task[3], task[4], stack)
            except _Fail as e:
                out = (task[1] if task[0] == "item" else None, e)
            except _Panic as p:
                # recover() in the nearest key(): drop everything that key() had pending
                while stack.pop()[0] != "boundary":
                    pass
                out = (None, _Fail(f"unable to parse key: {p.message}", p.pos))
            if isinstance(out, _Task):
                task = out
                continue
            return _unwind(stack, out)[1]

    def parse(self) -> None:
        while True:
            err = self._one_key()
            if err is None:
                continue
            if err.eof:
                return
            raise err


def _set_index(lst: list[Any], idx: int, val: Any, pos: int) -> _Result:
    """strvals.setIndex: grows (as a new list) with nils; bounded by MAX_INDEX."""
    if idx < 0:
        return lst, _Fail(f"negative {idx} index not allowed", pos)
    if idx > MAX_INDEX:
        return lst, _Fail(
            f"index of {idx} is greater than maximum supported index of {MAX_INDEX}", pos
        )
    if len(lst) <= idx:
        left = _padding_left.get()
        if left is not None:
            left[0] -= idx + 1 - len(lst)
            if left[0] < 0:
                return lst, _Fail(
                    f"index of {idx} pads lists past minihelm's limit of "
                    f"{_limit_text()} null items (raise {PADDING_ENV} to allow it)", pos)
        lst = lst + [None] * (idx + 1 - len(lst))
    lst[idx] = val
    return lst, None


def _limit_text() -> str:
    raw = os.environ.get(PADDING_ENV, "").strip()
    return raw if raw.isdigit() else str(DEFAULT_MAX_PADDING)


def _unwind(stack: list[tuple[Any, ...]], result: _Result) -> _Result:
    """Return through the pending key()/listItem() frames, as the Go recursion would."""
    while stack:
        frame = stack.pop()
        kind = frame[0]
        value, err = result
        if kind == "boundary":
            continue
        if kind == "keylist":
            _, data, k, lst = frame
            _set(data, k, lst if err else value)
            result = (None, err)
        elif kind == "dot":
            _, data, k, inner, pos = frame
            if err is None and not inner:
                err = _Fail(f"key map {_go_q(k)} has no value", pos)
            if inner:
                _set(data, k, inner)
            result = (None, err)
        else:  # "nested" / "ldot": the element built below goes in at index i
            lst, i, pos = frame[1], frame[2], frame[-1]
            if err is not None:
                result = (lst, err)
            else:
                result = _set_index(lst, i, value if kind == "nested" else frame[3], pos)
    return result


# --- public API ---------------------------------------------------------------


def _caret(expr: str, pos: int) -> str:
    """The expression's line holding `pos` and a caret under that position."""
    pos = max(0, min(pos, len(expr)))
    line_start = expr.rfind("\n", 0, pos) + 1
    line_end = expr.find("\n", pos)
    line = expr[line_start : line_end if line_end >= 0 else len(expr)]
    return f"{line}\n{' ' * (pos - line_start)}^"


def _run(expr: str, into: dict[str, Any] | None, mode: str, flag: str, read: Reader | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {} if into is None else into
    try:
        _Parser(expr, data, mode, read).parse()
    except _Fail as e:
        if mode == "json":  # helm drops the decoder's error and shows the input
            head = f"failed parsing --set-json data {expr}"
        else:
            head = f"failed parsing {flag} data: {e.message}"
        raise SetParseError(f"{head}\n{_caret(expr, e.pos)}") from None
    return data


def parse_set(expr: str, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """--set: typed values merged into `into` (modified in place) and returned.

    Grammar (helm strvals)::

        line   := ( key )*                      parsing stops quietly at the end
        key    := NAME ( "=" value | "." key | "[" INDEX "]" item )
        item   := "=" value | "." key | "[" INDEX "]" item
        value  := "{" [ VAL ( "," VAL )* ] "}" [","] | VAL [","]
        NAME   := runes up to = [ , .      VAL := runes up to , (or , } in a list)
        INDEX  := Go strconv.Atoi text up to ]

    A backslash takes the next rune literally (``\\,`` ``\\.`` ``\\=``). VALs are
    typed: true/false/null in any case, int64 integers not starting with 0
    (and "0" itself); everything else is a string. List indices pad with
    null, at most 65536; names nest at most 30 levels.
    """
    return _run(expr, into, "typed", "--set")


def parse_set_string(expr: str, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """--set-string: parse_set's grammar, every VAL kept as a string."""
    return _run(expr, into, "string", "--set-string")


def parse_set_file(
    expr: str, into: dict[str, Any] | None = None, read: Reader | None = None
) -> dict[str, Any]:
    """--set-file: parse_set's grammar where each VAL is a path; the value is read(path).

    `read` defaults to reading the file as text (helm's "-" means stdin); an
    exception it raises becomes the error text.
    """
    return _run(expr, into, "file", "--set-file", read or read_set_file)


def parse_set_literal(expr: str, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """--set-literal: one key, and everything after its first "=" is the string value.

    Grammar::

        key   := NAME ( "=" REST | "." key | "[" INDEX "]" item )
        item  := "=" REST | "." key | "[" INDEX "]" item
        NAME  := runes up to = [ .          (no escapes, commas are part of the name)
    """
    return _run(expr, into, "literal", "--set-literal")


def parse_set_json(expr: str, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """--set-json: a whole JSON object merged in, or key=JSON pairs.

    Grammar::

        line  := SPACE* "{" ... "}" SPACE*      a JSON object, merged like a values file
               | ( key )*                       as parse_set, but value := JSON
        JSON  := one JSON value (Go encoding/json: numbers are float64);
                 blanks then "," or the end mean null; blanks and one "," may follow

    Helm reports only the input on failure: "failed parsing --set-json data <expr>".
    """
    data: dict[str, Any] = {} if into is None else into
    trimmed = go_trim_space(expr)
    if trimmed.startswith("{"):
        try:
            obj = json_whole_object(trimmed)
        except ValueError:
            raise SetParseError(
                f"failed parsing --set-json data JSON: {expr}\n{_caret(expr, 0)}"
            ) from None
        data.update(merge_maps(data, obj))
        return data
    return _run(expr, data, "json", "--set-json")


def read_set_file(path: str) -> str:
    """--set-file's default reader: the file's text, or stdin for "-" (Go's error text)."""
    import sys

    # deferred: only read_set_file() needs it: 1 module this one does not otherwise load
    from minihelm.values.inputfiles import go_read_file, read_bounded

    if path.strip() == "-":
        recorder().spoil()  # stdin cannot be read again to check it
        return read_bounded(sys.stdin.buffer, path).decode("utf-8", errors="replace")
    return go_read_file(path).decode("utf-8", errors="replace")
