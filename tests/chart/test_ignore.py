""".helmignore semantics; every expectation was taken from `helm package` (v4.1.4) on the same tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from minihelm.chart.ignore import go_match, load_ignore
from minihelm.chart.loader import load_chart
from minihelm.errors import ChartError

TREE = [
    "a.txt", "keep.txt", "top.txt", "sub/top.txt", "docs/d.md", "sub/x/n.md", "sub/r.md",
    "sub/docs/e.md", "sub/[x].txt", "sub/.dot", "templates/t.yaml", "templates/.hidden",
    "templates/.a/b.yaml",
]


def _chart(tmp_path: Path, helmignore: str) -> Path:
    root = tmp_path / "ig"
    for rel in TREE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"")
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: ig\nversion: 0.1.0\n")
    (root / ".helmignore").write_text(helmignore)
    return root


def _loaded(tmp_path: Path, helmignore: str) -> str:
    chart = load_chart(_chart(tmp_path, helmignore))
    return " ".join(sorted(f.name for f in chart.raw_files))


BASE = "sub/.dot sub/[x].txt sub/docs/e.md sub/r.md sub/top.txt sub/x/n.md templates/t.yaml"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("*.txt\n", (".helmignore Chart.yaml docs/d.md sub/.dot sub/docs/e.md sub/r.md "
         "sub/x/n.md templates/t.yaml")),
        ("docs/\n", (".helmignore Chart.yaml a.txt keep.txt sub/.dot sub/[x].txt sub/r.md "
         "sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
        ("/top.txt\n", f".helmignore Chart.yaml a.txt docs/d.md keep.txt {BASE}"),
        ("top.txt\n", (".helmignore Chart.yaml a.txt docs/d.md keep.txt sub/.dot sub/[x].txt "
         "sub/docs/e.md sub/r.md sub/x/n.md templates/t.yaml")),
        ("sub/*.md\n", (".helmignore Chart.yaml a.txt docs/d.md keep.txt sub/.dot sub/[x].txt "
         "sub/docs/e.md sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
        ("\\[x\\].txt\n", (".helmignore Chart.yaml a.txt docs/d.md keep.txt sub/.dot "
         "sub/docs/e.md sub/r.md sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
        ("/sub/docs/\n", (".helmignore Chart.yaml a.txt docs/d.md keep.txt sub/.dot "
         "sub/[x].txt sub/r.md sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
        (".*\n", ("Chart.yaml a.txt docs/d.md keep.txt sub/[x].txt sub/docs/e.md sub/r.md "
         "sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
        ("sub\n", ".helmignore Chart.yaml a.txt docs/d.md keep.txt templates/t.yaml top.txt"),
        ("  # c\n\n sub/r.md  \n", (".helmignore Chart.yaml a.txt docs/d.md keep.txt sub/.dot "
         "sub/[x].txt sub/docs/e.md sub/top.txt sub/x/n.md templates/t.yaml top.txt")),
    ],
)
def test_rules_like_helm_package(tmp_path: Path, rules: str, expected: str) -> None:
    assert _loaded(tmp_path, rules) == expected


@pytest.mark.parametrize("rules", ["*.txt\n!keep.txt\n", "!keep.txt\n*.txt\n", "!*.txt\n"])
def test_negation_quirk_ignores_everything_else(tmp_path: Path, rules: str) -> None:
    # helm: a negated rule ignores every path it does NOT match, Chart.yaml included.
    with pytest.raises(ChartError, match="^Chart.yaml file is missing$"):
        load_chart(_chart(tmp_path, rules))


@pytest.mark.parametrize(
    ("rules", "message"),
    [("[\n", "syntax error in pattern"), ("a**\n", "double-star (**) syntax is not supported")],
)
def test_bad_rules(tmp_path: Path, rules: str, message: str) -> None:
    with pytest.raises(ChartError) as info:
        load_chart(_chart(tmp_path, rules))
    assert info.value.message == message


def test_rules_api() -> None:
    rules = load_ignore("\ufeff*.bak\nbuild/\n!keep\n")
    assert rules.ignore("x/y.bak", False)
    assert not rules.ignore(".", True)
    assert rules.ignore("build", True)
    # dir-only rule does not match a file named build; the negation then ignores it
    assert rules.ignore("build", False)
    assert not rules.ignore("keep", False)
    assert not load_ignore("build/\n").ignore("build", False)
    assert load_ignore("").with_defaults().ignore("templates/.x", False)
    assert not load_ignore("").with_defaults().ignore("templates/a/.x", False)


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        ("*", "abc", True),
        ("*", "a/b", False),
        ("a*/b", "abc/b", True),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[a-c]x", "bx", True),
        ("[^a-c]x", "dx", True),
        ("[^a-c]x", "/x", True),
        ("[c-a]x", "bx", False),
        ("\\*", "*", True),
        ("a[", "a", None),
        ("[]a]", "]", None),
        ("[a-]", "a", None),
        ("x\\", "x", None),
    ],
)
def test_go_path_match(pattern: str, name: str, expected: bool | None) -> None:
    # Go's path.Match documented semantics; None = ErrBadPattern.
    from minihelm.chart.ignore import BadPattern

    if expected is None:
        with pytest.raises(BadPattern):
            go_match(pattern, name)
    else:
        assert go_match(pattern, name) is expected
