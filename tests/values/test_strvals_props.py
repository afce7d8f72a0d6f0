"""Properties of the --set parsers: total (a dict or SetParseError, nothing else) and fast."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.errors import SetParseError
from minihelm.values.strvals import (
    parse_set,
    parse_set_json,
    parse_set_literal,
    parse_set_string,
)

PARSERS: list[Callable[..., dict[str, Any]]] = [
    parse_set,
    parse_set_string,
    parse_set_json,
    parse_set_literal,
]

# text biased towards the grammar's own characters
grammar_text = st.text(alphabet=st.sampled_from(list("ab01-9=[]{},.\\ \"x:n")), max_size=40)


def _total(fn: Callable[..., dict[str, Any]], s: str) -> None:
    try:
        out = fn(s)
    except SetParseError as e:
        assert str(e).startswith("failed parsing --set")
        return
    assert isinstance(out, dict)


@pytest.mark.parametrize("fn", PARSERS)
@settings(max_examples=150, deadline=None)
@given(s=grammar_text)
def test_grammar_text_is_dict_or_set_error(fn: Callable[..., dict[str, Any]], s: str) -> None:
    _total(fn, s)


@settings(max_examples=100, deadline=None)
@given(s=st.text(max_size=30))
def test_any_text_is_dict_or_set_error(s: str) -> None:
    for fn in PARSERS:
        _total(fn, s)


@settings(max_examples=50, deadline=None)
@given(s=grammar_text, t=grammar_text)
def test_parse_into_existing_values_is_total(s: str, t: str) -> None:
    try:
        base = parse_set(s)
    except SetParseError:
        base = {}
    _total(lambda x: parse_set(x, base), t)


@pytest.mark.parametrize(
    "expr",
    [
        "a" + "[0]" * 5000 + "=1",  # Go recurses happily; we must not hit Python's limit
        "x[0]." * 3000 + "y=1",
        "a." * 40 + "b=1",  # beyond MaxNestedNameLevel
        "a[65536]=1,b[65536][3]=2",
        "a[9223372036854775807]=1",
        "a=" + "[" * 5000,
    ],
)
def test_deep_and_huge_inputs_end_fast(expr: str) -> None:
    start = time.monotonic()
    for fn in (parse_set, parse_set_json):
        try:
            fn(expr)
        except SetParseError:
            pass
    assert time.monotonic() - start < 5


def test_deep_list_nesting_builds_the_value() -> None:
    v = parse_set("a" + "[0]" * 3000 + "=1")
    depth = 0
    cur: Any = v["a"]
    while isinstance(cur, list):
        cur, depth = cur[0], depth + 1
    assert depth == 3000 and cur == 1


def test_name_nesting_limit_is_30() -> None:
    assert parse_set("a." * 30 + "b=1")
    with pytest.raises(SetParseError, match="greater than maximum supported nested level of 30"):
        parse_set("a." * 31 + "b=1")
