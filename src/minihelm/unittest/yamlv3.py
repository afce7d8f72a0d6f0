"""YAML text -> go-yaml v3 values (suite files, rendered manifests, .snap files) and back.

helm-unittest decodes everything with go-yaml v3 into interface{}: integers
stay int, floats float64, only true/false (any case variant go-yaml lists)
are booleans, timestamps stay strings, and maps with string keys become
map[string]interface{}.  Output goes through v3's encoder with indent 2
(its TrustedMarshalYAML), which minihelm.goyaml.yamlemit already writes.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import SourcePos, YAMLError
from ..goyaml.yamlemit import PLAIN, Emitter, _string_scalar, _v3_tree, sorted_keys
from ..goyaml.yamlio import Decoder, GoYAMLFail, Node, V2Map, _with_depth, compose_documents
from ..goyaml.yamlresolve import BOOL, resolve

# go-yaml v2 reads yes/no/on/off/y/n as booleans; v3 keeps them as strings.
_V3_BOOLS = {"true", "True", "TRUE", "false", "False", "FALSE"}


class _V3Decoder(Decoder):
    def scalar(self, n: Node) -> Any:
        if n.implicit and n.value not in _V3_BOOLS:
            tag, _ = resolve(n.tag, n.value)
            if tag == BOOL:
                return n.value
        return super().scalar(n)


def _plain(v: Any) -> Any:
    """V2Map trees -> dicts keyed by strings (non-string keys shown as go-yaml prints them)."""
    if isinstance(v, V2Map):
        return {(k if isinstance(k, str) else _key_text(k)): _plain(x) for k, x in v.values()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _key_text(k: Any) -> str:
    if k is None:
        return "null"
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


def _decode(node: Node | None) -> Any:
    return None if node is None else _plain(_V3Decoder().unmarshal(node))


def load_all(text: str, name: str) -> list[Any]:
    """Every document of a YAML stream, decoded as go-yaml v3 decodes into interface{}."""
    try:
        return [_with_depth(_decode, n) for n in compose_documents(text)]
    except GoYAMLFail as e:
        line = None if e.line is None else e.line + 1
        raise YAMLError(f"yaml: {e.msg}" if line is None else f"yaml: line {line}: {e.msg}",
                        SourcePos(name, line)) from None


def load(text: str, name: str) -> Any:
    """The first document (None for an empty stream)."""
    docs = load_all(text, name)
    return docs[0] if docs else None


def dump(value: Any) -> str:
    """go-yaml v3 Encoder with indent 2 (helm-unittest's TrustedMarshalYAML)."""
    return Emitter(indent=2, width=-1, v3=True).document(_v3_tree(_trim_leading_newlines(value)))


def _trim_leading_newlines(v: Any) -> Any:
    # helm-unittest strips leading newlines from every string before marshalling (its issue 756).
    if isinstance(v, str):
        return v.lstrip("\n")
    if isinstance(v, dict):
        return {k: _trim_leading_newlines(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_trim_leading_newlines(x) for x in v]
    return v


def dump_snapshots(entries: dict[str, dict[int, str]]) -> str:
    """A .snap file: test name -> {assertion counter: snapshot text}, v3-sorted, indent 2."""
    tree = {_string_scalar(test): {(str(i), PLAIN): _string_scalar(entries[test][i])
                                   for i in sorted(entries[test])}
            for test in sorted_keys(entries, v3=True)}
    if not tree:
        return "{}\n"
    return Emitter(indent=2, width=-1, v3=True).document(tree)


def go_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual over decoded YAML: an int never equals a float, nor a bool an int."""
    if isinstance(a, dict):
        return (isinstance(b, dict) and len(a) == len(b)
                and all(k in b and go_equal(v, b[k]) for k, v in a.items()))
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(go_equal, a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return False
    return bool(a == b)
