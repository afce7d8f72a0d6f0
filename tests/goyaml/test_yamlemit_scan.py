"""yamlemit.ScalarInfo scans with regular expressions; libyaml's per-character loop
(yaml_emitter_analyze_scalar, as the emitter first ran it) is the oracle here."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.goyaml.yamlemit import LITERAL, PLAIN, Emitter, ScalarInfo, _printable

_BREAKS = "\r\n\x85\u2028\u2029"


def analyze(s: str, v3: bool) -> tuple[bool, bool, bool, bool, bool]:
    """(multiline, flow_plain, block_plain, single, block), character by character."""
    flow_ind = block_ind = s.startswith(("---", "..."))
    line_breaks = special = tabs = False
    lead_space = lead_break = trail_space = trail_break = False
    break_space = space_break = prev_space = prev_break = False
    preceded_ws = True
    n = len(s)
    for i, c in enumerate(s):
        followed_ws = i + 1 >= n or s[i + 1] in " \t"
        if i == 0:
            if c in "#,[]{}&*!|>'\"%@`":
                flow_ind = block_ind = True
            elif c in "?:":
                flow_ind = True
                block_ind = block_ind or followed_ws
            elif c == "-" and followed_ws:
                flow_ind = block_ind = True
        elif c in ",?[]{}":
            flow_ind = True
        elif c == ":":
            flow_ind = True
            block_ind = block_ind or followed_ws
        elif c == "#" and preceded_ws:
            flow_ind = block_ind = True
        if v3 and c == "\t":
            tabs = True
        elif not _printable(c):
            special = True
        if c == " ":
            lead_space = lead_space or i == 0
            trail_space = trail_space or i == n - 1
            break_space = break_space or prev_break
            prev_space, prev_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            lead_break = lead_break or i == 0
            trail_break = trail_break or i == n - 1
            space_break = space_break or prev_space
            prev_space, prev_break = False, True
        else:
            prev_space = prev_break = False
        preceded_ws = c in " \t\r\n\x85\u2028\u2029\x00"
    plain = not (lead_space or lead_break or trail_space or trail_break or line_breaks)
    flow_plain, block_plain = plain and not flow_ind, plain and not block_ind
    single, block = not break_space, not trail_space
    if space_break or special:
        flow_plain = block_plain = single = block = False
    if tabs:
        flow_plain = block_plain = single = False
    if break_space:
        flow_plain = block_plain = False
    return line_breaks, flow_plain, block_plain, single, block


def verdict(s: str, v3: bool) -> tuple[bool, bool, bool, bool, bool]:
    info = ScalarInfo(s, v3)
    return info.multiline, info.flow_plain, info.block_plain, info.single, info.block


# Every character the scan treats specially, a few ordinary ones, and the edges of
# go-yaml's printable ranges (DEL, C1, BOM, U+FFFE, an astral letter, a surrogate).
_ALPHABET = st.sampled_from(list(
    " \t\r\n\x85\u2028\u2029\x00#,[]{}&*!|>'\"%@`?:-.ab1é\x7f\x9f\xa0\ufeff\ufffd\ufffe"
    "\U0001F600\ud800"))


@settings(max_examples=3000, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=12), st.booleans())
def test_the_searches_agree_with_the_character_loop(s: str, v3: bool) -> None:
    assert verdict(s, v3) == analyze(s, v3)


def test_known_verdicts() -> None:
    assert verdict("a: b", False) == analyze("a: b", False) == (False, False, False, True, True)
    assert verdict("a:b", False)[1:3] == (False, True)  # flow needs quoting, block does not
    assert verdict("x #y", False)[1:3] == (False, False)  # a comment after white space
    assert verdict("x#y", False)[1:3] == (True, True)
    assert verdict("line\nnext", False)[0] is True
    assert verdict("tab\there", True)[1:4] == (False, False, False)
    assert verdict("tab\there", False) == analyze("tab\there", False)


class _CharByChar(Emitter):
    """The literal-block lines as the emitter first wrote them: one character at a time."""

    def write_literal_lines(self, s: str) -> None:
        breaks = True
        for c in s:
            if c in _BREAKS:
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(c)
                self.indention = False
                breaks = False


_LINES = st.text(st.sampled_from(list("ab \t\r\n\x85\u2028\u2029:#")), min_size=1, max_size=30)


@settings(max_examples=1500, deadline=None)
@given(_LINES, st.booleans(), st.integers(2, 5))
def test_literal_blocks_are_written_as_character_by_character(
        text: str, v3: bool, indent: int) -> None:
    tree = {("k", PLAIN): [(text, LITERAL), {("n", PLAIN): (text, LITERAL)}]}
    fast = Emitter(indent=indent, v3=v3).document(tree)
    slow = _CharByChar(indent=indent, v3=v3).document(tree)
    assert fast == slow


def test_not_printable_classes_are_exactly_the_complement_of_printable() -> None:
    # The classes are written as the complement (cheap to compile); every code
    # point must fall on the same side as go-yaml's is_printable (plus \t for v3).
    from minihelm.goyaml.yamlemit import _NOT_PRINTABLE, _NOT_PRINTABLE_V3

    wrong = [cp for cp in range(0x110000)
             if bool(_NOT_PRINTABLE.match(chr(cp))) == _printable(chr(cp))
             or bool(_NOT_PRINTABLE_V3.match(chr(cp))) == (_printable(chr(cp)) or cp == 9)]
    assert wrong == []
