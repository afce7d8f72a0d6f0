""".helmignore text -> Rules that the directory loader and the packager ask about each path.

The rules, as helm's pkg/ignore applies them:

* One rule per line; surrounding whitespace is trimmed; blank lines and lines
  starting with ``#`` are skipped.  A UTF-8 BOM on the first line is dropped.
* A rule containing ``**`` is an error ("double-star (**) syntax is not
  supported"), and so is a rule that is not a valid Go ``path.Match`` pattern
  ("syntax error in pattern").
* Patterns use Go ``path.Match``: ``*`` = any run of non-``/`` characters,
  ``?`` = one non-``/`` character, ``[...]`` / ``[^...]`` classes with ranges,
  ``\\`` escapes the next character.  The whole path must match.
* ``!rule`` negates; ``rule/`` only applies to directories (the slash is
  dropped before matching); a leading ``/`` anchors the rule at the chart root.
* A rule without any ``/`` is matched against the base name only; a rule with
  a ``/`` is matched against the whole slash-separated path from the chart root.
* Evaluation stops at the first rule that decides.  A plain rule ignores the
  path when it matches.  A negated rule *ignores* the path when it does NOT
  match (or when it is dir-only and the path is a file), and otherwise lets
  evaluation continue: helm's quirk, so ``!x`` alone ignores everything but x.
* ``""``, ``"."`` and ``"./"`` are never ignored.
* The loader adds helm's default rule ``templates/.?*`` (dotfiles directly in
  templates/) after the file's own rules, via :func:`with_defaults`.
"""

from __future__ import annotations

import posixpath
import re

from ..errors import ChartError
from ..records import Frozen

HELMIGNORE = ".helmignore"
DEFAULT_RULES = ("templates/.?*",)


class BadPattern(ValueError):
    """Go's path.ErrBadPattern."""


def _take_class_char(pat: str, i: int) -> tuple[str, int]:
    """One possibly escaped character of a class; Go's getEsc."""
    if i >= len(pat) or pat[i] in "-]":
        raise BadPattern
    if pat[i] == "\\":
        i += 1
        if i >= len(pat):
            raise BadPattern
    ch = pat[i]
    i += 1
    # Go also refuses a class char that is the last byte of the pattern.
    if i >= len(pat):
        raise BadPattern
    return ch, i


def _compile_class(pat: str, i: int) -> tuple[str, int]:
    """'[' [ '^' ] { lo [ '-' hi ] } ']' starting after the '['; returns a regex piece."""
    negated = i < len(pat) and pat[i] == "^"
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    while True:
        if i < len(pat) and pat[i] == "]" and ranges:
            i += 1
            break
        lo, i = _take_class_char(pat, i)
        hi = lo
        if pat[i] == "-":
            hi, i = _take_class_char(pat, i + 1)
        ranges.append((lo, hi))
    # A reversed range matches nothing in Go; Python would reject it, so drop it.
    parts = [
        re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}"
        for lo, hi in ranges
        if lo <= hi
    ]
    if not parts:
        return ("(?s:.)" if negated else "(?!)"), i
    return f"[{'^' if negated else ''}{''.join(parts)}]", i


def compile_pattern(pat: str) -> re.Pattern[str]:
    """Go path.Match pattern -> an anchored regex; raises BadPattern like Go 1.16+."""
    out: list[str] = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            piece, i = _compile_class(pat, i + 1)
            out.append(piece)
        elif c == "\\":
            if i + 1 >= len(pat):
                raise BadPattern
            out.append(re.escape(pat[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def go_match(pattern: str, name: str) -> bool:
    """Go's path.Match(pattern, name) (raises BadPattern)."""
    return compile_pattern(pattern).fullmatch(name) is not None


class Rule(Frozen):
    """One .helmignore line, compiled."""

    __slots__ = ("base_only", "must_dir", "negate", "raw", "regex")
    _fields = ("raw", "regex", "negate", "must_dir", "base_only")

    def __init__(self, raw: str, regex: re.Pattern[str], negate: bool, must_dir: bool,
                 base_only: bool) -> None:
        self.raw, self.regex, self.negate = raw, regex, negate
        self.must_dir, self.base_only = must_dir, base_only

    def matches(self, path: str) -> bool:
        target = posixpath.basename(path.rstrip("/")) if self.base_only else path
        return self.regex.fullmatch(target) is not None


def parse_rule(line: str) -> Rule | None:
    """One .helmignore line -> Rule, or None for blanks and comments."""
    rule = line.strip()
    if not rule or rule.startswith("#"):
        return None
    if "**" in rule:
        raise ChartError("double-star (**) syntax is not supported")
    raw = rule
    negate = rule.startswith("!")
    if negate:
        rule = rule[1:]
    must_dir = rule.endswith("/")
    if must_dir:
        rule = rule[:-1]
    anchored = rule.startswith("/")
    if anchored:
        rule = rule[1:]
    try:
        # Helm validates the raw rule (with its ! and /) and then matches the stripped one.
        compile_pattern(raw)
        regex = compile_pattern(rule)
    except BadPattern:
        raise ChartError("syntax error in pattern") from None
    return Rule(raw, regex, negate, must_dir, base_only=not anchored and "/" not in rule)


class Rules:
    """An ordered list of ignore rules."""

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules: list[Rule] = list(rules or [])

    def ignore(self, path: str, is_dir: bool) -> bool:
        """True if `path` (slash-separated, relative to the chart root) is ignored."""
        if path in ("", ".", "./"):
            return False
        for r in self.rules:
            if r.negate:
                if (r.must_dir and not is_dir) or not r.matches(path):
                    return True
                continue
            if r.must_dir and not is_dir:
                continue
            if r.matches(path):
                return True
        return False

    def with_defaults(self) -> Rules:
        """These rules followed by helm's defaults (AddDefaults)."""
        extra = [r for r in (parse_rule(d) for d in DEFAULT_RULES) if r is not None]
        return Rules(self.rules + extra)


def load_ignore(data: str | bytes) -> Rules:
    """Parse .helmignore content (without helm's default rules)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="surrogateescape")
    data = data.removeprefix("\ufeff")
    rules = [r for r in (parse_rule(ln) for ln in _go_lines(data)) if r is not None]
    return Rules(rules)


def _go_lines(text: str) -> list[str]:
    """bufio.ScanLines: split on \\n, drop one trailing \\r per line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.removesuffix("\r") for ln in lines]
