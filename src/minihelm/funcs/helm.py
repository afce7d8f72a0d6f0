"""helm's own render-bound functions (include, tpl, required, fail, lookup) for one engine.

These close over the running engine, so `bind_helm_funcs` makes a fresh set
per template namespace (helm re-binds include and tpl for every tpl clone).
"""

from __future__ import annotations

from typing import Any

from ..errors import GoFuncError
from ..gotemplate.errortext import warn_wrap
from . import GoFunc


def bind_helm_funcs(engine: Any, lint: bool) -> dict[str, GoFunc]:
    """include, tpl, required, fail and lookup bound to `engine` (helm's initFunMap)."""

    def required(warn: str, val: Any) -> Any:
        # helm: nil, or an empty string, fails (only a warning when linting).
        if val is None or (isinstance(val, str) and val == ""):
            if lint:
                return ""
            raise GoFuncError(warn_wrap(warn))
        return val

    def fail(msg: str) -> str:
        if lint:
            return ""
        raise GoFuncError(warn_wrap(msg))

    def lookup(api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        # `helm template` has no cluster: lookup answers an empty map, unless the
        # engine was given a provider (chart tests' fake cluster objects).
        provider = getattr(engine, "lookup_provider", None)
        if provider is None:
            return {}
        return provider(api_version, kind, namespace, name)  # type: ignore[no-any-return]

    return {
        "include": GoFunc("include", engine.include, ("string", "interface {}"), False,
                          category="helm"),
        "tpl": GoFunc("tpl", engine.tpl, ("string", "interface {}"), False, category="helm"),
        "required": GoFunc("required", required, ("string", "interface {}"), False,
                           category="helm"),
        "fail": GoFunc("fail", fail, ("string",), False, category="helm"),
        "lookup": GoFunc("lookup", lookup, ("string", "string", "string", "string"), False,
                         category="helm"),
    }
