"""Sprig default/empty/coalesce/all/any/ternary (funcs.defaults) against outputs recorded from helm v4.1.4.

Each case is (template expression run through `helm template`, function,
arguments as the runtime passes them, helm's printed output).  The chart's
values: zero: 0, fz: 0.0, one: 1, es: '', el: [], em: {}, f: false, t: true,
n: null, m: {a: 1}.  Helm prints a nil result as an empty string.
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.funcs import functions
from minihelm.golang.gofmt import format_value
from minihelm.golang.gotypes import GoStruct, NilList, NilMap

HELM_CASES = [
    ('default "d" .Values.zero', 'default', ('d', 0.0), 'd'),
    ('default "d" .Values.one', 'default', ('d', 1.0), '1'),
    ('default "d" .Values.es', 'default', ('d', ''), 'd'),
    ('default "d" .Values.el', 'default', ('d', []), 'd'),
    ('default "d" .Values.em', 'default', ('d', {}), 'd'),
    ('default "d" .Values.f', 'default', ('d', False), 'd'),
    ('default "d" .Values.t', 'default', ('d', True), 'true'),
    ('default "d" .Values.n', 'default', ('d', None), 'd'),
    ('default "d" .Values.missing', 'default', ('d', None), 'd'),
    ('default "d" .Values.m', 'default', ('d', {'a': 1.0}), 'map[a:1]'),
    ('default "d"', 'default', ('d',), 'd'),
    ('default "d" "" "x"', 'default', ('d', '', 'x'), 'd'),
    ('default "d" "x" ""', 'default', ('d', 'x', ''), 'x'),
    ('default 5 0', 'default', (5, 0), '5'),
    ('default 5 " "', 'default', (5, ' '), ' '),
    ('empty 0', 'empty', (0,), 'true'),
    ('empty .Values.fz', 'empty', (0.0,), 'true'),
    ('empty "0"', 'empty', ('0',), 'false'),
    ('empty .Values.el', 'empty', ([],), 'true'),
    ('empty .Values.m', 'empty', ({'a': 1.0},), 'false'),
    ('empty nil', 'empty', (None,), 'true'),
    ('empty false', 'empty', (False,), 'true'),
    ('empty .Capabilities', 'empty', (GoStruct(),), 'false'),
    ('coalesce 0 "" .Values.n "x" "y"', 'coalesce', (0, '', None, 'x', 'y'), 'x'),
    ('coalesce 0 ""', 'coalesce', (0, ''), ''),
    ('coalesce', 'coalesce', (), ''),
    ('all 1 "a" true', 'all', (1, 'a', True), 'true'),
    ('all 1 "" true', 'all', (1, '', True), 'false'),
    ('all', 'all', (), 'true'),
    ('any 0 "" false', 'any', (0, '', False), 'false'),
    ('any 0 "a"', 'any', (0, 'a'), 'true'),
    ('any', 'any', (), 'false'),
    ('ternary "a" "b" true', 'ternary', ('a', 'b', True), 'a'),
    ('ternary "a" "b" false', 'ternary', ('a', 'b', False), 'b'),
    ('ternary 1 nil false', 'ternary', (1, None, False), ''),
]


@pytest.mark.parametrize("expr,name,args,printed", HELM_CASES)
def test_matches_helm(expr: str, name: str, args: tuple[Any, ...], printed: str) -> None:
    result = functions()[name].fn(*args)
    assert ("" if result is None else format_value(result)) == printed, expr


def test_default_returns_the_value_itself() -> None:
    m = {"a": 1.0}
    assert functions()["default"].fn("d", m) is m
    assert functions()["coalesce"].fn(0, None) is None


def test_typed_nils_are_empty() -> None:
    assert functions()["empty"].fn(NilList()) is True
    assert functions()["empty"].fn(NilMap()) is True
    assert functions()["empty"].fn(b"") is True
