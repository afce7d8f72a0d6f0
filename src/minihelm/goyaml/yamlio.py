"""YAML bytes -> JSON-typed Python values, exactly as helm reads values, Chart.yaml and fromYaml.

helm reads YAML with sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1 resolution) into
interface{}, map keys turned into strings, then a JSON round trip so that every
number becomes a float64.  libyaml (through PyYAML's C parser when present)
gives us the event stream; this module composes nodes, decodes them with
go-yaml v2's rules (resolve, merge keys, alias limits) and does the JSON step.
The emitter side lives in `minihelm.goyaml.yamlemit`.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import sys
from collections.abc import Iterator
from typing import Any

from minihelm.errors import SourcePos, YAMLError
from minihelm.golang.jsonio import format_float, go_json_kind, go_utf8
from minihelm.goyaml.yamlresolve import (  # noqa: F401 - re-exported for chartfile, package, yamlemit
    BINARY,
    MERGE,
    STR,
    TIMESTAMP,
    GoYAMLFail,
    UInt64,
    go_parse_float,
    go_parse_int,
    go_parse_uint,
    is_timestamp,
    resolve,
    short_tag,
)

from .yamlescapes import go_escapes, needs_go_escapes
from .yamlimport import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 10000  # go-yaml v2's max_flow_level / max_indents


# ---------------------------------------------------------------------------
# Composition: libyaml events -> nodes (go-yaml's parser.go)

SCALAR, SEQ, MAP, ALIAS = range(4)


class Node:
    """A composed YAML node; an alias node points at its anchored target."""

    __slots__ = ("children", "col", "implicit", "kind", "line", "style", "tag", "target", "value")

    def __init__(self, kind: int, line: int, col: int, tag: str = "") -> None:
        self.kind = kind
        self.tag = tag
        self.value = ""
        self.implicit = False
        self.line = line
        self.col = col
        self.children: list[Node] = []
        self.target: Node | None = None
        self.style: str | None = None


def _go_error_text(e: yaml.MarkedYAMLError) -> tuple[str, int | None, int | None]:
    """go-yaml v2 parser.fail(): 'line N: problem' where N is the 0-based mark line (+1 for
    scanner errors, go-yaml's own off-by-one), and no 'line' part when the mark is on line 0."""
    mark = e.problem_mark or e.context_mark
    line = mark.line if mark is not None else 0
    if line and isinstance(e, yaml.scanner.ScannerError):
        line += 1
    where = f"line {line}: " if line else ""
    problem = e.problem or "unknown problem parsing YAML content"
    return where + problem, (mark.line if mark else None), (mark.column if mark else None)


def _events(data: bytes | str) -> Iterator[Any]:
    if isinstance(data, str) and _LONE_SURROGATE.search(data):
        # Bytes that are not UTF-8 (`trunc` cutting a character), held as lone
        # surrogates: hand libyaml the bytes, and its reader gives go-yaml's error
        # ("incomplete UTF-8 octet sequence").
        data = data.encode("utf-8", "surrogateescape")
    if needs_go_escapes(data):
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError:
            text = None  # libyaml reports the encoding
        if text is not None:
            data = go_escapes(text)
    try:
        yield from yaml.parse(data, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        msg, line, col = _go_error_text(e)
        raise GoYAMLFail(msg, line, col) from None
    except yaml.YAMLError as e:  # reader errors (bad encoding) carry no problem mark
        raise GoYAMLFail(str(getattr(e, "reason", e)) or "unknown problem parsing YAML content")


def compose_documents(data: bytes | str, first_only: bool = False) -> Iterator[Node | None]:
    """Yield the root node of each document (None for an empty stream)."""
    stack: list[Node] = []
    anchors: dict[str, Node] = {}
    root: Node | None = None
    seen_doc = False
    for ev in _events(data):
        cls = type(ev)
        if cls is yaml.DocumentStartEvent:
            anchors, root, seen_doc = {}, None, True
            continue
        if cls is yaml.DocumentEndEvent:
            yield root
            if first_only:
                return
            continue
        if cls is yaml.StreamEndEvent:
            if not seen_doc:
                yield None
            return
        if cls is yaml.StreamStartEvent:
            continue
        if cls is yaml.SequenceEndEvent or cls is yaml.MappingEndEvent:
            stack.pop()
            continue
        node = _event_node(ev, cls, anchors)
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        if node.kind in (SEQ, MAP):
            if len(stack) >= MAX_DEPTH:
                # go-yaml reports this one without a line (helm: "yaml: exceeded max depth").
                raise GoYAMLFail(f"exceeded max depth of {MAX_DEPTH}", node.line, node.col)
            stack.append(node)


def _event_node(ev: Any, cls: type, anchors: dict[str, Node]) -> Node:
    mark = ev.start_mark
    if cls is yaml.AliasEvent:
        node = Node(ALIAS, mark.line, mark.column)
        node.value = ev.anchor
        target = anchors.get(ev.anchor)
        if target is None:
            raise GoYAMLFail(f"unknown anchor '{ev.anchor}' referenced", mark.line, mark.column)
        node.target = target
        return node
    tag = ev.tag or ""
    if cls is yaml.ScalarEvent:
        node = Node(SCALAR, mark.line, mark.column, tag)
        node.value = ev.value
        node.implicit = bool(ev.implicit[0])
        node.style = ev.style
    else:
        node = Node(SEQ if cls is yaml.SequenceStartEvent else MAP, mark.line, mark.column, tag)
    if ev.anchor is not None:
        anchors[ev.anchor] = node
    return node


# ---------------------------------------------------------------------------
# Decoding: nodes -> go-yaml v2 values (decode.go, into interface{})


class V2Map(dict):  # type: ignore[type-arg]
    """A go-yaml map[interface{}]interface{}: typed key -> (key, value), in first-set order."""


def _mkey(k: Any) -> tuple[str, Any]:
    if isinstance(k, float) and math.isnan(k):
        return ("nan", object())  # NaN never equals itself as a Go map key
    return (type(k).__name__, k)


def _allowed_alias_ratio(count: int) -> float:
    lo, hi = 400_000, 4_000_000
    if count <= lo:
        return 0.99
    if count >= hi:
        return 0.10
    return 0.99 - 0.89 * ((count - lo) / (hi - lo))


class Decoder:
    """go-yaml v2's decoder into interface{}, with its alias-expansion accounting."""

    def __init__(self) -> None:
        self.count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.active: set[int] = set()

    def unmarshal(self, n: Node, into: V2Map | None = None) -> Any:
        self.count += 1
        if self.alias_depth:
            self.alias_count += 1
        if (self.alias_count > 100 and self.count > 1000
                and self.alias_count / self.count > _allowed_alias_ratio(self.count)):
            raise GoYAMLFail("document contains excessive aliasing", n.line, n.col)
        if n.kind == ALIAS:
            return self.alias(n, into)
        if n.kind == SCALAR:
            return self.scalar(n)
        if n.kind == SEQ:
            return [self.unmarshal(c) for c in n.children]
        out = V2Map() if into is None else into
        self.mapping(n, out)
        return out

    def alias(self, n: Node, into: V2Map | None) -> Any:
        if id(n) in self.active:
            raise GoYAMLFail(f"anchor '{n.value}' value contains itself", n.line, n.col)
        assert n.target is not None
        self.active.add(id(n))
        self.alias_depth += 1
        try:
            return self.unmarshal(n.target, into)
        finally:
            self.alias_depth -= 1
            self.active.discard(id(n))

    def scalar(self, n: Node) -> Any:
        if n.tag == "" and not n.implicit:
            return n.value
        tag, value = resolve(n.tag, n.value)
        if tag == BINARY:
            try:
                raw = re.sub(r"[\r\n]", "", value)
                return base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                raise GoYAMLFail("!!binary value contains invalid base64 data") from None
        if tag == TIMESTAMP:
            return n.value  # v2 keeps timestamps as strings in interface{}
        return value

    def mapping(self, n: Node, out: V2Map) -> None:
        ch = n.children
        for i in range(0, len(ch) - 1, 2):
            k = ch[i]
            if k.kind == SCALAR and k.value == "<<" and (k.implicit or k.tag == MERGE):
                self.merge(ch[i + 1])
                self._merge_into(ch[i + 1], out)
                continue
            key = self.unmarshal(k)
            if isinstance(key, (list, V2Map)):
                raise GoYAMLFail(f"invalid map key: {go_sharp_v(key)}", k.line, k.col)
            value = self.unmarshal(ch[i + 1])
            out[_mkey(key)] = (key, value)

    def merge(self, n: Node) -> None:
        """Check a merge value is a map, an alias of one, or a list of those."""
        def is_map(x: Node) -> bool:
            return x.kind == MAP or (x.kind == ALIAS and x.target is not None
                                     and x.target.kind == MAP)
        if n.kind == SEQ:
            if all(is_map(c) for c in n.children):
                return
        elif is_map(n):
            return
        raise GoYAMLFail("map merge requires map or sequence of maps as the value", n.line, n.col)

    def _merge_into(self, n: Node, out: V2Map) -> None:
        if n.kind == SEQ:
            for c in reversed(n.children):  # earlier maps take precedence
                self.unmarshal(c, out)
        else:
            self.unmarshal(n, out)


def go_sharp_v(v: Any, top: bool = True) -> str:
    """Go's %#v for a decoded go-yaml value (used in a few error texts)."""
    if v is None:
        return "<nil>" if top else "interface {}(nil)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, UInt64):
        return hex(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_float(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, bytes):
        return go_quote(go_utf8(v))
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(x, False) for x in v) + "}"
    if isinstance(v, dict):
        items = sorted(v.values(), key=lambda kv: str(kv[0]))
        return "map[interface {}]interface {}{" + ", ".join(
            go_sharp_v(k, False) + ":" + go_sharp_v(x, False) for k, x in items) + "}"
    return str(v)


def go_quote(s: str) -> str:
    """strconv.Quote for the common cases."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(ch)])
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\x{c:02x}")
        elif not ch.isprintable() and c != 0x20:
            out.append(f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


# ---------------------------------------------------------------------------
# sigs.k8s.io/yaml: keys to strings, then the JSON round trip


class JSONMarshalError(Exception):
    """sigs.k8s.io/yaml's own conversion or json.Marshal failed (no "yaml: " prefix)."""


def _key_string(k: Any, v: Any) -> str:
    """convertToJSONableObject's key conversion."""
    if isinstance(k, str):
        return k
    if isinstance(k, bytes):
        return go_utf8(k)
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int) and not isinstance(k, UInt64):
        return str(k)
    if isinstance(k, float):
        s = format_float(k, "g", 32)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    tname = "%!s(<nil>)" if k is None else "uint64"
    raise JSONMarshalError(f"unsupported map key of type: {tname}, key: {go_sharp_v(k)}, "
                     f"value: {go_sharp_v(v)}")


def to_jsonable(v: Any) -> Any:
    """go-yaml value -> map[string]interface{} tree (keys stringified, numbers untouched)."""
    if isinstance(v, V2Map):
        return {_key_string(k, x): to_jsonable(x) for k, x in v.values()}
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    return v


def json_roundtrip(v: Any) -> Any:
    """json.Marshal then json.Unmarshal into interface{}: numbers -> float, bytes -> text."""
    if isinstance(v, dict):
        return {k: json_roundtrip(v[k]) for k in sorted(v, key=lambda s: s.encode())}
    if isinstance(v, list):
        return [json_roundtrip(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return go_utf8(v)
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        raise JSONMarshalError(f"json: unsupported value: {format_float(v)}")
    return float(v)


def _with_depth(fn: Any, *args: Any) -> Any:
    """Run fn with room for MAX_DEPTH nested collections on the Python stack."""
    old = sys.getrecursionlimit()
    if old < 4 * MAX_DEPTH + 1000:
        sys.setrecursionlimit(4 * MAX_DEPTH + 1000)
    try:
        return fn(*args)
    finally:
        sys.setrecursionlimit(old)


def _yaml_error(msg: str, name: str, e: GoYAMLFail | None, line0: int = 0) -> YAMLError:
    pos = SourcePos(name)
    if e is not None and e.line is not None:
        pos = SourcePos(name, e.line + 1 + line0, e.col)
    return YAMLError(msg, pos)


def _decode_doc(node: Node | None) -> Any:
    """One document through sigs.k8s.io/yaml's yamlToJSON and back: the JSON-typed value."""
    if node is None:
        return None
    return json_roundtrip(to_jsonable(Decoder().unmarshal(node)))


def _convert(data: bytes | str, name: str, line0: int = 0) -> Any:
    """sigs.k8s.io/yaml.Unmarshal into interface{}, first document only.

    Errors carry sigs.k8s.io/yaml's text: "error converting YAML to JSON: yaml: ..."."""
    try:
        node = next(compose_documents(data, first_only=True), None)
        return _with_depth(_decode_doc, node)
    except GoYAMLFail as e:
        raise _yaml_error(f"error converting YAML to JSON: yaml: {e.msg}", name, e, line0) from None
    except JSONMarshalError as e:
        raise _yaml_error(f"error converting YAML to JSON: {e}", name, None) from None


def _type_error(v: Any, go_type: str, name: str) -> YAMLError:
    return YAMLError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                     f"{go_json_kind(v)} into Go value of type {go_type}", SourcePos(name))


def load_yaml(data: bytes | str, name: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(data, &interface{}): the first document as a JSON-typed value
    (None for an empty document).  Raises YAMLError with sigs.k8s.io/yaml's error text."""
    return _convert(data, name)


def load_yaml_map(data: bytes | str, name: str) -> dict[str, Any]:
    """sigs.k8s.io/yaml.Unmarshal into map[string]interface{} (fromYaml): {} for null."""
    v = _convert(data, name)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _type_error(v, "map[string]interface {}", name)
    return v


def load_yaml_list(data: bytes | str, name: str) -> list[Any]:
    """sigs.k8s.io/yaml.Unmarshal into []interface{} (fromYamlArray): [] for null."""
    v = _convert(data, name)
    if v is None:
        return []
    if not isinstance(v, list):
        raise _type_error(v, "[]interface {}", name)
    return v


def load_yaml_v2(data: bytes | str, name: str) -> Any:
    """go-yaml v2 Unmarshal into interface{} with keys stringified but numbers kept as
    go-yaml typed them (int, UInt64, float): for struct targets such as Chart.yaml, where
    sigs.k8s.io/yaml turns a number into a string field with `go_number_string`."""
    try:
        node = next(compose_documents(data, first_only=True), None)
        if node is None:
            return None
        return _with_depth(lambda: to_jsonable(Decoder().unmarshal(node)))
    except GoYAMLFail as e:
        raise _yaml_error(f"error converting YAML to JSON: yaml: {e.msg}", name, e) from None
    except JSONMarshalError as e:
        raise _yaml_error(f"error converting YAML to JSON: {e}", name, None) from None


def go_number_string(v: Any) -> str | None:
    """sigs.k8s.io/yaml's number/bool -> string coercion for string-typed struct fields."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        return format_float(v, "g", 32)
    return None


def load_all(data: bytes | str, name: str) -> list[Any]:
    """Every document of a YAML stream, each as load_yaml would return it."""
    out: list[Any] = []
    try:
        for node in compose_documents(data):
            out.append(_with_depth(_decode_doc, node))
    except GoYAMLFail as e:
        raise _yaml_error(f"error converting YAML to JSON: yaml: {e.msg}", name, e) from None
    except JSONMarshalError as e:
        raise _yaml_error(f"error converting YAML to JSON: {e}", name, None) from None
    return out


# ---------------------------------------------------------------------------
# helm's values loading (pkg/chart/v2/loader LoadValues)


def split_documents(data: str, name: str) -> Iterator[tuple[int, str]]:
    """k8s.io/apimachinery YAMLReader: split on lines starting with '---'; yields
    (0-based first line, text) of each non-empty document."""
    if data and not data.endswith("\n"):
        data += "\n"
    buf: list[str] = []
    start = 0
    for i, line in enumerate(data.splitlines(keepends=True)):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise YAMLError(f"error reading yaml document: invalid Yaml document separator: "
                                f"{rest}", SourcePos(name, i + 1))
            if buf:
                yield start, "".join(buf)
            buf, start = [], i + 1
            continue
        buf.append(line)
    if buf:
        yield start, "".join(buf)


def load_values(data: bytes | str, name: str) -> dict[str, Any]:
    """helm's LoadValues: each '---' document as sigs.k8s.io/yaml.Unmarshal into
    map[string]any, merged in order.  Errors read as LoadValues' own text, e.g.
    "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: ...";
    callers add helm's prefix ("cannot load values.yaml: ", "failed to parse FILE: ")."""
    from minihelm._core.maps import merge_maps  # deepmerge: 1 ms that fromYaml never needs

    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    values: dict[str, Any] = {}
    for line0, doc in split_documents(text, name):
        try:
            current = _load_values_doc(doc, name, line0)
        except YAMLError as e:
            raise YAMLError(f"cannot unmarshal yaml document: {e.message}", e.pos) from None
        values = merge_maps(values, current)
    return values


def _load_values_doc(doc: str, name: str, line0: int) -> dict[str, Any]:
    raw = doc.encode("utf-8", "surrogateescape")
    v = _convert(raw, name, line0)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _type_error(v, "map[string]interface {}", name)
    return v
