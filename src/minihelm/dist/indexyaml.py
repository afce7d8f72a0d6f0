"""index.yaml bytes -> the document PyYAML's safe loader builds, from libyaml's events (repo.py reads indexes).

Why not `yaml.load(data, Loader=CSafeLoader)`: on a 20 MB index (bitnami's is
about that size) PyYAML first composes a node graph, about two million
Python objects that the cyclic garbage collector walks again and again while
they are made: 16 s and 680 MB.  Building the plain dicts, lists and scalars
straight from the event stream takes under 2 s and keeps only the result.

Same answer, by construction: a plain scalar is resolved and constructed by
the loader class's own resolver and constructors (cached by text: an index
repeats the same keys and values thousands of times); a quoted one is a str.
Anything beyond plain block data (an explicit tag, an anchor or alias, a
merge key, a collection used as a key, a second document, any parse error)
raises `Unsupported`, and the caller uses the loader itself, so errors and
rare constructs keep PyYAML's exact behaviour.
"""

from __future__ import annotations

from typing import Any

from ..goyaml.yamlimport import paused_gc, yaml

__all__ = ["Unsupported", "load_plain"]

_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}"
                        for t in ("null", "bool", "int", "float", "str", "timestamp"))
_MISSING = object()


class Unsupported(Exception):
    """The stream needs PyYAML's full loader (or fails in it)."""


class _Scalars:
    """Plain scalar text -> value, as `loader_cls` resolves and constructs it; memoised."""

    def __init__(self, loader_cls: type) -> None:
        self.ctor = loader_cls("")
        self.memo: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        ctor = self.ctor
        tag = ctor.resolve(yaml.ScalarNode, text, (True, False))
        if tag not in _PLAIN_TAGS:
            raise Unsupported(tag)  # merge `<<`, value `=`: PyYAML's own rules apply
        value = ctor.yaml_constructors[tag](ctor, yaml.ScalarNode(tag, text))
        self.memo[text] = value  # only immutable values (None, bool, int, float, str)
        return value


def load_plain(data: bytes | str, loader_cls: type) -> Any:
    """One YAML document of plain block/flow data -> Python values; Unsupported otherwise.

    The garbage collector is paused while building: the result is a tree
    (no cycles), and the collector's repeated passes over it are what made
    the node-graph loader slow.
    """
    with paused_gc():
        loader = loader_cls(data)
        try:
            return _build(loader.get_event, _Scalars(loader_cls))
        except yaml.YAMLError as e:
            raise Unsupported(str(e)) from None
        finally:
            loader.dispose()


def _build(get_event: Any, scalars: _Scalars) -> Any:  # one loop on purpose: it runs per event
    """Events -> values.  `top` is the open collection, `key` its pending mapping key."""
    scalar_ev, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, doc_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentStartEvent
    skip = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
    memo = scalars.memo
    stack: list[Any] = []
    top: Any = None
    key: Any = _MISSING
    root: Any = None
    docs = 0
    while True:
        ev = get_event()
        cls = ev.__class__
        new: Any = None
        if cls is scalar_ev:
            if ev.anchor is not None or ev.tag is not None:
                raise Unsupported("tag or anchor")
            if ev.implicit[0]:
                text = ev.value
                value = memo.get(text, _MISSING)
                if value is _MISSING:
                    value = scalars(text)
            else:
                value = ev.value
        elif cls is map_start or cls is seq_start:
            if ev.anchor is not None or ev.tag is not None:
                raise Unsupported("tag or anchor")
            value = new = {} if cls is map_start else []
        elif cls is map_end or cls is seq_end:
            stack.pop()
            top = stack[-1] if stack else None
            key = _MISSING  # a collection is only ever a value, so its parent waits for a key
            continue
        elif cls is doc_start:
            docs += 1
            if docs > 1:
                raise Unsupported("more than one document")
            continue
        elif cls in skip:
            continue
        elif cls is yaml.StreamEndEvent:
            return root
        else:
            raise Unsupported("alias")
        if top is None:
            root = value
        elif top.__class__ is list:
            top.append(value)
        elif key is _MISSING:
            if new is not None:
                raise Unsupported("a collection as a mapping key")
            key = value
        else:
            top[key] = value  # a repeated key: last value wins, first position kept, as PyYAML
            key = _MISSING
        if new is not None:
            stack.append(new)
            top = new
