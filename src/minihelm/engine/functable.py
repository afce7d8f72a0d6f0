"""The function registry (funcs/) and its cached index -> the engine's function table.

A template namespace must know every function name and Go signature before
anything runs (the parser rejects unknown names; codegen converts constant
arguments by parameter type), but a render calls only a few categories.
The index -- name -> (category, params, variadic, hermetic) -- is generated
from the registry into funcs/catalog.py (scripts/gen_funcindex.py; a test
keeps it current), so a render, cold or warm, imports a category module
(semver, regexes, certificates, dates, ...) only when one of its functions
is first looked up.  Should the index misfile a name, a lookup falls back
to importing the whole registry.

Precedence is text/template's: functions given to a template override its
builtins of the same name (Sprig's `slice` replaces text/template's), and
the render-bound helm functions (include, tpl, required, fail, lookup)
override the registry's entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import funcs as funcreg
from .._core.recorder import recorder
from ..funcs import GoFunc

Params = dict[str, tuple[tuple[str, ...], bool]]

# text/template's builtins and their Go parameter types (reflect.Value takes anything).
_BUILTIN_PARAMS: dict[str, tuple[str, ...]] = {
    "and": ("reflect.Value", "...reflect.Value"), "or": ("reflect.Value", "...reflect.Value"),
    "not": ("reflect.Value",), "len": ("reflect.Value",),
    "index": ("reflect.Value", "...reflect.Value"), "slice": ("reflect.Value", "...reflect.Value"),
    "eq": ("reflect.Value", "...reflect.Value"), "ne": ("reflect.Value", "reflect.Value"),
    "lt": ("reflect.Value", "reflect.Value"), "le": ("reflect.Value", "reflect.Value"),
    "gt": ("reflect.Value", "reflect.Value"), "ge": ("reflect.Value", "reflect.Value"),
    "print": ("...interface {}",), "printf": ("string", "...interface {}"),
    "println": ("...interface {}",), "html": ("...interface {}",), "js": ("...interface {}",),
    "urlquery": ("...interface {}",), "call": ("reflect.Value", "...reflect.Value"),
}
_builtin_cache: dict[str, GoFunc] = {}

# Sprig functions that change their first argument (a map) in place.
MUTATING = ("set", "unset", "merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite")


def builtin_funcs() -> dict[str, GoFunc]:
    """The builtins as registry entries, so calls to them are checked like any function."""
    if not _builtin_cache:
        from ..gotemplate.builtins import BUILTINS

        for name, fn in BUILTINS.items():
            params = _BUILTIN_PARAMS.get(name, ("...interface {}",))
            variadic = params[-1].startswith("...")
            ps = params[:-1] + (params[-1].lstrip("."),) if variadic else params
            _builtin_cache[name] = GoFunc(name, fn, ps, variadic, category="builtin")
    return _builtin_cache


class FuncTable(dict[str, GoFunc]):
    """Every function of one render; a registry category is imported on its first lookup.

    `in` answers for every name (the parser asks); `[]` loads what is missing.
    """

    def __init__(self, loaded: dict[str, GoFunc], pending: dict[str, str],
                 wrap: Callable[[GoFunc], GoFunc]) -> None:
        super().__init__(loaded)
        self._pending = pending  # name -> category, not imported yet
        self._wrap = wrap

    def __contains__(self, name: object) -> bool:
        # The parser asks for names that are no function ("break"), so a miss must stay
        # cheap: the index is trusted here (tests/engine/test_functable.py keeps it current).
        return dict.__contains__(self, name) or name in self._pending

    def __missing__(self, name: str) -> GoFunc:
        cat = self._pending.get(name)
        if cat is not None:
            self._take(funcreg.category(cat).items())
        if not dict.__contains__(self, name):  # a stale index: take the whole registry
            self._take_all()
            if not dict.__contains__(self, name):
                raise KeyError(name)
        return dict.__getitem__(self, name)

    def _take(self, entries: Iterable[tuple[str, GoFunc]]) -> None:
        for n, f in entries:
            if self._pending.pop(n, None) is not None:
                self[n] = self._wrap(f)

    def _take_all(self) -> None:
        for n, f in funcreg.functions().items():
            if not dict.__contains__(self, n):
                self._pending.pop(n, None)
                self[n] = self._wrap(f)


def engine_table(bound: dict[str, GoFunc]) -> tuple[FuncTable, Params]:
    """The table of one render and every name's Go signature.

    `bound` holds the render-bound helm functions (they override the registry's).
    """
    # deferred: only engine_table() needs it: 1 module this one does not otherwise load
    from ..funcs.catalog import INDEX as index

    wrap = _watch if recorder().watching() else _same
    loaded = {k: f for k, f in builtin_funcs().items() if k not in index}
    loaded.update(bound)
    params: Params = {k: (f.params, f.variadic) for k, f in loaded.items()}
    pending: dict[str, str] = {}
    for name, (cat, ps, variadic, _hermetic) in index.items():
        if name not in loaded:
            pending[name] = cat
            params[name] = (ps, variadic)
    return FuncTable({k: wrap(f) for k, f in loaded.items()}, pending, wrap), params


def _same(f: GoFunc) -> GoFunc:
    return f


def _watch(f: GoFunc) -> GoFunc:
    """What replay.py must hear of: non-hermetic calls, and in-place changes to maps."""
    fn = f.fn
    if not f.hermetic:
        def volatile(*args: Any) -> Any:
            recorder().volatile()
            return fn(*args)
        return f.replace(fn=volatile)
    if f.name in MUTATING:
        def mutating(*args: Any) -> Any:
            if args:
                recorder().mutating(args[0])
            return fn(*args)
        return f.replace(fn=mutating)
    return f
