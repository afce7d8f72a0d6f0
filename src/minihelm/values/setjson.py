"""--set-json values -> Go encoding/json results: one JSON value decoded the way helm's strvals does."""

from __future__ import annotations

import json
import re
from typing import Any

# --- JSON (encoding/json Decoder, one value) -----------------------------------


def _json_number(s: str) -> float:
    x = float(s)
    if x in (float("inf"), float("-inf")):
        raise ValueError(f"json: cannot unmarshal number {s} into Go value of type float64")
    return x


def _json_constant(s: str) -> Any:
    raise ValueError(f"invalid character '{s[0]}' looking for beginning of value")


_MAX_DEPTH = 10000  # encoding/json's maxNestingDepth
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_str(s: str) -> str:
    return _SURROGATE.sub("\ufffd", s)


def _fix_surrogates(v: Any) -> Any:
    """Go decodes lone \\uD800-style escapes to U+FFFD, and refuses nesting past 10000
    levels ("exceeded max depth").  Fixes the freshly decoded value in place, iteratively
    (Python's decoder accepts deeper input than Python recursion could walk back)."""
    if isinstance(v, str):
        return _fix_str(v)
    stack: list[tuple[Any, int]] = [(v, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (list, dict)):
            continue
        if depth > _MAX_DEPTH:
            raise ValueError("exceeded max depth")
        if isinstance(node, list):
            for i, x in enumerate(node):
                node[i] = _fix_str(x) if isinstance(x, str) else x
                stack.append((x, depth + 1))
            continue
        items = [(_fix_str(k), x) for k, x in node.items()]
        node.clear()
        for k, x in items:
            node[k] = _fix_str(x) if isinstance(x, str) else x
            stack.append((x, depth + 1))
    return v


_DECODER = json.JSONDecoder(
    parse_float=_json_number, parse_int=_json_number, parse_constant=_json_constant
)
_NUM_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def decode_json_prefix(s: str, pos: int) -> tuple[Any, int]:
    """Decode the single JSON value starting at s[pos]; return it and the index just after it.

    Like Go's json.Decoder, a top-level number or literal ends at the first
    byte that cannot continue it ("12x" gives 12), but a number cut short
    ("1.", "1e+") is an error. Raises ValueError.
    """
    try:
        value, end = _DECODER.raw_decode(s, pos)
    except (json.JSONDecodeError, RecursionError) as e:
        raise ValueError(str(e)) from None
    m = _NUM_RE.match(s, pos)
    if m and m.end() == end and end < len(s):
        nxt = s[end]
        if (nxt == "." and not m.group(1) and not m.group(2)) or (nxt in "eE" and not m.group(2)):
            raise ValueError("invalid number")
    return _fix_surrogates(value), end


def json_whole_object(s: str) -> dict[str, Any]:
    """json.Unmarshal of a whole `{...}` document into map[string]interface {}."""
    value, end = decode_json_prefix(s, 0)
    if s[end:].strip(" \t\r\n") or not isinstance(value, dict):
        raise ValueError("invalid JSON object")
    return value
