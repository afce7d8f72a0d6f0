"""Sprig math and conversion functions (funcs.math) against outputs recorded from helm v4.1.4.

Each case is (template expression run through `helm template`, function,
arguments as the runtime passes them, helm's printed output).  The chart's
values were `x: 1`, `f: 3.7`, `big: 1e20`, `neg: -2.5` (all float64).
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import NON_HERMETIC, functions
from minihelm.funcs.math import parse_float, parse_int, to_int64
from minihelm.golang.gofmt import format_value
from minihelm.golang.gotypes import GoList, Int64

HELM_CASES = [
    ('add .Values.x 1', 'add', (1.0, 1), '2'),
    ('add 1 2 3', 'add', (1, 2, 3), '6'),
    ('add', 'add', (), '0'),
    ('add "5" "0x10" "010" "08" "1_000" "1.0" "1.5" true nil', 'add', ('5', '0x10', '010', '08', '1_000', '1.0', '1.5', True, None), '1031'),
    ('add "0b101" "0o17" "-0x1F" "+7" " 1" "1e3" "10.00" "0_10"', 'add', ('0b101', '0o17', '-0x1F', '+7', ' 1', '1e3', '10.00', '0_10'), '14'),
    ('add 9223372036854775807 1', 'add', (9223372036854775807, 1), '-9223372036854775808'),
    ('add1 .Values.f', 'add1', (3.7,), '4'),
    ('add1 .Values.neg', 'add1', (-2.5,), '-1'),
    ('add1 .Values.big', 'add1', (1e+20,), '-9223372036854775807'),
    ('sub 10 .Values.f', 'sub', (10, 3.7), '7'),
    ('mul 2 3 .Values.f', 'mul', (2, 3, 3.7), '18'),
    ('mul 5', 'mul', (5,), '5'),
    ('div 7 2', 'div', (7, 2), '3'),
    ('div -7 2', 'div', (-7, 2), '-3'),
    ('mod -7 2', 'mod', (-7, 2), '-1'),
    ('mod 7 -2', 'mod', (7, -2), '1'),
    ('max 1 5 3', 'max', (1, 5, 3), '5'),
    ('biggest -1 "7" 3.9', 'biggest', (-1, '7', 3.9), '7'),
    ('min 4 "x" 2', 'min', (4, 'x', 2), '0'),
    ('min 4', 'min', (4,), '4'),
    ('int 3.7', 'int', (3.7,), '3'),
    ('int .Values.neg', 'int', (-2.5,), '-2'),
    ('int "12"', 'int', ('12',), '12'),
    ('int "12.0"', 'int', ('12.0',), '12'),
    ('int "12.5"', 'int', ('12.5',), '0'),
    ('int (list 1)', 'int', ([1],), '0'),
    ('int64 .Values.f', 'int64', (3.7,), '3'),
    ('int64 "0x1f"', 'int64', ('0x1f',), '31'),
    ('int64 "99999999999999999999"', 'int64', ('99999999999999999999',), '0'),
    ('float64 "1.5"', 'float64', ('1.5',), '1.5'),
    ('float64 "1_000.5"', 'float64', ('1_000.5',), '1000.5'),
    ('float64 "0x1p-2"', 'float64', ('0x1p-2',), '0.25'),
    ('float64 "inf"', 'float64', ('inf',), '+Inf'),
    ('float64 "1e400"', 'float64', ('1e400',), '0'),
    ('float64 "abc"', 'float64', ('abc',), '0'),
    ('float64 " 1"', 'float64', (' 1',), '0'),
    ('float64 ".5"', 'float64', ('.5',), '0.5'),
    ('float64 "5."', 'float64', ('5.',), '5'),
    ('float64 3', 'float64', (3,), '3'),
    ('float64 true', 'float64', (True,), '1'),
    ('float64 nil', 'float64', (None,), '0'),
    ('atoi "42"', 'atoi', ('42',), '42'),
    ('atoi "-42"', 'atoi', ('-42',), '-42'),
    ('atoi "+4"', 'atoi', ('+4',), '4'),
    ('atoi "4.2"', 'atoi', ('4.2',), '0'),
    ('atoi "0x10"', 'atoi', ('0x10',), '0'),
    ('atoi "99999999999999999999"', 'atoi', ('99999999999999999999',), '9223372036854775807'),
    ('atoi "-99999999999999999999"', 'atoi', ('-99999999999999999999',), '-9223372036854775808'),
    ('atoi ""', 'atoi', ('',), '0'),
    ('toDecimal "0777"', 'toDecimal', ('0777',), '511'),
    ('toDecimal "755"', 'toDecimal', ('755',), '493'),
    ('toDecimal 755', 'toDecimal', (755,), '493'),
    ('toDecimal 8', 'toDecimal', (8,), '0'),
    ('toDecimal "0o17"', 'toDecimal', ('0o17',), '0'),
    ('toDecimal .Values.x', 'toDecimal', (1.0,), '1'),
    ('toDecimal "-17"', 'toDecimal', ('-17',), '-15'),
    ('floor 1.5', 'floor', (1.5,), '1'),
    ('floor "-1.5"', 'floor', ('-1.5',), '-2'),
    ('ceil 1.2', 'ceil', (1.2,), '2'),
    ('ceil -0.5', 'ceil', (-0.5,), '-0'),
    ('ceil .Values.big', 'ceil', (1e+20,), '1e+20'),
    ('round 3.14159 2', 'round', (3.14159, 2), '3.14'),
    ('round 2.5 0', 'round', (2.5, 0), '3'),
    ('round -2.5 0', 'round', (-2.5, 0), '-3'),
    ('round -2.4 0', 'round', (-2.4, 0), '-3'),
    ('round 1234.5678 -2', 'round', (1234.5678, -2), '1200'),
    ('round 1.45 1', 'round', (1.45, 1), '1.5'),
    ('round 2.3 0 0.3', 'round', (2.3, 0, 0.3), '2'),
    ('round "7.77" 1', 'round', ('7.77', 1), '7.8'),
    ('addf 0.1 0.2', 'addf', (0.1, 0.2), '0.3'),
    ('addf 1 2 "3.5"', 'addf', (1, 2, '3.5'), '6.5'),
    ('addf', 'addf', (), '0'),
    ('add1f 1.1', 'add1f', (1.1,), '2.1'),
    ('subf 1 0.9', 'subf', (1, 0.9), '0.1'),
    ('subf 10', 'subf', (10,), '10'),
    ('mulf 1.1 3', 'mulf', (1.1, 3), '3.3'),
    ('mulf 0.1 0.1 0.1', 'mulf', (0.1, 0.1, 0.1), '0.001'),
    ('divf 1 3', 'divf', (1, 3), '0.3333333333333333'),
    ('divf 2 3', 'divf', (2, 3), '0.6666666666666667'),
    ('divf 10 4 2', 'divf', (10, 4, 2), '1.25'),
    ('divf -2 3', 'divf', (-2, 3), '-0.6666666666666667'),
    ('divf 1e-20 3', 'divf', (1e-20, 3), '0'),
    ('mulf 1e300 1e300', 'mulf', (1e+300, 1e+300), '+Inf'),
    ('addf .Values.big 1', 'addf', (1e+20, 1), '1e+20'),
    ('maxf 1 2.5 "3"', 'maxf', (1, 2.5, '3'), '3'),
    ('minf 1 -2.5 "x"', 'minf', (1, -2.5, 'x'), '-2.5'),
    ('until 5', 'until', (5,), '[0 1 2 3 4]'),
    ('until -3', 'until', (-3,), '[0 -1 -2]'),
    ('until 0', 'until', (0,), '[]'),
    ('untilStep 0 10 3', 'untilStep', (0, 10, 3), '[0 3 6 9]'),
    ('untilStep 10 0 -4', 'untilStep', (10, 0, -4), '[10 6 2]'),
    ('untilStep 10 0 4', 'untilStep', (10, 0, 4), '[]'),
    ('untilStep 0 10 0', 'untilStep', (0, 10, 0), '[]'),
    ('seq 5', 'seq', (5,), '1 2 3 4 5'),
    ('seq -3', 'seq', (-3,), '1 0 -1 -2 -3'),
    ('seq 0', 'seq', (0,), '1 0'),
    ('seq 2 5', 'seq', (2, 5), '2 3 4 5'),
    ('seq 5 2', 'seq', (5, 2), '5 4 3 2'),
    ('seq 0 3 10', 'seq', (0, 3, 10), '0 3 6 9'),
    ('seq 10 -3 0', 'seq', (10, -3, 0), '10 7 4 1'),
    ('seq 10 3 0', 'seq', (10, 3, 0), ''),
    ('seq', 'seq', (), ''),
    ('seq 1 2 3 4', 'seq', (1, 2, 3, 4), ''),
]


@pytest.mark.parametrize("expr,name,args,printed", HELM_CASES)
def test_matches_helm(expr: str, name: str, args: tuple[Any, ...], printed: str) -> None:
    assert format_value(functions()[name].fn(*args)) == printed, expr


HELM_ERRORS = [
    ("div 1 0", "div", (1, 0), "runtime error: integer divide by zero"),
    ("mod 1 0", "mod", (1, 0), "runtime error: integer divide by zero"),
    ('div 1 "x"', "div", (1, "x"), "runtime error: integer divide by zero"),
    ("divf 1 0", "divf", (1, 0), "decimal division by 0"),
    ('addf "NaN"', "addf", ("NaN",), "Cannot create a Decimal from NaN"),
    ('addf "-inf"', "addf", ("-inf",), "Cannot create a Decimal from -Inf"),
    ("randInt 5 5", "randInt", (5, 5), "invalid argument to Intn"),
]


@pytest.mark.parametrize("expr,name,args,message", HELM_ERRORS)
def test_errors_match_helm(expr: str, name: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        functions()[name].fn(*args)
    assert str(e.value) == message, expr


def test_result_go_types() -> None:
    f = functions()
    # add/sub/... return int64; int and atoi return Go int; until returns []int.
    assert type(f["add"].fn(1, 2)) is Int64
    assert type(f["int64"].fn("3")) is Int64
    assert type(f["int"].fn("3")) is int
    assert type(f["atoi"].fn("3")) is int
    assert type(f["float64"].fn(3)) is float
    assert type(f["addf"].fn(1)) is float
    u = f["until"].fn(3)
    assert isinstance(u, GoList) and u.go_type == "[]int" and u == [0, 1, 2]


def test_int64_overflow_wraps() -> None:
    assert functions()["add"].fn(9223372036854775807, 1) == -9223372036854775808
    assert functions()["mul"].fn(1 << 62, 4) == 0
    assert functions()["div"].fn(-9223372036854775808, -1) == -9223372036854775808


def test_cast_details() -> None:
    assert to_int64(float("nan")) == -9223372036854775808  # amd64 conversion
    assert to_int64("0x_1f") == 31
    assert to_int64("1__0") == 0
    assert parse_int("0b") is None and parse_int("-0") == 0
    assert parse_float("1e400") is None and parse_float("-Infinity") == float("-inf")
    assert parse_float("0x1.8p1") == 3.0 and parse_float("0x1.8") is None


def test_rand_int_in_range_and_not_hermetic() -> None:
    assert all(3 <= functions()["randInt"].fn(3, 6) < 6 for _ in range(20))
    assert "randInt" in NON_HERMETIC
