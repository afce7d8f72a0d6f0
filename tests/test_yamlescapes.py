"""go-yaml's double-quoted escapes on libyaml (yamlescapes.py); helm's answers are probes in
tests/probes/fidelity15.yaml (yaml-*, fromyaml-*, values-*)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.errors import MinihelmError
from minihelm.yamlescapes import go_escapes
from minihelm.yamlio import load_yaml
from minihelm.yamlresolve import GoYAMLFail


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
@given(st.text(alphabet="ab:\"'\\/ \n-#|x27", max_size=40))
def test_any_text_gives_a_result_or_a_minihelm_error(text: str) -> None:
    try:
        load_yaml(text, "v")
    except MinihelmError:
        pass
