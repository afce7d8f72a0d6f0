"""Fuzz targets, one per parser of untrusted input: bytes -> parse; only MinihelmError may escape.

Each target takes arbitrary bytes.  Any exception other than a MinihelmError
(or a hang/blow-up caught by the driver) is a finding; run.py keeps the input
under fuzz/regressions/<target>/ and tests/hostile/test_fuzz_regressions.py
replays every kept input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from minihelm.errors import MinihelmError

FUNC_NAMES = frozenset({"include", "tpl", "toYaml", "quote", "default", "printf", "len",
                        "index", "eq", "and", "or", "not", "print", "required", "list"})


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def template(data: bytes) -> None:
    """Template lexer + parser (gotemplate.parser.parse)."""
    from minihelm.gotemplate.parser import parse

    parse(_text(data), "t.yaml", FUNC_NAMES)


def strvals(data: bytes) -> None:
    """--set / --set-string / --set-literal / --set-json expression parsers."""
    from minihelm import strvals as sv

    text = _text(data)
    for fn in (sv.parse_set, sv.parse_set_string, sv.parse_set_literal, sv.parse_set_json):
        try:
            with sv.padding_budget(1 << 16):
                fn(text)
        except MinihelmError:
            pass


def helmignore(data: bytes) -> None:
    """.helmignore parser and matcher."""
    from minihelm.ignore import load_ignore

    rules = load_ignore(data).with_defaults()
    for path, is_dir in (("templates/a.yaml", False), ("charts", True), (".git", True),
                         ("a/b/c.txt", False), ("values.yaml", False)):
        rules.ignore(path, is_dir)


def _with_file(data: bytes, suffix: str, fn: Callable[[str], object]) -> None:
    fd, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        fn(path)
    finally:
        os.unlink(path)


def archive(data: bytes) -> None:
    """Chart archive loader (loader.load_chart on a .tgz)."""
    from minihelm.loader import load_chart

    _with_file(data, ".tgz", load_chart)


def index(data: bytes) -> None:
    """Repository index loader (repo.load_index)."""
    from minihelm.repo import load_index

    _with_file(data, ".yaml", load_index)


def values_yaml(data: bytes) -> None:
    """Values YAML (yamlio.load_values)."""
    from minihelm.yamlio import load_values

    load_values(data, "values.yaml")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "template": template, "strvals": strvals, "helmignore": helmignore,
    "archive": archive, "index": index, "values_yaml": values_yaml,
}


def run_one(name: str, data: bytes) -> None:
    """Run a target; expected errors (MinihelmError) are swallowed, anything else propagates."""
    try:
        TARGETS[name](data)
    except MinihelmError:
        pass
