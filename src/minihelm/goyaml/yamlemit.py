"""Python values -> YAML text exactly as helm's toYaml (sigs.k8s.io/yaml) and toYamlPretty print it.

toYaml is sigs.k8s.io/yaml.Marshal: Go json.Marshal, go-yaml v2 reading that JSON
back (so integral numbers become ints and NEL breaks fold), then go-yaml v2's
libyaml-derived emitter.  toYamlPretty is go-yaml v3's encoder with indent 2,
fed the Go values directly.  The emitter below follows emitterc.go's state
(column, indention, whitespace, indent stack) so folding and quoting match.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import Any

from minihelm.errors import YAMLError
from minihelm.golang.gotypes import GoStruct, NilList, NilMap
from minihelm.golang.jsonio import (
    GoJSONError,
    format_float,
    go_bytes,
    go_json_value,
    go_utf8,
    json_float,
)
from minihelm.goyaml.yamlresolve import STR, resolve

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1

# ---------------------------------------------------------------------------
# Character classes (yamlprivateh.go), on code points


def _printable(c: str) -> bool:
    """go-yaml's is_printable: note 4-byte (astral) characters are NOT printable."""
    o = ord(c)
    return (o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF))


def _is_break(c: str) -> bool:
    return c in "\r\n\x85\u2028\u2029"


_SIMPLE = re.compile(r"(?!\.\.\.)[A-Za-z0-9_./][A-Za-z0-9_./-]*\Z")

# yaml_emitter_analyze_scalar's per-character scan, as searches (a toYaml of a
# chart's scripts and config files analysed every character in Python).  After
# the first character: a flow indicator; ": " or a final ":"; " #".
_BREAKS = "\r\n\x85\u2028\u2029"
_INNER_FLOW = re.compile(r"[,?\[\]{}:]")
_INNER_VALUE = re.compile(r":(?=[ \t]|\Z)")
_INNER_COMMENT = re.compile("(?<=[ \t\r\n\x85\u2028\u2029\x00])#")
# Not printable for go-yaml: everything outside \n, \x20-\x7e, \xa0-\ud7ff,
# \ue000-\ufefe and \uff00-\ufffd (v3 also prints \t).  Written as that
# complement, not as a negated class: CPython's sre fills a charset one code
# point at a time, so the negated form costs 3 ms to compile at every start.
_NOT_PRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe-\U0010ffff]")
_NOT_PRINTABLE_V3 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe-\U0010ffff]")
_A_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
_BREAK_SPACE = re.compile("[\r\n\x85\u2028\u2029] ")
_SPACE_BREAK = re.compile(" [\r\n\x85\u2028\u2029]")
_LINE_PIECES = re.compile("[\r\n\x85\u2028\u2029]|[^\r\n\x85\u2028\u2029]+")


class ScalarInfo:
    """yaml_emitter_analyze_scalar's verdict."""

    __slots__ = ("block", "block_plain", "flow_plain", "multiline", "single")

    def __init__(self, s: str, v3: bool = False) -> None:
        if _SIMPLE.match(s):  # fast path: nothing in s can need quoting or folding care
            self.multiline = False
            self.flow_plain = self.block_plain = self.single = self.block = True
            return
        if not s:
            self.multiline, self.flow_plain, self.block_plain = False, False, True
            self.single, self.block = True, False
            return
        c0, n = s[0], len(s)
        first_ws = n == 1 or s[1] in " \t"  # followed by white space, or the end
        flow_ind = block_ind = s.startswith(("---", "..."))
        if c0 in "#,[]{}&*!|>'\"%@`" or (c0 == "-" and first_ws):
            flow_ind = block_ind = True
        elif c0 in "?:":
            flow_ind = True
            block_ind = block_ind or first_ws
        if _INNER_COMMENT.search(s, 1):
            flow_ind = block_ind = True
        flow_ind = flow_ind or bool(_INNER_FLOW.search(s, 1))
        block_ind = block_ind or bool(_INNER_VALUE.search(s, 1))
        special = bool((_NOT_PRINTABLE_V3 if v3 else _NOT_PRINTABLE).search(s))
        tabs = v3 and "\t" in s  # v3 lets tabs into literal blocks, never into plain/single
        line_breaks = bool(_A_BREAK.search(s))
        lead_space, trail_space = c0 == " ", s[-1] == " "
        lead_break, trail_break = c0 in _BREAKS, s[-1] in _BREAKS
        break_space = bool(_BREAK_SPACE.search(s))
        space_break = bool(_SPACE_BREAK.search(s))
        self.multiline = line_breaks
        plain = not (lead_space or lead_break or trail_space or trail_break or line_breaks)
        self.flow_plain = plain and not flow_ind
        self.block_plain = plain and not block_ind
        self.single = not break_space
        self.block = not trail_space
        if space_break or special:
            self.flow_plain = self.block_plain = self.single = self.block = False
        if tabs:
            self.flow_plain = self.block_plain = self.single = False
        if break_space:
            self.flow_plain = self.block_plain = False


# ---------------------------------------------------------------------------
# The emitter


class Emitter:
    """A go-yaml (v2 flavour unless v3=True) block-style emitter for plain value trees."""

    def __init__(self, indent: int = 2, width: int = 80, v3: bool = False) -> None:
        self.best_indent = indent if 2 <= indent <= 9 else 2
        self.best_width = width if width > self.best_indent * 2 else 80
        if width < 0:
            self.best_width = (1 << 31) - 1
        self.v3 = v3
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True
        self.flow_level = 0
        self.mapping_context = False
        self.sequence_context = False
        self.simple_key_context = False

    # -- low-level writers -------------------------------------------------

    def put(self, s: str) -> None:
        self.out.append(s)
        self.column += len(s)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.out.append(c)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if (not self.indention or self.column > indent
                or (self.column == indent and not self.whitespace)):
            self.put_break()
        if self.column < indent:
            self.put(" " * (indent - self.column))
        self.whitespace = True
        self.indention = True

    def write_indicator(self, ind: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        self.put(ind)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = self.best_indent if flow else 0
        elif indentless:
            pass
        elif self.v3 and self.sequence_context:
            self.indent += 2  # v3: the content of a "- " item sits 2 columns in
        elif self.v3:
            self.indent = self.best_indent * ((self.indent + self.best_indent) // self.best_indent)
        else:
            self.indent += self.best_indent

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # -- nodes ---------------------------------------------------------------

    def document(self, v: Any) -> str:
        self.node(v, mapping=False, simple_key=False)
        self.write_indent()
        return "".join(self.out)

    def node(self, v: Any, mapping: bool, simple_key: bool, sequence: bool = False) -> None:
        self.mapping_context = mapping
        self.sequence_context = sequence
        self.simple_key_context = simple_key
        if isinstance(v, dict):
            if not v:
                self.empty_flow("{", "}")
            else:
                self.block_mapping(v)
        elif isinstance(v, list):
            if not v:
                self.empty_flow("[", "]")
            else:
                self.block_sequence(v)
        else:
            text, style = v
            self.scalar(text, style)

    def empty_flow(self, open_: str, close: str) -> None:
        self.write_indicator(open_, True, True, False)
        self.increase_indent(True, False)
        self.pop_indent()
        self.write_indicator(close, False, False, False)

    def block_sequence(self, items: list[Any]) -> None:
        indentless = self.mapping_context and not self.indention
        if self.v3:
            indentless = False
        self.increase_indent(False, indentless)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item, mapping=False, simple_key=False, sequence=True)
        self.pop_indent()

    def block_mapping(self, m: dict[str, Any]) -> None:
        self.increase_indent(False, False)
        for key, value in m.items():
            self.write_indent()
            ktext = key[0]
            info = ScalarInfo(ktext, self.v3)
            if not info.multiline and len(ktext.encode("utf-8")) <= 128:
                self.node(key, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.node(key, mapping=True, simple_key=False)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(value, mapping=True, simple_key=False)
        self.pop_indent()

    def select_style(self, s: str, style: str, info: ScalarInfo) -> str:
        if self.simple_key_context and info.multiline:
            style = DOUBLE
        if style == PLAIN:
            allowed = info.flow_plain if self.flow_level else info.block_plain
            if not allowed or (not s and (self.flow_level or self.simple_key_context)):
                style = SINGLE
        if style == SINGLE and not info.single:
            style = DOUBLE
        if style == LITERAL and (not info.block or self.flow_level or self.simple_key_context):
            style = DOUBLE
        return style

    def scalar(self, s: str, requested: str) -> None:
        info = ScalarInfo(s, self.v3)
        style = self.select_style(s, requested, info)
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == PLAIN:
            self.write_plain(s, allow_breaks)
        elif style == SINGLE:
            self.write_single(s, allow_breaks)
        elif style == DOUBLE:
            self.write_double(s, allow_breaks)
        else:
            self.write_literal(s)
        self.pop_indent()

    # -- scalar writers ------------------------------------------------------

    def write_plain(self, s: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if (not allow_breaks or self.column + len(s) <= self.best_width) and _SIMPLE.match(s):
            self.put(s)  # fast path: no space can fold, no break to write
            self.whitespace = self.indention = False
            return
        self.write_folding(s, allow_breaks, single=False)
        self.whitespace = False
        self.indention = False

    def write_single(self, s: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        self.write_folding(s, allow_breaks, single=True)
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_folding(self, s: str, allow_breaks: bool, single: bool) -> None:
        """The loop of yaml_emitter_write_plain_scalar and ..._single_quoted_scalar.

        A space past the best width may fold the line (in a quoted scalar not
        the first or last character); a line break is written doubled as the
        first of a run; a quoted scalar doubles its quotes.
        """
        spaces = breaks = False
        n = len(s)
        for i, c in enumerate(s):
            if c == " ":
                before_space = i + 1 < n and s[i + 1] == " "
                foldable = not before_space and (0 < i < n - 1 if single else True)
                if allow_breaks and not spaces and self.column > self.best_width and foldable:
                    self.write_indent()
                else:
                    self.put(c)
                spaces = True
            elif _is_break(c):
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put("''" if single and c == "'" else c)
                self.indention = False
                spaces = breaks = False

    def write_double(self, s: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        bom = s.startswith("\ufeff")  # go-yaml's is_bom looks at the start of the value
        n = len(s)
        for i, c in enumerate(s):
            if not _printable(c) or bom or _is_break(c) or c in '"\\':
                self.put(_escape(c))
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > self.best_width and 0 < i < n - 1:
                    self.write_indent()
                    if s[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(c)
                spaces = True
            else:
                self.put(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, s: str) -> None:
        self.write_indicator("|", True, False, False)
        if s[:1] == " " or _is_break(s[:1] or "x"):
            self.write_indicator(str(self.best_indent), False, False, False)
        chomp = ""
        if not s or not _is_break(s[-1]):
            chomp = "-"
        elif len(s) == 1 or _is_break(s[-2]):
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        self.write_literal_lines(s)

    def write_literal_lines(self, s: str) -> None:
        """A literal block's text: every line indented, breaks kept as they are."""
        breaks = True
        for piece in _LINE_PIECES.findall(s):  # a break, or a run of anything else
            if piece in _BREAKS:
                self.write_break(piece)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(piece)
                self.indention = False
                breaks = False


_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v",
            "\x0c": "f", "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
            "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _escape(c: str) -> str:
    if c in _ESCAPES:
        return "\\" + _ESCAPES[c]
    o = ord(c)
    if o <= 0xFF:
        return f"\\x{o:02X}"
    if o <= 0xFFFF:
        return f"\\u{o:04X}"
    return f"\\U{o:08X}"


# ---------------------------------------------------------------------------
# go-yaml v2's map key order (sorter.go), for string keys


def _wrap64(n: int) -> int:
    return (n + (1 << 63)) % (1 << 64) - (1 << 63)


def _key_less(a: str, b: str, v3: bool = False) -> bool:
    digits = False
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = ca.isdecimal()
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            # v3: right after a digit, letters sort first ("a1b" < "a1.")
            return al if v3 and digits else bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = _wrap64(an * 10 + ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = _wrap64(bn * 10 + ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _key_cmp(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)


def _key_cmp3(a: str, b: str) -> int:
    return -1 if _key_less(a, b, True) else (1 if _key_less(b, a, True) else 0)


def sorted_keys(keys: Any, v3: bool = False) -> list[str]:
    """go-yaml's keyList order for string keys (digit runs compare as numbers)."""
    return sorted(keys, key=functools.cmp_to_key(_key_cmp3 if v3 else _key_cmp))


# ---------------------------------------------------------------------------
# sigs.k8s.io/yaml.Marshal: through JSON and go-yaml v2's reading of it


class MarshalError(Exception):
    """Marshal failed; str() is the Go error text."""


_SURROGATE = re.compile("[\ud800-\udfff]")  # (lone ones: Go's encoder writes U+FFFD)
# Raw characters (JSON escapes the C0 controls) that go-yaml's reader refuses.
_YAML_REFUSED = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _json_len(s: str) -> int:
    """Characters s takes inside Go's JSON string literal."""
    n = len(s)
    for c in s:
        if c in '"\\\n\r\t\b\f':
            n += 1
        elif c < " " or c in "<>&\u2028\u2029":
            n += 5
    return n


def _fold_nel(s: str) -> str:
    """A raw NEL inside a JSON string is a line break to go-yaml's double-quoted scanner."""
    def fold(m: re.Match[str]) -> str:
        breaks = m.group().strip(" ").count("\x85")
        return " " if breaks == 1 else "\n" * (breaks - 1)
    return re.sub("[ \x85]*\x85[ \x85]*", fold, s)


def _json_string(s: str, key: bool = False) -> str:
    """A string as go-yaml reads it back from Go's JSON text."""
    if _SURROGATE.search(s):
        s = go_utf8(go_bytes(s))
    if _YAML_REFUSED.search(s):
        raise MarshalError("yaml: control characters are not allowed")
    if key and (_json_len(s) + 2 > 1024 or "\x85" in s):
        raise MarshalError("yaml: line 1: did not find expected ',' or '}'")
    return _fold_nel(s) if "\x85" in s else s


def _number(text: str) -> tuple[str, str]:
    """A JSON number as go-yaml v2 resolves it, then prints it."""
    _, v = resolve("", text)
    if isinstance(v, float):
        s = format_float(v)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s), PLAIN
    return str(int(v)), PLAIN


def _string_scalar(s: str) -> tuple[str, str]:
    """go-yaml v2 encoder.stringv: literal if multi-line, plain if it reads back as a string."""
    rtag, _ = resolve("", s)
    can_plain = rtag == STR and not _is_base60_float(s)
    if "\n" in s:
        return s, LITERAL
    return s, PLAIN if can_plain else DOUBLE


_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")


def _is_base60_float(s: str) -> bool:
    return bool(s) and (s[0] in "+-" or s[0].isdigit()) and ":" in s and bool(_BASE60.match(s))


def _struct_json(v: Any) -> Any:
    try:
        return go_json_value(v)
    except GoJSONError as e:
        raise MarshalError(f"error marshaling into JSON: {e}") from None


def _v2_tree(v: Any) -> Any:
    """value -> emitter tree: dict of scalar-key -> tree, list, or (text, style)."""
    if hasattr(v, "__go_json__"):
        return _v2_tree(_struct_json(v))
    if v is None or isinstance(v, (NilMap, NilList)):
        return "null", PLAIN
    if isinstance(v, bool):
        return ("true" if v else "false"), PLAIN
    if isinstance(v, int):
        return _number(str(int(v)))
    if isinstance(v, float):
        try:
            return _number(json_float(v))
        except GoJSONError as e:
            raise MarshalError(f"error marshaling into JSON: {e}") from None
    if isinstance(v, str):
        return _string_scalar(_json_string(v))
    if isinstance(v, (bytes, bytearray)):
        return _string_scalar(base64.b64encode(bytes(v)).decode())
    if isinstance(v, dict):
        conv = {_json_string(str(k), key=True): x for k, x in v.items()}
        return {_string_scalar(k): _v2_tree(conv[k]) for k in sorted_keys(conv)}
    if isinstance(v, (list, tuple)):
        return [_v2_tree(x) for x in v]
    if isinstance(v, GoStruct):
        return _v2_tree(_struct_json(v))
    raise MarshalError(f"error marshaling into JSON: json: unsupported type: {type(v).__name__}")


def dump_yaml(value: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(value) as text (with its trailing newline).

    Raises YAMLError with Go's error text (e.g. "error marshaling into JSON: json:
    unsupported value: NaN") when helm's Marshal would fail."""
    try:
        tree = _v2_tree(value)
    except MarshalError as e:
        raise YAMLError(str(e)) from None
    return Emitter().document(tree)


# ---------------------------------------------------------------------------
# go-yaml v3 (toYamlPretty): Go values straight into the v3 encoder


def _v3_tree(v: Any) -> Any:
    """Go value -> emitter tree the way go-yaml v3's encoder sees it (no JSON step)."""
    if getattr(v, "go_type", None) == "time.Time":
        return v.__go_json__(), PLAIN  # v3 timev: RFC 3339 with nanoseconds, plain
    if hasattr(v, "__go_text__"):
        return _string_scalar(v.__go_text__())  # encoding.TextMarshaler
    if v is None:
        return "null", PLAIN
    if isinstance(v, bool):
        return ("true" if v else "false"), PLAIN
    if isinstance(v, int):
        return str(int(v)), PLAIN
    if isinstance(v, float):
        s = format_float(v)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s), PLAIN
    if isinstance(v, str):
        return _string_scalar(v)  # v3's canUsePlain agrees with v2's (isOldBool re-adds yes/no)
    if isinstance(v, (bytes, bytearray)):
        return [(str(b), PLAIN) for b in v] if v else []
    if isinstance(v, dict):
        by_str = {str(k): x for k, x in v.items()}
        return {_string_scalar(k): _v3_tree(by_str[k]) for k in sorted_keys(by_str, v3=True)}
    if isinstance(v, (list, tuple)):
        return [_v3_tree(x) for x in v]
    if isinstance(v, GoStruct):
        # v3 names struct fields by their lowercased Go name
        return _v3_tree({k.lower(): getattr(v, k) for k in vars(v) if k[:1].isupper()})
    return _string_scalar(str(v))


def dump_yaml_v3(value: Any, indent: int = 2) -> str:
    """go-yaml v3 Encoder with SetIndent(indent): helm's toYamlPretty (before its newline trim)."""
    return Emitter(indent=indent, width=-1, v3=True).document(_v3_tree(value))
