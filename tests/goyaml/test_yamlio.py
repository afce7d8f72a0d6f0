"""yamlio: helm's YAML reading; every expectation was checked against helm v4.1.4."""

from __future__ import annotations

import time

import pytest

from minihelm.errors import YAMLError
from minihelm.golang.jsonio import dumps_go
from minihelm.goyaml.yamlio import load_all, load_values, load_yaml, load_yaml_list, load_yaml_map


def values_json(text: str) -> str:
    """What `{{ .Values | toJson }}` prints for a chart whose values.yaml is text."""
    return dumps_go(load_values(text, "values.yaml"))


def values_error(text: str) -> str:
    with pytest.raises(YAMLError) as ei:
        load_values(text, "values.yaml")
    return ei.value.message


def test_yaml11_scalars_and_keys() -> None:
    text = ("a: 1\nb: yes\nn: 0755\nY: 0x1F\nc: 1_000\nd: 1e3\ne: ~\nf: 2001-12-14\ng: 0b101\n"
            "h: 08\ni: .5\nj: +12\nk: 0o17\n1.1: x\n3.14159265358979: z\n5: q\n")
    assert values_json(text) == (
        '{"1.1":"x","3.1415927":"z","5":"q","a":1,"b":true,"c":1000,"d":1000,"e":null,'
        '"f":"2001-12-14","false":493,"g":5,"h":8,"i":0.5,"j":12,"k":15,"true":31}')


@pytest.mark.parametrize("word,want", [
    ("y", True), ("Y", True), ("yes", True), ("Yes", True), ("YES", True), ("on", True),
    ("On", True), ("ON", True), ("true", True), ("True", True), ("TRUE", True),
    ("n", False), ("N", False), ("no", False), ("No", False), ("NO", False), ("off", False),
    ("Off", False), ("OFF", False), ("false", False), ("False", False), ("FALSE", False),
    ("yEs", "yEs"), ("oN", "oN"), ("tRUE", "tRUE"), ("nULL", "nULL"),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
])
def test_bool_and_null_words(word: str, want: object) -> None:
    assert load_values(f"v: {word}\n", "values.yaml") == {"v": want}


def test_every_number_is_float64() -> None:
    v = load_values("i: 1000000\nbig: 9223372036854775808\nneg: -0x10\n", "values.yaml")
    assert v == {"i": 1e6, "big": 9.223372036854776e18, "neg": -16.0}
    assert all(type(x) is float for x in v.values())


@pytest.mark.parametrize("text,want", [
    ("v: 1_0.5\n", 10.5), ("v: 0x\n", "0x"), ("v: 1e400\n", "1e400"), ("v: .e3\n", ".e3"),
    ("v: '1'\n", "1"), ('v: "yes"\n', "yes"), ("v: 0b2\n", "0b2"), ("v: -0b11\n", -3.0),
    ("v: 1:20\n", "1:20"), ("v: 0.\n", 0.0), ("v: +.inf_\n", "+.inf_"),
    ("v: 2001-12-14t21:59:43.10-05:00\n", "2001-12-14t21:59:43.10-05:00"),
])
def test_resolve_edges(text: str, want: object) -> None:
    assert load_values(text, "values.yaml") == {"v": want}


def test_explicit_tags() -> None:
    text = ('a: !!int "12"\nb: !!float 3\nc: !!str 5\nd: !foo bar\ne: !!binary aGVsbG8=\n'
            'f: !!float "1e3"\n')
    assert values_json(text) == '{"a":12,"b":3,"c":"5","d":"bar","e":"hello","f":1000}'
    assert values_error('a: !!int "x"\n').endswith("yaml: cannot decode !!str `x` as a !!int")


def test_duplicate_keys_last_wins() -> None:
    assert values_json("a: 1\na: 2\n") == '{"a":2}'


def test_multi_document_values_merge() -> None:
    assert values_json("a: 1\n---\nb: 2\n") == '{"a":1,"b":2}'
    assert values_json("a: 1\n--- # c\nb: 2\n") == '{"a":1,"b":2}'
    assert values_json("a: {p: 1}\n---\na: {q: 2}\n") == '{"a":{"p":1,"q":2}}'
    # a key `y` is the bool true, so it becomes the string "true"
    assert values_json("a: {x: 1}\n---\na: {y: 2}\n") == '{"a":{"true":2,"x":1}}'


def test_merge_keys() -> None:
    assert values_json("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n") == (
        '{"a":{"b":1},"c":{"b":1,"d":2}}')


@pytest.mark.parametrize("text", ["", "# c\n", "---\n"])
def test_empty_values(text: str) -> None:
    assert load_values(text, "values.yaml") == {}


@pytest.mark.parametrize("text,msg", [
    ("a: b: c\n", ("error converting YAML to JSON: yaml: mapping values are not allowed in "
                  "this context")),
    ("a: 1\nb: [\n", ("error converting YAML to JSON: yaml: line 2: did not find expected node "
                     "content")),
    ("a: 1\nb: c: d\n", ("error converting YAML to JSON: yaml: line 2: mapping values are not "
                        "allowed in this context")),
    ("a: 1\n\tb: 2\n", ("error converting YAML to JSON: yaml: line 2: found a tab character that "
                       "violates indentation")),
    ("a:\n  b: 1\n c: 2\n", ("error converting YAML to JSON: yaml: line 2: did not find expected "
                            "key")),
    ('a: "abc\n', "error converting YAML to JSON: yaml: line 2: found unexpected end of stream"),
    ("a: 1\n---\nb: [\n", ("error converting YAML to JSON: yaml: line 1: did not find expected "
                          "node content")),
    ("- a\n", ("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into "
              "Go value of type map[string]interface {}")),
    ("foo\n", ("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into "
              "Go value of type map[string]interface {}")),
    ("5", ("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go "
          "value of type map[string]interface {}")),
    ("true", ("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go "
             "value of type map[string]interface {}")),
    ("~: 1\n", ("error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: "
               "<nil>, value: 1")),
    ("a: .inf\n", "error converting YAML to JSON: json: unsupported value: +Inf"),
    ("a: &a [*a]\n", "error converting YAML to JSON: yaml: anchor 'a' value contains itself"),
    ("a: *b\n", "error converting YAML to JSON: yaml: unknown anchor 'b' referenced"),
    ("? [1]\n: 2\n", "error converting YAML to JSON: yaml: invalid map key: []interface {}{1}"),
])
def test_values_errors(text: str, msg: str) -> None:
    assert values_error(text) == "cannot unmarshal yaml document: " + msg


def test_bad_separator() -> None:
    assert values_error("a: 1\n---foo\nb: 2\n") == (
        "error reading yaml document: invalid Yaml document separator: foo")


def test_error_position_is_file_line() -> None:
    with pytest.raises(YAMLError) as ei:
        load_values("a: 1\n---\nb: 2\nc: d: e\n", "values.yaml")
    assert ei.value.pos is not None and ei.value.pos.line == 4


def test_alias_bomb_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    t = time.monotonic()
    msg = values_error("\n".join(lines) + "\n")
    assert msg.endswith("yaml: document contains excessive aliasing")
    assert time.monotonic() - t < 2


def test_small_alias_use_is_fine() -> None:
    assert values_json("a: &a [1, 2]\nb: *a\n") == '{"a":[1,2],"b":[1,2]}'


def test_depth_limit() -> None:
    t = time.monotonic()
    msg = values_error("a: " + "[" * 10050 + "]" * 10050 + "\n")
    assert "exceeded max depth of 10000" in msg
    assert time.monotonic() - t < 5
    deep = load_values("a: " + "[" * 5000 + "]" * 5000 + "\n", "values.yaml")
    assert isinstance(deep["a"], list)


def test_from_yaml_shapes() -> None:
    assert load_yaml_map("a: 1\n---\nb: 2", "x") == {"a": 1.0}
    assert load_yaml_list("- 1\n- 2", "x") == [1.0, 2.0]
    with pytest.raises(YAMLError) as ei:
        load_yaml_list("a: 1", "x")
    assert ei.value.message == ("error unmarshaling JSON: while decoding JSON: json: cannot "
                                "unmarshal object into Go value of type []interface {}")
    assert load_yaml("", "x") is None
    assert load_all("a: 1\n---\n- b\n", "x") == [{"a": 1.0}, ["b"]]
