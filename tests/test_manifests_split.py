"""manifests.split_on_separators: the same pieces as helm 4.1.4's separator regex, for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.manifests import _SEP, split_documents, split_on_separators

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
