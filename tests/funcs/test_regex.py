"""Sprig regex functions (funcs.regex, Go RE2 via funcs._re2) against outputs recorded from helm v4.1.4.

Each case is (template expression run through `helm template`, function,
arguments as the runtime passes them, helm's printed output).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.errors import GoFuncError
from minihelm.funcs import functions
from minihelm.golang.gofmt import format_value
from minihelm.golang.gotypes import GoList
from minihelm.golang.re2 import RegexpSyntaxError, compile_go

HELM_CASES = [
    ('regexMatch "^[a-z]+$" "abc"', 'regexMatch', ('^[a-z]+$', 'abc'), 'true'),
    ('regexMatch "^[a-z]+$" "abc\\n"', 'regexMatch', ('^[a-z]+$', 'abc\n'), 'false'),
    ('regexMatch "(?m)^b$" "a\\nb\\nc"', 'regexMatch', ('(?m)^b$', 'a\nb\nc'), 'true'),
    ('regexMatch "a.c" "a\\nc"', 'regexMatch', ('a.c', 'a\nc'), 'false'),
    ('regexMatch "(?s)a.c" "a\\nc"', 'regexMatch', ('(?s)a.c', 'a\nc'), 'true'),
    ('regexMatch "\\\\d" "٣"', 'regexMatch', ('\\d', '٣'), 'false'),
    ('regexMatch "\\\\w" "é"', 'regexMatch', ('\\w', 'é'), 'false'),
    ('regexMatch "\\\\pL" "é"', 'regexMatch', ('\\pL', 'é'), 'true'),
    ('regexMatch "^\\\\p{Lu}+$" "ÉA"', 'regexMatch', ('^\\p{Lu}+$', 'ÉA'), 'true'),
    ('regexMatch "^\\\\PL$" "1"', 'regexMatch', ('^\\PL$', '1'), 'true'),
    ('regexMatch "[[:alpha:]]+" "123"', 'regexMatch', ('[[:alpha:]]+', '123'), 'false'),
    ('regexMatch "^[[:^digit:]]+$" "abc"', 'regexMatch', ('^[[:^digit:]]+$', 'abc'), 'true'),
    ('regexMatch "(?i)HELLO" "hello"', 'regexMatch', ('(?i)HELLO', 'hello'), 'true'),
    ('regexMatch "(?i:H)ELLO" "hello"', 'regexMatch', ('(?i:H)ELLO', 'hello'), 'false'),
    ('regexMatch "\\\\bfoo\\\\b" "éfooé"', 'regexMatch', ('\\bfoo\\b', 'éfooé'), 'true'),
    ('regexMatch "a{,2}" "a{,2}"', 'regexMatch', ('a{,2}', 'a{,2}'), 'true'),
    ('regexMatch "^a{,2}$" "aa"', 'regexMatch', ('^a{,2}$', 'aa'), 'false'),
    ('regexMatch "(" "x"', 'regexMatch', ('(', 'x'), 'false'),
    ('regexMatch "\\\\Aab\\\\z" "ab"', 'regexMatch', ('\\Aab\\z', 'ab'), 'true'),
    ('regexMatch "x*" ""', 'regexMatch', ('x*', ''), 'true'),
    ('regexFind "[0-9]+" "ab123cd45"', 'regexFind', ('[0-9]+', 'ab123cd45'), '123'),
    ('regexFind "z" "abc"', 'regexFind', ('z', 'abc'), ''),
    ('regexFind "a|ab" "ab"', 'regexFind', ('a|ab', 'ab'), 'a'),
    ('regexFind "(?U)a+" "aaa"', 'regexFind', ('(?U)a+', 'aaa'), 'a'),
    ('regexFind "(?U)a+?" "aaa"', 'regexFind', ('(?U)a+?', 'aaa'), 'aaa'),
    ('regexFind "\\\\x41\\\\x{42}\\\\101\\\\QC.\\\\E" "xABAC."', 'regexFind', ('\\x41\\x{42}\\101\\QC.\\E', 'xABAC.'), 'ABAC.'),
    ('regexFind "[^\\\\D3]+" "a12345"', 'regexFind', ('[^\\D3]+', 'a12345'), '12'),
    ('regexFind "[\\\\d-z]+" "a1-z"', 'regexFind', ('[\\d-z]+', 'a1-z'), '1-z'),
    ('regexFind "[]a]+" "]a]b"', 'regexFind', ('[]a]+', ']a]b'), ']a]'),
    ('regexFind "é+" "ééé"', 'regexFind', ('é+', 'ééé'), 'ééé'),
    ('regexFindAll "[0-9]" "a1b2c3" -1', 'regexFindAll', ('[0-9]', 'a1b2c3', -1), '[1 2 3]'),
    ('regexFindAll "[0-9]" "a1b2c3" 2', 'regexFindAll', ('[0-9]', 'a1b2c3', 2), '[1 2]'),
    ('regexFindAll "[0-9]" "a1b2c3" 0', 'regexFindAll', ('[0-9]', 'a1b2c3', 0), '[]'),
    ('regexFindAll "a*" "baaac" -1', 'regexFindAll', ('a*', 'baaac', -1), '[ aaa ]'),
    ('regexFindAll "" "abc" -1', 'regexFindAll', ('', 'abc', -1), '[   ]'),
    ('regexFindAll "$" "a\\n" -1', 'regexFindAll', ('$', 'a\n', -1), '[]'),
    ('regexFindAll "(?m)$" "a\\nb" -1', 'regexFindAll', ('(?m)$', 'a\nb', -1), '[ ]'),
    ('regexFindAll "^." "ab\\ncd" -1', 'regexFindAll', ('^.', 'ab\ncd', -1), '[a]'),
    ('regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"', 'regexReplaceAll', ('a(x*)b', '-ab-axxb-', '${1}W'), '-W-xxW-'),
    ('regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W"', 'regexReplaceAll', ('a(x*)b', '-ab-axxb-', '$1W'), '---'),
    ('regexReplaceAll "(?P<n>a)" "xa" "${n}$n.$2|$$|$"', 'regexReplaceAll', ('(?P<n>a)', 'xa', '${n}$n.$2|$$|$'), 'xaa.|$|$'),
    ('regexReplaceAll "(?<first>\\\\w+) (?P<last>\\\\w+)" "John Smith" "$last, ${first}"', 'regexReplaceAll', ('(?<first>\\w+) (?P<last>\\w+)', 'John Smith', '$last, ${first}'), 'Smith, John'),
    ('regexReplaceAll "(a)" "xa" "$1x"', 'regexReplaceAll', ('(a)', 'xa', '$1x'), 'x'),
    ('regexReplaceAll "(a)" "xa" "$01|${01}|${1"', 'regexReplaceAll', ('(a)', 'xa', '$01|${01}|${1'), 'x||${1'),
    ('regexReplaceAll "a*" "baaac" "-"', 'regexReplaceAll', ('a*', 'baaac', '-'), '-b-c-'),
    ('regexReplaceAll "" "abc" "-"', 'regexReplaceAll', ('', 'abc', '-'), '-a-b-c-'),
    ('regexReplaceAll "x*" "" "-"', 'regexReplaceAll', ('x*', '', '-'), '-'),
    ('regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}"', 'regexReplaceAllLiteral', ('a(x*)b', '-ab-axxb-', '${1}'), '-${1}-${1}-'),
    ('regexSplit "z+" "pizza" -1', 'regexSplit', ('z+', 'pizza', -1), '[pi a]'),
    ('regexSplit "z+" "pizza" 1', 'regexSplit', ('z+', 'pizza', 1), '[pizza]'),
    ('regexSplit "z+" "pizza" 0', 'regexSplit', ('z+', 'pizza', 0), '[]'),
    ('regexSplit "a*" "baaac" -1', 'regexSplit', ('a*', 'baaac', -1), '[b c]'),
    ('regexSplit "" "abc" -1', 'regexSplit', ('', 'abc', -1), '[a b c]'),
    ('regexSplit "x" "" -1', 'regexSplit', ('x', '', -1), '[]'),
    ('regexSplit "" "" -1', 'regexSplit', ('', '', -1), '[]'),
    ('regexSplit "," "a,b,c," 2', 'regexSplit', (',', 'a,b,c,', 2), '[a b,c,]'),
    ('regexSplit "," ",a,b,c," -1', 'regexSplit', (',', ',a,b,c,', -1), '[ a b c ]'),
    ('regexQuoteMeta "1.2+[x]{$^}|\\\\?*()-#"', 'regexQuoteMeta', ('1.2+[x]{$^}|\\?*()-#',), '1\\.2\\+\\[x\\]\\{\\$\\^\\}\\|\\\\\\?\\*\\(\\)-#'),
    ('mustRegexMatch "^a" "ab"', 'mustRegexMatch', ('^a', 'ab'), 'true'),
    ('mustRegexFind "b+" "abbc"', 'mustRegexFind', ('b+', 'abbc'), 'bb'),
    ('mustRegexFindAll "b" "abbc" -1', 'mustRegexFindAll', ('b', 'abbc', -1), '[b b]'),
    ('mustRegexReplaceAll "b" "abbc" "[$0]"', 'mustRegexReplaceAll', ('b', 'abbc', '[$0]'), 'a[b][b]c'),
    ('mustRegexReplaceAllLiteral "b" "abbc" "$0"', 'mustRegexReplaceAllLiteral', ('b', 'abbc', '$0'), 'a$0$0c'),
    ('mustRegexSplit "b" "abbc" -1', 'mustRegexSplit', ('b', 'abbc', -1), '[a  c]'),
    ('regexFind "(?i)straSSe" "STRASSE"', 'regexFind', ('(?i)straSSe', 'STRASSE'), 'STRASSE'),
    ('regexFind "(?i)k" "K"', 'regexFind', ('(?i)k', 'K'), 'K'),
    ('regexFind "^*a" "a"', 'regexFind', ('^*a', 'a'), 'a'),
    ('regexFind "(?i)[^a]" "Ab"', 'regexFind', ('(?i)[^a]', 'Ab'), 'b'),
    ('regexFind "x{0}y" "xy"', 'regexFind', ('x{0}y', 'xy'), 'y'),
    ('regexFind "[a-c-e]+" "-eab"', 'regexFind', ('[a-c-e]+', '-eab'), '-eab'),
    ('regexFind "(?)a" "a"', 'regexFind', ('(?)a', 'a'), 'a'),
    ('regexFind "a{2}?" "aaa"', 'regexFind', ('a{2}?', 'aaa'), 'aa'),
    ('regexFind "\\\\." "a.b"', 'regexFind', ('\\.', 'a.b'), '.'),
    ('regexFindAll "\\\\p{Greek}+" "abc αβγ δ" -1', 'regexFindAll', ('\\p{Greek}+', 'abc αβγ δ', -1), '[αβγ δ]'),
    ('regexFindAll "[^\\\\p{Greek}\\\\s]+" "abc αβγ δ" -1', 'regexFindAll', ('[^\\p{Greek}\\s]+', 'abc αβγ δ', -1), '[abc]'),
    ('regexFindAll "(?i)[^\\\\P{Han}a]+" "中文A文a" -1', 'regexFindAll', ('(?i)[^\\P{Han}a]+', '中文A文a', -1), '[中文 文]'),
]


@pytest.mark.parametrize("expr,name,args,printed", HELM_CASES)
def test_matches_helm(expr: str, name: str, args: tuple[Any, ...], printed: str) -> None:
    assert format_value(functions()[name].fn(*args)) == printed, expr


# (pattern, the error text helm shows after "error calling mustRegexFind: ")
HELM_SYNTAX_ERRORS = [
    ("(", "missing closing ): `(`"),
    ("a)", "unexpected ): `a)`"),
    ("[a", "missing closing ]: `[a`"),
    ("a[b-", "missing closing ]: `[b-`"),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?<=a)", "invalid named capture: `(?<=a)`"),
    ("\\1", "invalid escape sequence: `\\1`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a*?+", "invalid nested repetition operator: `*?+`"),
    ("x{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("*a", "missing argument to repetition operator: `*`"),
    ("{2}", "missing argument to repetition operator: `{2}`"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("a{2,1}", "invalid repeat count: `{2,1}`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
    ("\\q", "invalid escape sequence: `\\q`"),
    ("\\Z", "invalid escape sequence: `\\Z`"),
    ("\\xZ", "invalid escape sequence: `\\xZ`"),
    ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
    ("(?P<1a>x)(?P<>y)", "invalid named capture: `(?P<>`"),
    ("(?P<a", "invalid named capture: `(?P<a`"),
    ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("(?P=a)", "invalid or unsupported Perl syntax: `(?P`"),
]


@pytest.mark.parametrize("pattern,message", HELM_SYNTAX_ERRORS)
def test_must_forms_return_go_error(pattern: str, message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        functions()["mustRegexFind"].fn(pattern, "x")
    assert str(e.value) == "error parsing regexp: " + message


def test_plain_forms_panic_like_must_compile() -> None:
    # helm: error calling regexFind: regexp: Compile(`(`): error parsing regexp: ...
    with pytest.raises(GoFuncError) as e:
        functions()["regexFind"].fn("(", "x")
    assert str(e.value) == "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
    with pytest.raises(GoFuncError) as e:
        functions()["regexSplit"].fn("`(", "x", -1)
    # a pattern holding a backquote is shown with strconv.Quote instead
    assert str(e.value) == 'regexp: Compile("`("): error parsing regexp: missing closing ): ``(`'


def test_regex_match_swallows_bad_patterns() -> None:
    assert functions()["regexMatch"].fn("(", "x") is False


def test_results_are_string_slices() -> None:
    r = functions()["regexFindAll"].fn("a", "aa", -1)
    assert isinstance(r, GoList) and r.go_type == "[]string"
    assert isinstance(functions()["regexSplit"].fn("a", "bab", -1), GoList)


def test_invalid_bytes_match_as_one_rune_each() -> None:
    # Go reads a byte that is not UTF-8 as one U+FFFD rune: `.` matches it.
    assert functions()["regexFind"].fn("a.b", "xa\udcffbx") == "a\udcffb"
    assert functions()["regexReplaceAll"].fn("\\pL", "\udcffé", "-") == "\udcff-"


def test_refused_patterns_print_nothing_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    # RE2 logs what it refuses; the Go checker refuses first, and RE2 is told not to log.
    for pattern in ("(a)\\1", "\\p{Greekx}", "(?=a)", "a**"):
        functions()["regexMatch"].fn(pattern, "a")
    assert capfd.readouterr().err == ""


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab()[]{}|*+?^$\\.-:,0123pPQEx<>=!#&_ \n\udcff", max_size=24))
def test_any_pattern_compiles_or_is_gos_syntax_error(pattern: str) -> None:
    try:
        compile_go(pattern).rx.search("ab(]{x")
    except RegexpSyntaxError as e:
        assert str(e).startswith("error parsing regexp: ")
