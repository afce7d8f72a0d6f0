"""Template arguments -> Sprig's base64/base32 functions (b64enc, b64dec, b32enc, b32dec) for the runtime.

Go's StdEncoding (padded) for both.  Decoding never fails the template:
Sprig returns the decoder's error text as the result, so the exact text
("illegal base64 data at input byte 4") matters; we mirror the byte offset
Go's decoder reports.  '\\r' and '\\n' in the input are skipped, as in Go.
Strings carry Go bytes with invalid UTF-8 as surrogate escapes (funcs._gostr).
"""

from __future__ import annotations

import base64

from minihelm.funcs import gofunc

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B64_MAP = {ord(c): i for i, c in enumerate(_B64)}
_B32_MAP = {ord(c): i for i, c in enumerate(_B32)}
_PAD = ord("=")
_NL = (ord("\n"), ord("\r"))


class _Corrupt(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _str(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


@gofunc("b64enc", "string")
def b64enc(v: str) -> str:
    return base64.b64encode(_bytes(v)).decode("ascii")


@gofunc("b32enc", "string")
def b32enc(v: str) -> str:
    return base64.b32encode(_bytes(v)).decode("ascii")


@gofunc("b64dec", "string")
def b64dec(v: str) -> str:
    """The decoded string, or "illegal base64 data at input byte N"."""
    try:
        return _str(_b64decode(_bytes(v)))
    except _Corrupt as e:
        return f"illegal base64 data at input byte {e.offset}"


@gofunc("b32dec", "string")
def b32dec(v: str) -> str:
    """The decoded string, or "illegal base32 data at input byte N"."""
    src = bytes(b for b in _bytes(v) if b not in _NL)
    try:
        return _str(_b32decode(src))
    except _Corrupt as e:
        return f"illegal base32 data at input byte {e.offset}"


# --- base64: encoding/base64's decodeQuantum, one 4-character quantum at a time ---


def _b64decode(src: bytes) -> bytes:
    out = bytearray()
    si = 0
    while si < len(src):
        si = _b64quantum(src, si, out)
    return bytes(out)


def _b64quantum(src: bytes, si: int, out: bytearray) -> int:
    """Decode one quantum starting at src[si] into out; return the next index."""
    digits: list[int] = []
    while len(digits) < 4:
        if si == len(src):
            if not digits:
                return si
            # Padding is required: a short final quantum is corrupt.
            raise _Corrupt(si - len(digits))
        c = src[si]
        si += 1
        if c in _B64_MAP:
            digits.append(_B64_MAP[c])
            continue
        if c in _NL:
            continue
        if c != _PAD or len(digits) < 2:
            raise _Corrupt(si - 1)
        si = _b64padding(src, si, len(digits))
        break
    _emit(out, digits, 6, len(digits) - 1)
    return si


def _b64padding(src: bytes, si: int, ndigits: int) -> int:
    """Check the padding after the first '=' (already consumed) and that nothing follows."""
    if ndigits == 2:
        # "==" expected: skip newlines, then require the second '='.
        while si < len(src) and src[si] in _NL:
            si += 1
        if si == len(src):
            raise _Corrupt(len(src))
        if src[si] != _PAD:
            raise _Corrupt(si - 1)
        si += 1
    while si < len(src) and src[si] in _NL:
        si += 1
    if si < len(src):
        raise _Corrupt(si)  # trailing garbage after the padding
    return si


def _emit(out: bytearray, digits: list[int], bits: int, nbytes: int) -> None:
    """Pack `bits`-bit digits big-endian and append the first nbytes bytes (extra bits dropped)."""
    val = 0
    for d in digits:
        val = (val << bits) | d
    val >>= bits * len(digits) - 8 * nbytes
    out.extend(val.to_bytes(nbytes, "big"))


# --- base32: encoding/base32's decode on newline-stripped input ----------------------

_B32_BYTES = {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}


def _b32decode(src: bytes) -> bytes:
    out = bytearray()
    olen = len(src)
    pos = 0
    while pos < olen:
        digits: list[int] = []
        end = False
        while len(digits) < 8:
            if pos == olen:
                raise _Corrupt(olen - len(digits))  # missing padding
            c = src[pos]
            pos += 1
            left = olen - pos
            if c == _PAD and len(digits) >= 2 and left < 8:
                _b32padding(src, pos, len(digits))
                if len(digits) in (1, 3, 6):
                    raise _Corrupt(pos - 1)
                end = True
                break
            if c not in _B32_MAP:
                raise _Corrupt(pos - 1)
            digits.append(_B32_MAP[c])
        _emit(out, digits, 5, _B32_BYTES[len(digits)])
        if end:
            # Go stops at the padding: anything after the expected '='s is ignored.
            break
    return bytes(out)


def _b32padding(src: bytes, pos: int, j: int) -> None:
    olen = len(src)
    left = olen - pos
    if left + j < 7:
        raise _Corrupt(olen)  # not enough padding
    for k in range(7 - j):
        if left > k and src[pos + k] != _PAD:
            raise _Corrupt(pos + k - 1)
