"""funcs.yaml_json: toYaml/fromYaml/toJson/fromJson/toToml... against helm v4.1.4 output."""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import functions
from minihelm.golang.gotypes import Int64, NilList, NilMap


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


def test_helm_4_1_4_function_set() -> None:
    names = functions()
    for n in ("toYaml", "mustToYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson",
              "mustToJson", "toPrettyJson", "mustToPrettyJson", "toRawJson", "mustToRawJson",
              "fromJson", "mustFromJson", "fromJsonArray", "toToml", "fromToml"):
        assert names[n].category == "yaml_json"
    # helm 4.1.4: function "mustToToml" / "mustFromJsonArray" / "mustFromYaml" not defined
    for n in ("mustToToml", "mustFromJsonArray", "mustFromYaml"):
        assert n not in names


def test_to_yaml_family() -> None:
    v = {"a": 1, "b": ["x", "y"], "c": {"n": None}}
    assert call("toYaml", v) == 'a: 1\nb:\n- x\n- "y"\nc:\n  "n": null'
    v2 = {**v, "f": 1.5, "i": Int64(1000000), "fl": 1000000.0}
    assert call("toYamlPretty", v2) == (
        'a: 1\nb:\n  - x\n  - "y"\nc:\n  "n": null\nf: 1.5\nfl: 1e+06\ni: 1000000')
    assert call("toYaml", float("nan")) == ""
    assert call("toYaml", 1000000.0) == "1000000"
    with pytest.raises(GoFuncError) as ei:
        call("mustToYaml", float("nan"))
    assert ei.value.message == "error marshaling into JSON: json: unsupported value: NaN"


def test_from_yaml_family() -> None:
    assert call("fromYaml", "a: b: c") == {
        "Error": "error converting YAML to JSON: yaml: mapping values are not allowed in this "
                 "context"}
    assert call("fromYamlArray", "a: [1") == [
        "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"]
    assert call("fromYaml", "") == {}
    assert call("fromYaml", "~") == {}
    assert call("fromYamlArray", "") == []
    assert call("fromYaml", "a: 1\n---\nb: 2") == {"a": 1.0}


def test_to_json_family() -> None:
    assert call("toJson", float("nan")) == ""
    assert call("toPrettyJson", float("nan")) == ""
    assert call("toRawJson", {"a": "<b>&"}) == '{"a":"<b>&"}'
    with pytest.raises(GoFuncError) as ei:
        call("mustToJson", {"x": float("inf")})
    assert ei.value.message == "json: unsupported value: +Inf"


def test_from_json_family() -> None:
    assert call("fromJson", '{"a": 1, "b": [1, "x"]}') == {"a": 1.0, "b": [1.0, "x"]}
    assert call("fromJson", "[1]") == {
        "Error": "json: cannot unmarshal array into Go value of type map[string]interface {}"}
    assert call("fromJson", "1e400") == {
        "Error": "json: cannot unmarshal number into Go value of type map[string]interface {}"}
    assert call("fromJson", '{"a": 1e400, "b": 2}') == {
        "Error": "json: cannot unmarshal number 1e400 into Go value of type float64",
        "a": None, "b": 2.0}
    nil = call("fromJson", "null")
    assert isinstance(nil, NilMap) and nil.go_type == "map[string]interface {}"
    assert isinstance(call("fromJsonArray", "null"), NilList)
    assert call("fromJsonArray", "{}") == [
        "json: cannot unmarshal object into Go value of type []interface {}"]
    assert call("fromJsonArray", "[1") == ["unexpected end of JSON input"]
    assert call("fromJsonArray", '[1, {"a": null}]') == [1.0, {"a": None}]
    assert call("mustFromJson", "3") == 3.0
    assert call("mustFromJson", "null") is None
    with pytest.raises(GoFuncError) as ei:
        call("mustFromJson", "{")
    assert ei.value.message == "unexpected end of JSON input"


NESTED = {
    "name": "x", "num": 1.0, "big": 1000000.0, "flt": 1.5, "b": True, "n": None,
    "list": [1.0, "a", True], "empty": [], "emptymap": {}, "key with space": "v", "ключ": 1.0,
    "nested": {"a": 1.0, "deeper": {"z": 'q"uote\nline\ttab'}},
    "arr": [{"a": 1.0}, {"b": 2.0}], "mixed": [{"a": 1.0}, 2.0], "lists": [[1.0, 2.0], ["x"]],
    "s2": "multi\nline",
}


def test_to_toml() -> None:
    assert call("toToml", NESTED) == (
        'b = true\nbig = 1e+06\nempty = []\nflt = 1.5\n"key with space" = "v"\n'
        'list = [1.0, "a", true]\nlists = [[1.0, 2.0], ["x"]]\nmixed = [{a = 1.0}, 2.0]\n'
        'name = "x"\nnum = 1.0\ns2 = "multi\\nline"\n"ключ" = 1.0\n\n[[arr]]\n  a = 1.0\n\n'
        '[[arr]]\n  b = 2.0\n\n[emptymap]\n\n[nested]\n  a = 1.0\n  [nested.deeper]\n'
        '    z = "q\\"uote\\nline\\ttab"\n')
    assert call("toToml", NESTED["nested"]) == (
        'a = 1.0\n\n[deeper]\n  z = "q\\"uote\\nline\\ttab"\n')
    assert call("toToml", [1.0, "a", True]) == '[1.0, "a", true]'
    assert call("toToml", "str") == '"str"'
    assert call("toToml", {"a": []}) == "a = []\n"
    assert call("toToml", {"a": None}) == ""
    assert call("toToml", {"i": 1, "i64": Int64(5), "f": 1.0, "f2": 1e20, "f3": 0.1,
                           "nan": float("nan")}) == (
        "f = 1.0\nf2 = 1e+20\nf3 = 0.1\ni = 1\ni64 = 5\nnan = nan\n")


def test_from_toml() -> None:
    from minihelm.golang.jsonio import dumps_go

    v = call("fromToml", "a = 1\nb = 'x'\n[c]\nd = 1.5\ne = 2021-01-01T00:00:00Z\nf = [1, 2]")
    assert dumps_go(v) == '{"a":1,"b":"x","c":{"d":1.5,"e":"2021-01-01T00:00:00Z","f":[1,2]}}'
    assert type(v["a"]) is Int64
    v = call("fromToml", "a = 1979-05-27T07:32:00-08:00\nb = 1979-05-27T07:32:00\n"
                         "c = 1979-05-27\nd = 07:32:00")
    assert dumps_go(v) == ('{"a":"1979-05-27T07:32:00-08:00","b":"1979-05-27T07:32:00Z",'
                           '"c":"1979-05-27T00:00:00Z","d":"0000-01-01T07:32:00Z"}')
    assert "Error" in call("fromToml", "a = ")  # text differs from BurntSushi's (tomllib's)
