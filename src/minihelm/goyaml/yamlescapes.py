"""YAML text on its way to libyaml -> the same text with go-yaml's double-quoted escapes.

libyaml and go-yaml (helm reads every YAML through sigs.k8s.io/yaml's go-yaml
fork) share a scanner, except for two escapes in a double-quoted scalar:

- `\\'` is an apostrophe to go-yaml and "found unknown escape character" to
  libyaml.  Sprig's `js` writes it (`"{{ "it's" | js }}"` renders `"it\\'s"`),
  so charts rely on it.
- `\\/` is a slash to libyaml (YAML 1.2) and an unknown escape to go-yaml.

`go_escapes` rewrites each `\\'` inside a double-quoted scalar as `\\x27`, which
both read as an apostrophe, and raises go-yaml's error for a `\\/` there.  Only
text holding one of the two pairs is looked at twice; the scalars are found by
libyaml's own scanner, so a pair in a plain or single-quoted scalar, a block
scalar or a comment stays as it is.  A rewritten line is two characters longer
per `\\'`, so a later error on that same line names a column two further on.
"""

from __future__ import annotations

import re

from minihelm.goyaml.yamlresolve import GoYAMLFail

from .yamlimport import yaml

_SCANNER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_UNKNOWN = "found unknown escape character"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def needs_go_escapes(text: str | bytes) -> bool:
    """Whether the text holds a backslash pair on which libyaml and go-yaml differ."""
    if isinstance(text, bytes):
        return b"\\'" in text or b"\\/" in text
    return "\\'" in text or "\\/" in text


def go_escapes(text: str) -> str:
    """The text libyaml reads as go-yaml reads `text`; GoYAMLFail for go-yaml's `\\/` error.

    Any other error is left for the caller's own parse to report.
    """
    if not needs_go_escapes(text):
        return text
    for _ in range(text.count("\\'") + 1):  # each round rewrites at least one scalar
        starts = _line_starts(text)
        try:
            for tok in yaml.scan(text, Loader=_SCANNER):
                if type(tok) is yaml.ScalarToken and tok.style == '"':
                    begin = _offset(starts, tok.start_mark)
                    for at, c in _escapes(text, begin):
                        if c == "/":
                            _fail(starts, at)
            return text
        except yaml.scanner.ScannerError as e:
            mark, ctx = e.problem_mark, e.context_mark
            if e.problem != _UNKNOWN or mark is None or ctx is None:
                return text
            at = _offset(starts, mark)
            if text[at + 1:at + 2] != "'":
                return text  # an escape both reject: the caller's parse reports it
            rewritten = _rewrite(text, _offset(starts, ctx))
            if rewritten == text:
                return text
            text = rewritten
        except yaml.YAMLError:
            return text  # a reader error (a control character): the caller's parse reports it
    return text


def _rewrite(text: str, begin: int) -> str:
    """The double-quoted scalar opening at text[begin] with each `\\'` written `\\x27`."""
    pieces, last = [], begin
    for at, c in _escapes(text, begin):
        if c == "'":
            pieces += [text[last:at], "\\x27"]
            last = at + 2
    return text[:begin] + "".join(pieces) + text[last:]


def _escapes(text: str, begin: int) -> list[tuple[int, str]]:
    """(offset of the backslash, escaped character) for each escape of the scalar at begin.

    dq-scalar := '"' { '\\' any | any but '"' } '"'   (text[begin] is the opening quote)
    """
    out, i, n = [], begin + 1, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            break
        if c == "\\" and i + 1 < n:
            out.append((i, text[i + 1]))
            i += 2
            continue
        i += 1
    return out


def _line_starts(text: str) -> list[int]:
    """Where each line begins, with libyaml's (YAML 1.1) line breaks."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def _offset(starts: list[int], mark: yaml.Mark) -> int:
    return starts[mark.line] + mark.column


def _fail(starts: list[int], at: int) -> None:
    """go-yaml's scanner error at the backslash: `line N:` (1-based), none on the first line."""
    import bisect

    line = bisect.bisect_right(starts, at) - 1
    where = f"line {line + 1}: " if line else ""
    raise GoYAMLFail(where + _UNKNOWN, line, at - starts[line])
