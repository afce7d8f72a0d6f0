"""The template lexer: Go's lex.go tokens, positions, lines, trim markers and lexical errors.

Expected tokens follow Go's text/template/parse lexer (lex.go, lex_test.go);
the error wordings were also checked end to end with helm v4.1.4 (see
test_parser.py's recorded table).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.gotemplate.lexer import Lexer, T, Token, lex


def kinds(src: str) -> list[tuple[str, str]]:
    return [(t.typ.name, t.val) for t in lex(src)]


def test_text_only_and_empty() -> None:
    assert kinds("") == [("EOF", "")]
    assert kinds("hello\nworld") == [("TEXT", "hello\nworld"), ("EOF", "")]


def test_action_tokens() -> None:
    assert kinds('{{.X.Y | printf "%d" 1}}') == [
        ("LEFT_DELIM", "{{"), ("FIELD", ".X"), ("FIELD", ".Y"), ("SPACE", " "), ("PIPE", "|"),
        ("SPACE", " "), ("IDENTIFIER", "printf"), ("SPACE", " "), ("STRING", '"%d"'),
        ("SPACE", " "), ("NUMBER", "1"), ("RIGHT_DELIM", "}}"), ("EOF", ""),
    ]


def test_variables_declarations_and_punctuation() -> None:
    assert kinds("{{$ $x := $.A, $y = (1)}}")[1:-2] == [
        ("VARIABLE", "$"), ("SPACE", " "), ("VARIABLE", "$x"), ("SPACE", " "),
        ("DECLARE", ":="), ("SPACE", " "), ("VARIABLE", "$"), ("FIELD", ".A"), ("CHAR", ","),
        ("SPACE", " "), ("VARIABLE", "$y"), ("SPACE", " "), ("ASSIGN", "="), ("SPACE", " "),
        ("LEFT_PAREN", "("), ("NUMBER", "1"), ("RIGHT_PAREN", ")"),
    ]


def test_keywords_bool_nil_dot() -> None:
    src = "{{if else end range with define template block break continue nil true false . x}}"
    toks = [t for t in lex(src) if t.typ != T.SPACE][1:-2]
    assert [t.typ for t in toks] == [
        T.IF, T.ELSE, T.END, T.RANGE, T.WITH, T.DEFINE, T.TEMPLATE, T.BLOCK, T.BREAK,
        T.CONTINUE, T.NIL, T.BOOL, T.BOOL, T.DOT, T.IDENTIFIER,
    ]


def test_break_is_an_identifier_when_a_break_function_exists() -> None:
    # Go: lexOptions.breakOK = !hasFunction("break").
    toks = list(Lexer("{{break}}{{continue}}", break_ok=False, continue_ok=True).tokens())
    assert [t.typ for t in toks] == [
        T.LEFT_DELIM, T.IDENTIFIER, T.RIGHT_DELIM, T.LEFT_DELIM, T.CONTINUE, T.RIGHT_DELIM, T.EOF,
    ]


@pytest.mark.parametrize("number", [
    "0", "-1", "+7", "1_000", "0x1F", "0X1f", "0o17", "0O17", "017", "0b101", "1.5", ".5", "1.",
    "1e3", "1E-3", "0x1p-2", "0x1.8P+3", "1i", "0x_1p4", "08",
])
def test_numbers(number: str) -> None:
    assert kinds("{{" + number + "}}")[1] == ("NUMBER", number)


def test_complex_and_char_constants() -> None:
    assert kinds("{{1+2i}}")[1] == ("COMPLEX", "1+2i")
    assert kinds("{{-1.2-4e3i}}")[1] == ("COMPLEX", "-1.2-4e3i")
    assert kinds(r"{{'a' '\n' '\''}}")[1:6:2] == [
        ("CHAR_CONSTANT", "'a'"), ("CHAR_CONSTANT", r"'\n'"), ("CHAR_CONSTANT", r"'\''"),
    ]


def test_strings() -> None:
    assert kinds(r'{{"a\"b" `raw\n"x"`}}')[1:4] == [
        ("STRING", r'"a\"b"'), ("SPACE", " "), ("RAW_STRING", r'`raw\n"x"`'),
    ]


def test_trim_markers_need_a_space() -> None:
    # "{{- " trims before, " -}}" after; "{{-3}}" is the number -3.
    assert kinds("a \n\t{{- 3 -}}\n b") == [
        ("TEXT", "a"), ("LEFT_DELIM", "{{"), ("NUMBER", "3"), ("RIGHT_DELIM", "}}"),
        ("TEXT", "b"), ("EOF", ""),
    ]
    assert kinds("a {{-3}} b") == [
        ("TEXT", "a "), ("LEFT_DELIM", "{{"), ("NUMBER", "-3"), ("RIGHT_DELIM", "}}"),
        ("TEXT", " b"), ("EOF", ""),
    ]
    # The marker may be followed or preceded by a tab or a newline too.
    assert kinds("a {{-\t3\n-}} b") == [
        ("TEXT", "a"), ("LEFT_DELIM", "{{"), ("NUMBER", "3"), ("RIGHT_DELIM", "}}"),
        ("TEXT", "b"), ("EOF", ""),
    ]
    # Several spaces before the marker: a space token, then the trimming delimiter.
    assert kinds("{{3   -}} x")[2:5] == [("SPACE", "  "), ("RIGHT_DELIM", "}}"), ("TEXT", "x")]


def test_comments_are_dropped_and_can_trim() -> None:
    assert kinds("a {{/* c */}} b") == [("TEXT", "a "), ("TEXT", " b"), ("EOF", "")]
    assert kinds("a \n{{- /* c\n */ -}}\n b") == [("TEXT", "a"), ("TEXT", "b"), ("EOF", "")]


def test_positions_and_lines() -> None:
    toks = lex("line1\n{{ .X\n  .Y }}\n`\n`{{`a\nb` $}}")
    by_val: dict[str, Token] = {}
    for t in toks:
        by_val.setdefault(t.val, t)
    assert (by_val["{{"].pos, by_val["{{"].line) == (6, 2)
    assert (by_val[".X"].pos, by_val[".X"].line) == (9, 2)
    assert (by_val[".Y"].pos, by_val[".Y"].line) == (14, 3)
    assert by_val["`a\nb`"].line == 5
    assert by_val["$"].line == 6  # after a raw string spanning a newline
    # trimmed newlines still count (Go's ignore() counts them)
    toks = lex("{{1 -}}\n\n\n{{2}}")
    assert [(t.val, t.line) for t in toks if t.typ == T.NUMBER] == [("1", 1), ("2", 4)]


def test_token_string_is_gos_item_string() -> None:
    assert str(Token(T.EOF, 0, "", 1)) == "EOF"
    assert str(Token(T.IF, 0, "if", 1)) == "<if>"
    assert str(Token(T.DOT, 0, ".", 1)) == "<.>"
    assert str(Token(T.CHAR, 0, "}", 1)) == '"}"'
    assert str(Token(T.STRING, 0, '"a"', 1)) == '"\\"a\\""'
    # %.10q...: at most ten runes of a longer value
    assert str(Token(T.IDENTIFIER, 0, "abcdefghijklmnop", 1)) == '"abcdefghij"...'
    assert str(Token(T.ERROR, 0, "unclosed action", 1)) == "unclosed action"


@pytest.mark.parametrize(("src", "message"), [
    ("{{ .X", "unclosed action"),
    ("{{ (1 }}", "unclosed left paren"),
    ("{{ ) }}", "unexpected right paren"),
    ("{{ : }}", "expected :="),
    ('{{ "abc }}', "unterminated quoted string"),
    ('{{ "abc\n" }}', "unterminated quoted string"),
    ("{{ `abc }}", "unterminated raw quoted string"),
    ("{{ 'a }}", "unterminated character constant"),
    ("{{ 1x }}", 'bad number syntax: "1x"'),
    ("{{ 0x1g }}", 'bad number syntax: "0x1g"'),
    ("{{ 1+2 }}", 'bad number syntax: "1+2"'),
    ("{{ .X# }}", "bad character U+0023 '#'"),
    ("{{ .X} }}", "bad character U+007D '}'"),
    ("{{ $x=1 }}", "bad character U+003D '='"),
    ("{{ a.b+ }}", "bad character U+002B '+'"),
    ("{{ \u20ac }}", "unrecognized character in action: U+20AC '\u20ac'"),
    ("{{ \x01 }}", "unrecognized character in action: U+0001"),
    ("{{/* x", "unclosed comment"),
    ("{{/* x */ }}", "comment ends before closing delimiter"),
])
def test_lexical_errors(src: str, message: str) -> None:
    last = lex(src)[-1]
    assert last.typ == T.ERROR
    assert last.val == message


def test_error_token_is_at_the_start_of_the_bad_token() -> None:
    toks = lex('ab\n{{ 1 "x')
    assert (toks[-1].pos, toks[-1].line) == (8, 2)


def test_lexer_is_lazy() -> None:
    # Nothing past the first error, and tokens before it come out first.
    lx = Lexer("{{ 1 }}{{ ` }}")
    got = []
    while True:
        tok = lx.next_token()
        got.append(tok.typ)
        if tok.typ in (T.ERROR, T.EOF):
            break
    assert got == [
        T.LEFT_DELIM, T.SPACE, T.NUMBER, T.SPACE, T.RIGHT_DELIM, T.LEFT_DELIM, T.SPACE, T.ERROR,
    ]
    assert lx.next_token().typ == T.EOF


def test_unicode_identifiers_follow_go_letter_and_digit_classes() -> None:
    # Go's isAlphaNumeric: letters and Nd digits; '²' (No) is not one.
    assert kinds("{{ h\u00e9\u0663 }}")[2] == ("IDENTIFIER", "h\u00e9\u0663")
    assert lex("{{ a\u00b2 }}")[-1].val == "bad character U+00B2 '\u00b2'"


def _both_ways(src: str, break_ok: bool = True) -> tuple[list[Token], list[Token]]:
    fast, slow = Lexer(src, break_ok=break_ok), Lexer(src, break_ok=break_ok)
    slow._lex_inside_action = slow._lex_inside_action_slowly  # type: ignore[method-assign]
    return list(fast.tokens()), list(slow.tokens())


_PIECES = st.sampled_from([
    "{{", "{{- ", "}}", " -}}", "-}}", " ", "  ", "\n", "\t", ".", ".Values", ".a_1", "$", "$x",
    "$1", "x", "if", "end", "break", "true", "nil", "é", ".é", "ab9", "_", "|", "(", ")", ":=",
    "=", ":", '"s"', '"a\\"b"', '"\\', '"', "`r`", "'c'", "1", "-2", "0x1F", "1e3", ",", "/*",
    "*/", "}", "{", "-", "x-", "#", "text ", "\r\n",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join), st.booleans())
def test_the_common_token_regex_lexes_as_the_step_by_step_path(src: str, break_ok: bool) -> None:
    fast, slow = _both_ways(src, break_ok)
    assert fast == slow


def _counting_slow_calls(lexer: Lexer) -> list[int]:
    """[how many tokens went the step-by-step way], counted as `lexer` runs."""
    calls = [0]
    slowly = lexer._lex_inside_action_slowly

    def counted() -> Token:
        calls[0] += 1
        return slowly()

    lexer._lex_inside_action_slowly = counted  # type: ignore[method-assign]
    return calls


def test_the_common_token_regex_takes_the_usual_actions() -> None:
    """The fast path does the work on ordinary text: it must not just fall through."""
    src = '{{- $v := .Values.image | default "x" -}}\n{{ include "a.b" (dict "k" $v) }}'
    lexer = Lexer(src)
    calls = _counting_slow_calls(lexer)
    tokens = list(lexer.tokens())
    slow_calls = calls[0]
    assert [t.typ for t in tokens].count(T.RIGHT_DELIM) == 2
    assert slow_calls == 3  # the two right delimiters and the `)`
    assert tokens == _both_ways(src)[1]


_BATCH_PIECES = _PIECES | st.sampled_from(["0", "08", "12", "1.5", "1+2i", "7_", ". ", ".)", "9}}", "x)"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_BATCH_PIECES, max_size=24).map("".join), st.booleans())
def test_all_tokens_are_the_tokens_next_token_gives(src: str, break_ok: bool) -> None:
    # the parser's list (batch loop) against the step-by-step lexer, and the EOF after it
    _, slow = _both_ways(src, break_ok)
    lx = Lexer(src, break_ok=break_ok)
    tokens, after = lx.all_tokens()
    assert tokens == slow
    one_by_one = Lexer(src, break_ok=break_ok)
    for _ in slow:
        one_by_one.next_token()
    assert after == one_by_one.next_token()


def test_all_tokens_batch_the_usual_actions() -> None:
    """all_tokens() must match the ordinary tokens itself, `}}`, `)` and numbers included."""
    src = '{{- $v := .Values.image | default "x" 12 -}}\n{{ include "a.b" (dict "k" $v .) }}'
    lexer = Lexer(src)
    calls = _counting_slow_calls(lexer)
    tokens, _ = lexer.all_tokens()
    slow_calls = calls[0]
    assert slow_calls == 1  # the trimmed ` -}}` alone
    assert tokens == _both_ways(src)[1]
