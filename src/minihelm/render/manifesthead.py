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
from collections.abc import Callable
from typing import Any

from ..goyaml.yamlimport import yaml

HEAD_KEYS = frozenset({"apiVersion", "kind", "metadata"})
_NULL_TAG = "tag:yaml.org,2002:null"
# the null resolver of the untyped head loader in manifests.py
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


class _NeedsExactReader(Exception):
    pass


def read_head(doc: str, loader: type[Any]) -> dict[str, Any] | None:
    """{key: value} for the head keys present at the document's top level, or None (see above)."""
    try:
        return _document(loader(doc).get_event)
    except (yaml.YAMLError, _NeedsExactReader, StopIteration):
        return None


def _document(events: Callable[[], Any]) -> dict[str, Any] | None:
    """stream := StreamStart DocumentStart MappingStart ... MappingEnd DocumentEnd StreamEnd"""
    if not isinstance(events(), yaml.StreamStartEvent):
        raise _NeedsExactReader
    if not isinstance(events(), yaml.DocumentStartEvent):
        raise _NeedsExactReader  # an empty document: the exact reader knows what helm does
    first = events()
    if not isinstance(first, yaml.MappingStartEvent) or first.anchor is not None:
        raise _NeedsExactReader
    head: dict[str, Any] = {}
    for key_event in iter(events, None):
        if isinstance(key_event, yaml.MappingEndEvent):
            break
        key = _scalar_key(key_event)
        if key in HEAD_KEYS:
            head[key] = _value(events(), events)
        else:
            _skip(events(), events)
    if not isinstance(events(), yaml.DocumentEndEvent):
        raise _NeedsExactReader
    if not isinstance(events(), yaml.StreamEndEvent):
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


def _value(ev: Any, events: Callable[[], Any]) -> Any:
    """node := Scalar | MappingStart (node node)* MappingEnd | SequenceStart node* SequenceEnd"""
    if getattr(ev, "anchor", None) is not None or isinstance(ev, yaml.AliasEvent):
        raise _NeedsExactReader
    if isinstance(ev, yaml.ScalarEvent):
        return _scalar(ev)
    if isinstance(ev, yaml.SequenceStartEvent):
        items: list[Any] = []
        for item in iter(events, None):
            if isinstance(item, yaml.SequenceEndEvent):
                return items
            items.append(_value(item, events))
    if isinstance(ev, yaml.MappingStartEvent):
        mapping: dict[Any, Any] = {}
        for k in iter(events, None):
            if isinstance(k, yaml.MappingEndEvent):
                return mapping
            key = _scalar_key(k)
            mapping[key] = _value(events(), events)
    raise _NeedsExactReader


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAP_START, _SEQ_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


def _skip(ev: Any, events: Callable[[], Any]) -> None:
    """Consume one node's events, checking what the constructor would still reject.

    The hot loop of a large document: exact type tests, no helper calls.
    """
    # per open collection: 1 = a mapping whose next node is a key, 2 = its value, 0 = a sequence
    open_: list[int] = []
    while True:
        t = type(ev)
        if t is _SCALAR:
            if ev.anchor is not None:
                raise _NeedsExactReader
        elif t is _MAP_END or t is _SEQ_END:
            open_.pop()
        elif t is _MAP_START or t is _SEQ_START:
            if ev.anchor is not None or (open_ and open_[-1] == 1):
                raise _NeedsExactReader  # an anchor, or a collection as a key (unhashable)
            open_.append(1 if t is _MAP_START else 0)
            ev = events()
            continue
        else:
            raise _NeedsExactReader  # an alias
        if not open_:
            return  # the node that started the skip is complete
        top = open_[-1]
        if top:
            open_[-1] = 3 - top
        ev = events()
