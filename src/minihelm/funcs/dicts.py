"""Template arguments -> Sprig's dict functions (dict, get, set, dig, merge, deepCopy, ...) for the runtime.

Parameters typed `map[string]interface {}` receive plain dicts or GoMaps of an
assignable type (common.Values); nil arrives as None (or NilMap) and behaves
as Go's nil map: reads see it empty, writes panic.

Map order: Go iterates maps in random order, so helm's `keys` and `values`
come out shuffled from run to run.  We return them sorted by key (per dict,
for `keys` of several dicts), a deterministic order helm can also produce.
"""

from __future__ import annotations

from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.funcs.lists import go_empty
from minihelm.golang.gotypes import (
    GoBytes,
    GoList,
    GoMap,
    MirrorMap,
    NilList,
    NilMap,
    as_plain_map,
    go_type_name,
)

_MAP = "map[string]interface {}"


def _strval(v: Any) -> str:
    """Sprig's strval: strings and []byte as they are, anything else as fmt's %v."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "surrogateescape")
    # deferred: only _strval() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    return format_value(v)


def _is_nil_map(d: Any) -> bool:
    return d is None or isinstance(d, NilMap)


@gofunc("dict", "...interface {}")
def dict_(*v: Any) -> dict[str, Any]:
    """Pairs to a map; keys go through strval ("<nil>", "1", "[1 2]"); a lone last key gets ""."""
    out: dict[str, Any] = {}
    for i in range(0, len(v), 2):
        out[_strval(v[i])] = v[i + 1] if i + 1 < len(v) else ""
    return out


@gofunc("get", "map[string]interface {}, string")
def get(d: Any, key: str) -> Any:
    """d[key], or "" (not nil) when the key is missing."""
    if _is_nil_map(d) or key not in d:
        return ""
    return d[key]


@gofunc("set", "map[string]interface {}, string, interface {}")
def set_(d: Any, key: str, value: Any) -> Any:
    """Assign in place and return the same map."""
    if _is_nil_map(d):
        raise GoFuncError("assignment to entry in nil map")
    d[key] = value
    return as_plain_map(d)


@gofunc("unset", "map[string]interface {}, string")
def unset(d: Any, key: str) -> Any:
    if _is_nil_map(d):
        return NilMap()
    d.pop(key, None)
    return as_plain_map(d)


@gofunc("hasKey", "map[string]interface {}, string")
def has_key(d: Any, key: str) -> bool:
    return not _is_nil_map(d) and key in d


@gofunc("pluck", "string, ...map[string]interface {}")
def pluck(key: str, *dicts: Any) -> list[Any]:
    return [d[key] for d in dicts if not _is_nil_map(d) and key in d]


@gofunc("keys", "...map[string]interface {}")
def keys(*dicts: Any) -> GoList:
    """Every key of every map, as []string (each map's keys sorted: see module docstring)."""
    out = GoList(go_type="[]string")
    for d in dicts:
        if not _is_nil_map(d):
            out.extend(sorted(d, key=_go_order))
    return out


@gofunc("values", "map[string]interface {}")
def values(d: Any) -> list[Any]:
    """The map's values, in the key order `keys` uses."""
    if _is_nil_map(d):
        return []
    return [d[k] for k in sorted(d, key=_go_order)]


def _go_order(k: str) -> bytes:
    # Go compares strings bytewise, i.e. by UTF-8 bytes, not by code point.
    return k.encode("utf-8", "surrogateescape")


@gofunc("pick", "map[string]interface {}, ...string")
def pick(d: Any, *names: str) -> dict[str, Any]:
    if _is_nil_map(d):
        return {}
    return {k: d[k] for k in names if k in d}


@gofunc("omit", "map[string]interface {}, ...string")
def omit(d: Any, *names: str) -> dict[str, Any]:
    if _is_nil_map(d):
        return {}
    dropped = set(names)
    return {k: v for k, v in d.items() if k not in dropped}


# --- dig --------------------------------------------------------------------------


def _assert(v: Any, want: str) -> None:
    """A Go type assertion `v.(want)` on an interface {}: panics unless the dynamic type matches."""
    have = "nil" if v is None else go_type_name(v)
    if have != want:
        raise GoFuncError(f"interface conversion: interface {{}} is {have}, not {want}")


@gofunc("dig", "...interface {}")
def dig(*ps: Any) -> Any:
    """dig "a" "b" default dict: walk plain map[string]interface {} levels only.

    Sprig type-asserts, so .Values itself (common.Values) and any non-map
    level panic with Go's interface-conversion message.
    """
    if len(ps) < 3:
        raise GoFuncError("dig needs at least three arguments")
    d, default = ps[-1], ps[-2]
    _assert(d, _MAP)
    path = ps[:-2]
    for k in path:
        _assert(k, "string")
    for i, k in enumerate(path):
        if k not in d:
            return default
        step = d[k]
        if i == len(path) - 1:
            return step
        _assert(step, _MAP)
        d = step
    return default  # unreachable: path is never empty


# --- merge (dario.cat/mergo v1.0.2, as Sprig calls it) ----------------------------


def _mergo(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    """mergo.Merge(&dst, src) for maps of interface {} values, in place.

    Rules of mergo's map branch, per key of src (value s; dst value d):
    - s nil: skipped, or with overwrite stored as nil;
    - s and d both maps: s is merged into d recursively, in place (so a map
      shared with .Values is modified), and d stays unless it is still empty;
    - s a slice and d non-empty: d stays, or with overwrite becomes s (no
      element-wise merge);
    - otherwise s is stored when overwriting (even an empty s: "" or false
      replace a value) or when d is missing or "empty" (nil, "", 0, false,
      empty list or map), so plain merge fills empty values in dst.
    Values are stored by reference, not copied.
    """
    for k, s in src.items():
        present = k in dst
        d = dst.get(k)
        if s is None:
            if overwrite:
                dst[k] = None
            continue
        if present and not go_empty(d):
            if isinstance(s, dict) and isinstance(d, dict):
                _mergo(d, s, overwrite)
                continue
            if isinstance(s, (list, GoBytes)):
                if overwrite:
                    dst[k] = s
                continue
        elif present and isinstance(s, dict) and isinstance(d, dict) and not isinstance(d, NilMap):
            _mergo(d, s, overwrite)  # d is empty: filled in place, then replaced by s below
            if d:
                continue
        if overwrite or not present or go_empty(d):
            dst[k] = s


def _merge_all(dst: Any, srcs: tuple[Any, ...], overwrite: bool) -> Any:
    for src in srcs:
        if _is_nil_map(dst):
            if _is_nil_map(src):
                continue
            dst = {}  # mergo makes a fresh map for a nil dst
        if not _is_nil_map(src):
            _mergo(dst, src, overwrite)
    return NilMap() if dst is None else as_plain_map(dst)


@gofunc("merge", "map[string]interface {}, ...map[string]interface {}")
def merge(dst: Any, *srcs: Any) -> Any:
    """Fill dst (modified in place and returned) from each src; dst's non-empty values win."""
    return _merge_all(dst, srcs, overwrite=False)


@gofunc("mustMerge", "map[string]interface {}, ...map[string]interface {}")
def must_merge(dst: Any, *srcs: Any) -> Any:
    return _merge_all(dst, srcs, overwrite=False)


@gofunc("mergeOverwrite", "map[string]interface {}, ...map[string]interface {}")
def merge_overwrite(dst: Any, *srcs: Any) -> Any:
    """Like merge, but src values win, empty ones included (nested maps still merge)."""
    return _merge_all(dst, srcs, overwrite=True)


@gofunc("mustMergeOverwrite", "map[string]interface {}, ...map[string]interface {}")
def must_merge_overwrite(dst: Any, *srcs: Any) -> Any:
    return _merge_all(dst, srcs, overwrite=True)


# --- deepCopy (github.com/mitchellh/copystructure) -----------------------------------


def _copy(v: Any) -> Any:
    if isinstance(v, NilMap):
        return NilMap(v.go_type)
    if isinstance(v, NilList):
        return NilList(v.go_type)
    if isinstance(v, MirrorMap):  # copystructure keeps the type: common.Values stays one
        return v.detached({k: _copy(x) for k, x in v.items()})
    if isinstance(v, GoMap):
        return GoMap({k: _copy(x) for k, x in v.items()}, go_type=v.go_type)
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, GoList):
        return GoList([_copy(x) for x in v], go_type=v.go_type)
    if isinstance(v, list):
        return [_copy(x) for x in v]
    # Scalars and bytes are immutable here; struct pointers are shared (not copied).
    return v


@gofunc("deepCopy", "interface {}")
def deep_copy(v: Any) -> Any:
    """A copy of v with every nested map and list copied, Go types kept."""
    if v is None:
        # copystructure panics on a nil interface before Sprig can wrap the error.
        raise GoFuncError("reflect: call of reflect.Value.Type on zero Value")
    return _copy(v)


gofunc("mustDeepCopy", "interface {}")(deep_copy)
