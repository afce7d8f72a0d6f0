"""schemaquick: every True it gives is jsonschema's verdict too, and it gives True often."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minihelm.values import valuecheck
from minihelm.values.schemaquick import surely_valid


def _real(schema: Any, data: Any) -> bool | None:
    """The verdict valuecheck would get from jsonschema; None where jsonschema raises."""
    try:
        return bool(valuecheck._validator_class(schema)(schema).is_valid(data))
    except Exception:  # noqa: BLE001 - a schema jsonschema cannot use
        return None


def _quick(schema: Any, data: Any) -> bool | None:
    return surely_valid(schema, data, valuecheck._go_search)


KEYS = st.sampled_from(["a", "b", "c", "port", "enabled"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.0, 2.0, 2.5, -0.5, float("nan")]),
    st.sampled_from(["", "x", "ab", "abc", "1", "é"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)), max_leaves=8)
TYPES = st.sampled_from(["array", "boolean", "integer", "null", "number", "object", "string",
                         "any", "float"])
NUM = st.one_of(st.integers(-2, 3), st.sampled_from([0.5, 1.0, True]))
SIZE = st.one_of(st.integers(0, 3), st.sampled_from([1.0, -1, True]))


def _keywords(sub: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    subs = st.lists(sub, max_size=3)
    one = st.one_of(
        st.builds(lambda t: {"type": t}, st.one_of(TYPES, st.lists(TYPES, max_size=2), NUM)),
        st.builds(lambda p: {"properties": p}, st.dictionaries(KEYS, sub, max_size=3)),
        st.builds(lambda a: {"additionalProperties": a}, st.one_of(st.booleans(), sub)),
        st.builds(lambda r: {"required": r}, st.one_of(st.lists(KEYS, max_size=2), st.booleans())),
        st.builds(lambda i: {"items": i}, st.one_of(sub, subs, st.booleans())),
        st.builds(lambda e: {"enum": e}, st.one_of(st.lists(DATA, max_size=3), SCALARS)),
        st.builds(lambda c: {"const": c}, DATA),
        st.builds(lambda k, n: {k: n}, st.sampled_from(
            ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]), NUM),
        st.builds(lambda k, n: {k: n}, st.sampled_from(
            ["minLength", "maxLength", "minItems", "maxItems", "minProperties",
             "maxProperties"]), SIZE),
        st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "[0-9]", "x*"])),
        st.builds(lambda k, s: {k: s}, st.sampled_from(["allOf", "anyOf", "oneOf"]), subs),
        st.builds(lambda s: {"not": s}, sub),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, sub, sub, sub),
        st.builds(lambda t: {"then": t}, sub),
        st.builds(lambda k, v: {k: v}, st.sampled_from(
            ["$ref", "patternProperties", "uniqueItems", "multipleOf", "dependencies",
             "propertyNames", "contains", "prefixItems", "form", "title", "format", "default",
             # malformed values of the keywords the walker implements
             "oneOf", "anyOf", "allOf", "not", "enum", "required", "type", "items",
             "properties", "additionalProperties", "pattern", "minLength"]),
            st.one_of(st.booleans(), st.just("#/definitions/x"), st.integers(1, 2),
                      st.just({"a": {"type": "string"}}), sub)),
    )
    return st.lists(one, max_size=3).map(lambda parts: {k: v for p in parts for k, v in p.items()})


SCHEMAS = st.recursive(st.one_of(st.booleans(), st.just({})), _keywords, max_leaves=6)
DRAFTS = st.sampled_from([None, "http://json-schema.org/schema#",
                          "http://json-schema.org/draft-04/schema#",
                          "http://json-schema.org/draft-06/schema#",
                          "http://json-schema.org/draft-07/schema#",
                          "https://json-schema.org/draft/2020-12/schema"])


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, DATA, DRAFTS)
# a failed keyword before one jsonschema raises on (found by a random run)
@example({"anyOf": [{"enum": [], "type": "any"}, True]}, None, None)
@example({"anyOf": [{"properties": {"a": {"enum": []}, "b": {"type": "any"}}}, True]},
         {"a": 1, "b": 2}, None)
@example({"not": {"oneOf": 5}}, None, None)
@example({"anyOf": [{"items": {"allOf": [{"enum": []}, {"type": "any"}]}}, True]}, [1], None)
def test_every_true_is_jsonschemas_verdict(schema: Any, data: Any, draft: str | None) -> None:
    if draft is not None and isinstance(schema, dict):
        schema = {"$schema": draft, **schema}
    if _quick(schema, data):
        assert _real(schema, data) is True


@given(st.dictionaries(KEYS, DATA, max_size=4))
def test_a_typed_schema_of_the_common_keywords_is_answered(data: dict[str, Any]) -> None:
    # bitnami's shape: nested properties with types, descriptions and its own keywords
    schema = {"$schema": "http://json-schema.org/schema#", "type": "object", "properties": {
        k: {"type": ["null", "boolean", "integer", "number", "string", "array", "object"],
            "description": "d", "form": True} for k in ["a", "b", "port"]}}
    assert _quick(schema, data) is True
    assert _real(schema, data) is True


@pytest.mark.parametrize(("schema", "data", "want"), [
    ({"type": "integer"}, 3.0, True),  # draft 6 on: a float with no fraction is an integer
    ({"type": "integer"}, 3.5, None),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}, 3, None),
    ({"$schema": 4, "type": "string"}, "x", None),  # jsonschema raises on it
    ({"enum": [1]}, 1.0, None),  # equal across int and float: jsonschema decides
    ({"enum": ["a", None]}, None, True),
    ({"enum": [[1]]}, [1], None),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x"}, True),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"b": 1}, None),
    ({"required": ["a"]}, {"b": 1}, None),
    ({"required": True}, {"a": 1}, None),  # draft 3's form
    ({"minimum": 2, "exclusiveMinimum": True}, 3, None),  # draft 4's form
    ({"if": {"properties": {"on": {"const": True}}}, "then": {"required": ["port"]},
      "else": {"required": ["off"]}}, {"on": True, "port": 1}, True),
    ({"if": {"properties": {"on": {"const": True}}}, "then": {"required": ["port"]}},
     {"on": True}, None),
    ({"oneOf": [{"type": "null"}, {"type": "object"}]}, None, True),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1, None),
    ({"not": {"type": "string"}}, 1, True),
    ({"$ref": "#/definitions/x", "definitions": {"x": {}}}, 1, None),
    ({"pattern": "^[a-z]+$"}, "abc", True),
    ({"pattern": "^[a-z]+$"}, "ABC", None),
    ({"items": [{"type": "string"}]}, ["a"], None),  # the tuple form
    ({"uniqueItems": True}, [1, 2], None),
    ({"x-anything": {"type": "string"}, "hidden": True}, 5, True),  # no draft knows them
])
def test_verdicts(schema: Any, data: Any, want: bool | None) -> None:
    assert _quick(schema, data) is want
    if want:
        assert _real(schema, data) is True


def test_a_passing_schema_check_does_not_import_jsonschema(tmp_path: Any) -> None:
    code = (
        "import sys\n"
        "from minihelm.values.valuecheck import _validate_one\n"
        "out = _validate_one({'a': 1.0}, b'{\"properties\": {\"a\": {\"type\": \"integer\"}}}')\n"
        "print(repr(out), 'jsonschema' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["''", "False"]


def test_a_failing_check_still_reports_through_jsonschema() -> None:
    out = valuecheck._validate_one({"a": "x"}, b'{"properties": {"a": {"type": "integer"}}}')
    assert out == "- at '/a': got string, want integer\n"
    assert "jsonschema" in sys.modules
    assert jsonschema is not None
