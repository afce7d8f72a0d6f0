"""text/template builtins: results and error texts as recorded from helm v4.1.4.

Each case names the template expression helm ran; an error case records the
text after helm's "error calling X: " prefix.
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.golang.gotypes import GoBytes, GoList, GoMap, GoStruct, Int64, NilList, NilMap
from minihelm.gotemplate.builtins import (
    BUILTINS,
    call_named,
    eval_args,
    go_and,
    go_eq,
    go_ge,
    go_gt,
    go_index,
    go_le,
    go_len,
    go_lt,
    go_ne,
    go_not,
    go_or,
    go_slice,
    html_escape_string,
    is_true,
    js_escape_string,
    print_value,
    url_query_escape,
)


def _err(fn: Any, *args: Any) -> str:
    with pytest.raises(GoFuncError) as e:
        fn(*args)
    return e.value.message


# --- eq / ne / lt / le / gt / ge ---------------------------------------------------

@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        (go_eq, (1, Int64(1)), True),  # eq 1 (int64 1)
        (go_eq, (1.0, 3.0), False),  # eq 1.0 .Values.i
        (go_eq, (None, None), True),
        (go_eq, (None, 1), False),
        (go_eq, (1, None), False),
        (go_eq, (1, 2, 1), True),
        (go_eq, (1, 1, "a"), True),  # stops at the first match
        (go_eq, (None, []), False),
        (go_eq, ([], None), False),
        (go_eq, (True, True), True),
        (go_eq, ("a", "a", "b"), True),
        (go_eq, (None, NilList()), True),  # a typed nil slice is nil
        (go_ne, (1, 2), True),
        (go_ne, (None, None), False),
        (go_lt, (1, 2), True),
        (go_lt, ("a", "b"), True),
        (go_lt, (Int64(1), 2), True),
        (go_le, (2, 2), True),
        (go_gt, (3, 2), True),
        (go_ge, (1.5, 2.5), False),
    ],
)
def test_comparisons(fn: Any, args: tuple[Any, ...], expected: bool) -> None:
    assert fn(*args) is expected


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        (go_eq, (1, 2.0), "incompatible types for comparison: int and float64"),
        (go_eq, ("a", 1), "incompatible types for comparison: string and int"),
        (go_eq, (1, 2, "a"), "incompatible types for comparison: int and string"),
        (go_eq, (True, 1), "incompatible types for comparison: bool and int"),
        (go_eq, ([1], [1]), "non-comparable type [%!s(int=1)]: []interface {}"),
        (go_eq, ([1], {}),
         "non-comparable types [%!s(int=1)]: []interface {}, map[string]interface {}: map[]"),
        (go_eq, ({"a": 1}, {"a": 1}), "non-comparable type map[a:%!s(int=1)]: map[string]interface {}"),
        (go_eq, (1,), "missing argument for comparison"),
        (go_ne, (1, "a"), "incompatible types for comparison: int and string"),
        (go_lt, (1, 2.0), "incompatible types for comparison: int and float64"),
        (go_lt, (True, False), "invalid type for comparison"),
        (go_lt, (None, 1), "invalid type for comparison"),
        (go_lt, (1, None), "invalid type for comparison"),
        (go_lt, ([], []), "invalid type for comparison"),
        (go_gt, (True, True), "invalid type for comparison"),
        (go_le, (True, True), "invalid type for comparison"),
        (go_lt, ("a", 1), "incompatible types for comparison: string and int"),
    ],
)
def test_comparison_errors(fn: Any, args: tuple[Any, ...], message: str) -> None:
    assert _err(fn, *args) == message


# --- and / or / not / truth ------------------------------------------------------------

def test_and_or_return_the_deciding_argument() -> None:
    assert go_and(1, 0, 2) == 0
    assert go_and(1, 2) == 2
    assert go_and(0) == 0
    assert go_and("", 1) == ""
    assert go_and(None, 1) is None
    assert go_or(0, "", 2, 3) == 2
    assert go_or(0, "") == ""
    assert go_or(None) is None
    assert go_or([], {}, 0.0) == 0.0


class _Ptr(GoStruct):
    go_type = "*common.Capabilities"

    def go_fields(self) -> list[tuple[str, Any]]:
        return [("A", 1), ("B", "x")]


class _KubeVersion(GoStruct):
    go_type = "common.KubeVersion"  # a struct value whose String has a pointer receiver

    def String(self) -> str:  # noqa: N802 - Go's method name
        return "v1.35.0"

    def go_fields(self) -> list[tuple[str, Any]]:
        return [("Version", "v1.35.0"), ("normalizedVersion", "v1.35.0"), ("Major", "1"),
                ("Minor", "35")]


@pytest.mark.parametrize(
    ("value", "truth"),
    [(0, True), (1, False), (None, True), ([], True), ([1], False), (_Ptr(), False),
     ("x", False), (0.0, True), (Int64(0), True), (NilMap(), True), (GoBytes(b""), True)],
)
def test_not(value: Any, truth: bool) -> None:
    assert go_not(value) is truth
    assert is_true(value) is not truth


# --- len / index / slice -------------------------------------------------------------------

def test_len() -> None:
    assert go_len("héllo") == 6  # bytes
    assert go_len([1, 2]) == 2
    assert go_len({"a": 1}) == 1
    assert go_len("") == 0
    assert go_len(GoBytes(b"hi")) == 2
    assert _err(go_len, None) == "reflect: call of reflect.Value.Type on zero Value"
    assert _err(go_len, 1) == "len of type int"
    assert _err(go_len, 1.5) == "len of type float64"
    assert _err(go_len, True) == "len of type bool"


def test_index_results() -> None:
    assert go_index([1, 2], 1) == 2
    assert go_index([[1, 2]], 0, 1) == 2
    assert go_index({"a": 1}, "a") == 1
    assert go_index({"a": 1}, "b") is None
    assert go_index({"a": {"b": 2}}, "a", "b") == 2
    assert go_index("abc", 1) == 98  # a byte
    assert go_index([1, 2]) == [1, 2]
    assert go_index({"a": None}, "a") is None
    assert go_index([1, 2], Int64(1)) == 2
    assert go_index(GoMap({"a": "x"}, "map[string]string"), "b") == ""  # zero value


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 2], 2), "reflect: slice index out of range"),
        (([1, 2], 5), "index out of range: 5"),
        (([1, 2], -1), "index out of range: -1"),
        (([1, 2], 1.0), "cannot index slice/array with type float64"),
        (([1, 2], None), "cannot index slice/array with nil"),
        (([1, 2], "a"), "cannot index slice/array with type string"),
        (({"a": 1}, 1), "value has type int; should be string"),
        (({"a": 1}, None), "value is nil; should be of type string"),
        (({"a": 1}, "a", "b"), "can't index item of type int"),
        ((None, 1), "index of untyped nil"),
        ((None,), "index of untyped nil"),
        ((1.5, 1), "can't index item of type float64"),
        ((True, 0), "can't index item of type bool"),
        (("abc", 3), "reflect: string index out of range"),
        ((Int64(5), 0), "can't index item of type int64"),
        ((_Ptr(), "KubeVersion"), "can't index item of type common.Capabilities"),
        (({"a": None}, "a", "b"), "index of nil pointer"),
    ],
)
def test_index_errors(args: tuple[Any, ...], message: str) -> None:
    assert _err(go_index, *args) == message


def test_go_slice() -> None:
    # Go's builtin (helm shadows it with Sprig's slice; these follow funcs.go).
    assert go_slice([1, 2, 3], 1) == [2, 3]
    assert go_slice([1, 2, 3], 1, 2) == [2]
    assert go_slice([1, 2, 3], 1, 2, 3) == [2]
    assert go_slice([1, 2, 3]) == [1, 2, 3]
    assert go_slice([1, 2, 3], 3) == []
    assert go_slice("abcdef", 1, 3) == "bc"
    assert go_slice("héllo", 1, 2).encode("utf-8", "surrogateescape") == b"\xc3"
    assert go_slice(GoList(["a", "b"], "[]string"), 1).go_type == "[]string"
    assert _err(go_slice, [1, 2, 3], 2, 1) == "invalid slice index: 2 > 1"
    assert _err(go_slice, [1, 2, 3], 0, 3, 2) == "invalid slice index: 3 > 2"
    assert _err(go_slice, [1, 2, 3], 4) == "index out of range: 4"
    assert _err(go_slice, "abc", 1, 2, 3) == "cannot 3-index slice a string"
    assert _err(go_slice, [1], 0, 0, 0, 0) == "too many slice indexes: 4"
    assert _err(go_slice, None, 1) == "slice of untyped nil"
    assert _err(go_slice, {}, 1) == "can't slice item of type map[string]interface {}"


# --- html / js / urlquery ---------------------------------------------------------------------

def test_html() -> None:
    assert html_escape_string("<a href='x'>\"&\" \x00 é</a>") == (
        "&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34; \ufffd é&lt;/a&gt;"
    )
    assert BUILTINS["html"](1, "a", None) == "1a&lt;no value&gt;"
    assert BUILTINS["html"](None) == "&lt;no value&gt;"
    assert BUILTINS["html"]([1, "<"]) == "[1 &lt;]"


def test_js() -> None:
    assert js_escape_string("<a href='x'>\"&\" = \\ \t\n\x01 é \u2028 \u00ad</a>") == (
        "\\u003Ca href\\u003D\\'x\\'\\u003E\\\"\\u0026\\\" \\u003D \\\\ "
        "\\u0009\\u000A\\u0001 é \\u2028 \\u00AD\\u003C/a\\u003E"
    )
    assert BUILTINS["js"](1, None) == "1\\u003Cno value\\u003E"
    assert BUILTINS["js"]("plain") == "plain"


def test_urlquery() -> None:
    assert url_query_escape("a b&c=d/é~-_.!*'()") == "a+b%26c%3Dd%2F%C3%A9~-_.%21%2A%27%28%29"
    assert BUILTINS["urlquery"](1, 2, "x y") == "1+2x+y"
    assert BUILTINS["urlquery"](None) == "%3Cno+value%3E"
    assert BUILTINS["urlquery"](["a b"]) == "%5Ba+b%5D"


# --- call -------------------------------------------------------------------------------------

def test_call() -> None:
    assert call_named("$f", lambda a, b: a + b, 1, 2) == 3
    assert _err(call_named, "nil", None) == "call of nil"
    assert _err(BUILTINS["call"], 1) == "non-function 1 of type int"
    assert _err(call_named, ".Values", GoMap({}, "common.Values")) == (
        "non-function .Values of type common.Values"
    )
    assert _err(call_named, "$f", lambda a: a) == "wrong number of args for $f: got 0 want 1"


# --- printing -------------------------------------------------------------------------------

def test_print_value() -> None:
    # helm: {{ .Capabilities.KubeVersion }} -> v1.35.0, {{ .Values.nope }} -> <no value>
    assert print_value(_KubeVersion()) == "v1.35.0"
    assert print_value(None) == "<no value>"
    assert print_value([None, 1]) == "[<nil> 1]"
    assert print_value({"a": None}) == "map[a:<nil>]"
    assert print_value(1.0) == "1"
    assert print_value(1e6) == "1e+06"
    assert print_value(_Ptr()) == "{1 x}"  # the pointer is dereferenced


def test_eval_args_does_not_use_pointer_receiver_string() -> None:
    # helm: {{ html .Capabilities.KubeVersion }} -> {v1.35.0 v1.35.0 1 35}
    assert eval_args((_KubeVersion(),)) == "{v1.35.0 v1.35.0 1 35}"
    assert BUILTINS["print"](_KubeVersion()) == "{v1.35.0 v1.35.0 1 35}"


def test_builtins_table_is_complete() -> None:
    assert set(BUILTINS) == {
        "and", "or", "not", "len", "index", "slice", "eq", "ne", "lt", "le", "gt", "ge",
        "print", "printf", "println", "html", "js", "urlquery", "call",
    }
    assert BUILTINS["printf"]("%d-%s", 1, "a") == "1-a"
    assert BUILTINS["println"](1, "a") == "1 a\n"
