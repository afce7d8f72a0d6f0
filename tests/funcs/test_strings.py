"""Sprig string functions (funcs.strings) against outputs recorded from helm v4.1.4.

Each case is (template expression run through `helm template`, function,
arguments as the runtime passes them, helm's printed output).  Values-file
numbers arrive as float (the chart had `x: 1`).
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import NON_HERMETIC, functions
from minihelm.golang.gofmt import format_value
from minihelm.golang.gostr import to_bytes
from minihelm.golang.gotypes import GoList, GoMap

HELM_CASES = [
    ('upper "héllo straße ǆ"', 'upper', ('héllo straße ǆ',), 'HÉLLO STRAßE Ǆ'),
    ('lower "HÉLLO İ ǅ"', 'lower', ('HÉLLO İ ǅ',), 'héllo i ǆ'),
    ('title "hello wORLD foo_bar x-y ǆa élan 3rd"', 'title', ('hello wORLD foo_bar x-y ǆa élan 3rd',), 'Hello WORLD Foo_bar X-Y ǅa Élan 3rd'),
    ('title "a.b,c(d) e\\tf"', 'title', ('a.b,c(d) e\tf',), 'A.B,C(D) E\tF'),
    ('untitle "Hello World ABC"', 'untitle', ('Hello World ABC',), 'hello world aBC'),
    ('swapcase "Hello World aBC 1abc ǅx"', 'swapcase', ('Hello World aBC 1abc ǅx',), 'hELLO wORLD Abc 1ABC ǆX'),
    ('repeat 3 "ab"', 'repeat', (3, 'ab'), 'ababab'),
    ('repeat 0 "ab"', 'repeat', (0, 'ab'), ''),
    ('substr 1 3 "abcdef"', 'substr', (1, 3, 'abcdef'), 'bc'),
    ('substr -1 3 "abcdef"', 'substr', (-1, 3, 'abcdef'), 'abc'),
    ('substr 2 -1 "abcdef"', 'substr', (2, -1, 'abcdef'), 'cdef'),
    ('substr 2 99 "abcdef"', 'substr', (2, 99, 'abcdef'), 'cdef'),
    ('substr 0 2 "héllo"', 'substr', (0, 2, 'héllo'), 'h\udcc3'),
    ('nospace "a b\\tc\\nd"', 'nospace', ('a b\tc\nd',), 'abcd'),
    ('nospace "héllo wörld"', 'nospace', ('héllo wörld',), 'hÃ©llowÃ¶rld'),
    ('nospace "héllo"', 'nospace', ('héllo',), 'héllo'),
    ('trunc 3 "abcdef"', 'trunc', (3, 'abcdef'), 'abc'),
    ('trunc -3 "abcdef"', 'trunc', (-3, 'abcdef'), 'def'),
    ('trunc -10 "abcdef"', 'trunc', (-10, 'abcdef'), 'abcdef'),
    ('trunc 10 "abcdef"', 'trunc', (10, 'abcdef'), 'abcdef'),
    ('trunc 2 "héllo"', 'trunc', (2, 'héllo'), 'h\udcc3'),
    ('trunc 0 "abc"', 'trunc', (0, 'abc'), ''),
    ('abbrev 5 "hello world"', 'abbrev', (5, 'hello world'), 'he...'),
    ('abbrev 3 "hello world"', 'abbrev', (3, 'hello world'), 'hello world'),
    ('abbrev 20 "hello world"', 'abbrev', (20, 'hello world'), 'hello world'),
    ('abbrevboth 5 10 "1234 5678 9123"', 'abbrevboth', (5, 10, '1234 5678 9123'), '...5678...'),
    ('abbrevboth 0 6 "abcdefghijkl"', 'abbrevboth', (0, 6, 'abcdefghijkl'), 'abc...'),
    ('abbrevboth 10 7 "abcdefghijklmnopqrstuvwxyz"', 'abbrevboth', (10, 7, 'abcdefghijklmnopqrstuvwxyz'), '...k...'),
    ('abbrevboth 3 8 "abcdefghijklmnop"', 'abbrevboth', (3, 8, 'abcdefghijklmnop'), 'abcde...'),
    ('abbrevboth 100 8 "abcdefghijklmnop"', 'abbrevboth', (100, 8, 'abcdefghijklmnop'), '...lmnop'),
    ('initials "First Try  helm"', 'initials', ('First Try  helm',), 'FTh'),
    ('initials "élan vital"', 'initials', ('élan vital',), 'Ãv'),
    ('wrap 5 "Hello World foo barbazqux x"', 'wrap', (5, 'Hello World foo barbazqux x'), 'Hello\nWorld\nfoo\nbarbazqux\nx'),
    ('wrap 0 "a b c"', 'wrap', (0, 'a b c'), 'a\nb\nc'),
    ('wrapWith 5 "\\t" "Hello World barbazquxx"', 'wrapWith', (5, '\t', 'Hello World barbazquxx'), 'Hello\tWorld\tbarba\tzquxx'),
    ('wrapWith 5 "" "Hello  World"', 'wrapWith', (5, '', 'Hello  World'), 'Hello\nWorld'),
    ('contains "cat" "catch"', 'contains', ('cat', 'catch'), 'true'),
    ('hasPrefix "ca" "catch"', 'hasPrefix', ('ca', 'catch'), 'true'),
    ('hasSuffix "ch" "catch"', 'hasSuffix', ('ch', 'catch'), 'true'),
    ('hasSuffix "x" "catch"', 'hasSuffix', ('x', 'catch'), 'false'),
    ('quote "a\\"b" 1 nil 2.5 true', 'quote', ('a"b', 1, None, 2.5, True), '"a\\"b" "1" "2.5" "true"'),
    ('quote "tab\\there\\x01\\u00a0é\\U0001F600"', 'quote', ('tab\there\x01\xa0é😀',), '"tab\\there\\x01\\u00a0é😀"'),
    ('quote .Values.x', 'quote', (1.0,), '"1"'),
    ('quote (list 1 "a" nil)', 'quote', ([1, 'a', None],), '"[1 a <nil>]"'),
    ('quote (trunc 2 "héllo")', 'quote', ('h\udcc3',), '"h\\xc3"'),
    ('quote', 'quote', (), ''),
    ('squote "a" nil 3 .Values.x', 'squote', ('a', None, 3, 1.0), "'a' '3' '1'"),
    ('cat "a" nil 1 2.5 (list 1 2) "b"', 'cat', ('a', None, 1, 2.5, [1, 2], 'b'), 'a 1 2.5 [1 2] b'),
    ('indent 2 "a\\nb"', 'indent', (2, 'a\nb'), '  a\n  b'),
    ('nindent 4 "a\\n\\nb"', 'nindent', (4, 'a\n\nb'), '\n    a\n    \n    b'),
    ('replace "a" "X" "banana"', 'replace', ('a', 'X', 'banana'), 'bXnXnX'),
    ('replace "" "-" "héy"', 'replace', ('', '-', 'héy'), '-h-é-y-'),
    ('plural "one" "many" 1', 'plural', ('one', 'many', 1), 'one'),
    ('plural "one" "many" 0', 'plural', ('one', 'many', 0), 'many'),
    ('snakecase "FirstName HTTPServer http2xx Bld4Floor3rd"', 'snakecase', ('FirstName HTTPServer http2xx Bld4Floor3rd',), 'first_name_http_server_http_2xx_bld4_floor_3rd'),
    ('snakecase "GO-PATH  foo__bar Duration2m3s NoHTTPS"', 'snakecase', ('GO-PATH  foo__bar Duration2m3s NoHTTPS',), 'go_path__foo__bar_duration_2m3s_no_https'),
    ('snakecase "HTTP20xOK a.b-C éÉ 中文Ab"', 'snakecase', ('HTTP20xOK a.b-C éÉ 中文Ab',), 'http_20x_ok_a.b_c_é_é_中文_ab'),
    ('kebabcase "FirstName HTTPServer"', 'kebabcase', ('FirstName HTTPServer',), 'first-name-http-server'),
    ('kebabcase "x_y 2A a2 _lead"', 'kebabcase', ('x_y 2A a2 _lead',), 'x-y-2-a-a2--lead'),
    ('camelcase "http_server some words"', 'camelcase', ('http_server some words',), 'HttpServerSomeWords'),
    ('camelcase "_complex__case_"', 'camelcase', ('_complex__case_',), '_Complex_Case_'),
    ('camelcase "GOLANG_IS_GREAT"', 'camelcase', ('GOLANG_IS_GREAT',), 'GolangIsGreat'),
    ('camelcase "__"', 'camelcase', ('__',), '___'),
    ('camelcase "a"', 'camelcase', ('a',), 'A'),
    ('camelcase "HTTPServer-abc"', 'camelcase', ('HTTPServer-abc',), 'HttpserverAbc'),
    ('trim "  \\t a b \\n "', 'trim', ('  \t a b \n ',), 'a b'),
    ('trimAll "$" "$$5.00$"', 'trimAll', ('$', '$$5.00$'), '5.00'),
    ('trimall "ab" "abcba"', 'trimall', ('ab', 'abcba'), 'c'),
    ('trimPrefix "-" "--x"', 'trimPrefix', ('-', '--x'), '-x'),
    ('trimSuffix "-" "x--"', 'trimSuffix', ('-', 'x--'), 'x-'),
    ('toString 1', 'toString', (1,), '1'),
    ('toString .Values.x', 'toString', (1.0,), '1'),
    ('toString nil', 'toString', (None,), '<nil>'),
    ('toString (list 1 "a")', 'toString', ([1, 'a'],), '[1 a]'),
    ('toStrings (list 1 "a" nil 2.5)', 'toStrings', ([1, 'a', None, 2.5],), '[1 a 2.5]'),
    ('toStrings "abc"', 'toStrings', ('abc',), '[abc]'),
    ('toStrings nil', 'toStrings', (None,), '[]'),
    ('split "," "a,b,,c"', 'split', (',', 'a,b,,c'), 'map[_0:a _1:b _2: _3:c]'),
    ('split "" "abc"', 'split', ('', 'abc'), 'map[_0:a _1:b _2:c]'),
    ('splitList "," "a,b,,c"', 'splitList', (',', 'a,b,,c'), '[a b  c]'),
    ('splitList "," ""', 'splitList', (',', ''), '[]'),
    ('splitn "," 2 "a,b,c"', 'splitn', (',', 2, 'a,b,c'), 'map[_0:a _1:b,c]'),
    ('splitn "," 0 "a,b,c"', 'splitn', (',', 0, 'a,b,c'), 'map[]'),
    ('splitn "," -1 "a,b,c"', 'splitn', (',', -1, 'a,b,c'), 'map[_0:a _1:b _2:c]'),
    ('join "-" (list 1 "a" nil 2.5)', 'join', ('-', [1, 'a', None, 2.5]), '1-a-2.5'),
    ('join "-" "abc"', 'join', ('-', 'abc'), 'abc'),
    ('join "-" 5', 'join', ('-', 5), '5'),
    ('sortAlpha (list "b" "a" 10 2 "B")', 'sortAlpha', (['b', 'a', 10, 2, 'B'],), '[10 2 B a b]'),
    ('sortAlpha "x"', 'sortAlpha', ('x',), '[x]'),
    ('sortAlpha 3', 'sortAlpha', (3,), '[3]'),
    ('hello', 'hello', (), 'Hello!'),
]


@pytest.mark.parametrize("expr,name,args,printed", HELM_CASES)
def test_matches_helm(expr: str, name: str, args: tuple[Any, ...], printed: str) -> None:
    assert format_value(functions()[name].fn(*args)) == printed, expr


# Panics and errors, with helm's "error calling <fn>: ..." text after the colon.
HELM_ERRORS = [
    ('repeat -1 "a"', "repeat", (-1, "a"), "strings: negative Repeat count"),
    ('indent -1 "a"', "indent", (-1, "a"), "strings: negative Repeat count"),
    ('substr 4 2 "abcdef"', "substr", (4, 2, "abcdef"),
     "runtime error: slice bounds out of range [4:2]"),
    ('substr -1 10 "abc"', "substr", (-1, 10, "abc"),
     "runtime error: slice bounds out of range [:10] with length 3"),
    ('substr 9 -1 "abc"', "substr", (9, -1, "abc"),
     "runtime error: slice bounds out of range [9:3]"),
    ('substr -1 -1 "abc"', "substr", (-1, -1, "abc"),
     "runtime error: slice bounds out of range [:-1]"),
]


@pytest.mark.parametrize("expr,name,args,message", HELM_ERRORS)
def test_errors_match_helm(expr: str, name: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        functions()[name].fn(*args)
    assert str(e.value) == message, expr


def test_result_go_types() -> None:
    f = functions()
    parts = f["split"].fn(",", "a,b")
    assert isinstance(parts, GoMap) and parts.go_type == "map[string]string"
    assert parts == {"_0": "a", "_1": "b"}
    for name, args in [("splitList", (",", "a,b")), ("toStrings", ([1],)),
                       ("sortAlpha", (["b"],))]:
        r = f[name].fn(*args)
        assert isinstance(r, GoList) and r.go_type == "[]string", name


def test_byte_cut_keeps_go_bytes() -> None:
    # trunc cuts inside 'é' (c3 a9): the half byte survives as Go's raw byte.
    assert to_bytes(functions()["trunc"].fn(2, "héllo")) == b"h\xc3"
    assert to_bytes(functions()["trunc"].fn(-4, "héllo")) == b"\xa9llo"


def test_signatures_follow_sprig() -> None:
    f = functions()
    assert f["trunc"].params == ("int", "string")
    assert f["quote"].params == ("interface {}",) and f["quote"].variadic
    assert f["join"].params == ("string", "interface {}")
    assert f["wrapWith"].params == ("int", "string", "string")
    assert f["plural"].params == ("string", "string", "int")


def test_shuffle_is_a_permutation_and_not_hermetic() -> None:
    out = functions()["shuffle"].fn("héllo")
    assert sorted(out) == sorted("héllo")
    assert "shuffle" in NON_HERMETIC
