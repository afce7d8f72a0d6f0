"""manifesthead: the head read from events equals the head of a full untyped load, or defers."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.render.manifesthead import HEAD_KEYS, read_head
from minihelm.render.manifests import _HEAD_LOADER


def full_head(doc: str) -> Any:
    try:
        obj = yaml.load(doc, Loader=_HEAD_LOADER)
    except yaml.YAMLError:
        return "error"
    if not isinstance(obj, dict):
        return "not a mapping"
    return {k: v for k, v in obj.items() if k in HEAD_KEYS}


@pytest.mark.parametrize("doc, want", [
    ("a: 1\n", {}),
    ("kind: x\nmetadata:\n  name: ~\n  annotations: {a: b, c: null, d: ''}\n",
     {"kind": "x", "metadata": {"name": None, "annotations": {"a": "b", "c": None, "d": ""}}}),
    ("kind: !!null x\nmetadata: !!str ~\n", {"kind": None, "metadata": "~"}),
    ("kind: 'null'\n", {"kind": "null"}),
    ("apiVersion: v1\nkind: a\nkind: b\n", {"apiVersion": "v1", "kind": "b"}),  # later key wins
    ("x: [1, {a: [b, c]}, {d: e}]\nkind: z\nmetadata: {name: [1, 2]}\n",
     {"kind": "z", "metadata": {"name": ["1", "2"]}}),
    ("kind: x\n...\n", {"kind": "x"}),
    ("x: {a: {b: [c]}, ? d : e}\nkind: q\n", {"kind": "q"}),
])
def test_head_values_match_a_full_load(doc: str, want: dict[str, Any]) -> None:
    assert read_head(doc, _HEAD_LOADER) == want == full_head(doc)


@pytest.mark.parametrize("doc", [
    "? [a]\n: b\nkind: x\n",        # a sequence as a key: the constructor rejects it
    "x: {? {a: 1} : 2}\nkind: k\n",  # a mapping as a key, deep inside a skipped value
    "x: *y\n",                        # an undefined alias
    "kind: &k x\n",                   # anchors and aliases go to the exact reader
    "- a\n", "", "plain\n",           # not a mapping
    "kind: x\n---\nkind: y\n",        # two documents
    "kind: [unclosed\n",              # invalid YAML
])
def test_what_the_exact_reader_decides(doc: str) -> None:
    assert read_head(doc, _HEAD_LOADER) is None


scalars = st.one_of(st.text(max_size=6), st.sampled_from(["~", "null", "", "kind", "yes", "1e3"]))
trees = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=3), st.dictionaries(scalars, kids, max_size=3)), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["apiVersion", "kind", "metadata", "spec", "x"]), trees),
       st.booleans())
def test_any_mapping_document_reads_like_a_full_load(obj: dict[str, Any], flow: bool) -> None:
    doc = yaml.safe_dump(obj, default_flow_style=flow, allow_unicode=True)
    got = read_head(doc, _HEAD_LOADER)
    assert got is None or got == full_head(doc)
    assert got is not None  # plain dumped data never needs the exact reader
