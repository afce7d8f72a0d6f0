"""Template arguments -> Sprig's emptiness-based functions (default, empty, coalesce, all, any, ternary).

Sprig's `empty` is reflect-based: nil, false, numeric zero and zero-length
strings, slices and maps are empty; structs and non-nil pointers never are.
"""

from __future__ import annotations

from typing import Any

from minihelm.funcs import gofunc


def is_empty(v: Any) -> bool:
    """Sprig's empty(): the zero value of v's type (len 0 for strings, slices and maps)."""
    if v is None:
        return True
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float, complex)):
        return v == 0
    if isinstance(v, (str, bytes, bytearray, list, tuple, dict)):
        return len(v) == 0
    return False  # structs and pointers to them


@gofunc("empty", "interface {}")
def empty(v: Any) -> bool:
    return is_empty(v)


@gofunc("default", "interface {}, ...interface {}")
def default(d: Any, *given: Any) -> Any:
    """`default D V`: V unless it is missing or empty, else D."""
    if not given or is_empty(given[0]):
        return d
    return given[0]


@gofunc("coalesce", "...interface {}")
def coalesce(*vs: Any) -> Any:
    """The first non-empty argument, or nil."""
    for v in vs:
        if not is_empty(v):
            return v
    return None


@gofunc("all", "...interface {}")
def all_(*vs: Any) -> bool:
    return not any(is_empty(v) for v in vs)


@gofunc("any", "...interface {}")
def any_(*vs: Any) -> bool:
    return not all(is_empty(v) for v in vs)


@gofunc("ternary", "interface {}, interface {}, bool")
def ternary(vt: Any, vf: Any, cond: bool) -> Any:
    return vt if cond else vf
