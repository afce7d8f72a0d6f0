"""The template function registry: Sprig and helm functions, one module per category.

Each category module registers its functions with `@gofunc(name, params)`.
`params` is the Go parameter list, e.g. "int, string" or "...interface {}";
the template runtime checks and converts arguments against it exactly as
text/template does (constants, nil, wrong types).  A function signals a Go
error by raising `minihelm.errors.GoFuncError`; a Go panic is raised the same
way with the panic's text.  Functions that are not hermetic (clock, random,
key generation) are registered with `hermetic=False`, and `NON_HERMETIC`
lists them so tests can pin them.

`functions()` imports every category and returns the full registry;
`category(name)` imports one.  A render does not take the whole registry:
its table (functable.py) reads the generated index `catalog.py` and imports
a category when a template first calls into it, and binds the
render-dependent functions (include, tpl, required, fail, lookup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..records import Frozen

CATEGORIES = (
    "strings", "regex", "math", "defaults", "lists", "dicts", "types",
    "encoding", "yaml_json", "dates", "crypto", "certs", "semver", "paths", "network", "helm",
)


class GoFunc(Frozen):
    """A registered function with its Go parameter types."""

    __slots__ = ("category", "fn", "hermetic", "name", "note", "params", "variadic")
    _fields = ("name", "fn", "params", "variadic", "hermetic", "category", "note")

    def __init__(self, name: str, fn: Callable[..., Any], params: tuple[str, ...], variadic: bool,
                 hermetic: bool = True, category: str = "", note: str = "") -> None:
        self.name, self.fn, self.params, self.variadic = name, fn, params, variadic
        self.hermetic, self.category = hermetic, category
        # A known difference from helm; docs/functions.md marks the function "partial".
        self.note = note


_REGISTRY: dict[str, GoFunc] = {}
NON_HERMETIC: set[str] = set()


def _parse_params(params: str) -> tuple[tuple[str, ...], bool]:
    parts = tuple(p.strip() for p in params.split(",") if p.strip()) if params else ()
    variadic = bool(parts) and parts[-1].startswith("...")
    if variadic:
        parts = parts[:-1] + (parts[-1][3:],)
    return parts, variadic


def gofunc(
    name: str, params: str = "", *, hermetic: bool = True, note: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` under the template name `name` with Go parameter list `params`."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        ps, variadic = _parse_params(params)
        category = fn.__module__.rsplit(".", 1)[-1]
        _REGISTRY[name] = GoFunc(name, fn, ps, variadic, hermetic, category, note)
        if not hermetic:
            NON_HERMETIC.add(name)
        return fn

    return register


_loaded = False


def functions() -> dict[str, GoFunc]:
    """Every registered function, importing the category modules on first use."""
    global _loaded
    if not _loaded:
        import importlib

        for cat in CATEGORIES:
            try:
                importlib.import_module(f"{__name__}.{cat}")
            except ModuleNotFoundError as e:  # a category not written yet
                if e.name != f"{__name__}.{cat}":
                    raise
        _loaded = True
    return _REGISTRY


def category(name: str) -> dict[str, GoFunc]:
    """The functions of one category, importing only its module (no name is in two)."""
    import importlib

    importlib.import_module(f"{__name__}.{name}")
    return {n: f for n, f in _REGISTRY.items() if f.category == name}
