"""JSON-like documents -> block YAML as go-yaml v2 writes it (package.py writes Chart.yaml and
Chart.lock with it, repo.py writes index.yaml).

libyaml's emitter, driven through PyYAML with go-yaml v2's string styles
(go-yaml v2 is a port of libyaml), is the reference writer.  Through the
binding it costs about 3 µs a scalar: 3 s of the write of a 20 MB index.
Most of an index is short ASCII text in nested block mappings, where the
emitter's choices are few: a plain scalar (folded at a single space once
the line passes 80 columns), `"..."` for text that would read back as
another type, `|` / `|-` literal blocks, `{}` and `[]` for empty
collections, indentless sequences under a mapping key.  `_Writer` writes
exactly those; any other key/value pair or sequence item is emitted by
libyaml in the same place (nested under placeholder keys to the same
column, so folding and indentation are unchanged) and spliced in.
tests/goyaml/test_blockyaml.py holds the two writers to the same bytes on
generated documents, tricky strings included.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .yamlimport import paused_gc, yaml
from .yamlresolve import STR, resolve

__all__ = ["dump_go_yaml", "dump_go_yaml_libyaml"]

_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_WIDTH = 80  # yaml.Marshal's best_width
_SIMPLE_KEY_MAX = 128  # libyaml yaml_emitter_check_simple_key


# ---------------------------------------------------------------- the reference: libyaml


class _GoDumper(yaml.CSafeDumper):  # type: ignore[misc,name-defined]
    """libyaml's emitter with go-yaml v2's string styles: double quotes when a string would
    read back as another type, literal blocks for multi-line text; the emitter itself
    falls back to single quotes when plain is impossible, as go-yaml does.

    The emitter asks `resolve` twice for every scalar; documents repeat the same
    keys and values thousands of times, so answers are memoised per dump.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolved: dict[tuple[str, tuple[bool, ...]], str] = {}
        self._styles: dict[str, str | None] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))
        key = (value, tuple(implicit))
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = str(super().resolve(kind, value, implicit))
        return tag

    def str_style(self, s: str) -> str | None:
        """go-yaml v2's style for a string: literal if multi-line, quoted if it reads as another type."""
        try:
            return self._styles[s]
        except KeyError:
            pass
        style: str | None = None
        if "\n" in s:
            style = "|"
        elif s == "" or resolve("", s)[0] != STR:
            style = '"'
        self._styles[s] = style
        return style

    def node(self, v: Any) -> Any:
        """A JSON-like value -> its node, keys sorted.  Strings, dicts and lists are built here
        (the representer's per-value dispatch and alias bookkeeping were most of a big
        document's write); anything else goes through the representer."""
        t = type(v)
        if t is str:
            return yaml.ScalarNode(STR, v, style=self.str_style(v))
        if t is dict:
            items = list(v.items())
            try:
                items.sort(key=lambda kv: kv[0])
            except TypeError:
                pass  # unorderable keys keep their order, as PyYAML's sort_keys does
            return yaml.MappingNode(_MAP, [(self.node(k), self.node(x)) for k, x in items],
                                    flow_style=False)
        if t is list:
            return yaml.SequenceNode(_SEQ, [self.node(x) for x in v], flow_style=False)
        return self.represent_data(v)


def _str_repr(dumper: Any, s: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(STR, s, style=dumper.str_style(s))


_GoDumper.add_representer(str, _str_repr)


def dump_go_yaml_libyaml(doc: Any) -> str:
    """The reference writer: the whole document through libyaml's emitter."""
    out = io.StringIO()
    with paused_gc():  # a big document's node tree has no cycles to collect
        dumper = _GoDumper(out, default_flow_style=False, allow_unicode=True, width=_WIDTH)
        try:
            dumper.open()
            dumper.serialize(dumper.node(doc))
            dumper.close()
        finally:
            dumper.dispose()
    return out.getvalue()


# ---------------------------------------------------------------- the direct writer

_PLAIN, _DOUBLE, _LITERAL = 1, 2, 3
# Text the emitter writes plain: printable ASCII, a first character that is no
# indicator (and no "---"/"..." document marker), no leading or trailing space.
_PLAIN_SHAPE = re.compile(r"[A-Za-z0-9_/(][\x20-\x7e]*(?<! )\Z")
# ...and none of what makes libyaml refuse plain in block context
# (analyze_scalar: ": " or a final ':', " #"); runs of spaces change its folding.
_PLAIN_BREAKERS = re.compile(r": |:\Z| #|  ")
# Literal blocks kept to libyaml's plainest case: no indentation or `+` chomping
# hint (first character a space or break; a trailing empty line), no space before
# a break or at the end (libyaml then double-quotes), printable ASCII only.
_LITERAL_SHAPE = re.compile(r"[\x21-\x7e][\x20-\x7e\n]*\Z")
_LITERAL_BREAKERS = re.compile(r" \n|\n\n\Z| \Z")
# "..." written directly only when nothing inside needs escaping or could fold.
_DOUBLE_BREAKERS = re.compile(r'[ "\\]')


class _Fallback(Exception):
    """This pair or item is beyond the direct writer: libyaml writes it."""


class _WholeDocument(Exception):
    """libyaml's fragment would not splice (a document-end marker): libyaml writes it all."""


class _Writer:
    """Writes block YAML into `out` as libyaml would, or raises _Fallback for one piece."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.styles: dict[str, int | None] = {}
        self.keys: dict[Any, str] = {}
        self.pyyaml = yaml.resolver.Resolver()

    def style(self, s: str) -> int | None:
        try:
            return self.styles[s]
        except KeyError:
            pass
        got = self.styles[s] = self._style(s)
        return got

    def _style(self, s: str) -> int | None:
        if "\n" in s:
            return _LITERAL if _LITERAL_SHAPE.match(s) and not _LITERAL_BREAKERS.search(s) else None
        if s == "":
            return _DOUBLE
        if not _PLAIN_SHAPE.match(s) or _PLAIN_BREAKERS.search(s):
            return None
        if resolve("", s)[0] != STR:  # go-yaml reads it as another type: "..."
            return None if _DOUBLE_BREAKERS.search(s) else _DOUBLE
        # the emitter quotes text that PyYAML's own resolver reads as another type
        if self.pyyaml.resolve(yaml.ScalarNode, s, (True, False)) != STR:
            return None
        return _PLAIN

    def key(self, k: Any) -> str:
        text = self.keys.get(k) if type(k) is str else None
        if text is not None:
            return text
        if type(k) is str and len(k) <= _SIMPLE_KEY_MAX:
            st = self.style(k)
            if st == _PLAIN or st == _DOUBLE:
                text = self.keys[k] = k if st == _PLAIN else f'"{k}"'
                return text
        raise _Fallback

    def scalar(self, v: Any, column: int, indent: int) -> str:
        """A scalar value starting at `column`; continuation lines go to `indent`."""
        t = type(v)
        if t is str:
            st = self.style(v)
            if st == _PLAIN:
                return _fold(v, column, indent) if column + len(v) > _WIDTH else v
            if st == _DOUBLE:
                return f'"{v}"'
            if st == _LITERAL:
                return _literal(v, indent)
            raise _Fallback
        if t is bool:
            return "true" if v else "false"
        if t is int:
            return str(v)
        if v is None:
            return "null"
        raise _Fallback

    def mapping(self, m: dict[Any, Any], indent: int, inline_first: bool) -> None:
        """A non-empty block mapping at `indent`; the first key follows a "- " already written."""
        items = list(m.items())
        items.sort(key=lambda kv: kv[0])
        pad = " " * indent
        out = self.out
        for i, (k, v) in enumerate(items):
            lead = "" if i == 0 and inline_first else pad
            mark = len(out)
            try:
                key = self.key(k)
                head = f"{lead}{key}:"
                t = type(v)
                if t is dict and v:
                    out.append(head + "\n")
                    self.mapping(v, indent + 2, False)
                elif t is list and v:
                    out.append(head + "\n")
                    self.sequence(v, indent)
                elif t is dict or t is list:
                    out.append(head + (" {}\n" if t is dict else " []\n"))
                else:
                    text = self.scalar(v, indent + len(key) + 2, indent + 2)
                    out.append(f"{head} {text}\n")
            except _Fallback:
                del out[mark:]
                frag = _fragment({k: v}, indent // 2, indent)
                out.append(frag[indent:] if lead == "" else frag)

    def sequence(self, items: list[Any], indent: int) -> None:
        """A non-empty block sequence with its dashes at `indent`."""
        dash = " " * indent + "- "
        out = self.out
        for v in items:
            mark = len(out)
            try:
                t = type(v)
                if t is dict and v:
                    out.append(dash)
                    self.mapping(v, indent + 2, True)
                elif t is dict or t is list:
                    if v:
                        raise _Fallback  # a sequence in a sequence
                    out.append(dash + ("{}\n" if t is dict else "[]\n"))
                else:
                    out.append(dash + self.scalar(v, indent + 2, indent + 2) + "\n")
            except _Fallback:
                del out[mark:]
                out.append(_fragment([v], indent // 2 + 1, indent))


def _fold(s: str, column: int, indent: int) -> str:
    """libyaml write_plain: a single space becomes a line break once the line is past the
    width (runs of spaces never break; _PLAIN_BREAKERS keeps them out anyway)."""
    parts: list[str] = []
    for word in s.split(" "):
        if parts:
            if column > _WIDTH:
                parts.append("\n" + " " * indent)
                column = indent
            else:
                parts.append(" ")
                column += 1
        parts.append(word)
        column += len(word)
    return "".join(parts)


def _literal(s: str, indent: int) -> str:
    """libyaml write_literal: `|` (clip) or `|-` (strip), each non-empty line at `indent`."""
    body = s.removesuffix("\n")
    pad = " " * indent
    lines = "".join(f"{pad}{line}\n" if line else "\n" for line in body.split("\n"))
    return ("|" if s.endswith("\n") else "|-") + "\n" + lines[:-1]


def _fragment(value: Any, levels: int, indent: int) -> str:
    """libyaml's text for `value` nested under `levels` placeholder keys, without their lines:
    a {key: value} pair or [item] then starts at column `indent`, as in the real document."""
    doc = value
    for _ in range(levels):
        doc = {"x": doc}
    text = dump_go_yaml_libyaml(doc)
    # splitlines, not split("\n"): libyaml also ends lines at \r, NEL and U+2028/9,
    # so a "..." marker can follow a line separator inside a kept block scalar.
    for line in text.splitlines():
        if line in ("...", "---"):
            raise _WholeDocument
    frag = text.split("\n", levels)[levels] if levels else text
    if not frag.startswith(" " * indent):
        raise _WholeDocument
    return frag


def dump_go_yaml(doc: Any) -> str:
    """A JSON-like value -> block YAML with sorted keys, readable by helm (sigs.k8s.io/yaml);
    the same bytes as dump_go_yaml_libyaml, written directly where that is simple."""
    if type(doc) is not dict or not doc:
        return dump_go_yaml_libyaml(doc)
    w = _Writer()
    try:
        with paused_gc():
            w.mapping(doc, 0, False)
    except (_WholeDocument, _Fallback, TypeError):
        return dump_go_yaml_libyaml(doc)  # TypeError: keys that do not sort
    return "".join(w.out)
