"""Tests for the semver engine and the semver/semverCompare template functions.

Every expected value below was produced by helm v4.1.4 (`helm template` on a
one-template chart), e.g. `{{ semverCompare "^1.2.3" "1.2.4" }}` -> true.
"""

from __future__ import annotations

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import functions
from minihelm.golang.gotypes import go_kind, go_type_name
from minihelm.golang.semver import Constraint, SemverError, parse_version


def call(name: str, *args: object) -> object:
    return functions()[name].fn(*args)


VERSIONS = [
    "1.2.3", "1.2.0", "1.2.4", "1.3.0", "1.4.5", "0.2.4", "0.0.3", "0.0.4", "2.0.0",
    "1.2.3-beta.2", "1.2.3-alpha", "v3.1.0", "0.1.0", "11.2.0", "1.2.3+meta2", "1.5.0-rc.1",
]

# constraint -> one digit per entry of VERSIONS: 1 where helm's semverCompare said true.
HELM_MATRIX = [
    ("1.2.3", "1000000000000010"),
    ("=1.2", "1110000000000010"),
    ("!=1.2.x", "0001111110011100"),
    ("!=1.2.3", "0111111110011100"),
    (">1.2", "0001100010010100"),
    (">1", "0000000010010100"),
    (">1.2.3", "0011100010010100"),
    ("<1.3", "1110011100001010"),
    ("<=1.2", "1110011100001010"),
    ("<=1.2.3", "1100011100001010"),
    ("=<1.x", "1111111100001010"),
    (">=1.2.3-0", "1011100011110111"),
    (">= 1.2.3", "1011100010010110"),
    ("~1.2.3", "1010000000000010"),
    ("~1", "1111100000000010"),
    ("~1.2", "1110000000000010"),
    ("~0", "0000011100001000"),
    ("~>2.1", "0000000000000000"),
    ("^1.2.3", "1011100000000010"),
    ("^0.2.3", "0000010000000000"),
    ("^0.0.3", "0000001000000000"),
    ("^0.0", "0000001100000000"),
    ("^0", "0000011100001000"),
    ("^1.x", "1111100000000010"),
    ("1.2 - 1.4.5", "1111100000000010"),
    ("1.x", "1111100000000010"),
    ("*", "1111111110011110"),
    ("x", "1111111110011110"),
    (">1.0 <2.0", "1111100000000010"),
    (">1.0, <2.0 || 3.x", "1111100000010010"),
    (">=1.2.3-beta.1 <1.3", "1010000001000010"),
    ("v1.2.x", "1110000000000010"),
    (">1.2.3-alpha", "1011100011010111"),
    ("^1.2.3-rc", "1011100000000011"),
    ("!=1.x", "0000011110011100"),
    ("~1.2.3-beta", "1010000001000010"),
    (">11.1", "0000000000000100"),
    ("<=1.2.x", "1110011100001010"),
    ("=1.2.3+meta", "1000000000000010"),
]


@pytest.mark.parametrize(("constraint", "bits"), HELM_MATRIX)
def test_semver_compare_matrix_matches_helm(constraint: str, bits: str) -> None:
    got = "".join("1" if call("semverCompare", constraint, v) else "0" for v in VERSIONS)
    assert got == bits


@pytest.mark.parametrize(
    ("constraint", "version", "message"),
    [
        ("bad", "1.0.0", "improper constraint: bad"),
        ("", "1.5.0", "improper constraint: "),
        ("^1.2 | 2", "1.5.0", "constraint parser error"),
        (">1", "nope", "invalid semantic version"),
    ],
)
def test_semver_compare_errors(constraint: str, version: str, message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call("semverCompare", constraint, version)
    assert str(e.value) == message


def test_constraint_tolerates_trailing_newline() -> None:
    # helm: {{ semverCompare "1.2.3\n" "1.2.3" }} -> true (Go's \s* eats it)
    assert call("semverCompare", "1.2.3\n", "1.2.3") is True


@pytest.mark.parametrize(
    ("text", "printed"),
    [("01.02.003", "1.2.3"), ("v1.2.3-a+b", "1.2.3-a+b"), ("v1.2", "1.2.0"), ("2", "2.0.0")],
)
def test_semver_string(text: str, printed: str) -> None:
    v = call("semver", text)
    assert v.__go_str__() == printed  # type: ignore[attr-defined]
    assert v.__go_json__() == printed  # toJson -> "1.2.0" for v1.2
    assert v.Original() == text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.2.3-01", "version segment starts with 0"),
        ("", "invalid semantic version"),
        ("1.2.3.4", "invalid semantic version"),
        ("V1.2", "invalid semantic version"),
        ("1.2.3+a..b", "invalid semantic version"),
        ("1.2.3-a..b", "invalid semantic version"),
        (
            "99999999999999999999.1",
            (
                'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": '
                "value out of range"
            ),
        ),
    ],
)
def test_semver_errors(text: str, message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call("semver", text)
    assert str(e.value) == message


def test_semver_object_types_and_methods() -> None:
    v = call("semver", "1.2.3")
    assert go_type_name(v) == "*semver.Version"
    assert go_kind(v) == "ptr"
    assert go_type_name(v.Major()) == "uint64"  # type: ignore[attr-defined]
    assert v.Compare(call("semver", "1.2.4")) == -1  # type: ignore[attr-defined]
    assert v.LessThan(call("semver", "1.2.4")) is True  # type: ignore[attr-defined]
    inc = v.IncMinor()  # type: ignore[attr-defined]
    assert inc.__go_str__() == "1.3.0"
    # IncPatch returns a semver.Version value: helm says
    # "can't evaluate field Original in type semver.Version".
    assert go_type_name(inc) == "semver.Version"
    assert not hasattr(inc, "Original")


def test_set_prerelease_error() -> None:
    v = call("semver", "1.2.3")
    with pytest.raises(GoFuncError, match="^version segment starts with 0$"):
        v.SetPrerelease("x.01")  # type: ignore[attr-defined]


def test_engine_api_sorting_and_errors() -> None:
    vs = sorted(parse_version(s) for s in ["1.10.0", "1.2.0", "1.2.0-rc.1", "1.2.0-rc.10",
                                            "1.2.0-rc.2", "1.2.0-alpha"])
    assert [str(v) for v in vs] == [
        "1.2.0-alpha", "1.2.0-rc.1", "1.2.0-rc.2", "1.2.0-rc.10", "1.2.0", "1.10.0",
    ]
    assert parse_version("1.2.3+a") == parse_version("1.2.3+b")
    assert Constraint(">=1.0.0 <2.0.0").check(parse_version("1.9.9"))
    with pytest.raises(SemverError):
        Constraint("~>>1")
