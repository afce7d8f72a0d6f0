"""repositories.yaml + the cached indexes + a keyword -> `search repo`'s rows, and rows -> helm's uitable / JSON / YAML text; the repo and search commands print it.

helm's search (pkg/cmd/search): every version of every chart of every
configured repository is a line ``name \\v repo/name \\v description \\v
keywords``; a keyword (lower-cased, or an RE2 expression with --regexp)
matches a line, and its score is the number of separators before the match
(the chart's own name scores 0).  Results sort by score, then name, then
newest version; then the version constraint (``>0.0.0`` by default, so
prereleases are left out, ``>0.0.0-0`` with --devel) keeps the first match
per chart, or every match with --versions.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MinihelmError, RepoError
from ..golang.jsonio import dumps_go
from ..golang.semver import Constraint, Version, parse_version
from ..goyaml.yamlemit import dump_yaml
from ..goyaml.yamlio import go_quote
from .repofile import RepoFile, load_lenient
from .repoindex import cache_index_file, load_index_file

__all__ = ["SearchOptions", "format_table", "search_repo", "slog_warn"]

MAX_SCORE = 25  # searchMaxScore: any score above is not a match
SEP = "\v"


# ---------------------------------------------------------------- uitable


def rune_width(ch: str) -> int:
    """go-runewidth's RuneWidth: wide and full-width East Asian runes 2, combining and control 0."""
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0 or unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def str_width(s: str) -> int:
    return sum(rune_width(c) for c in s)


def _resize(s: str, width: int) -> str:
    """uitable's strutil.Resize (left aligned): pad to width, or cut and end with "..."."""
    n = str_width(s)
    if n == width:
        return s
    if n < width:
        return s + " " * (width - n)
    out, w = [], 0
    for ch in s:
        out.append(ch)
        rw = rune_width(ch)
        if w + rw >= width - 3:
            break
        w += rw
    return "".join(out) + "..."


def format_table(rows: Sequence[Sequence[str]], max_col_width: int = 0) -> str:
    """gosuri/uitable's String (tab separated, every cell padded) plus output.EncodeTable's newline."""
    if not rows:
        return "\n"
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for i, c in enumerate(r):
            w = max((str_width(x) for x in c.split("\n")), default=0)
            if max_col_width and w > max_col_width:
                w = max_col_width
            widths[i] = max(widths[i], w)
    lines = ["\t".join(_resize(c, widths[i]) if widths[i] else c for i, c in enumerate(r))
             for r in rows]
    return "\n".join(lines) + "\n"


def encode(rows: list[dict[str, Any]], fmt: str) -> str:
    """output.EncodeJSON (json.Encoder: HTML escaped, newline) or EncodeYAML (sigs.k8s.io/yaml)."""
    if fmt == "json":
        # a Go struct: fields in declaration order, not sorted as a map's keys
        items = ("{" + ",".join(f"{dumps_go(k)}:{dumps_go(v)}" for k, v in r.items()) + "}"
                 for r in rows)
        return "[" + ",".join(items) + "]\n"
    return dump_yaml(rows)


def parse_format(fmt: str) -> str:
    if fmt not in ("table", "json", "yaml"):
        raise RepoError(f'invalid argument "{fmt}" for "-o, --output" flag: invalid format type')
    return fmt


# ---------------------------------------------------------------- slog


def _slog_value(v: str) -> str:
    """log/slog's text handler: a value is quoted when it has spaces, '=', '"' or unprintables."""

    if v == "" or any(c in ' ="' or not c.isprintable() for c in v):
        return go_quote(v)
    return v


def slog_warn(msg: str, **attrs: str) -> str:
    parts = [f"level=WARN msg={_slog_value(msg)}"]
    parts += [f"{k}={_slog_value(v)}" for k, v in attrs.items()]
    return " ".join(parts)


# ---------------------------------------------------------------- search


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


@dataclass(frozen=True)
class SearchOptions:
    """`helm search repo`'s flags."""

    versions: bool = False
    regexp: bool = False
    devel: bool = False
    version: str = ""
    max_col_width: int = 50
    output: str = "table"
    fail_on_no_result: bool = False


@dataclass
class _Result:
    name: str
    score: int
    chart: dict[str, Any]


def _line(repo: str, cv: dict[str, Any]) -> str:
    """search's indstr: name, repo/name, description, keywords, \\v-separated."""
    name = cv.get("name") or ""
    return (f"{name}{SEP}{repo}/{name}{SEP}{cv.get('description') or ''}{SEP}"
            + " ".join(cv.get("keywords") or []))


def _score(index: int, line: str) -> int:
    """calcScore: how many separators come before the match."""
    return sum(1 for i, ch in enumerate(line) if ch == SEP and i < index)


def _version(s: Any) -> Version | None:
    try:
        return parse_version(str(s))
    except MinihelmError:
        return None


def _load_lines(rf: RepoFile, cache: Path, warn: Callable[[str], None]
                ) -> list[tuple[str, str, dict[str, Any]]]:
    """(repo/chart, line, version doc) for every version of every chart in every readable cache."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for entry in rf.repositories:
        path = cache / cache_index_file(entry.name)
        try:
            index = load_index_file(path, warn)
        except RepoError as e:
            warn(slog_warn("repo is corrupt or missing", repo=entry.name, error=e.message))
            continue
        for chart, cvs in index["entries"].items():
            full = f"{entry.name}/{chart}"
            for cv in cvs:
                out.append((full, _line(entry.name, cv), cv))
    return out


def _match(lines: list[tuple[str, str, dict[str, Any]]], args: Sequence[str], regexp: bool
           ) -> list[_Result]:
    if not args:
        return [_Result(n, 0, cv) for n, _, cv in lines]
    term = " ".join(args)
    res: list[_Result] = []
    if regexp:
        from ..golang.re2 import RegexpSyntaxError, compile_go

        try:
            rx = compile_go(term).rx
        except RegexpSyntaxError as e:
            raise RepoError(str(e)) from None
        for n, line, cv in lines:
            m = rx.search(line)
            if m is not None and (s := _score(m.start(), line)) < MAX_SCORE:
                res.append(_Result(n, s, cv))
        return res
    low = term.lower()
    for n, line, cv in lines:
        at = line.lower().find(low)
        if at != -1 and (s := _score(at, line)) < MAX_SCORE:
            res.append(_Result(n, s, cv))
    return res


def _sort_key(r: _Result) -> tuple[Any, ...]:
    v = _version(r.chart.get("version"))
    return (r.score, r.name, 0 if v is not None else 1, _Neg(v) if v is not None else 0)


class _Neg:
    """Reverses a Version's order inside a sort key (newest first)."""

    __slots__ = ("v",)

    def __init__(self, v: Version) -> None:
        self.v = v

    def __lt__(self, other: _Neg) -> bool:
        return other.v < self.v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Neg) and not (self.v < other.v or other.v < self.v)


def _constrain(res: list[_Result], opts: SearchOptions) -> list[_Result]:
    text = opts.version or (">0.0.0-0" if opts.devel else ">0.0.0")
    try:
        constraint = Constraint(text)
    except MinihelmError as e:
        raise RepoError(f"an invalid version/constraint format: {e.message}") from None
    out: list[_Result] = []
    found: set[str] = set()
    for r in res:
        if not opts.versions and r.name in found:
            continue
        v = _version(r.chart.get("version"))
        if v is not None and constraint.check(v):
            out.append(r)
            found.add(r.name)
    return out


def search_repo(args: Sequence[str], opts: SearchOptions, config: Path, cache: Path,
                warn: Callable[[str], None] | None = None) -> str:
    """`helm search repo [KEYWORD...]` -> the text helm prints on stdout."""
    fmt = parse_format(opts.output)
    say = warn or _stderr
    rf = load_lenient(config)
    if not rf.repositories:
        raise RepoError("no repositories configured")
    res = _match(_load_lines(rf, cache, say), args, opts.regexp)
    res.sort(key=_sort_key)
    res = _constrain(res, opts)
    if not res and opts.fail_on_no_result:
        raise RepoError("no results found")
    if fmt == "table":
        if not res:
            return "No results found\n"
        rows = [["NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"]]
        rows += [[r.name, r.chart.get("version") or "", r.chart.get("appVersion") or "",
                  r.chart.get("description") or ""] for r in res]
        return format_table(rows, opts.max_col_width)
    return encode([{"name": r.name, "version": r.chart.get("version") or "",
                    "app_version": r.chart.get("appVersion") or "",
                    "description": r.chart.get("description") or ""} for r in res], fmt)
