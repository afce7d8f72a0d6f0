"""blockyaml: the direct writer gives libyaml's bytes, document for document."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minihelm.goyaml.blockyaml import dump_go_yaml, dump_go_yaml_libyaml

# Characters that change libyaml's choices: indicators, quotes, escapes, breaks,
# tabs, non-ASCII, NEL and the line separator, digits and signs for resolution.
TRICKY = st.sampled_from(list("aZ09 _-./:#,[]{}&*!|>'\"%@`?~=<+\\\n\t\r\x85\u2028é😀")) | \
    st.sampled_from(["yes", "no", "on", "true", "null", "~", "1.0", "0x1F", "1e3", "1:20",
                     "2024-01-02", "2024-01-02T03:04:05Z", "<<", "=", "---", "...", "0o7",
                     "word", "another word", "https://example.com/a-b_c.tgz"])
TEXT = st.lists(TRICKY, max_size=30).map("".join)
LONG = st.lists(st.sampled_from(["lorem", "ipsum", "dolor", "sit-amet", "a", "bb", "x" * 40]),
                min_size=5, max_size=30).map(" ".join)
SCALARS = TEXT | LONG | st.integers() | st.booleans() | st.none() | \
    st.floats(allow_nan=False)
KEYS = TEXT | st.sampled_from(["name", "version", "artifacthub.io/images", "k" * 130])
DOCS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(KEYS, inner, max_size=5), max_leaves=40)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, DOCS, max_size=6))
# libyaml's "..." marker after a line separator in a kept block scalar (found by CI)
@example({"name": [], "": "\n\u2028"})
@example({"a": "\n\u2029", "b": {"c": "\r"}})
def test_direct_writer_matches_libyaml(doc: dict[str, object]) -> None:
    assert dump_go_yaml(doc) == dump_go_yaml_libyaml(doc)


def _entry(i: int) -> dict[str, object]:
    return {
        "apiVersion": "v2", "name": f"chart{i}", "version": f"1.{i}.0", "appVersion": "1.0",
        "created": "2024-05-06T07:08:09.123456789Z", "digest": "ab" * 32,
        "description": "A long description that goes on and on, past the eighty columns "
                       "of the line, so that libyaml folds it at a space" * (i % 3),
        "annotations": {"artifacthub.io/images": "- name: app\n  image: docker.io/app:1\n",
                        "category": "Infrastructure", "licenses": "Apache-2.0",
                        "strip": "no final break\nhere"},
        "keywords": ["alpha", "beta gamma", "1.0", "true", ""],
        "maintainers": [{"name": "Someone", "email": "a@b.c"}, {"name": "x: y"}],
        "dependencies": [{"name": "common", "repository": "oci://r/c", "tags": ["a", "b"],
                          "import-values": [{"child": "x", "parent": "y"}], "version": "2.x.x"}],
        "urls": [f"https://example.com/charts/chart{i}-1.{i}.0.tgz"],
        "sources": [], "home": "", "deprecated": False, "weird": {"k" * 130: 1, "": None},
        "nested": [["a", "b"], []], "tabbed": "a\tb", "unicode": "héllo wörld",
    }


@pytest.mark.parametrize("n", [1, 3, 12])
def test_index_shaped_documents(n: int) -> None:
    doc = {"apiVersion": "v1", "entries": {f"c{i}": [_entry(i), _entry(i + 1)] for i in range(n)},
           "generated": "2024-05-06T07:08:09Z"}
    out = dump_go_yaml(doc)
    assert out == dump_go_yaml_libyaml(doc)
    assert "  - annotations:\n      artifacthub.io/images: |\n        - name: app\n" in out


@pytest.mark.parametrize("doc", [
    {}, [], "text", {"a": "keep\n\n"}, {"a": "\n"}, {"z": "end\n\n\n"}, {1: "a", "b": 2},
    {"a": 1.5}, {"a": float("inf")}, {"a": {"b": [[1]]}}, {"x" * 200: "long key"},
])
def test_edge_documents(doc: object) -> None:
    assert dump_go_yaml(doc) == dump_go_yaml_libyaml(doc)


def test_folding_column_follows_the_key() -> None:
    words = " ".join(["word"] * 40)
    for key in ("k", "a-much-longer-key-name", "k" * 79):
        doc = {"top": {key: words}, "list": [words]}
        assert dump_go_yaml(doc) == dump_go_yaml_libyaml(doc)
        assert "\n" in dump_go_yaml(doc).split(":", 2)[2]  # it did fold
