"""Two manifest streams (renderings or saved files) -> per-resource unified diffs for `minihelm diff`.

Documents are matched by kind, namespace and name, not by position, so a
resource that moves between templates or changes order is not reported; the
`# Source:` comment helm adds is left out of the comparison for the same
reason.  Output is difflib's unified format with one `---`/`+++` header pair
per resource (`kind/name`, then a tab and the side's label, as patch writes
dates), optionally coloured.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["changed", "added", "removed"]

_SOURCE = re.compile(r"^# Source: (.*)$")


@dataclass(frozen=True)
class Document:
    """One document of a stream: its identity, its text (without `# Source:`) and source."""

    key: tuple[str, str, str]  # kind, namespace, name
    ref: str
    text: str
    source: str


@dataclass(frozen=True)
class ResourceDiff:
    """How one resource differs: `lines` is its unified diff, headers included."""

    ref: str
    status: Status
    lines: tuple[str, ...]


def parse_stream(text: str, origin: str = "stream") -> list[Document]:
    """Split a multi-document YAML stream as helm does and identify each document.

    A document that is not a map with a kind is keyed by its source and position.
    """
    # deferred: only parse_stream() needs it, and it brings yaml
    from .manifests import split_documents

    docs: list[Document] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, raw in enumerate(split_documents(text)):
        source, body = _strip_source(raw)
        kind, ns, name = _identity(body)
        if not kind:
            kind, name = "document", f"{source or origin}#{i + 1}"
        key = (kind, ns, name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # the same resource twice: keep both, told apart by count
            key = (kind, ns, f"{name}#{seen[key]}")
        ref = f"{key[0]}/{key[2]}" + (f" -n {ns}" if ns else "")
        docs.append(Document(key, ref, body, source))
    return docs


def _strip_source(doc: str) -> tuple[str, str]:
    lines = doc.split("\n")
    m = _SOURCE.match(lines[0]) if lines else None
    if m:
        return m.group(1), "\n".join(lines[1:])
    return "", doc


def _identity(body: str) -> tuple[str, str, str]:
    obj = _parse(body)
    if not isinstance(obj, dict) or not obj.get("kind"):
        return "", "", ""
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    return str(obj["kind"]), str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _parse(body: str) -> Any:
    # deferred: only _parse() needs it, and it brings yaml
    from ..goyaml.yamlimport import yaml

    try:
        return yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None  # compared as text, keyed by position


def _normalized(body: str) -> str:
    """The document re-dumped with sorted keys: formatting and comments no longer count."""
    # deferred: only _normalized() needs it, and it brings yaml
    from ..goyaml.yamlimport import yaml

    obj = _parse(body)
    if obj is None:
        return body
    try:
        return yaml.safe_dump(obj, sort_keys=True, default_flow_style=False, allow_unicode=True)
    except (TypeError, yaml.YAMLError):  # keys of mixed types cannot be sorted
        return body


def diff_streams(old: str, new: str, old_label: str = "old", new_label: str = "new", *,
                 context: int = 3, normalize: bool = False) -> list[ResourceDiff]:
    """The resources that differ between two streams, in the new stream's order, then removals.

    `normalize` compares the parsed documents (sorted keys, no comments)
    instead of their text.
    """
    before = {d.key: d for d in parse_stream(old, old_label)}
    after = {d.key: d for d in parse_stream(new, new_label)}
    out: list[ResourceDiff] = []
    for key, d in after.items():
        o = before.get(key)
        a_text = _body(o, normalize) if o else ""
        b_text = _body(d, normalize)
        if o is not None and a_text == b_text:
            continue
        status: Status = "changed" if o is not None else "added"
        out.append(_one(d.ref, status, a_text, b_text, old_label, new_label, context))
    for key, o in before.items():
        if key not in after:
            out.append(_one(o.ref, "removed", _body(o, normalize), "", old_label, new_label,
                            context))
    return out


def _body(d: Document, normalize: bool) -> str:
    return _normalized(d.text) if normalize else d.text


def _one(ref: str, status: Status, a: str, b: str, old_label: str, new_label: str,
         context: int) -> ResourceDiff:
    # Absent sides are /dev/null, as diff -N and git write them.
    from_file = "/dev/null" if status == "added" else ref
    to_file = "/dev/null" if status == "removed" else ref
    lines = difflib.unified_diff(
        _lines(a), _lines(b), from_file, to_file, f"({old_label})", f"({new_label})",
        n=context, lineterm="")
    return ResourceDiff(ref, status, tuple(lines))


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


_COLORS = {"---": "\x1b[1m", "+++": "\x1b[1m", "@@": "\x1b[36m", "-": "\x1b[31m", "+": "\x1b[32m"}
_RESET = "\x1b[0m"


def format_diffs(diffs: list[ResourceDiff], color: bool = False) -> str:
    """The diffs as text, one line per diff line; ANSI colours when asked."""
    out: list[str] = []
    for d in diffs:
        for i, line in enumerate(d.lines):
            out.append(_paint(line, i < 2) if color else line)
    return "".join(line + "\n" for line in out)


def _paint(line: str, header: bool) -> str:
    if header:
        prefix = line[:3]
    elif line.startswith("@@"):
        prefix = "@@"
    else:
        prefix = line[:1]
    code = _COLORS.get(prefix)
    return f"{code}{line}{_RESET}" if code else line


def format_brief(diffs: list[ResourceDiff]) -> str:
    """One `<status> <kind/name>` line per differing resource."""
    return "".join(f"{d.status} {d.ref}\n" for d in diffs)
