"""Plain schema + values (from valuecheck) -> True when they surely pass, or None: ask `jsonschema`.

Importing the `jsonschema` package costs 30-50 ms (attrs, referencing, its
format checkers), more than a cold render of a small chart spends on
everything else; most chart schemas (bitnami's, for one) use a handful of
keywords and pass.  This walker proves validity for that common subset and
declines everything else, so every verdict that matters (an invalid document,
and every message helm prints for it) still comes from `jsonschema` and the
error walker in valuecheck.py.

It answers True only when each keyword it meets is one it implements with
`jsonschema`'s own semantics (Python comparisons on the same plain data, no
format assertion) and is satisfied.  Anything else returns None:

- keywords that apply subschemas or assertions it does not implement ($ref,
  oneOf, not, if, patternProperties, uniqueItems, multipleOf, ...);
- shapes that differ between drafts (draft-3 boolean "required", draft-4
  boolean "exclusiveMaximum", array-form "items");
- a malformed keyword value, on which `jsonschema` might raise;
- any failed check, and any comparison whose outcome depends on the draft
  (a float against "integer", an enum of lists or of mixed number types).

Keywords none of the drafts defines are ignored, as `jsonschema` ignores them
(bitnami's "form", "render", "hidden", ...).  tests/values/test_schemaquick.py
checks every True against `jsonschema` on generated schemas and documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sized
from typing import Any

# Annotations and containers: no effect on validity (format asserts nothing
# without a format checker, and valuecheck passes none, as helm's santhosh
# default does not assert formats either).
_IGNORED = frozenset({
    "$schema", "$id", "id", "$comment", "$anchor", "$dynamicAnchor", "$vocabulary",
    "$defs", "definitions", "title", "description", "default", "examples", "readOnly",
    "writeOnly", "deprecated", "format", "contentEncoding", "contentMediaType",
})

# Keywords some draft gives meaning this walker does not reproduce.
_DECLINED = frozenset({
    "$ref", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "additionalItems",
    "contains", "maxContains", "minContains", "dependencies", "dependentRequired",
    "dependentSchemas", "disallow", "divisibleBy", "extends", "multipleOf", "patternProperties", "prefixItems", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "contentSchema",
})

_PLAIN = (dict, list, str, int, float, bool, type(None))


class _Unsure(Exception):
    """Raised anywhere the walk cannot vouch for the document."""


class _Invalid(_Unsure):
    """A check that surely fails (what "if", "not", "oneOf" and "anyOf" branch on)."""


def surely_valid(schema: Any, data: Any, search: Callable[[str, str], bool]) -> bool | None:
    """True when `data` surely passes `schema`; None when `jsonschema` must decide.

    `search(pattern, text)` is the "pattern" matcher the validator uses (Go RE2).
    """
    draft = schema.get("$schema", "") if isinstance(schema, dict) else ""
    if not isinstance(draft, str) or re.search(r"draft-0?[3-6]\b", draft):
        return None  # boolean exclusive bounds, "required", "integer" and "if" differ there
    try:
        _check(schema, data, search)
    except (_Unsure, RecursionError):
        return None
    return True


def _check(schema: Any, inst: Any, search: Callable[[str, str], bool]) -> None:
    if schema is True or (isinstance(schema, dict) and not schema):
        return
    if not isinstance(schema, dict) or type(inst) not in _PLAIN:
        raise _Unsure
    # Every keyword is checked even after one failed: jsonschema evaluates them all,
    # and one it would raise on (an unknown type) after a failure must still decline.
    failed = False
    for key, want in schema.items():
        if key in _IGNORED or key in ("then", "else"):  # "if" applies those two
            continue
        try:
            if key == "additionalProperties":
                _additional(want, inst, schema.get("properties", {}), search)
            elif key == "if":
                _if(want, inst, search, schema)
            else:
                check = _KEYWORDS.get(key)
                if check is None:
                    if key in _DECLINED:
                        raise _Unsure
                    continue  # no draft knows it: jsonschema ignores it too
                check(want, inst, search)
        except _Invalid:
            failed = True
    if failed:
        raise _Invalid


def _check_all(pairs: Iterable[tuple[Any, Any]], search: Any) -> None:
    """_check of each (schema, instance), every one of them (see _check), then the verdict."""
    failed = False
    for sub, x in pairs:
        try:
            _check(sub, x, search)
        except _Invalid:
            failed = True
    if failed:
        raise _Invalid


def _type(want: Any, inst: Any, _s: Any) -> None:
    names = want if isinstance(want, list) else [want]
    if not names or not all(isinstance(n, str) and n in _TYPES for n in names):
        raise _Unsure  # unknown or schema-valued types (draft 3)
    if not any(_TYPES[n](inst) for n in names):
        raise _Invalid


def _is_int(v: Any) -> bool:
    # draft 6 on (drafts 3 and 4 are declined up front): 1.0 is an integer
    return type(v) is int or (type(v) is float and v.is_integer())


_TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda v: type(v) is list,
    "boolean": lambda v: type(v) is bool,
    "integer": _is_int,
    "null": lambda v: v is None,
    "number": lambda v: type(v) in (int, float),
    "object": lambda v: type(v) is dict,
    "string": lambda v: type(v) is str,
}


def _properties(want: Any, inst: Any, search: Any) -> None:
    if not isinstance(want, dict):
        raise _Unsure
    if type(inst) is dict:
        _check_all(((sub, inst[name]) for name, sub in want.items() if name in inst), search)


def _additional(want: Any, inst: Any, props: Any, search: Any) -> None:
    """additionalProperties: the keys "properties" does not name (patternProperties,
    which would also claim keys, is declined wherever it appears)."""
    if not isinstance(props, dict) or not (want is True or want is False or isinstance(want, dict)):
        raise _Unsure
    if type(inst) is not dict or want is True:
        return
    extra = [x for name, x in inst.items() if name not in props]
    if extra and want is False:
        raise _Invalid
    _check_all(((want, x) for x in extra), search)


def _required(want: Any, inst: Any, _s: Any) -> None:
    if not isinstance(want, list) or not all(isinstance(n, str) for n in want):
        raise _Unsure  # draft 3's boolean form
    if type(inst) is dict and any(n not in inst for n in want):
        raise _Invalid


def _items(want: Any, inst: Any, search: Any) -> None:
    if isinstance(want, list) or not (isinstance(want, dict) or want is True):
        raise _Unsure  # the tuple form, and `false`
    if type(inst) is list:
        _check_all(((want, x) for x in inst), search)


def _same(a: Any, b: Any) -> bool:
    """Equal as every draft's `equal` sees it; _Unsure where the drafts or types blur."""
    if type(a) is not type(b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            raise _Unsure  # 1 == 1.0, but True != 1: leave it to jsonschema
        return False
    if isinstance(a, (list, dict)):
        raise _Unsure
    return bool(a == b)


def _enum(want: Any, inst: Any, _s: Any) -> None:
    if not isinstance(want, list):
        raise _Unsure
    if not any(_same(m, inst) for m in want):
        raise _Invalid


def _const(want: Any, inst: Any, _s: Any) -> None:
    if not _same(want, inst):
        raise _Invalid


def _bound(ok: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Any], None]:
    def check(want: Any, inst: Any, _s: Any) -> None:
        if type(want) not in (int, float):
            raise _Unsure  # draft 4's boolean exclusive bounds
        if type(inst) in (int, float) and not ok(inst, want):
            raise _Unsure  # NaN and mixed int/float comparisons: not worth the doubt
    return check


def _size(measure: type[Sized], ok: Callable[[int, Any], bool]) -> Callable[[Any, Any, Any], None]:
    def check(want: Any, inst: Any, _s: Any) -> None:
        if type(want) is not int:
            raise _Unsure
        if type(inst) is measure and not ok(len(inst), want):
            raise _Invalid
    return check


def _pattern(want: Any, inst: Any, search: Callable[[str, str], bool]) -> None:
    if not isinstance(want, str):
        raise _Unsure
    if type(inst) is str and not search(want, inst):
        raise _Invalid


def _all_of(want: Any, inst: Any, search: Any) -> None:
    if not isinstance(want, list) or not want:
        raise _Unsure
    _check_all(((sub, inst) for sub in want), search)


def _any_of(want: Any, inst: Any, search: Any) -> None:
    if not isinstance(want, list) or not want:
        raise _Unsure
    if _passes(want, inst, search) == 0:
        raise _Invalid


def _one_of(want: Any, inst: Any, search: Any) -> None:
    if not isinstance(want, list) or not want:
        raise _Unsure  # malformed: jsonschema may raise on it
    if _passes(want, inst, search) != 1:
        raise _Invalid


def _passes(subs: list[Any], inst: Any, search: Any) -> int:
    """How many of the subschemas `inst` passes; _Unsure unless each verdict is sure."""
    return sum(_verdict(sub, inst, search) for sub in subs)


def _verdict(schema: Any, inst: Any, search: Any) -> bool:
    try:
        _check(schema, inst, search)
    except _Invalid:
        return False
    return True


def _not(want: Any, inst: Any, search: Any) -> None:
    if _verdict(want, inst, search):
        raise _Invalid


def _if(want: Any, inst: Any, search: Any, schema: dict[str, Any]) -> None:
    """if/then/else (draft 7 on): the branch the condition picks."""
    branch = schema.get("then" if _verdict(want, inst, search) else "else", True)
    _check(branch, inst, search)


_KEYWORDS: dict[str, Callable[[Any, Any, Any], None]] = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(lambda v, b: v >= b),
    "maximum": _bound(lambda v, b: v <= b),
    "exclusiveMinimum": _bound(lambda v, b: v > b),
    "exclusiveMaximum": _bound(lambda v, b: v < b),
    "minLength": _size(str, lambda n, b: n >= b),
    "maxLength": _size(str, lambda n, b: n <= b),
    "minItems": _size(list, lambda n, b: n >= b),
    "maxItems": _size(list, lambda n, b: n <= b),
    "minProperties": _size(dict, lambda n, b: n >= b),
    "maxProperties": _size(dict, lambda n, b: n <= b),
    "pattern": _pattern,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
}
