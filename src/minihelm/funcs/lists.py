"""Template arguments -> Sprig's list functions (list, first, append, uniq, chunk, ...) for the runtime.

Sprig reaches list items through reflect, so any slice works (list, GoList
such as []string, GoBytes) and everything else fails with Sprig's own text,
which names the reflect.Kind ("Cannot find first on type string").  The plain
name panics with that text and the must- name returns it as an error; both
reach the user identically ("error calling first: ..."), so both raise
GoFuncError.  A nil argument makes reflect.TypeOf(nil).Kind() dereference a
nil pointer, which is the runtime error helm prints.

Results are []interface {} (plain lists) whatever the input's element type,
except `slice`, which keeps the input's type.  rest/initial of an empty list
return a nil []interface {} (NilList: prints [], encodes as null).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.funcs.types import deep_equal
from minihelm.golang.gotypes import GoBytes, GoList, NilList, go_kind

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"
_MAKESLICE = "runtime error: makeslice: len out of range"
_MIN_INT64 = -(1 << 63)


def _items(v: Any, what: str) -> list[Any]:
    """The items of a Go slice, or Sprig's "Cannot ..." error for any other kind.

    `what` is Sprig's message with %s for the kind, e.g. "Cannot find first on type %s".
    """
    if v is None:
        raise GoFuncError(NIL_DEREF)
    if isinstance(v, list):
        return list(v)
    if isinstance(v, (bytes, bytearray)):
        return list(v)  # []uint8 items are small ints
    raise GoFuncError(what % go_kind(v))


def go_empty(v: Any) -> bool:
    """Sprig's `empty`: nil, zero numbers, false, and zero-length strings/slices/maps."""
    if v is None:
        return True
    if isinstance(v, (str, list, dict, bytes, bytearray)):
        return len(v) == 0
    if isinstance(v, (bool, int, float)):
        return not v
    return False  # structs and struct pointers are never empty


@gofunc("list", "...interface {}")
def list_(*v: Any) -> list[Any]:
    return list(v)


gofunc("tuple", "...interface {}")(list_)


def _must(
    name: str, params: str, note: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one implementation under both `name` and `mustName` (see module docstring)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        gofunc(name, params, note=note)(fn)
        gofunc("must" + name[0].upper() + name[1:], params, note=note)(fn)
        return fn

    return register


@_must("push", "interface {}, interface {}")
def push(lst: Any, v: Any) -> list[Any]:
    return _items(lst, "Cannot push on type %s") + [v]


gofunc("append", "interface {}, interface {}")(push)
gofunc("mustAppend", "interface {}, interface {}")(push)


@_must("prepend", "interface {}, interface {}")
def prepend(lst: Any, v: Any) -> list[Any]:
    return [v] + _items(lst, "Cannot prepend on type %s")


@_must("first", "interface {}")
def first(lst: Any) -> Any:
    items = _items(lst, "Cannot find first on type %s")
    return items[0] if items else None


@_must("last", "interface {}")
def last(lst: Any) -> Any:
    items = _items(lst, "Cannot find last on type %s")
    return items[-1] if items else None


@_must("rest", "interface {}")
def rest(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find rest on type %s")
    return items[1:] if items else NilList()


@_must("initial", "interface {}")
def initial(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find initial on type %s")
    return items[:-1] if items else NilList()


@_must("reverse", "interface {}")
def reverse(lst: Any) -> list[Any]:
    return _items(lst, "Cannot find reverse on type %s")[::-1]


@_must("compact", "interface {}")
def compact(lst: Any) -> list[Any]:
    return [x for x in _items(lst, "Cannot compact on type %s") if not go_empty(x)]


def _in(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, h) for h in haystack)


@_must("uniq", "interface {}")
def uniq(lst: Any) -> list[Any]:
    """First occurrences, compared with reflect.DeepEqual (so 1 and 1.0 both stay)."""
    out: list[Any] = []
    for x in _items(lst, "Cannot find uniq on type %s"):
        if not _in(out, x):
            out.append(x)
    return out


@_must("without", "interface {}, ...interface {}")
def without(lst: Any, *omit: Any) -> list[Any]:
    return [x for x in _items(lst, "Cannot find without on type %s") if not _in(list(omit), x)]


@_must("has", "interface {}, interface {}")
def has(needle: Any, haystack: Any) -> bool:
    """DeepEqual membership: `has 1 .Values.list` is false when the list came from YAML (1.0)."""
    if haystack is None:
        return False
    return _in(_items(haystack, "Cannot find has on type %s"), needle)


@_must("chunk", "int, interface {}")
def chunk(size: int, lst: Any) -> GoList:
    """Split into pieces of `size`; Sprig's float arithmetic decides the count.

    A size <= 0 makes that arithmetic produce a negative or non-finite count,
    which Go's make() rejects with the runtime panic helm prints.
    """
    items = _items(lst, "Cannot chunk type %s")
    n = len(items)
    count = _go_int(_floor(_div(n - 1, size)) + 1)
    if count < 0:
        raise GoFuncError(_MAKESLICE)
    out = GoList(go_type="[][]interface {}")
    for i in range(count):
        clen = size
        if i == count - 1:
            clen = _go_int(math.floor(math.fmod(n, size))) if size else _MIN_INT64
            if clen == 0:
                clen = size
        if clen < 0:
            raise GoFuncError(_MAKESLICE)
        out.append([items[i * size + j] for j in range(clen)])
    return out


def _div(a: float, b: float) -> float:
    """float64 division with IEEE results for a zero divisor (Python raises instead)."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _floor(f: float) -> float:
    """math.Floor: infinities and NaN pass through (Python's floor raises)."""
    return float(math.floor(f)) if math.isfinite(f) else f


def _go_int(f: float) -> int:
    """Go's int(float64) on amd64: NaN, infinities and overflow give the minimum int64."""
    if math.isnan(f) or math.isinf(f) or not _MIN_INT64 <= f < -_MIN_INT64:
        return _MIN_INT64
    return int(f)


def _to_int(v: Any) -> int:
    """cast.ToInt for slice indices: numbers truncate, numeric strings parse, the rest is 0."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return _go_int(math.trunc(v)) if math.isfinite(v) else _MIN_INT64
    if isinstance(v, str):
        s = v.split(".", 1)[0] if "." in v else v
        try:
            return int(s if s not in ("", "+", "-") else "0", 0)
        except ValueError:
            return 0
    return 0


@_must("slice", "interface {}, ...interface {}",
       note="an end index past the length but within Go's slice capacity fails here")
def slice_(lst: Any, *indices: Any) -> Any:
    """lst[start:end] keeping lst's Go type; an empty input gives nil.

    Known difference: Go allows `end` up to the slice's capacity, which can
    exceed its length (lists decoded from values files, append results), and
    yields nils there; we stop at the length.
    """
    items = _items(lst, "list should be type of slice or array but %s")
    n = len(items)
    if n == 0:
        return None
    start = _to_int(indices[0]) if indices else 0
    end = _to_int(indices[1]) if len(indices) >= 2 else n
    if not 0 <= start <= end <= n:
        raise GoFuncError("reflect.Value.Slice: slice index out of bounds")
    if isinstance(lst, (bytes, bytearray)):
        return GoBytes(bytes(lst)[start:end])
    if isinstance(lst, GoList):
        return GoList(items[start:end], go_type=lst.go_type)
    return items[start:end]


@gofunc("concat", "...interface {}")
def concat(*lists: Any) -> list[Any]:
    """All items of all lists; no arguments give a nil []interface {}."""
    out: list[Any] = []
    for lst in lists:
        out += _items(lst, "Cannot concat type %s as list")
    return out if out else NilList()
