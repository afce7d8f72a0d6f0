"""go-yaml's double-quoted escapes on libyaml (yamlescapes.py); helm's answers are probes in
tests/probes/fidelity15.yaml (yaml-*, fromyaml-*, values-*)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.errors import MinihelmError
from minihelm.goyaml.yamlescapes import go_escapes
from minihelm.goyaml.yamlio import load_yaml
from minihelm.goyaml.yamlresolve import GoYAMLFail


def test_apostrophe_escape_is_an_apostrophe() -> None:
    assert load_yaml('a: "it\\\'s"\nb: it\\\'s\nc: \'x\\\'\n', "v") == {
        "a": "it's", "b": "it\\'s", "c": "x\\"}


def test_only_double_quoted_scalars_are_rewritten() -> None:
    text = "# \\'\na: x\\'\nb: \"\\\\'\"\nc: \"\\'\\'\"\n"
    assert go_escapes(text) == "# \\'\na: x\\'\nb: \"\\\\'\"\nc: \"\\x27\\x27\"\n"


def test_slash_escape_is_go_yamls_error_with_its_line() -> None:
    try:
        go_escapes('a: 1\nb: "x\\/"\n')
    except GoYAMLFail as e:
        assert (e.msg, e.line, e.col) == ("line 2: found unknown escape character", 1, 5)
    else:
        raise AssertionError("no error")


def test_slash_outside_double_quotes_is_text() -> None:
    assert load_yaml("a: x\\/\nb: 'x\\/'\n", "v") == {"a": "x\\/", "b": "x\\/"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:\"'\\/ \n-#|x27\x1a\x00\t", max_size=40))
def test_any_text_gives_a_result_or_a_minihelm_error(text: str) -> None:
    try:
        load_yaml(text, "v")
    except MinihelmError:
        pass


def test_a_control_character_is_left_for_the_parse_to_report() -> None:
    # found by the values_yaml fuzz target: libyaml's reader, not its scanner, refuses \x1a
    text = "a:\x1a    text\n  - 'q'\"\\'\"\n"
    assert go_escapes(text) == text
    try:
        load_yaml(text, "values.yaml")
    except MinihelmError as e:
        assert e.message == "error converting YAML to JSON: yaml: control characters are not allowed"
    else:
        raise AssertionError("no error")
