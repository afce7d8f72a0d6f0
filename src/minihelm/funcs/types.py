"""Template arguments -> Sprig's reflection functions (typeOf, kindOf, deepEqual, ...) for the runtime.

Type names come from gotypes.go_type_name (Go's %T) and kinds from
gotypes.go_kind (reflect.Kind.String()).  `deep_equal` is reflect.DeepEqual
over our value model; lists.py uses it too (has, uniq, without).
"""

from __future__ import annotations

from typing import Any

from minihelm.funcs import gofunc
from minihelm.golang.gotypes import GoStruct, NilList, NilMap, go_kind, go_type_name


@gofunc("typeOf", "interface {}")
def type_of(src: Any) -> str:
    """fmt.Sprintf("%T", src): "<nil>" for nil, "common.Values", "[]string", ..."""
    return go_type_name(src)


@gofunc("typeIs", "string, interface {}")
def type_is(target: str, src: Any) -> bool:
    return target == go_type_name(src)


@gofunc("typeIsLike", "string, interface {}")
def type_is_like(target: str, src: Any) -> bool:
    """Like typeIs, but a pointer to the target type matches too."""
    t = go_type_name(src)
    return target == t or "*" + target == t


@gofunc("kindOf", "interface {}")
def kind_of(src: Any) -> str:
    """reflect.ValueOf(src).Kind().String(): "invalid" for nil."""
    return go_kind(src)


@gofunc("kindIs", "string, interface {}")
def kind_is(target: str, src: Any) -> bool:
    return target == go_kind(src)


@gofunc("deepEqual", "interface {}, interface {}")
def deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual: identical Go types all the way down.

    So 1 (int) differs from 1.0 (float64, what values files give), []string
    differs from []interface {} with the same items, and a nil slice or map
    differs from an empty one.  NaN is unequal to itself, as in Go.
    """
    if a is None or b is None:
        return a is None and b is None
    if go_type_name(a) != go_type_name(b):
        return False
    if isinstance(a, (bytes, bytearray)):
        return bytes(a) == bytes(b)
    if isinstance(a, list):
        if isinstance(a, NilList) != isinstance(b, NilList):
            return False
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if isinstance(a, NilMap) != isinstance(b, NilMap):
            return False
        if len(a) != len(b):
            return False
        return all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, GoStruct):
        # Pointers: equal when they point at the same struct or deeply equal ones.
        return a is b or (type(a) is type(b) and vars(a) == vars(b))
    return bool(a == b)
