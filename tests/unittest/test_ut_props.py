"""Property tests: the JSONPath, set-path and suite parsers give a result or a ChartTestError."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.errors import MinihelmError
from minihelm.unittest.path import build_set_value, compile_path, find
from minihelm.unittest.suite import parse_suite_text

PATH_ALPHABET = st.sampled_from(list("ab.[]*?@()=!<>&|~'\"$0123456789-: ,/\\^x"))
paths = st.text(PATH_ALPHABET, max_size=40)
docs = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from("ab0"), kids,
                                                                max_size=3),
    max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(paths, docs)
def test_any_path_gives_values_or_a_minihelm_error(path: str, doc: Any) -> None:
    try:
        found = find(doc, path)
    except MinihelmError:
        return
    assert isinstance(found, list)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab_.-")), min_size=1, max_size=8).filter(
    lambda s: not s.startswith((".", "[")) and ".." not in s and not s.endswith(".")))
def test_dotted_names_find_nested_keys(name: str) -> None:
    keys = name.split(".")
    doc: Any = "leaf"
    for k in reversed(keys):
        doc = {k: doc}
    assert find(doc, name) == ["leaf"]


def test_dialect_examples() -> None:
    doc = {"metadata": {"annotations": {"a.b/c": "x"}},
           "spec": {"containers": [{"name": "app", "port": 80}, {"name": "side", "port": 90}]}}
    assert find(doc, 'metadata.annotations["a.b/c"]') == ["x"]
    assert find(doc, 'spec.containers[?(@.name == "side")].port') == [90]
    assert find(doc, "spec.containers[?(@.port > 85)].name") == ["side"]
    assert find(doc, "spec.containers[*].name") == ["app", "side"]
    assert find(doc, "spec.containers[-1].name") == ["side"]
    assert find(doc, "$..port") == [80, 90]
    assert find(doc, "metadata.*~") == ["annotations"]
    assert find(doc, '$[?(@.spec)].metadata.annotations["a.b/c"]') == ["x"]
    assert compile_path("a.b") is compile_path("a.b")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab.[]0123,{}=-")), max_size=20))
def test_set_paths_build_maps_or_fail_cleanly(path: str) -> None:
    try:
        out = build_set_value(path, 1)
    except MinihelmError:
        return
    assert isinstance(out, dict)


def test_set_path_examples() -> None:
    assert build_set_value("a.b", 1) == {"a": {"b": 1}}
    assert build_set_value("a[1].c", 2) == {"a": [None, {"c": 2}]}
    assert build_set_value("a.[x.y]", 3) == {"a": {"x.y": 3}}


SUITE_PIECES = st.sampled_from([
    "suite: s\n", "templates: [a.yaml]\n", "tests:\n", "  - it: t\n", "    asserts:\n",
    "      - equal: {path: a, value: 1}\n", "      - nope: {}\n", "      - exists: 3\n",
    "    documentIndex: x\n", "release: {revision: a}\n", "---\n", "  - null\n", "skip: 3\n",
    "      - contains: {path: a, count: b}\n", "capabilities: {apiVersions: 1}\n", "{]\n",
    "set: [1]\n", "    documentSelector: {value: 1}\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(SUITE_PIECES, max_size=12), st.booleans())
def test_any_suite_text_loads_or_fails_cleanly(pieces: list[str], strict: bool) -> None:
    try:
        suites = parse_suite_text("".join(pieces), "tests/x_test.yaml", "chart", strict)
    except MinihelmError:
        return
    assert all(s.tests for s in suites)
