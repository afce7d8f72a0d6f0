"""Go fmt printing, checked against output recorded from helm v4.1.4 (`{{ printf ... }}`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from minihelm.golang.gofmt import format_value, sprint, sprintf, sprintln
from minihelm.golang.gostrconv import format_float, quote
from minihelm.golang.gotypes import GoBytes, GoList, GoMap, GoStruct, Int64

# The values.yaml used when recording; YAML numbers reach templates as float64.
VALUES_YAML = "f: 1000000\nfl: 3.5\ni: 3\nbig: 123456789\nneg: -2.5\nzero: 0\ntiny: 0.00001\n"
VALUES = {"f": 1e6, "fl": 3.5, "i": 3.0, "big": 123456789.0, "neg": -2.5, "zero": 0.0, "tiny": 1e-5}

_TOK = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+)')


def template_args(src: str) -> list[Any]:
    """Template literal arguments -> Go values: 3 is int, 3.0 float64, (list ..), (dict ..), (int64 n)."""
    toks = _TOK.findall(src)
    pos = 0

    def one() -> Any:
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == "(":
            fn, items = toks[pos], []
            pos += 1
            while toks[pos] != ")":
                items.append(one())
            pos += 1
            if fn == "list":
                return items
            if fn == "dict":
                return {items[i]: items[i + 1] for i in range(0, len(items), 2)}
            assert fn == "int64"
            return Int64(items[0])
        if t.startswith('"'):
            return json.loads(re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", t))
        if t in ("nil", "true", "false"):
            return {"nil": None, "true": True, "false": False}[t]
        if t.startswith(".Values."):
            return VALUES[t[8:]]
        return int(t) if re.fullmatch(r"-?\d+", t) else float(t)

    out = []
    while pos < len(toks):
        out.append(one())
    return out


_CASES = json.loads((Path(__file__).parent / "gofmt_helm_cases.json").read_text())["cases"]


@pytest.mark.parametrize(("fmt", "args", "expected"), _CASES, ids=[f"{c[0]} {c[1]}" for c in _CASES])
def test_printf_matches_helm(fmt: str, args: str, expected: str) -> None:
    assert sprintf(fmt, *template_args(args)) == expected


# A few of the recorded cases spelled out, as documentation of the rules.
@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%d", ["hi"], "%!d(string=hi)"),
        ("%d", [3.0], "%!d(float64=3)"),
        ("%f", [3], "%!f(int=3)"),
        ("%d", [None], "%!d(<nil>)"),
        ("%", [], "%!(NOVERB)"),
        ("%d", [], "%!d(MISSING)"),
        ("x", [1, "a"], "x%!(EXTRA int=1, string=a)"),
        ("%*d", ["a", 1], "%!(BADWIDTH)1"),
        ("%.*f", [-2, 3.14159], "%!(BADPREC)3.141590"),
        ("%[3]d", [1, 2], "%!d(BADINDEX)"),
        ("%5t|", ["éx"], "%!t(string=   éx)|"),  # the bad operand keeps the flags
        ("%s", [[1, "a"]], "[%!s(int=1) a]"),
        ("%v", [{"b": 1, "a": "x"}], "map[a:x b:1]"),
        ("%#v", [{"a": 1, "b": "x"}], 'map[string]interface {}{"a":1, "b":"x"}'),
        ("%x", ["hi"], "6869"),
        ("%q", [65], "'A'"),
        ("%#08x", [255], "0x000000ff"),
        ("%-05d|", [1], "1    |"),
        ("%05s", ["ab"], "000ab"),
        ("%+v", [5], "5"),
    ],
)
def test_printf_rules(fmt: str, args: list[Any], expected: str) -> None:
    assert sprintf(fmt, *args) == expected


def test_huge_width_is_honoured_but_too_large_is_not() -> None:
    # helm: %10000000d pads to 10,000,000 columns (1e6 is the "too large" limit only for '*').
    assert sprintf("%*d", 10000000, 1) == "%!(BADWIDTH)1"
    assert len(sprintf("%1000d", 1)) == 1000


def test_pointer_verb_prints_an_address() -> None:
    # helm prints a real address (0xc00077c540) for %p of a list/map; ours is fixed.
    assert re.fullmatch(r"0x[0-9a-f]+", sprintf("%p", [1]))
    assert sprintf("%p", 5) == "%!p(int=5)"
    assert sprintf("%p", Int64(5)) == "%!p(int64=5)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "<nil>"),
        (True, "true"),
        (Int64(-3), "-3"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (100000.0, "100000"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (float("inf"), "+Inf"),
        (float("-inf"), "-Inf"),
        (float("nan"), "NaN"),
        (-0.0, "-0"),
        (123456789.0, "1.23456789e+08"),
        (["a", "b"], "[a b]"),
        ({"b": 2, "a": 1}, "map[a:1 b:2]"),
        (GoBytes(b"hi"), "[104 105]"),
        (GoList(["x"], "[]string"), "[x]"),
        (GoMap({"k": "v"}, "map[string]string"), "map[k:v]"),
        ([{"k": [1.5, None]}, "s"], "[map[k:[1.5 <nil>]] s]"),
    ],
)
def test_format_value(value: Any, expected: str) -> None:
    assert format_value(value) == expected


def test_sprint_spacing_matches_helm_print() -> None:
    # helm: {{ print "a" 1 2 "b" nil 3 (list 1) "c" }} -> a1 2b<nil> 3 [1]c
    assert sprint("a", 1, 2, "b", None, 3, [1], "c") == "a1 2b<nil> 3 [1]c"
    assert sprint(None, None) == "<nil> <nil>"
    assert sprint("a", "b") == "ab"
    assert sprint(1.0, 1e6, Int64(3)) == "1 1e+06 3"
    assert sprint() == ""


def test_sprintln_matches_helm_println() -> None:
    assert sprintln(1, "a", None) == "1 a <nil>\n"
    assert sprintln() == "\n"


def test_bytes_under_each_verb_match_helm() -> None:
    # helm: $b := .Files.GetBytes "f.txt" (content "hi")
    b = GoBytes(b"hi")
    got = sprintf("%v|%s|%x|%X|%q|%d|%o|%c|%U|%t|%#v|%T|% x|%.1s|%5s|%e", *[b] * 16)
    assert got == (
        '[104 105]|hi|6869|6869|"hi"|[104 105]|[150 151]|[h i]|[U+0068 U+0069]'
        "|[%!t(uint8=104) %!t(uint8=105)]|[]byte{0x68, 0x69}|[]uint8|68 69|h|   hi"
        "|[%!e(uint8=104) %!e(uint8=105)]"
    )
    assert sprintf("%v|%#v|%s|%x", [b], [b], [b], [b]) == (
        "[[104 105]]|[]interface {}{[]uint8{0x68, 0x69}}|[hi]|[6869]"
    )
    empty = GoBytes(b"")
    assert sprintf("%v|%#v|%s", empty, empty, empty) == "[]|[]byte{}|"


class _Point(GoStruct):
    go_type = "*main.Point"

    def __init__(self) -> None:
        self.X = 1
        self.Name = "a"

    def go_fields(self) -> list[str]:
        return ["X", "Name"]


class _Version(GoStruct):
    go_type = "*chartutil.KubeVersion"

    def String(self) -> str:  # noqa: N802 - Go's method name
        return "v1.20.0"


def test_struct_pointers_print_like_go() -> None:
    p = _Point()
    assert format_value(p) == "&{1 a}"
    assert sprintf("%+v", p) == "&{X:1 Name:a}"
    assert sprintf("%#v", p) == '&main.Point{X:1, Name:"a"}'
    assert sprintf("%T", p) == "*main.Point"


def test_stringer_serves_string_verbs_only() -> None:
    v = _Version()
    assert format_value(v) == "v1.20.0"
    assert sprintf("%s|%q|%x", v, v, v) == 'v1.20.0|"v1.20.0"|76312e32302e30'
    assert format_value([v]) == "[v1.20.0]"


def test_strconv_helpers() -> None:
    assert format_float(1e21, "g", -1) == "1e+21"
    assert format_float(1.5, "x", -1) == "0x1.8p+00"
    assert format_float(1.0, "b", -1) == "4503599627370496p-52"
    assert quote("a\u2028b\x7f") == '"a\\u2028b\\x7f"'
    assert quote("é", ascii_only=True) == '"\\u00e9"'


def test_shortest_digits_read_repr_as_decimal_does() -> None:
    # gostrconv reads repr's digits as a string; decimal.Decimal is the reference.
    import math
    import random
    import struct
    from decimal import Decimal

    from minihelm.golang.gostrconv import _shortest_digits

    rng = random.Random(7)
    samples = [0.1, 100.0, 1e-05, 1.5e16, 123.456, 5e-324, 1.7976931348623157e308, 1e21, 7.0]
    samples += [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
                for _ in range(20000)]
    for x in samples:
        if math.isnan(x) or math.isinf(x) or x == 0:
            continue
        _, digits, exp = Decimal(repr(abs(x))).as_tuple()
        ds = "".join(map(str, digits)).rstrip("0")
        assert isinstance(exp, int)
        assert _shortest_digits(x) == (ds, len(ds) + exp + len(digits) - len(ds)), x
