"""manifests.split_on_separators: the same pieces as helm 4.1.4's separator regex, for any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.render.manifests import _SEP, split_documents, split_on_separators

texts = st.lists(st.sampled_from([" ", "\n", "\t", "\r", "\f", "-", "---", "\n---", "a", "\n--- "]),
                 max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_matches_the_regex(text: str) -> None:
    assert split_on_separators(text) == _SEP.split(text)


def test_examples() -> None:
    assert split_on_separators("---\na: 1\n---\nb: 2\n  \n---  \n\nc") == ["", "a: 1", "b: 2", "c"]
    assert split_on_separators("a\n----b") == ["a", "-b"]  # dashes after the separator stay
    # helm 4.1.4 quirk: a separator right after another one stays in the document
    assert split_documents("\n---\n---\nx: 1\n---\n") == ["---\nx: 1"]


def test_only_large_outputs_have_their_heads_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    # A small document's head is read faster than a memo entry is written or read.
    from minihelm._core import memo
    from minihelm.render import manifests

    kinds: list[str] = []
    real = memo.remember
    monkeypatch.setattr(memo, "remember", lambda kind, data, compute: (
        kinds.append(kind), real(kind, data, compute))[1])
    monkeypatch.setattr(memo, "_enabled", False)
    small = "kind: ConfigMap\nmetadata:\n  name: a\n"
    large = small + "data:\n" + "".join(f"  k{i}: v{i}\n" for i in range(500))
    assert [m.name for m in manifests._file_heads("t/small.yaml", small)] == ["a"]
    assert [m.kind for m in manifests._file_heads("t/large.yaml", large)] == ["ConfigMap"]
    assert kinds == ["heads:t/large.yaml"]
