"""--set parsers against helm v4.1.4 (`helm template c --set ...` with `{{ .Values | toJson }}`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minihelm.errors import SetParseError
from minihelm.golang.gotypes import Int64
from minihelm.values.strvals import (
    parse_set,
    parse_set_file,
    parse_set_json,
    parse_set_literal,
    parse_set_string,
)

# (expression, JSON helm printed) for --set
SET_OK = [
    (
        "a=1,b=true,c=null,d=0,e=01,f=TRUE,g=1.5,h=,i=-3,j=+4,k=9223372036854775808,l=Null",
        ('{"a":1,"b":true,"c":null,"d":0,"e":"01","f":true,"g":"1.5","h":"","i":-3,"j":4,'
        '"k":"9223372036854775808","l":null}'),
    ),
    ("a[", "{}"),
    ("a[0]=1,a[3]=2", '{"a":[1,null,null,2]}'),
    ("a[0]", '{"a":[]}'),
    ("a[1].b=1,a[0].c=2", '{"a":[{"c":2},{"b":1}]}'),
    ("a[1][2]=1", '{"a":[null,[null,null,1]]}'),
    (r"a=x\,y\=z,b\.c=1", '{"a":"x,y=z","b.c":1}'),
    ("a.b.c=1,a.b.d=2,a.e={}", '{"a":{"b":{"c":1,"d":2},"e":[""]}}'),
    (".a=1", "{}"),
    ("=1", "{}"),
    ("a=b=c", '{"a":"b=c"}'),
    ("a==1", '{"a":"=1"}'),
    ("a=1,", '{"a":1}'),
    ("a.b=,c=1", '{"a":{"b":""},"c":1}'),
    ("a=\\", '{"a":""}'),
    ("a[0][", '{"a":[]}'),
    ("a[0]=1,a[0].", '{"a":[{}]}'),
    ("a[0].b[1]", '{"a":[]}'),
    ("a[0]=x,a[0].b[0][1]=1", '{"a":[{"b":[[null,1]]}]}'),
    ("a=fal\u017fe,b=-0,c=+0,d=0x10,e=1_000", '{"a":false,"b":0,"c":0,"d":"0x10","e":"1_000"}'),
    ("a[+1]=1", '{"a":[null,1]}'),
]

SET_ERR = [
    ("a", 'key "a" has no value'),
    ("a,b=1", 'key "a" has no value (cannot end with ,)'),
    ("a.b", 'key "b" has no value'),
    ("a=1,a.b=2", ("unable to parse key: interface conversion: interface {} is int64, "
     "not map[string]interface {}")),
    ("a.b=2,a[0]=1", ("unable to parse key: interface conversion: interface {} is "
     "map[string]interface {}, not []interface {}")),
    ("a[-1]=1", "negative -1 index not allowed"),
    ("a[70000]=1", "index of 70000 is greater than maximum supported index of 65536"),
    ("a[x]=1", 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'),
    ("a={1,b,true},b={},c={a", "list must terminate with '}'"),
    ("a[0].b", 'key "b" has no value'),
    ("a[0]x=1", "unexpected data at end of array index: ['x']"),
    ("a.=1", 'key map "a" has no value'),
    (",a=1", 'key "" has no value (cannot end with ,)'),
    ("a=1,,b=2", 'key "" has no value (cannot end with ,)'),
    ("a[0]={1,2},b={x}y,c={}", 'key "y" has no value (cannot end with ,)'),
    ("a={1,2}x", 'key "x" has no value'),
    ("a[99999999999999999999]=1", ('error parsing index: strconv.Atoi: parsing '
     '"99999999999999999999": value out of range')),
    ("a\\", 'key "a" has no value'),
    ("a=1,a[0].", ("unable to parse key: interface conversion: interface {} is int64, "
     "not []interface {}")),
    ("a=null,a.b=1", ("unable to parse key: interface conversion: interface {} is nil, "
     "not map[string]interface {}")),
    ("a=null,a[0]=1", ("unable to parse key: interface conversion: interface {} is nil, "
     "not []interface {}")),
    ("a[0]=x,a[0][1]=1", ("unable to parse key: interface conversion: interface {} is string, "
     "not []interface {}")),
    ("a.b=1,a.b[0][x]=1", ("unable to parse key: interface conversion: interface {} is int64, "
     "not []interface {}")),
    ("a[1]=1,a[0].b[x]=2", 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'),
    ("a[70000].b[x]=1", 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'),
    ("a[70000].b=1", "index of 70000 is greater than maximum supported index of 65536"),
]


def _json(v: object) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize(("expr", "want"), SET_OK)
def test_set_matches_helm(expr: str, want: str) -> None:
    assert _json(parse_set(expr)) == want


@pytest.mark.parametrize(("expr", "core"), SET_ERR)
def test_set_errors_match_helm(expr: str, core: str) -> None:
    with pytest.raises(SetParseError) as ei:
        parse_set(expr)
    lines = str(ei.value).split("\n")
    assert lines[0] == f"failed parsing --set data: {core}"
    assert lines[1] == expr and lines[2].strip() == "^"


def test_set_integers_are_int64() -> None:
    v = parse_set("a=5,b={1,x}")
    assert type(v["a"]) is Int64 and type(v["b"][0]) is Int64


def test_caret_points_at_fault() -> None:
    with pytest.raises(SetParseError) as ei:
        parse_set("ok=1,a[x]=1")
    assert str(ei.value).split("\n")[2] == "       ^"


def test_into_is_updated_and_later_wins() -> None:
    base = {"a": {"b": 1}, "c": 2}
    out = parse_set("a.d=3,c=4", base)
    assert out is base and _json(base) == '{"a":{"b":1,"d":3},"c":4}'
    with pytest.raises(SetParseError, match="is int64, not map"):
        parse_set("c.x=1", base)


JSON_OK = [
    ('a=1,b="x",c=[1,{"d":null}],e=,f={"g":1.5}',
     '{"a":1.0,"b":"x","c":[1.0,{"d":null}],"e":null,"f":{"g":1.5}}'),
    ("a=1 b=2", '{"a":1.0,"b":2.0}'),
    ('{"a":{"b":1}}', '{"a":{"b":1.0}}'),
    (' {"a":1}', '{"a":1.0}'),
    ('a[1]={"x":1}', '{"a":[null,{"x":1.0}]}'),
    ("a=1,", '{"a":1.0}'),
    ("a=   ", '{"a":null}'),
    ("a=  , b=3", '{" b":3.0,"a":null}'),
]
JSON_ERR = ["a=12x", "a=1.", "a=tru", "a=1e400", "a=NaN", "a"]


@pytest.mark.parametrize(("expr", "want"), JSON_OK)
def test_set_json_matches_helm(expr: str, want: str) -> None:
    assert _json(parse_set_json(expr)) == want


@pytest.mark.parametrize("expr", JSON_ERR)
def test_set_json_errors_show_input(expr: str) -> None:
    with pytest.raises(SetParseError) as ei:
        parse_set_json(expr)
    assert str(ei.value).split("\n")[0] == f"failed parsing --set-json data {expr}"


def test_set_json_object_form() -> None:
    base = {"a": {"b": 1.0}}
    assert _json(parse_set_json('{"a":{"c":2}}', base)) == '{"a":{"b":1.0,"c":2.0}}'
    with pytest.raises(SetParseError) as ei:
        parse_set_json('{"a":1} x')
    assert str(ei.value).split("\n")[0] == 'failed parsing --set-json data JSON: {"a":1} x'


def test_set_string() -> None:
    assert _json(parse_set_string("a=1,b=true,c=null,d={1,true}")) == (
        '{"a":"1","b":"true","c":"null","d":["1","true"]}'
    )
    with pytest.raises(SetParseError) as ei:
        parse_set_string("a.b=2", {"a": Int64(1)})
    assert str(ei.value).startswith("failed parsing --set-string data: unable to parse key")


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("a=1,b=x\\,y{1}=z", '{"a":"1,b=x\\\\,y{1}=z"}'),
        ("a.b[0]=1", '{"a":{"b":["1"]}}'),
        ("c,d.e=1", '{"c,d":{"e":"1"}}'),
        ("=1", "{}"),
        ("a[0]", '{"a":[]}'),
    ],
)
def test_set_literal(expr: str, want: str) -> None:
    assert _json(parse_set_literal(expr)) == want


@pytest.mark.parametrize(
    ("expr", "core"),
    [
        ("a", 'key "a" has no value'),
        ("a[0]x=1", "unexpected data at end of array index: ['x']"),
        ("a.=1", 'key map "a" has no value'),
    ],
)
def test_set_literal_errors(expr: str, core: str) -> None:
    with pytest.raises(SetParseError) as ei:
        parse_set_literal(expr)
    assert str(ei.value).split("\n")[0] == f"failed parsing --set-literal data: {core}"


def test_set_file(tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("hello\nworld")
    assert parse_set_file(f"a={f},b={{{f}}}") == {"a": "hello\nworld", "b": ["hello\nworld"]}
    assert parse_set_file("a=") == {"a": ""}
    missing = tmp_path / "nope.txt"
    with pytest.raises(SetParseError) as ei:
        parse_set_file(f"a={missing}")
    assert str(ei.value).split("\n")[0] == (
        f"failed parsing --set-file data: open {missing}: no such file or directory"
    )
    assert parse_set_file("a=x", read=lambda p: p.upper()) == {"a": "X"}
