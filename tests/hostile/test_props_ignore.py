"""Properties of the .helmignore parser: any text gives Rules or nothing raised, matching is total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.chart.ignore import load_ignore
from minihelm.errors import MinihelmError

LINE = st.text(alphabet=st.sampled_from(list("ab/*?![]^-\\.# \t\r")), max_size=12)
# helm never ignores "." itself (ignore.go Ignore), so path parts are never "." or ".."
PART = st.text(alphabet="ab.x", min_size=1, max_size=4).filter(lambda s: s not in (".", ".."))
PATH = st.lists(PART, min_size=1, max_size=4).map("/".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=8), PATH, st.booleans())
def test_any_text_loads_and_matching_is_total(lines: list[str], path: str, is_dir: bool) -> None:
    try:
        rules = load_ignore("\n".join(lines).encode())
    except MinihelmError:
        return  # a reported bad pattern is fine; any other exception is not
    assert isinstance(rules.ignore(path, is_dir), bool)
    assert isinstance(rules.with_defaults().ignore(path, is_dir), bool)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=8), PATH)
def test_comments_and_blank_lines_change_nothing(lines: list[str], path: str) -> None:
    base = "\n".join(lines)
    try:
        a = load_ignore(base.encode())
    except MinihelmError:
        return
    b = load_ignore(("# comment\n\n" + base + "\n\n# end\n").encode())
    assert a.ignore(path, False) == b.ignore(path, False)


@settings(max_examples=200, deadline=None)
@given(PATH)
def test_a_literal_pattern_ignores_its_own_file(path: str) -> None:
    """helm: a pattern without a slash is matched against the file's base name."""
    base = path.rsplit("/", 1)[-1]
    assert load_ignore(base.encode()).ignore(path, False)
