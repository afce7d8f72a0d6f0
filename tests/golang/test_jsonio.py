"""jsonio: Go encoding/json Marshal/Unmarshal; expectations printed by helm v4.1.4 (toJson,
toPrettyJson, toRawJson, fromJson) or by Go's strconv."""

from __future__ import annotations

import pytest

from minihelm.golang.gotypes import GoBytes, Int64, NilList, NilMap
from minihelm.golang.jsonio import GoJSONError, GoJSONTypeError, dumps_go, format_float, loads_go


def test_marshal_like_helm_to_json() -> None:
    # {{ toJson (dict "a" "<b>&" "c" (list 1 2.5 nil true) "d" 1000000 "e" 1e21 "f" 1e-7
    #    "g" 0.000001 "h" (int64 5)) }}
    v = {"a": "<b>&", "c": [1, 2.5, None, True], "d": 1000000, "e": 1e21, "f": 1e-7,
         "g": 0.000001, "h": Int64(5)}
    assert dumps_go(v) == ('{"a":"\\u003cb\\u003e\\u0026","c":[1,2.5,null,true],"d":1000000,'
                           '"e":1e+21,"f":1e-7,"g":0.000001,"h":5}')


def test_pretty_and_raw() -> None:
    v = {"a": [1, {"b": []}], "c": {}}
    assert dumps_go(v, indent="  ") == (
        '{\n  "a": [\n    1,\n    {\n      "b": []\n    }\n  ],\n  "c": {}\n}')
    assert dumps_go({"a": "<b>&", "u": "\u2028"}, escape_html=False) == (
        '{"a":"<b>&","u":"\\u2028"}')
    assert dumps_go("\u2028x\x7f") == '"\\u2028x\x7f"'


@pytest.mark.parametrize("f,want", [
    (1e6, "1000000"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1e-6, "0.000001"),
    (1e-7, "1e-7"), (-0.0, "-0"), (123456789.0, "123456789"), (1.5e-10, "1.5e-10"),
    (0.1, "0.1"), (2.5e300, "2.5e+300"),
])
def test_json_floats(f: float, want: str) -> None:
    assert dumps_go(f) == want


@pytest.mark.parametrize("f,want", [
    (1e6, "1e+06"), (123456789.0, "1.23456789e+08"), (100000.0, "100000"), (1e-5, "1e-05"),
    (0.0001, "0.0001"), (1.5, "1.5"), (-0.0, "-0"), (float("inf"), "+Inf"),
])
def test_strconv_g(f: float, want: str) -> None:
    assert format_float(f) == want


def test_float32_shortest() -> None:
    # sigs.k8s.io/yaml formats float map keys with 32-bit precision: 3.14159265358979 -> 3.1415927
    assert format_float(3.14159265358979, "g", 32) == "3.1415927"


def test_unsupported_values() -> None:
    with pytest.raises(GoJSONError) as ei:
        dumps_go({"a": float("nan")})
    assert str(ei.value) == "json: unsupported value: NaN"
    with pytest.raises(GoJSONError) as ei:
        dumps_go(float("-inf"))
    assert str(ei.value) == "json: unsupported value: -Inf"


def test_go_types() -> None:
    assert dumps_go(GoBytes(b"hi")) == '"aGk="'
    assert dumps_go({"m": NilMap(), "l": NilList()}) == '{"l":null,"m":null}'
    # an invalid byte becomes the six characters \ufffd (helm: probe trunc-cuts-utf8-fine-in-quote-and-json)
    assert dumps_go("a\udcffb") == '"a\\ufffdb"'


def test_unmarshal_values() -> None:
    assert loads_go('{"a": 1, "b": [1, "x"]}') == {"a": 1.0, "b": [1.0, "x"]}
    assert loads_go("null") is None
    assert loads_go('"\\ud83d\\ude00"') == "\U0001F600"


@pytest.mark.parametrize("text,msg", [
    ('{"a": }', "invalid character '}' looking for beginning of value"),
    ("nul", "invalid character ' ' in literal null (expecting 'l')"),
    ("", "unexpected end of JSON input"),
    ('{"a":1} x', "invalid character 'x' after top-level value"),
    ("01", "invalid character '1' after top-level value"),
    ("1.", "invalid character ' ' after decimal point in numeric literal"),
    ("1e", "invalid character ' ' in exponent of numeric literal"),
    ('"\\x"', "invalid character 'x' in string escape code"),
    ('{"a" 1}', "invalid character '1' after object key"),
    ('{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    ("[1,]", "invalid character ']' looking for beginning of value"),
    ("tru", "invalid character ' ' in literal true (expecting 'e')"),
    ("trux", "invalid character 'x' in literal true (expecting 'e')"),
    ('"é', "unexpected end of JSON input"),
    ("é", "invalid character 'Ã' looking for beginning of value"),
    ("-", "invalid character ' ' in numeric literal"),
    ("-x", "invalid character 'x' in numeric literal"),
    ("[1", "unexpected end of JSON input"),
    ('"\\', "invalid character ' ' in string escape code"),
    ('"\\u12', "invalid character ' ' in \\u hexadecimal character escape"),
    ("[1 2]", "invalid character '2' after array element"),
    ('{"a":1 "b"}', "invalid character '\"' after object key:value pair"),
    ('"a\tb"', "invalid character '\\t' in string literal"),
])
def test_unmarshal_errors(text: str, msg: str) -> None:
    with pytest.raises(GoJSONError) as ei:
        loads_go(text)
    assert str(ei.value) == msg


def test_number_out_of_range_decodes_on() -> None:
    with pytest.raises(GoJSONTypeError) as ei:
        loads_go('{"a": 1e400, "b": 2}')
    assert str(ei.value) == "json: cannot unmarshal number 1e400 into Go value of type float64"
    assert ei.value.value == {"a": None, "b": 2.0}
