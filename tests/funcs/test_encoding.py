"""Sprig base64/base32 functions (funcs.encoding) against outputs recorded from helm v4.1.4.

Decoding errors are results, not failures: Sprig returns Go's error text, so
the reported byte offsets must match Go's decoder exactly.  "\\n" below is a
real newline (the template string literal "...\\n..." helm was given).
"""

from __future__ import annotations

import pytest

from minihelm.funcs import functions


def call(name: str, arg: str) -> str:
    return functions()[name].fn(arg)


def bad64(n: int) -> str:
    return f"illegal base64 data at input byte {n}"


def bad32(n: int) -> str:
    return f"illegal base32 data at input byte {n}"


# (function, input, helm output)
HELM_CASES = [
    ("b64enc", "", ""),
    ("b64enc", "a", "YQ=="),
    ("b64enc", "ab", "YWI="),
    ("b64enc", "héllo", "aMOpbGxv"),
    ("b64dec", "QUJD", "ABC"),
    ("b64dec", "QUJ", bad64(0)),
    ("b64dec", "QQ=x", bad64(2)),
    ("b64dec", "QQ==", "A"),
    ("b64dec", "QR==", "A"),  # non-zero trailing bits are tolerated (not strict)
    ("b64dec", "QUJD\nREVG", "ABCDEF"),
    ("b64dec", "Q", bad64(0)),
    ("b64dec", "=", bad64(0)),
    ("b64dec", "QQ=", bad64(3)),
    ("b64dec", "QQ==QQ==", bad64(4)),
    ("b64dec", "QUJ=", "AB"),
    ("b64dec", "QUJ=x", bad64(4)),
    ("b64dec", "QUJDR", bad64(4)),
    ("b64dec", "QU*D", bad64(2)),
    ("b64dec", "", ""),
    ("b64dec", "QQ=\n=", "A"),
    ("b64dec", "QQ==\n", "A"),
    ("b64dec", "QUJDREVGR0hJSktM!", bad64(16)),
    ("b64dec", "aGVsbG8gd29ybGQ=", "hello world"),
    ("b32enc", "", ""),
    ("b32enc", "f", "MY======"),
    ("b32enc", "foobar", "MZXW6YTBOI======"),
    ("b32dec", "MY======", "f"),
    ("b32dec", "MY", bad32(0)),
    ("b32dec", "MY=====", bad32(7)),
    ("b32dec", "MY======X", "f"),  # Go stops reading at the padding
    ("b32dec", "MZXQ====", "fo"),
    ("b32dec", "MZX=====", bad32(3)),
    ("b32dec", "MY=a====", bad32(2)),
    ("b32dec", "M1======", bad32(1)),
    ("b32dec", "MZXW6YTBOI======", "foobar"),
    ("b32dec", "MZXW6\nYTBOI======", "foobar"),
    ("b32dec", "", ""),
    ("b32dec", "my======", bad32(0)),
    ("b32dec", "MZXW6YTB=", bad32(8)),
    ("b32dec", "MZXW6===", "foo"),
    ("b32dec", "MZXW6YQ=", "foob"),
]


@pytest.mark.parametrize("name,arg,want", HELM_CASES)
def test_helm_cases(name: str, arg: str, want: str) -> None:
    assert call(name, arg) == want


def test_round_trip_binary_bytes() -> None:
    # Decoded bytes that are not UTF-8 survive as surrogate escapes and re-encode identically.
    raw = "//79"  # 0xff 0xfe 0xfd
    decoded = call("b64dec", raw)
    assert decoded.encode("utf-8", "surrogateescape") == b"\xff\xfe\xfd"
    assert call("b64enc", decoded) == raw
