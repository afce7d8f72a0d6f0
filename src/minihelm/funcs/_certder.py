"""Sprig's certificate template (funcs/certs.py) -> the DER bytes Go's x509.CreateCertificate writes.

A chart that draws a certificate used to import cryptography's x509 module
to build it: 26 ms, a sixth of a warm render of bitnami nginx.  The template
Sprig fills is small and fixed, so it is written here directly:

    Certificate     ::= SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING }
    TBSCertificate  ::= SEQUENCE { [0] version 3, serial, signatureAlgorithm, issuer,
                                   validity, subject, subjectPublicKeyInfo,
                                   [3] extensions }

with the extensions in the order Go writes them: key usage (critical),
extended key usage (server and client auth), basic constraints (critical),
subject key id (a CA), authority key id (when the issuer has a key id),
subject alternative names (critical when the subject is empty).
tests/funcs/test_certder.py builds the same certificates with cryptography's
CertificateBuilder and compares the bytes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

SEQUENCE, SET, OCTETS, BITS, NULL, BOOLEAN = 0x30, 0x31, 0x04, 0x03, 0x05, 0x01
TRUE = b"\x01\x01\xff"

COMMON_NAME = "2.5.4.3"
SHA256_WITH_RSA = "1.2.840.113549.1.1.11"
ECDSA_WITH = {"sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
              "sha512": "1.2.840.10045.4.3.4"}
ED25519 = "1.3.101.112"


def tlv(tag: int, body: bytes) -> bytes:
    """One DER element: tag, definite length, contents."""
    n = len(body)
    if n < 0x80:
        return bytes((tag, n)) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(size))) + size + body


def seq(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def oid(dotted: str) -> bytes:
    first, second, *rest = (int(p) for p in dotted.split("."))
    body = bytearray((first * 40 + second,))
    for arc in rest:
        groups = [arc & 0x7F]
        arc >>= 7
        while arc:
            groups.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(groups))
    return tlv(0x06, bytes(body))


def integer(value: int) -> bytes:
    """A non-negative INTEGER in its shortest two's-complement form."""
    return tlv(0x02, value.to_bytes((value.bit_length() + 8) // 8, "big"))


def name(cn: str, printable: bool) -> bytes:
    """A Name holding only the common name (Sprig sets nothing else); empty for ""."""
    if cn == "":
        return seq()
    value = tlv(0x13 if printable else 0x0C, cn.encode("utf-8"))
    return seq(tlv(SET, seq(oid(COMMON_NAME), value)))


def time(t: _dt.datetime) -> bytes:
    """RFC 5280's choice, as Go makes it: UTCTime for 1950-2049, else GeneralizedTime."""
    stamp = f"{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}Z"
    if 1950 <= t.year < 2050:
        return tlv(0x17, f"{t.year % 100:02d}{stamp}".encode("ascii"))
    return tlv(0x18, f"{t.year:04d}{stamp}".encode("ascii"))


def _extension(ext_oid: str, critical: bool, value: bytes) -> bytes:
    return seq(oid(ext_oid), TRUE if critical else b"", tlv(OCTETS, value))


def _key_usage(is_ca: bool) -> bytes:
    # digitalSignature (bit 0) and keyEncipherment (bit 2), + keyCertSign (bit 5) for a
    # CA; DER drops the trailing zero bits and counts them in the first octet.
    return tlv(BITS, b"\x02\xa4" if is_ca else b"\x05\xa0")


def extensions(is_ca: bool, subject_key_id: bytes | None, authority_key_id: bytes | None,
               dns_names: Sequence[str], ip_addresses: Sequence[bytes], empty_subject: bool
               ) -> bytes:
    """The [3] extensions of Sprig's template, in the order Go writes them."""
    exts = [
        _extension("2.5.29.15", True, _key_usage(is_ca)),
        _extension("2.5.29.37", False, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
        _extension("2.5.29.19", True, seq(TRUE) if is_ca else seq()),
    ]
    if subject_key_id is not None:
        exts.append(_extension("2.5.29.14", False, tlv(OCTETS, subject_key_id)))
    if authority_key_id is not None:
        exts.append(_extension("2.5.29.35", False, seq(tlv(0x80, authority_key_id))))
    if dns_names or ip_addresses:
        sans = [tlv(0x82, n.encode("ascii")) for n in dns_names]
        sans += [tlv(0x87, a) for a in ip_addresses]
        exts.append(_extension("2.5.29.17", empty_subject, seq(*sans)))
    return tlv(0xA3, seq(*exts))


def certificate(serial: int, issuer: bytes, subject: bytes, not_before: _dt.datetime,
                not_after: _dt.datetime, public_key_info: bytes, exts: bytes,
                algorithm: bytes, sign: Callable[[bytes], bytes]) -> bytes:
    """The signed certificate: `algorithm` is the AlgorithmIdentifier `sign` signs with."""
    tbs = seq(tlv(0xA0, integer(2)), integer(serial), algorithm, issuer,
              seq(time(not_before), time(not_after)), subject, public_key_info, exts)
    return seq(tbs, algorithm, tlv(BITS, b"\x00" + sign(tbs)))


def algorithm_identifier(signing_key: Any, hash_name: str | None) -> bytes:
    """sha256WithRSAEncryption (NULL parameters), ecdsa-with-SHA*, or Ed25519 (no parameters)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    if isinstance(signing_key, rsa.RSAPrivateKey):
        return seq(oid(SHA256_WITH_RSA), tlv(NULL, b""))
    if hash_name is None:
        return seq(oid(ED25519))
    return seq(oid(ECDSA_WITH[hash_name]))
