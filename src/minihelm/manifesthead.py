"""One rendered YAML document -> the fields of its head, read from libyaml's event stream.

helm unmarshals every document whole (releaseutil.SortManifests decodes a
SimpleHead with sigs.k8s.io/yaml), so the whole text must be valid YAML, but
only apiVersion, kind and metadata are kept.  Building Python objects for a
4 MB CustomResourceDefinition costs several times more than parsing it, so
libyaml parses every event (that is the validation) and only the three head
values are built.

Returns the same mapping `yaml.load(doc, Loader=<untyped loader>)` would give
for those keys, or None when the document needs the exact, slower reader:
aliases, a mapping or sequence used as a key, a top level that is not a
mapping, or anything libyaml rejects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

HEAD_KEYS = frozenset({"apiVersion", "kind", "metadata"})
_NULL_TAG = "tag:yaml.org,2002:null"
# the null resolver of the untyped head loader in manifests.py
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


class _NeedsExactReader(Exception):
    pass


def read_head(doc: str, loader: type[Any]) -> dict[str, Any] | None:
    """{key: value} for the head keys present at the document's top level, or None (see above)."""
    try:
        events = yaml.parse(doc, Loader=loader)
        return _document(events)
    except (yaml.YAMLError, _NeedsExactReader, StopIteration):
        return None


def _document(events: Iterator[Any]) -> dict[str, Any] | None:
    """stream := StreamStart DocumentStart MappingStart ... MappingEnd DocumentEnd StreamEnd"""
    if not isinstance(next(events), yaml.StreamStartEvent):
        raise _NeedsExactReader
    if not isinstance(next(events), yaml.DocumentStartEvent):
        raise _NeedsExactReader  # an empty document: the exact reader knows what helm does
    first = next(events)
    if not isinstance(first, yaml.MappingStartEvent) or first.anchor is not None:
        raise _NeedsExactReader
    head: dict[str, Any] = {}
    for key_event in iter(lambda: next(events), None):
        if isinstance(key_event, yaml.MappingEndEvent):
            break
        key = _scalar_key(key_event)
        if key in HEAD_KEYS:
            head[key] = _value(next(events), events)
        else:
            _skip(next(events), events)
    if not isinstance(next(events), yaml.DocumentEndEvent):
        raise _NeedsExactReader
    if not isinstance(next(events), yaml.StreamEndEvent):
        raise _NeedsExactReader  # a second document
    return head


def _scalar_key(ev: Any) -> Any:
    if not isinstance(ev, yaml.ScalarEvent) or ev.anchor is not None:
        raise _NeedsExactReader  # a collection or alias as a key
    return _scalar(ev)


def _scalar(ev: Any) -> str | None:
    """BaseConstructor's value for a scalar: a string, or None where null resolves."""
    if ev.tag == _NULL_TAG:
        return None
    if ev.tag in (None, "!") and ev.implicit[0] and _NULL.match(ev.value):
        return None
    return str(ev.value)


def _value(ev: Any, events: Iterator[Any]) -> Any:
    """node := Scalar | MappingStart (node node)* MappingEnd | SequenceStart node* SequenceEnd"""
    if getattr(ev, "anchor", None) is not None or isinstance(ev, yaml.AliasEvent):
        raise _NeedsExactReader
    if isinstance(ev, yaml.ScalarEvent):
        return _scalar(ev)
    if isinstance(ev, yaml.SequenceStartEvent):
        items: list[Any] = []
        for item in iter(lambda: next(events), None):
            if isinstance(item, yaml.SequenceEndEvent):
                return items
            items.append(_value(item, events))
    if isinstance(ev, yaml.MappingStartEvent):
        mapping: dict[Any, Any] = {}
        for k in iter(lambda: next(events), None):
            if isinstance(k, yaml.MappingEndEvent):
                return mapping
            key = _scalar_key(k)
            mapping[key] = _value(next(events), events)
    raise _NeedsExactReader


def _skip(ev: Any, events: Iterator[Any]) -> None:
    """Consume one node's events, checking what the constructor would still reject."""
    open_: list[list[bool]] = []  # per open collection: [is a mapping, next node is a key]
    while True:
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
            raise _NeedsExactReader
        if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            open_.pop()
        else:
            if open_ and open_[-1][0] and open_[-1][1] and not isinstance(ev, yaml.ScalarEvent):
                raise _NeedsExactReader  # a collection as a mapping key: unhashable
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                open_.append([isinstance(ev, yaml.MappingStartEvent), True])
                ev = next(events)
                continue
        if not open_:
            return  # the node that started the skip is complete
        open_[-1][1] = not open_[-1][1]
        ev = next(events)
