"""Sprig list functions (funcs.lists) against outputs recorded from helm v4.1.4.

Each case is (the template helm rendered, function, arguments as the runtime
passes them, helm's output).  Outputs of `... | toJson` are compared through
jsonio.dumps_go, the others through fmt's %v (gofmt.format_value).  Values
file numbers are float64, so `.Values.l` ([1, 2] in values.yaml) is [1.0, 2.0].
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import functions
from minihelm.golang.gofmt import format_value
from minihelm.golang.gotypes import GoBytes, GoList, NilList
from minihelm.golang.jsonio import dumps_go


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


def strs(*xs: str) -> GoList:
    return GoList(xs, go_type="[]string")


VALUES_L = [1.0, 2.0]

# (helm template, function, args, helm output, "json" | "print")
HELM_CASES = [
    ('list 1 "a" nil | toJson', "list", (1, "a", None), '[1,"a",null]', "json"),
    ('tuple 1 2', "tuple", (1, 2), "[1 2]", "print"),
    ('prepend (list 1) 0 | toJson', "prepend", ([1], 0), "[0,1]", "json"),
    ('chunk 2 (list 1 2 3 4 5) | toJson', "chunk", (2, [1, 2, 3, 4, 5]), "[[1,2],[3,4],[5]]", "json"),
    ('chunk 2 (list) | toJson', "chunk", (2, []), "[]", "json"),
    ('chunk 5 (list 1 2) | toJson', "chunk", (5, [1, 2]), "[[1,2]]", "json"),
    ('chunk -2 (list 1 2 3) | toJson', "chunk", (-2, [1, 2, 3]), "[]", "json"),
    ('last (list 1 2)', "last", ([1, 2],), "2", "print"),
    ('initial (list 1 2 3) | toJson', "initial", ([1, 2, 3],), "[1,2]", "json"),
    ('rest (list 1 2 3) | toJson', "rest", ([1, 2, 3],), "[2,3]", "json"),
    ('reverse (list 1 2 3) | toJson', "reverse", ([1, 2, 3],), "[3,2,1]", "json"),
    ('reverse (list) | toJson', "reverse", ([],), "[]", "json"),
    ('uniq (list 1 1 "1" 1.0 (list 1) (list 1)) | toJson', "uniq",
     ([1, 1, "1", 1.0, [1], [1]],), '[1,"1",1,[1]]', "json"),
    ('uniq (list) | toJson', "uniq", ([],), "[]", "json"),
    ('without (list 1 2 3 1) 1 3 | toJson', "without", ([1, 2, 3, 1], 1, 3), "[2]", "json"),
    ('without (list 1) | toJson', "without", ([1],), "[1]", "json"),
    ('has 1 (list 1)', "has", (1, [1]), "true", "print"),
    ('has 1 .Values.l', "has", (1, VALUES_L), "false", "print"),
    ('has 1.0 .Values.l', "has", (1.0, VALUES_L), "true", "print"),
    ('has 1 nil', "has", (1, None), "false", "print"),
    ('mustHas 1 nil', "mustHas", (1, None), "false", "print"),
    ('compact (list 0 1 "" "a" nil false true (list) (dict) 0.0) | toJson', "compact",
     ([0, 1, "", "a", None, False, True, [], {}, 0.0],), '[1,"a",true]', "json"),
    ('slice (list 1 2 3) 1 | toJson', "slice", ([1, 2, 3], 1), "[2,3]", "json"),
    ('slice (list 1 2 3) 1 2 | toJson', "slice", ([1, 2, 3], 1, 2), "[2]", "json"),
    ('slice (list 1 2 3) "1" | toJson', "slice", ([1, 2, 3], "1"), "[2,3]", "json"),
    ('slice (list 1 2 3) 1.9 | toJson', "slice", ([1, 2, 3], 1.9), "[2,3]", "json"),
    ('rest (list)', "rest", ([],), "[]", "print"),
    ('concat (list 1) (list 2 3) | toJson', "concat", ([1], [2, 3]), "[1,2,3]", "json"),
]


@pytest.mark.parametrize("tpl,name,args,want,how", HELM_CASES, ids=[c[0] for c in HELM_CASES])
def test_helm_cases(tpl: str, name: str, args: tuple[Any, ...], want: str, how: str) -> None:
    got = call(name, *args)
    assert (dumps_go(got) if how == "json" else format_value(got)) == want


# helm: error calling <name>: <text>
HELM_ERRORS = [
    ('first "abc"', "first", ("abc",), "Cannot find first on type string"),
    ('mustFirst "abc"', "mustFirst", ("abc",), "Cannot find first on type string"),
    ("first nil", "first", (None,),
     "runtime error: invalid memory address or nil pointer dereference"),
    ("push nil 1", "push", (None, 1),
     "runtime error: invalid memory address or nil pointer dereference"),
    ('concat (list 1) "x"', "concat", ([1], "x"), "Cannot concat type string as list"),
    ("concat (list 1) nil", "concat", ([1], None),
     "runtime error: invalid memory address or nil pointer dereference"),
    ('append "ab" 1', "append", ("ab", 1), "Cannot push on type string"),
    ("mustAppend 1 1", "mustAppend", (1, 1), "Cannot push on type int"),
    ("prepend (dict) 1", "prepend", ({}, 1), "Cannot prepend on type map"),
    ("chunk 0 (list 1 2)", "chunk", (0, [1, 2]), "runtime error: makeslice: len out of range"),
    ("chunk -1 (list 1 2 3)", "chunk", (-1, [1, 2, 3]),
     "runtime error: makeslice: len out of range"),
    ("chunk 0 (list)", "chunk", (0, []), "runtime error: makeslice: len out of range"),
    ('has 1 "abc"', "has", (1, "abc"), "Cannot find has on type string"),
    ("slice (list 1 2 3) 2 1", "slice", ([1, 2, 3], 2, 1),
     "reflect.Value.Slice: slice index out of bounds"),
    ("slice (list 1 2 3) -1", "slice", ([1, 2, 3], -1),
     "reflect.Value.Slice: slice index out of bounds"),
    ('slice "abc" 1', "slice", ("abc", 1), "list should be type of slice or array but string"),
    ('uniq "x"', "uniq", ("x",), "Cannot find uniq on type string"),
    ('without "x" 1', "without", ("x", 1), "Cannot find without on type string"),
    ("reverse .Values", "reverse", ({"a": 1.0},), "Cannot find reverse on type map"),
    ("last 1.5", "last", (1.5,), "Cannot find last on type float64"),
]


@pytest.mark.parametrize("tpl,name,args,msg", HELM_ERRORS, ids=[c[0] for c in HELM_ERRORS])
def test_helm_errors(tpl: str, name: str, args: tuple[Any, ...], msg: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call(name, *args)
    assert str(e.value) == msg


def test_result_types_match_helm() -> None:
    # helm: typeOf (append (splitList "," "a,b") "c") = []interface {}
    got = call("append", strs("a", "b"), "c")
    assert type(got) is list and got == ["a", "b", "c"]
    # helm: typeOf (chunk 2 (list 1 2 3)) = [][]interface {}
    assert call("chunk", 2, [1, 2, 3]).go_type == "[][]interface {}"
    # helm: typeOf (slice (splitList "," "a,b") 1) = []string
    sliced = call("slice", strs("a", "b"), 1)
    assert isinstance(sliced, GoList) and sliced.go_type == "[]string" and sliced == ["b"]
    # helm: typeOf (slice (list)) = <nil>; typeOf (last (list)) = <nil>
    assert call("slice", [], 5) is None
    assert call("last", []) is None
    # helm: first (splitList "," "a,b") | typeOf = string
    assert call("first", strs("a", "b")) == "a"


def test_nil_slices_print_empty_but_are_nil() -> None:
    # helm: rest (list) | toJson = null, initial (list) | toJson = null, concat | toJson = null,
    # concat (list) | toJson = null, while compact (list) | toJson = [].
    for got in (call("rest", []), call("initial", []), call("concat"), call("concat", [])):
        assert isinstance(got, NilList)
        assert format_value(got) == "[]"
    assert not isinstance(call("compact", []), NilList)


def test_bytes_are_lists_of_bytes() -> None:
    assert call("first", GoBytes(b"hi")) == ord("h")
    assert call("slice", GoBytes(b"hello"), 1, 3) == GoBytes(b"el")


def test_inputs_are_not_modified() -> None:
    src = [3, 1, 2]
    call("reverse", src)
    call("append", src, 4)
    call("prepend", src, 0)
    assert src == [3, 1, 2]


def test_chunk_single_item_negative_size() -> None:
    # Sprig's float arithmetic: (1-1)/-3 = -0 -> one chunk of fmod(1, -3) = 1 item.
    assert call("chunk", -3, [7]) == [[7]]
