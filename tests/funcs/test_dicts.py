"""Sprig dict functions (funcs.dicts) against outputs recorded from helm v4.1.4.

Expected values are helm's `toJson` output (compared through jsonio.dumps_go)
or helm's error text after "error calling <name>: ".  The values file used:
`num: 1`, `s: str`, `m: {a: 1, b: {c: 2}}`, `l: [1, 2]`, so .Values is a
common.Values GoMap and its numbers are float64.
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import functions
from minihelm.golang.gotypes import GoList, GoMap, NilMap
from minihelm.golang.jsonio import dumps_go


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


def values() -> GoMap:
    return GoMap(
        {"num": 1.0, "s": "str", "m": {"a": 1.0, "b": {"c": 2.0}}, "l": [1.0, 2.0]},
        go_type="common.Values",
    )


def test_dict_keys_via_strval() -> None:
    # helm: dict "a" 1 "b" | toJson -> {"a":1,"b":""}
    assert dumps_go(call("dict", "a", 1, "b")) == '{"a":1,"b":""}'
    # helm: dict 1 2 3.5 4 nil 5 true 6 (list 1 2) 7 | toJson
    got = call("dict", 1, 2, 3.5, 4, None, 5, True, 6, [1, 2], 7)
    assert dumps_go(got) == '{"1":2,"3.5":4,"\\u003cnil\\u003e":5,"[1 2]":7,"true":6}'


def test_get_set_unset_haskey() -> None:
    # helm: get (dict "a" 1) "b" | typeOf -> string (the "" default); get .Values "s" -> str
    assert call("get", {"a": 1}, "b") == ""
    assert call("get", values(), "s") == "str"
    # helm: get nil "a" | typeOf -> string; hasKey nil "a" -> false
    assert call("get", None, "a") == ""
    assert call("hasKey", None, "a") is False
    # helm: set .Values "x" 1 | toJson -> the values plus "x":1, same map mutated
    v = values()
    assert call("set", v, "x", 1) is v
    assert dumps_go(v) == '{"l":[1,2],"m":{"a":1,"b":{"c":2}},"num":1,"s":"str","x":1}'
    # helm: $d := dict "a" 1; unset $d "a"; $d | toJson -> {}; hasKey $d "a" -> false
    d = {"a": 1}
    call("unset", d, "a")
    assert d == {} and call("hasKey", d, "a") is False
    # helm: hasKey (dict "a" nil) "a" -> true
    assert call("hasKey", {"a": None}, "a") is True


def test_set_nil_map_panics() -> None:
    # helm: set nil "a" 1 -> error calling set: assignment to entry in nil map
    with pytest.raises(GoFuncError, match="^assignment to entry in nil map$"):
        call("set", None, "a", 1)


def test_pluck_pick_omit() -> None:
    # helm: pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) | toJson -> [1,3]
    assert call("pluck", "a", {"a": 1}, {"b": 2}, {"a": 3}) == [1, 3]
    # helm: pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z" | toJson -> {"a":1,"c":3}
    assert call("pick", {"a": 1, "b": 2, "c": 3}, "a", "c", "z") == {"a": 1, "c": 3}
    # helm: omit (dict "a" 1 "b" 2 "c" 3) "a" "z" | toJson -> {"b":2,"c":3}
    assert call("omit", {"a": 1, "b": 2, "c": 3}, "a", "z") == {"b": 2, "c": 3}
    # helm: pick nil "a" | toJson -> {}
    assert call("pick", None, "a") == {}


def test_keys_and_values() -> None:
    # helm: keys .Values | typeOf -> []string; values .Values | typeOf -> []interface {}
    k = call("keys", values())
    assert isinstance(k, GoList) and k.go_type == "[]string"
    assert type(call("values", values())) is list
    # Go's map order is random; ours is sorted by key (documented choice).
    assert k == ["l", "m", "num", "s"]
    assert call("values", {"b": 2, "a": 1}) == [1, 2]
    assert call("keys", {"b": 1}, {"a": 1, "b": 2}) == ["b", "a", "b"]
    # helm: keys | toJson -> []; values nil | toJson -> []; keys nil nil | toJson -> []
    assert dumps_go(call("keys")) == "[]"
    assert dumps_go(call("values", None)) == "[]"
    assert dumps_go(call("keys", None, None)) == "[]"


DIG_CASES = [
    # (helm template, args, output)
    ('dig "m" "b" "c" "d" .Values.m', ("m", "b", "c", "d", {"a": 1.0, "b": {"c": 2.0}}), "d"),
    ('dig "b" "c" "def" .Values.m', ("b", "c", "def", {"a": 1.0, "b": {"c": 2.0}}), 2.0),
    ('dig "x" "c" "def" .Values.m', ("x", "c", "def", {"a": 1.0, "b": {"c": 2.0}}), "def"),
]


@pytest.mark.parametrize("tpl,args,want", DIG_CASES, ids=[c[0] for c in DIG_CASES])
def test_dig(tpl: str, args: tuple[Any, ...], want: Any) -> None:
    assert call("dig", *args) == want


DIG_ERRORS = [
    ('dig "m" "b" "c" "d" .Values', ("m", "b", "c", "d", values()),
     "interface conversion: interface {} is common.Values, not map[string]interface {}"),
    ('dig "a" "c" "def" .Values.m', ("a", "c", "def", {"a": 1.0}),
     "interface conversion: interface {} is float64, not map[string]interface {}"),
    ('dig 1 "def" .Values.m', (1, "def", {"a": 1.0}),
     "interface conversion: interface {} is int, not string"),
    ('dig "a" "def" "notmap"', ("a", "def", "notmap"),
     "interface conversion: interface {} is string, not map[string]interface {}"),
    ('dig "a" "def" nil', ("a", "def", None),
     "interface conversion: interface {} is nil, not map[string]interface {}"),
    ('dig "a" "z" "def" (dict "a" nil)', ("a", "z", "def", {"a": None}),
     "interface conversion: interface {} is nil, not map[string]interface {}"),
    ('dig "a" 1', ("a", 1), "dig needs at least three arguments"),
]


@pytest.mark.parametrize("tpl,args,msg", DIG_ERRORS, ids=[c[0] for c in DIG_ERRORS])
def test_dig_errors(tpl: str, args: tuple[Any, ...], msg: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call("dig", *args)
    assert str(e.value) == msg


def test_merge_fills_empty_values() -> None:
    # helm (merge $d $s | toJson), with
    # $d = dict "a" "" "b" 0 "c" false "d" (list) "e" (dict) "f" nil "g" "keep" "h" (list 1)
    #           "i" (dict "x" 1) "j" "str"
    # $s = dict "a" "A" "b" 2 "c" true "d" (list 9) "e" (dict "y" 2) "f" "F" "g" "new"
    #           "h" (list 2) "i" (dict "x" 2 "z" 3) "j" (dict "q" 1) "k" nil "l" ""
    d = {"a": "", "b": 0, "c": False, "d": [], "e": {}, "f": None, "g": "keep", "h": [1],
         "i": {"x": 1}, "j": "str"}
    s = {"a": "A", "b": 2, "c": True, "d": [9], "e": {"y": 2}, "f": "F", "g": "new", "h": [2],
         "i": {"x": 2, "z": 3}, "j": {"q": 1}, "k": None, "l": ""}
    got = call("merge", d, s)
    assert got is d
    assert dumps_go(got) == (
        '{"a":"A","b":2,"c":true,"d":[9],"e":{"y":2},"f":"F","g":"keep","h":[1],'
        '"i":{"x":1,"z":3},"j":"str","l":""}'
    )


def test_merge_overwrite_takes_src_even_empty() -> None:
    # helm (mergeOverwrite $d $s | toJson), with
    # $d = dict "a" "x" "b" 1 "c" true "d" (list 1) "e" (dict "x" 1) "g" "keep"
    #           "i" (dict "x" 1) "j" "str"
    # $s = dict "a" "" "b" 0 "c" false "d" (list) "e" (dict) "g" nil "i" (dict "x" 2 "z" 3)
    #           "j" (dict "q" 1) "k" nil "l" ""
    d = {"a": "x", "b": 1, "c": True, "d": [1], "e": {"x": 1}, "g": "keep", "i": {"x": 1},
         "j": "str"}
    s = {"a": "", "b": 0, "c": False, "d": [], "e": {}, "g": None, "i": {"x": 2, "z": 3},
         "j": {"q": 1}, "k": None, "l": ""}
    assert dumps_go(call("mergeOverwrite", d, s)) == (
        '{"a":"","b":0,"c":false,"d":[],"e":{"x":1},"g":null,"i":{"x":2,"z":3},'
        '"j":{"q":1},"k":null,"l":""}'
    )


def test_merge_mutates_nested_maps_in_place() -> None:
    # helm: $i := dict "x" 1; merge (dict "i" $i) (dict "i" (dict "y" 2)); $i | toJson
    # -> {"x":1,"y":2}
    i = {"x": 1}
    call("merge", {"i": i}, {"i": {"y": 2}})
    assert i == {"x": 1, "y": 2}
    # helm: an empty nested dst map is filled in place and kept:
    # $e := dict; $d := dict "e" $e "o" 1; merge $d (dict "e" (dict "y" 2));
    # then set $s.e "z" 3 leaves $d at {"e":{"y":2},"o":1}
    e: dict[str, Any] = {}
    d = {"e": e, "o": 1}
    s = {"e": {"y": 2}}
    call("merge", d, s)
    assert d["e"] is e and e == {"y": 2}
    s["e"]["z"] = 3
    assert dumps_go(d) == '{"e":{"y":2},"o":1}'


def test_merge_nil_dst() -> None:
    # helm: merge nil (dict "a" 1) | toJson -> {"a":1}; merge (dict "a" 1) | toJson -> {"a":1}
    assert call("merge", None, {"a": 1}) == {"a": 1}
    assert call("merge", {"a": 1}) == {"a": 1}
    # helm: merge nil nil | toJson -> null; merge nil | typeOf -> map[string]interface {}
    assert isinstance(call("merge", None, None), NilMap)
    assert isinstance(call("mustMergeOverwrite", None), NilMap)


def test_deep_copy() -> None:
    v = values()
    c = call("deepCopy", v)
    # helm: deepCopy .Values | typeOf -> common.Values
    assert isinstance(c, GoMap) and c.go_type == "common.Values" and c == v
    c["m"]["a"] = 5
    assert v["m"]["a"] == 1.0
    # helm: deepCopy (splitList "," "a,b") | typeOf -> []string
    lst = call("mustDeepCopy", GoList(["a", "b"], go_type="[]string"))
    assert lst.go_type == "[]string"
    # helm: deepCopy 1 | typeOf -> int
    assert call("deepCopy", 1) == 1


def test_deep_copy_nil_panics() -> None:
    # helm: deepCopy nil -> error calling deepCopy: reflect: call of reflect.Value.Type on zero Value
    with pytest.raises(GoFuncError, match=r"^reflect: call of reflect.Value.Type on zero Value$"):
        call("deepCopy", None)
