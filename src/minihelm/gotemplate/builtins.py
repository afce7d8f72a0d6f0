"""Go text/template's builtin functions over gotypes values, for the template runtime.

Mirrors src/text/template/funcs.go (Go 1.25, as built into helm v4.1.4):
results, truth rules and the exact error texts.  Errors are raised as
GoFuncError with Go's message; the runtime adds "error calling X: ".
Note that helm's function map shadows the builtin `slice` with Sprig's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import GoFuncError
from ..golang.gofmt import format_value, sprint, sprintf, sprintln, stringer, struct_fields
from ..golang.gostrconv import go_bytes, is_print
from ..golang.gotypes import GoBytes, GoList, GoStruct, NilList, NilMap, go_type_name

# --- truth and printing (exec.go isTrue, printableValue) ---------------------


def is_true(v: Any) -> bool:
    """text/template truth: nil, false, 0, "", and empty slices/maps are false; structs are true."""
    if v is None:
        return False
    if isinstance(v, (str, bytes, list, tuple, dict)):
        return len(v) > 0
    if isinstance(v, (bool, int, float)):
        return bool(v)
    return True  # struct values, non-nil pointers and functions


class _StructValue(GoStruct):
    """A dereferenced struct pointer: prints as {...}, without fmt's '&'."""

    def __init__(self, ptr: GoStruct) -> None:
        self.go_type = go_type_name(ptr).lstrip("*")
        self._ptr = ptr

    def go_fields(self) -> list[tuple[str, Any]]:
        return struct_fields(self._ptr)


def _printable(v: Any, addressable: bool) -> Any:
    """printableValue: nil is "<no value>", pointers are dereferenced.

    A String method on the struct (pointer receiver) is used when the value
    is addressable, i.e. it was reached through a field or a pointer.
    """
    if v is None:
        return "<no value>"
    if isinstance(v, GoStruct) and stringer(v) is None:
        method = getattr(v, "String", None)
        pointer = go_type_name(v).startswith("*")
        if callable(method) and (addressable or pointer):
            return str(method())
        if pointer:
            return _StructValue(v)
    return v


def print_value(v: Any) -> str:
    """How `{{ pipeline }}` prints its result: fmt.Fprint of the printable value."""
    p = _printable(v, True)
    return p if isinstance(p, str) else format_value(p)


def eval_args(args: tuple[Any, ...]) -> str:
    """evalArgs: fmt.Sprint of the arguments after printableValue (html, js, urlquery)."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*(_printable(a, False) for a in args))


# --- and, or, not --------------------------------------------------------------


def go_and(arg0: Any, *args: Any) -> Any:
    """The first false argument, or the last one (the code generator short-circuits)."""
    if not is_true(arg0):
        return arg0
    for a in args:
        arg0 = a
        if not is_true(a):
            break
    return arg0


def go_or(arg0: Any, *args: Any) -> Any:
    """The first true argument, or the last one."""
    if is_true(arg0):
        return arg0
    for a in args:
        arg0 = a
        if is_true(a):
            break
    return arg0


def go_not(arg: Any) -> bool:
    return not is_true(arg)


# --- comparison ----------------------------------------------------------------

_BAD_TYPE = "invalid type for comparison"


def _basic_kind(v: Any) -> str | None:
    """funcs.go basicKind: bool, int, float, string; None for everything else."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"  # int, Int64 and other integer kinds compare with each other
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    return None


def _reflect_kind(v: Any) -> str:
    if v is None:
        return "invalid"
    if isinstance(v, (list, tuple, bytes)):
        return "slice"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, GoStruct):
        return "ptr" if go_type_name(v).startswith("*") else "struct"
    return "func" if callable(v) else "other"


def _is_nil(v: Any) -> bool:
    return v is None or isinstance(v, (NilList, NilMap))


def _incompatible(a: Any, b: Any) -> GoFuncError:
    return GoFuncError(
        f"incompatible types for comparison: {go_type_name(a)} and {go_type_name(b)}"
    )


def _eq_other(a: Any, b: Any) -> bool:
    """eq of two non-basic values: only nil checks and comparable types (pointers)."""
    ka, kb = _reflect_kind(a), _reflect_kind(b)
    if ka != kb and "invalid" not in (ka, kb):
        raise GoFuncError(sprintf(
            "non-comparable types %s: %v, %s: %v", a, go_type_name(a), go_type_name(b), b
        ))
    if _is_nil(a) or _is_nil(b):
        return _is_nil(a) == _is_nil(b)
    if kb in ("slice", "map", "func"):
        raise GoFuncError(sprintf("non-comparable type %s: %v", b, go_type_name(b)))
    return a is b if kb == "ptr" else bool(a == b)


def go_eq(arg1: Any, *arg2: Any) -> bool:
    """`eq a b c...`: a == b || a == c ...; integers of any kind compare, int vs float64 errors."""
    if not arg2:
        raise GoFuncError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for b in arg2:
        k2 = _basic_kind(b)
        if k1 != k2:
            if arg1 is not None and b is not None:
                raise _incompatible(arg1, b)
            truth = False
        elif k1 is None:
            truth = _eq_other(arg1, b)
        else:
            truth = arg1 == b
        if truth:
            return True
    return False


def go_ne(arg1: Any, arg2: Any) -> bool:
    return not go_eq(arg1, arg2)


def go_lt(arg1: Any, arg2: Any) -> bool:
    k1 = _basic_kind(arg1)
    if k1 is None:
        raise GoFuncError(_BAD_TYPE)
    k2 = _basic_kind(arg2)
    if k2 is None:
        raise GoFuncError(_BAD_TYPE)
    if k1 != k2:
        raise _incompatible(arg1, arg2)
    if k1 == "bool":
        raise GoFuncError(_BAD_TYPE)
    if k1 == "string":  # Go compares the bytes
        return go_bytes(arg1) < go_bytes(arg2)
    return bool(arg1 < arg2)


def go_le(arg1: Any, arg2: Any) -> bool:
    return go_lt(arg1, arg2) or go_eq(arg1, arg2)


def go_gt(arg1: Any, arg2: Any) -> bool:
    return not go_le(arg1, arg2)


def go_ge(arg1: Any, arg2: Any) -> bool:
    return not go_lt(arg1, arg2)


# --- len, index, slice -----------------------------------------------------------


def _deref_type(v: Any) -> str:
    # Go indirects pointers before naming the type in these errors.
    return go_type_name(v).lstrip("*") if isinstance(v, GoStruct) else go_type_name(v)


def go_len(item: Any) -> int:
    """len of a string (bytes), slice or map."""
    if item is None:
        # length() asks reflect for the type of the zero Value and panics
        raise GoFuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(go_bytes(item))
    if isinstance(item, (list, tuple, dict, bytes)):
        return len(item)
    raise GoFuncError(f"len of type {_deref_type(item)}")


def _index_arg(index: Any, cap: int) -> int:
    """funcs.go indexArg: an integer index in [0, cap]."""
    if index is None:
        raise GoFuncError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise GoFuncError(f"cannot index slice/array with type {go_type_name(index)}")
    if index < 0 or index > cap:
        raise GoFuncError(f"index out of range: {index}")
    return int(index)


def _map_types(m: dict[Any, Any]) -> tuple[str, str]:
    """Key and element type names of a map's Go type, e.g. map[string]string."""
    t = go_type_name(m)
    if t.startswith("map[") and "]" in t:
        depth = 0
        for i, c in enumerate(t[3:], 3):
            depth += {"[": 1, "]": -1}.get(c, 0)
            if depth == 0:
                return t[4:i], t[i + 1 :]
    return "string", "interface {}"


_ZERO = {"string": "", "bool": False, "float64": 0.0, "float32": 0.0}
_INT_TYPES = frozenset(
    ["int", "int8", "int16", "int32", "int64",
     "uint", "uint8", "uint16", "uint32", "uint64", "uintptr"]
)


def _zero(type_name: str) -> Any:
    if type_name in _ZERO:
        return _ZERO[type_name]
    if type_name in _INT_TYPES:
        return 0
    if type_name.startswith("[]"):
        return NilList(type_name)
    if type_name.startswith("map["):
        return NilMap(type_name)
    return None  # interfaces and pointers


def _index_map(item: dict[Any, Any], index: Any) -> Any:
    key_type, elem_type = _map_types(item)
    if index is None:
        raise GoFuncError(f"value is nil; should be of type {key_type}")
    if go_type_name(index) != key_type:
        raise GoFuncError(f"value has type {go_type_name(index)}; should be {key_type}")
    return item[index] if index in item else _zero(elem_type)


def go_index(item: Any, *indexes: Any) -> Any:
    """`index x 1 2` is x[1][2]: maps (missing key: zero value), slices and strings."""
    if item is None:
        raise GoFuncError("index of untyped nil")
    for index in indexes:
        if item is None:
            raise GoFuncError("index of nil pointer")
        if isinstance(item, (str, bytes, list, tuple)):
            seq: Any = go_bytes(item) if isinstance(item, str) else item
            x = _index_arg(index, len(seq))
            if x == len(seq):  # indexArg allows len; reflect's Index then panics
                what = "string" if isinstance(item, str) else "slice"
                raise GoFuncError(f"reflect: {what} index out of range")
            item = seq[x]
        elif isinstance(item, dict):
            item = _index_map(item, index)
        else:
            raise GoFuncError(f"can't index item of type {_deref_type(item)}")
    return item


def go_slice(item: Any, *indexes: Any) -> Any:
    """`slice x 1 2` is x[1:2] (Go's builtin; helm templates get Sprig's slice instead)."""
    if item is None:
        raise GoFuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoFuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise GoFuncError("cannot 3-index slice a string")
        seq: Any = go_bytes(item)
    elif isinstance(item, (list, tuple, bytes)):
        seq = item
    else:
        raise GoFuncError(f"can't slice item of type {_deref_type(item)}")
    idx = [0, len(seq), 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, len(seq))
    if idx[0] > idx[1]:
        raise GoFuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise GoFuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    part = seq[idx[0] : idx[1]]
    if isinstance(item, str):
        return part.decode("utf-8", "surrogateescape")
    if isinstance(item, GoList):
        return GoList(part, item.go_type)
    if isinstance(item, bytes):
        return GoBytes(part)
    return list(part)


# --- escaping: html, js, urlquery ----------------------------------------------------

_HTML = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}


def html_escape_string(s: str) -> str:
    """template.HTMLEscapeString (NUL becomes U+FFFD)."""
    return "".join(_HTML.get(c, c) for c in s)


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E",
       "&": "\\u0026", "=": "\\u003D"}


def _js_char(c: str) -> str:
    if c in _JS:
        return _JS[c]
    o = ord(c)
    if o < 0x20:
        return f"\\u00{o:02X}"
    if o < 0x80:
        return c
    if 0xDC80 <= o <= 0xDCFF:  # an invalid UTF-8 byte decodes to RuneError (printable)
        return "\ufffd"
    return c if is_print(c) else f"\\u{o:04X}"


def js_escape_string(s: str) -> str:
    """template.JSEscapeString."""
    return "".join(_js_char(c) for c in s)


_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def url_query_escape(s: str) -> str:
    """url.QueryEscape: unreserved bytes stay, space is '+', the rest %XX."""
    out = []
    for b in go_bytes(s):
        if b in _URL_SAFE:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def go_html(*args: Any) -> str:
    return html_escape_string(eval_args(args))


def go_js(*args: Any) -> str:
    return js_escape_string(eval_args(args))


def go_urlquery(*args: Any) -> str:
    return url_query_escape(eval_args(args))


# --- call ------------------------------------------------------------------------------


def call_named(name: str, fn: Any, *args: Any) -> Any:
    """`call fn args...`; name is the template text of the fn argument (e.g. ".Values")."""
    if fn is None:
        raise GoFuncError("call of nil")
    if not callable(fn) or isinstance(fn, type):
        raise GoFuncError(f"non-function {name} of type {go_type_name(fn)}")
    import inspect  # here: importing it costs every render 3.5 ms, and `call` is rare

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    if sig is not None:
        params = list(sig.parameters.values())
        variadic = any(p.kind is p.VAR_POSITIONAL for p in params)
        fixed = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if variadic and len(args) < len(fixed):
            raise GoFuncError(
                f"wrong number of args for {name}: got {len(args)} want at least {len(fixed)}"
            )
        if not variadic and len(args) != len(fixed):
            raise GoFuncError(f"wrong number of args for {name}: got {len(args)} want {len(fixed)}")
    return fn(*args)


def go_call(fn: Any, *args: Any) -> Any:
    """`call` when the runtime does not pass the argument's text: names it by its value."""
    return call_named(format_value(fn), fn, *args)


BUILTINS: dict[str, Callable[..., Any]] = {
    "and": go_and,
    "or": go_or,
    "not": go_not,
    "len": go_len,
    "index": go_index,
    "slice": go_slice,
    "eq": go_eq,
    "ne": go_ne,
    "lt": go_lt,
    "le": go_le,
    "gt": go_gt,
    "ge": go_ge,
    "print": sprint,
    "printf": sprintf,
    "println": sprintln,
    "html": go_html,
    "js": go_js,
    "urlquery": go_urlquery,
    "call": go_call,
}
