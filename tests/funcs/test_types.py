"""Sprig reflection functions (funcs.types) against outputs recorded from helm v4.1.4.

The values file was `num: 1`, `s: str`, `m: {a: 1}`, `l: [1, 2]`, `b: true`,
`z: null`: helm saw float64, map[string]interface {}, []interface {}, bool
and nil, and .Values itself as common.Values.
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.funcs import functions
from minihelm.golang.gotypes import GoBytes, GoList, GoMap, GoStruct, Int64, NilList, NilMap


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


class Caps(GoStruct):
    go_type = "*common.Capabilities"


VALUES = GoMap({"num": 1.0}, go_type="common.Values")

# (helm template, value, typeOf output, kindOf output)
TYPE_CASES = [
    ("typeOf .Values", VALUES, "common.Values", "map"),
    (".Values.num", 1.0, "float64", "float64"),
    (".Values.m", {"a": 1.0}, "map[string]interface {}", "map"),
    (".Values.l", [1.0, 2.0], "[]interface {}", "slice"),
    (".Values.z", None, "<nil>", "invalid"),
    (".Values.b", True, "bool", "bool"),
    ('splitList "," "a"', GoList(["a"], go_type="[]string"), "[]string", "slice"),
    ("list", [], "[]interface {}", "slice"),
    ("dict", {}, "map[string]interface {}", "map"),
    ("1", 1, "int", "int"),
    ('"x"', "x", "string", "string"),
    ("add 1 2", Int64(3), "int64", "int64"),
    (".Capabilities", Caps(), "*common.Capabilities", "ptr"),
    ('.Files.GetBytes "x"', GoBytes(b""), "[]uint8", "slice"),
    ('split "," "a,b"', GoMap({"_0": "a"}, go_type="map[string]string"), "map[string]string",
     "map"),
    ("rest (list)", NilList(), "[]interface {}", "slice"),
]


@pytest.mark.parametrize("tpl,v,type_name,kind", TYPE_CASES, ids=[c[0] for c in TYPE_CASES])
def test_type_and_kind(tpl: str, v: Any, type_name: str, kind: str) -> None:
    assert call("typeOf", v) == type_name
    assert call("kindOf", v) == kind
    assert call("typeIs", type_name, v) is True
    assert call("kindIs", kind, v) is True


def test_type_is_like() -> None:
    # helm: typeIsLike "common.Capabilities" .Capabilities -> true; typeIsLike "float64" 1.5 -> true
    assert call("typeIsLike", "common.Capabilities", Caps()) is True
    assert call("typeIsLike", "float64", 1.5) is True
    assert call("typeIs", "common.Capabilities", Caps()) is False
    # helm: kindIs "invalid" nil -> true
    assert call("kindIs", "invalid", None) is True


L_VALUES = [1.0, 2.0]
M_VALUES = {"a": 1.0, "b": {"c": 2.0}}

# (helm template, a, b, helm's answer)
DEEP_EQUAL_CASES = [
    ("deepEqual 1 1", 1, 1, True),
    ("deepEqual 1 .Values.num", 1, 1.0, False),
    ("deepEqual 1.0 .Values.num", 1.0, 1.0, True),
    ("deepEqual (list 1 2) .Values.l", [1, 2], L_VALUES, False),
    ("deepEqual (list 1.0 2.0) .Values.l", [1.0, 2.0], L_VALUES, True),
    ("deepEqual (list) (rest (list))", [], NilList(), False),
    ("deepEqual (rest (list)) (rest (list))", NilList(), NilList(), True),
    ("deepEqual nil nil", None, None, True),
    ('deepEqual .Values.m (dict "a" 1.0 "b" (dict "c" 2.0))', M_VALUES,
     {"a": 1.0, "b": {"c": 2.0}}, True),
    ('deepEqual .Values (dict ...same content...)', GoMap(M_VALUES, go_type="common.Values"),
     dict(M_VALUES), False),
    ('deepEqual (splitList "," "a") (list "a")', GoList(["a"], go_type="[]string"), ["a"], False),
    ("deepEqual (add 1 1) 2", Int64(2), 2, False),
    ('deepEqual "a" "a"', "a", "a", True),
    ("deepEqual (dict) (merge nil nil)", {}, NilMap(), False),
    ("deepEqual true 1", True, 1, False),
]


@pytest.mark.parametrize("tpl,a,b,want", DEEP_EQUAL_CASES, ids=[c[0] for c in DEEP_EQUAL_CASES])
def test_deep_equal(tpl: str, a: Any, b: Any, want: bool) -> None:
    assert call("deepEqual", a, b) is want


def test_deep_equal_same_struct_pointer() -> None:
    # helm: deepEqual .Capabilities .Capabilities -> true
    c = Caps()
    assert call("deepEqual", c, c) is True


def test_deep_equal_nan() -> None:
    nan = float("nan")
    assert call("deepEqual", nan, nan) is False
