"""Compiled template code (tplcache) -> the render function the engine runs, without importing jinja2.

Jinja2's code generator writes a module that imports fourteen names from
jinja2.runtime and defines `root(context, missing, environment)`, a generator
of output pieces.  The code codegen.py's node trees turn into uses very little
of that runtime:

    context.resolve_or_missing(name)   each runtime name, once, at the start
    environment.getitem(V, slot)       a variable's slot (codegen's `item`)
    environment.undefined, .concat, Undefined   bound at the start, never called

Importing jinja2 costs 13 ms, a seventh of a warm render of a chart that
draws passwords.  So the module code runs here against stand-ins for exactly
those names.  Code that names anything else (another Jinja2 version's output,
a codegen change) is run by Jinja2's own Template, as it always was: `bind`
checks every name the code refers to before choosing.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping
from types import CodeType, SimpleNamespace
from typing import Any

Render = Callable[[dict[str, Any]], Iterator[str]]

# What Jinja2's module code imports, all it names at its top level, and what its root function does.
_IMPORTED = ("LoopContext", "Macro", "Markup", "Namespace", "TemplateNotFound", "TemplateReference",
             "TemplateRuntimeError", "Undefined", "escape", "identity", "internalcode",
             "markup_join", "missing", "str_join")
_MODULE_NAMES = frozenset(_IMPORTED).union(
    {"jinja2.runtime", "name", "root", "blocks", "debug_info", "environment"})
_ROOT_NAMES = frozenset({"resolve_or_missing", "undefined", "concat", "getitem", "Undefined", "str"})


class _Missing:
    """Jinja2's `missing`: what resolve_or_missing gives for an unbound name."""

    def __repr__(self) -> str:
        return "missing"


MISSING = _Missing()


class _Unbound:
    """Jinja2's Undefined, which the code binds but never calls: every name it
    resolves is one of the runtime names or the context's own (engine/run.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f"a template refers to an unbound name {kwargs.get('name')!r}")


class _Environment:
    """The three environment attributes the code reads."""

    undefined = _Unbound
    concat = "".join

    @staticmethod
    def getitem(obj: Any, key: Any) -> Any:
        return obj[key]  # always a list of slots and one of its indexes


class _Context:
    __slots__ = ("names", "vars")

    def __init__(self, vars: dict[str, Any], names: Mapping[str, Any]) -> None:
        self.vars = vars
        self.names = names

    def resolve_or_missing(self, key: str) -> Any:
        value = self.vars.get(key, MISSING)
        return self.names.get(key, MISSING) if value is MISSING else value


# The stand-in for jinja2.runtime: None for the names only the import statement mentions.
_RUNTIME = SimpleNamespace(**{**dict.fromkeys(_IMPORTED), "Undefined": _Unbound, "missing": MISSING})


def _import(name: str, *args: Any, **kwargs: Any) -> Any:
    if name == "jinja2.runtime":
        return _RUNTIME
    return builtins.__import__(name, *args, **kwargs)


_BUILTINS = {**builtins.__dict__, "__import__": _import}
_ENVIRONMENT = _Environment()


def bind(code: CodeType, names: Mapping[str, Any]) -> Render:
    """The function that runs `code` with these runtime names and a call's own names."""
    if _plain(code):
        namespace: dict[str, Any] = {"__builtins__": _BUILTINS, "environment": _ENVIRONMENT}
        exec(code, namespace)  # noqa: S102 - code this process's codegen compiled
        root = namespace["root"]
        return lambda own: root(_Context(own, names))  # type: ignore[no-any-return]
    import jinja2

    # deferred: only bind() needs it, and it brings jinja2
    from .jinjacompile import environment

    template = jinja2.Template.from_code(environment(), code, dict(names))
    return lambda own: template.root_render_func(template.new_context(own))


def _plain(code: CodeType) -> bool:
    """Does the module code use only what the stand-ins provide?"""
    if not _MODULE_NAMES.issuperset(code.co_names):
        return False
    stack = [c for c in code.co_consts if isinstance(c, CodeType)]
    while stack:
        inner = stack.pop()
        if not _ROOT_NAMES.issuperset(inner.co_names):
            return False
        stack.extend(c for c in inner.co_consts if isinstance(c, CodeType))
    return True
