"""Values pipeline (MergeValues, ProcessDependencies, CoalesceValues, schema, kubeVersion)
against helm v4.1.4: expectations are `helm template` output of `{{ .Values | toJson }}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minihelm.chart.loader import load_chart
from minihelm.errors import ChartError, SchemaError, ValuesError
from minihelm.values.dependencies import process_dependencies
from minihelm.values.layers import coalesce_values, merge_user_values, read_values_file
from minihelm.values.valuecheck import check_kube_version, validate_schema


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def _chart_yaml(name: str, extra: str = "") -> str:
    return f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n{extra}"


PARENT = {
    "Chart.yaml": _chart_yaml(
        "p",
        """dependencies:
- name: a
  version: 0.1.0
  condition: a.enabled,global.aon
  tags: [front]
- name: b
  version: 0.1.0
  alias: bee
  import-values:
  - data
  - child: deep.x
    parent: fromb
- name: b
  version: ">=0.1.0"
  alias: bee2
  condition: bee2.on
- name: lib
  version: 0.1.0
  tags: [back]
""",
    ),
    "values.yaml": """global:
  g1: parent
  gm: {x: 1}
a:
  enabled: true
  fromparent: 1
bee:
  keep: null
  over: parent
nullme: null
fromb:
  y: parent
tags:
  front: true
""",
    "charts/a/Chart.yaml": _chart_yaml("a"),
    "charts/a/values.yaml": "x: 1\nglobal:\n  g1: a\n  g2: a\n  gm: {y: 2}\nnested: {k: null, j: 1}\n",
    "charts/b/Chart.yaml": _chart_yaml("b"),
    "charts/b/values.yaml": "exports:\n  data:\n    imported: true\n    ov: child\n"
    "deep:\n  x: {z: 1, y: child}\nkeep: 1\nover: child\non: false\n",
    "charts/lib/Chart.yaml": _chart_yaml("lib", "type: library\n"),
    "charts/lib/values.yaml": "l: 1\n",
}

_A = '"a":{"enabled":true,"fromparent":1,"global":{"g1":"parent","g2":"a","gm":{"true":2,"x":1}},"nested":{"j":1,"k":null},"x":1}'
_B = '"deep":{"x":{"true":"child","z":1}},"exports":{"data":{"imported":true,"ov":"child"}}'
_BEE = '"bee":{' + _B + ',"global":{"g1":"parent","gm":{"x":1}},"over":"parent","true":false}'
_BEE2 = '"bee2":{' + _B + ',"global":{"g1":"parent","gm":{"x":1}},"keep":1,"over":"child","true":false}'
_TAIL = '"fromb":{"true":"parent","z":1},"global":{"g1":"parent","gm":{"x":1}},"imported":true'
_LIB = '"lib":{"global":{"g1":"parent","gm":{"x":1}},"l":1}'

# recorded from helm template p ... (root template prints .Values | toJson)
HELM = {
    "plain": "{" + f"{_A},{_BEE},{_BEE2},{_TAIL},{_LIB}" + ',"nullme":null,"ov":"child","tags":{"front":true}}',
    "a_off": '{"a":{"enabled":false,"fromparent":1},' + f"{_BEE},{_BEE2},{_TAIL},{_LIB}"
    + ',"nullme":null,"ov":"child","tags":{"front":true}}',
    "tags": '{"a":{"enabled":true,"fromparent":1,"global":{"aon":true,"g1":"parent","g2":"a","gm":{"true":2,"x":1}},"nested":{"j":1,"k":null},"x":1},"bee":{' + _B + ',"global":{"aon":true,"g1":"parent","gm":{"x":1}},"over":"parent","true":false},"bee2":{' + _B + ',"global":{"aon":true,"g1":"parent","gm":{"x":1}},"keep":1,"over":"child","true":false},"fromb":{"true":"parent","z":1},"global":{"aon":true,"g1":"parent","gm":{"x":1}},"imported":true,"nullme":null,"ov":"child","tags":{"back":false,"front":false}}',
    "mixed": '{"a":{"enabled":null,"fromparent":1,"global":{"g1":"parent","g2":"a","gm":{"true":2,"x":1,"z":3}},"nested":{"j":1,"k":null},"x":1},"bee":{' + _B + ',"global":{"g1":"parent","gm":{"x":1,"z":3}},"true":false},"bee2":{' + _B + ',"global":{"g1":"parent","gm":{"x":1,"z":3}},"keep":1,"on":true,"over":"child","true":false},"fromb":{"true":"parent","z":1},"global":{"g1":"parent","gm":{"x":1,"z":3}},"imported":true,"lib":{"global":{"g1":"parent","gm":{"x":1,"z":3}},"l":1},"nullme":null,"ov":"child","tags":{"front":true}}',
}


def _go_json(v: Any) -> str:
    def norm(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: norm(y) for k, y in x.items()}
        if isinstance(x, list):
            return [norm(y) for y in x]
        if isinstance(x, float) and x.is_integer():
            return int(x)
        return x

    return json.dumps(norm(v), sort_keys=True, separators=(",", ":"))


def _render_values(chart_dir: Path, files: list[dict[str, Any]], sets: list[str]) -> tuple[Any, str]:
    user = merge_user_values(files, set_=sets)
    chart = process_dependencies(load_chart(str(chart_dir)), user)
    return chart, _go_json(coalesce_values(chart, user))


@pytest.mark.parametrize(
    ("case", "sets", "file_text"),
    [
        ("plain", [], None),
        ("a_off", ["a.enabled=false"], None),
        ("tags", ["tags.front=false,tags.back=false,global.aon=true"], None),
        ("mixed", ["a.enabled=null", "bee2.on=true"], "bee:\n  over: null\nglobal: {gm: {z: 3}}\n"),
    ],
)
def test_dependency_pipeline_matches_helm(
    tmp_path: Path, case: str, sets: list[str], file_text: str | None
) -> None:
    root = _write(tmp_path / "p", PARENT)
    files = []
    if file_text is not None:
        (tmp_path / "f.yaml").write_text(file_text)
        files.append(read_values_file(str(tmp_path / "f.yaml")))
    _chart, got = _render_values(root, files, sets)
    assert got == HELM[case]


def test_process_dependencies_renames_and_drops(tmp_path: Path) -> None:
    root = _write(tmp_path / "p", PARENT)
    chart = process_dependencies(load_chart(str(root)), {"a": {"enabled": False}})
    assert [c.name for c in chart.dependencies] == ["bee", "bee2", "lib"]
    assert [d.name for d in chart.metadata.dependencies] == ["bee", "bee2", "lib"]
    bee = chart.metadata.dependencies[0]
    assert bee.import_values == (
        {"child": "exports.data", "parent": "."},
        {"child": "deep.x", "parent": "fromb"},
    )


def test_user_values_order_and_merge(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("hello\nworld")
    user = merge_user_values(
        [{"a": 1.0, "b": {"c": 1.0}}, {"a": None, "b": {"d": 1.0}, "e": None}],
        set_json=["b=3,a=4"],
        set_=["b=2"],
        set_string=["a=1"],
        set_file=[f"c={tmp_path / 'f.txt'}"],
        set_literal=["c=5"],
    )
    # helm: {"a":"1","b":2,"c":"5","e":null}
    assert _go_json(user) == '{"a":"1","b":2,"c":"5","e":null}'


def test_file_nulls_delete_chart_defaults(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {"Chart.yaml": _chart_yaml("c"),
                                    "values.yaml": "a: 1\nb: {c: 1}\nnullme: null\nm: {k: null, j: 1}\n"})
    user = merge_user_values([{"a": None, "b": {"d": 1.0}, "e": None}])
    got = _go_json(coalesce_values(load_chart(str(root)), user))
    # helm 4.1.4 keeps chart-default nulls, drops user-nulled defaults, keeps unknown user nulls
    assert got == '{"b":{"c":1,"d":1},"e":null,"m":{"j":1,"k":null},"nullme":null}'


def test_read_values_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ValuesError) as ei:
        read_values_file(str(tmp_path / "nope.yaml"))
    assert str(ei.value) == f"open {tmp_path / 'nope.yaml'}: no such file or directory"
    with pytest.raises(ValuesError) as ei:
        read_values_file(str(tmp_path))
    assert str(ei.value) == f"read {tmp_path}: is a directory"
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(ValuesError) as ei:
        read_values_file(str(tmp_path / "list.yaml"))
    assert str(ei.value) == (
        f"failed to parse {tmp_path / 'list.yaml'}: cannot unmarshal yaml document: error "
        "unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value "
        "of type map[string]interface {}"
    )
    (tmp_path / "multi.yaml").write_text("a: 1\n---\nb: 2\na: {x: 1}\n---\n")
    assert _go_json(read_values_file(str(tmp_path / "multi.yaml"))) == '{"a":{"x":1},"b":2}'


SCHEMA = """{
  "$schema": "https://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "replicas": {"type": "integer", "minimum": 1, "maximum": 5},
    "name": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 5},
    "mode": {"enum": ["a", "b"]},
    "c": {"const": 3},
    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true},
    "obj": {"type": "object", "additionalProperties": false, "properties": {"k": {"type": "boolean"}}},
    "n": {"type": ["string", "null"]},
    "m": {"multipleOf": 2}
  },
  "required": ["replicas"]
}"""


def _schema_chart(tmp_path: Path) -> Path:
    return _write(tmp_path / "c", {
        "Chart.yaml": _chart_yaml("c"),
        "values.yaml": "replicas: 1\nname: abc\ntags: [a]\n",
        "values.schema.json": SCHEMA,
        "charts/sub/Chart.yaml": _chart_yaml("sub"),
        "charts/sub/values.yaml": "x: 1\n",
        "charts/sub/values.schema.json":
            '{"type":"object","properties":{"x":{"type":"integer","minimum":0}},"required":["x"]}',
    })


def _schema_error(root: Path, sets: list[str]) -> str:
    user = merge_user_values([], set_=sets)
    chart = process_dependencies(load_chart(str(root)), user)
    with pytest.raises(SchemaError) as ei:
        validate_schema(chart, coalesce_values(chart, user))
    return str(ei.value)


def test_schema_single_error(tmp_path: Path) -> None:
    assert _schema_error(_schema_chart(tmp_path), ["replicas=x"]) == (
        "values don't meet the specifications of the schema(s) in the following chart(s):\n"
        "c:\n- at '/replicas': got string, want integer\n"
    )


def test_schema_subchart_and_required(tmp_path: Path) -> None:
    assert _schema_error(_schema_chart(tmp_path), ["replicas=null,sub.x=-1"]) == (
        "values don't meet the specifications of the schema(s) in the following chart(s):\n"
        "c:\n- at '': missing property 'replicas'\nsub:\n- at '/x': minimum: got -1, want 0\n"
    )


def test_schema_many_errors(tmp_path: Path) -> None:
    text = _schema_error(
        _schema_chart(tmp_path),
        ["replicas=9,name=ABCDEFG,mode=z,c=4,tags={1,1},obj.j=1,obj.k=3,n=1,m=3"],
    )
    # helm's order follows Go map iteration (random); the lines under each entry are fixed
    assert text.endswith("\n")
    blocks = text[:-1].split("\n- ")
    head, entries = blocks[0], sorted(blocks[1:])
    assert head == "values don't meet the specifications of the schema(s) in the following chart(s):\nc:"
    assert entries == sorted([
        "at '/c': value must be 3",
        ("at '/obj': validation failed\n  - at '/obj/k': got number, want boolean\n"
        "  - at '/obj': additional properties 'j' not allowed"),
        "at '/m': multipleOf: got 3, want 2",
        ("at '/name': validation failed\n  - at '/name': maxLength: got 7, want 5\n"
        "  - at '/name': 'ABCDEFG' does not match pattern '^[a-z]+$'"),
        "at '/mode': value must be one of 'a', 'b'",
        ("at '/tags': validation failed\n  - at '/tags': items at 0 and 1 are equal\n"
        "  - at '/tags/0': got number, want string\n  - at '/tags/1': got number, want string"),
        "at '/n': got number, want null or string",
        "at '/replicas': maximum: got 9, want 5",
    ])


def test_schema_passes_integral_float(tmp_path: Path) -> None:
    root = _schema_chart(tmp_path)
    user = merge_user_values([], set_json=["replicas=2.0"])
    chart = process_dependencies(load_chart(str(root)), user)
    validate_schema(chart, coalesce_values(chart, user))


def test_kube_version(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {"Chart.yaml": _chart_yaml("c", 'kubeVersion: ">= 1.99.0"\n')})
    chart = load_chart(str(root))
    with pytest.raises(ChartError) as ei:
        check_kube_version(chart, "v1.35.0")
    assert str(ei.value) == (
        "chart requires kubeVersion: >= 1.99.0 which is incompatible with Kubernetes v1.35.0"
    )
    check_kube_version(chart, "1.99.1")
    check_kube_version(chart, "v1.99.0-rc.1")  # helm checks the numbers only


def test_subchart_section_must_be_a_map(tmp_path: Path) -> None:
    root = _write(tmp_path / "p", PARENT)
    with pytest.raises(ValuesError) as ei:
        process_dependencies(load_chart(str(root)), merge_user_values([], set_=["bee=x"]))
    # helm: Error: chart dependencies processing failed: type mismatch on bee: %!t(string=x)
    assert str(ei.value) == "chart dependencies processing failed: type mismatch on bee: %!t(string=x)"


def test_split_values_flags_is_pflag_string_slice() -> None:
    """helm 4.1.4: `-f '"a,b.yaml",b.yaml'` reads a,b.yaml then b.yaml; `-f ''` reads none;
    `-f ' b.yaml'` fails as "open  b.yaml" (the space is kept)."""
    from minihelm.values.layers import split_values_flags

    assert split_values_flags(["p1.yaml,p2.yaml", "p3.yaml"]) == ["p1.yaml", "p2.yaml", "p3.yaml"]
    assert split_values_flags(['"a,b.yaml",b.yaml']) == ["a,b.yaml", "b.yaml"]
    assert split_values_flags([""]) == []
    assert split_values_flags([" b.yaml"]) == [" b.yaml"]


def _one_schema(tmp_path: Path, schema: str, values: str) -> Path:
    return _write(tmp_path / "c", {"Chart.yaml": _chart_yaml("c"), "values.yaml": values,
                                   "values.schema.json": schema})


def test_schema_pattern_is_go_regexp(tmp_path: Path) -> None:
    """helm 4.1.4 (santhosh jsonschema, Go regexp): \\d is ASCII, so Arabic-Indic digits fail."""
    root = _one_schema(tmp_path, '{"properties":{"a":{"type":"string","pattern":"^\\\\d+$"}}}',
                       'a: "\u0661\u0662"\n')
    assert _schema_error(root, []) == (
        "values don't meet the specifications of the schema(s) in the following chart(s):\n"
        "c:\n- at '/a': '\u0661\u0662' does not match pattern '^\\\\d+$'\n")


def test_schema_pattern_go_cannot_compile(tmp_path: Path) -> None:
    """helm rejects the schema itself (metaschema "format": "regex") for a lookahead."""
    root = _one_schema(tmp_path, '{"properties":{"a":{"pattern":"^(?=x)"}}}', "a: x\n")
    text = _schema_error(root, [])
    assert text.startswith(
        "values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n"
        '"file:///values.schema.json#" is not valid against metaschema: ')
    assert ("'^(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl "
            "syntax: `(?=`") in text


def test_schema_multiple_of_is_exact(tmp_path: Path) -> None:
    """helm: 0.3 is a multiple of 0.1 (big.Rat on the JSON text), unlike float division."""
    root = _one_schema(tmp_path, '{"properties":{"a":{"multipleOf":0.1}}}', "a: 0.3\n")
    chart = load_chart(str(root))
    validate_schema(chart, coalesce_values(chart, {}))
    root2 = _one_schema(tmp_path / "2", '{"properties":{"a":{"multipleOf":0.1}}}', "a: 0.35\n")
    assert "multipleOf" in _schema_error(root2, [])


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=12),
                max_size=4))
def test_split_values_flags_reads_each_flag_as_one_csv_record(flags: list[str]) -> None:
    """The plain-record shortcut gives what csv gives (pflag's readAsCSV)."""
    import csv

    from minihelm.values.layers import split_values_flags

    try:
        want = [x for f in flags if f != "" for x in next(csv.reader([f]), [])]
    except csv.Error:
        return  # a record csv refuses is not the shortcut's business
    assert split_values_flags(flags) == want
