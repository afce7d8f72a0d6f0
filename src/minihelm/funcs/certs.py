"""Sprig's key and certificate functions (genPrivateKey, genCA, genSignedCert, ...) -> PEM text.

Keys are written in the PEM forms Go's Sprig writes: PKCS#1 "RSA PRIVATE
KEY", SEC 1 "EC PRIVATE KEY", OpenSSL's "DSA PRIVATE KEY" sequence and
PKCS#8 "PRIVATE KEY" for ed25519.  Certificates carry what Sprig's template
sets and what Go's x509.CreateCertificate adds: a random 128-bit serial, the
CN only, now .. now+days, key usage (digital signature, key encipherment,
+cert sign for a CA; critical), server+client auth, critical basic
constraints, and for a CA a subject key id (first 20 bytes of the SHA-256 of
the public key) that signed certificates carry as authority key id.
The certificate functions return `Certificate` (Go's sprig.certificate).
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import hashlib
import ipaddress
import re
import secrets
import warnings
from collections.abc import Callable
from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gotypes import GoStruct


class Certificate(GoStruct):
    """Sprig's `certificate` struct value: Cert and Key PEM strings."""

    go_type = "sprig.certificate"
    go_kind_name = "struct"

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.Cert = cert
        self.Key = key

    def go_fields(self) -> list[str]:
        return ["Cert", "Key"]

    def __go_json__(self) -> dict[str, str]:
        return {"Cert": self.Cert, "Key": self.Key}

    def __repr__(self) -> str:
        return f"Certificate(Cert={self.Cert[:30]!r}..., Key={self.Key[:30]!r}...)"


# --- PEM ----------------------------------------------------------------------------------------

_PEM_BLOCK = re.compile(
    r"-----BEGIN ([^\n-]*)-----[ \t]*\r?\n(.*?)-----END \1-----", re.DOTALL
)


def _pem_decode(text: str) -> tuple[str, bytes] | None:
    """The first PEM block of text as (type, DER), like Go's pem.Decode (headers skipped)."""
    for m in _PEM_BLOCK.finditer(text):
        body = m.group(2)
        if ":" in body.split("\n\n", 1)[0] and "\n\n" in body:
            body = body.split("\n\n", 1)[1]  # RFC 1421 headers
        try:
            return m.group(1), base64.b64decode("".join(body.split()), validate=True)
        except ValueError:
            continue
    return None


def _pem(kind: str, der: bytes) -> str:
    b64 = base64.b64encode(der).decode("ascii")
    lines = "".join(b64[i:i + 64] + "\n" for i in range(0, len(b64), 64))
    return f"-----BEGIN {kind}-----\n{lines}-----END {kind}-----\n"


# Keys this process generated, by the PEM text it wrote for them.  A chart hands a
# generated CA's key straight back (genSignedCert, genCAWithKey): parsing it again
# would run OpenSSL's full RSA check, primality tests included -- 28 ms for a key
# known to be good.  Go's parser does no such test.
_GENERATED: dict[str, Any] = {}


@functools.cache
def _dsa() -> tuple[type, Callable[..., Any]]:
    """cryptography's DSA private-key class and key generator, fetched without its warning.

    cryptography 51 deprecates DSA and warns on every access to the module's public
    names -- isinstance checks included.  Sprig's genPrivateKey "dsa" still makes DSA
    keys, and Go's x509 still refuses them, so minihelm needs both names; the warning
    is about cryptography's future, not about the user's chart, and must not reach the
    user's stderr.  Only that one warning is silenced, and only here.
    """
    from cryptography.hazmat.primitives.asymmetric import dsa

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        return dsa.DSAPrivateKey, dsa.generate_private_key


def pem_for_key(key: Any) -> str:
    """Sprig's pemBlockForKey, encoded."""
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, _dsa()[0])):
        fmt = ser.PrivateFormat.TraditionalOpenSSL
    else:
        fmt = ser.PrivateFormat.PKCS8
    text: str = key.private_bytes(ser.Encoding.PEM, fmt, ser.NoEncryption()).decode("ascii")
    if len(_GENERATED) < 1024:  # a bound for a template that mints keys in a loop
        _GENERATED[text] = key
    return text


def parse_private_key_pem(text: str) -> Any:
    """Sprig's parsePrivateKeyPEM; raises GoFuncError with its message."""
    from cryptography.hazmat.primitives import serialization as ser

    known = _GENERATED.get(text)
    if known is not None:
        return known
    block = _pem_decode(text)
    if block is None:
        raise GoFuncError("no PEM data in input")
    kind, der = block
    if kind == "PRIVATE KEY":
        try:
            return ser.load_der_private_key(der, None)
        except (ValueError, TypeError) as e:
            raise GoFuncError(f"decoding PEM as PKCS#8: {e}") from None
    if not kind.endswith(" PRIVATE KEY"):
        raise GoFuncError(f"no private key data in PEM block of type {kind}")
    algo = kind[: -len(" PRIVATE KEY")]
    if algo not in ("RSA", "EC", "DSA"):
        raise GoFuncError(f"invalid private key type {kind}")
    try:
        # OpenSSL reads the traditional RSA/EC/DSA forms from their PEM wrapping.
        return ser.load_pem_private_key(_pem(kind, der).encode("ascii"), None)
    except (ValueError, TypeError) as e:
        raise GoFuncError(f"parsing {algo} private key from PEM: {e}") from None


@gofunc("genPrivateKey", "string", hermetic=False)
def gen_private_key(typ: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    key: Any
    if typ in ("", "rsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif typ == "dsa":
        key = _dsa()[1](key_size=2048)  # L2048 N256, as Go's L2048N256
    elif typ == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif typ == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + typ
    return pem_for_key(key)


# --- certificates ---------------------------------------------------------------------------------

def _rsa2048() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _net_ips(ips: list[Any] | None) -> list[Any]:
    # deferred: only _net_ips() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    out = []
    for ip in ips or ():
        if not isinstance(ip, str):
            raise GoFuncError(f"error parsing ip: {format_value(ip)} is not a string")
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise GoFuncError(f"error parsing ip: {ip}") from None
        # Go writes IPv4-mapped IPv6 addresses as their 4-byte IPv4 form.
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        out.append(addr)
    return out


def _dns_names(names: list[Any] | None) -> list[str]:
    # deferred: only _dns_names() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.gofmt import format_value

    out = []
    for n in names or ():
        if not isinstance(n, str):
            raise GoFuncError(
                f"error processing alternate dns name: {format_value(n)} is not a string"
            )
        out.append(n)
    return out


_PRINTABLE = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]*")


def _ski(public_key: Any) -> bytes:
    """Go 1.25's generated subject key id: SHA-256 of the subjectPublicKey bits, cut to 20 bytes."""
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(public_key, rsa.RSAPublicKey):
        raw = public_key.public_bytes(ser.Encoding.DER, ser.PublicFormat.PKCS1)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        raw = public_key.public_bytes(ser.Encoding.X962, ser.PublicFormat.UncompressedPoint)
    elif isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    else:
        raw = public_key.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(raw).digest()[:20]


def _sign_hash(signing_key: Any) -> str | None:
    """The hash Go signs with for this key (None for ed25519); other keys cannot sign."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(signing_key, rsa.RSAPrivateKey):
        return "sha256"
    if isinstance(signing_key, ec.EllipticCurvePrivateKey):
        # Go picks the hash by curve size.
        bits = signing_key.curve.key_size
        return "sha256" if bits <= 256 else "sha384" if bits <= 384 else "sha512"
    if isinstance(signing_key, ed25519.Ed25519PrivateKey):
        return None
    raise GoFuncError(
        "error creating certificate: x509: certificate private key does not implement "
        "crypto.Signer"
    )


# What genSignedCert needs of a certificate this process made (its subject and key
# id), by its PEM text, so that signing with a fresh CA does not parse it again.
_ISSUED: dict[str, tuple[bytes, bytes | None]] = {}


def _build(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int, key: Any,
           issuer: tuple[bytes, bytes | None] | None, signing_key: Any,
           is_ca: bool) -> Certificate:
    """getBaseCertTemplate + getCertAndKey: issuer (its subject, its key id) None means self-signed."""
    addrs, names = _net_ips(ips), _dns_names(dns)
    algorithm = _sign_hash(signing_key)
    if isinstance(key, _dsa()[0]):
        raise GoFuncError(
            "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
        )
    for n in names:
        if not n.isascii():
            from minihelm.golang.gofmt import sprintf

            raise GoFuncError(f"error creating certificate: x509: {sprintf('%q', n)} "
                              "cannot be encoded as an IA5String")
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    try:
        # Go signs a certificate that ends before it starts, as asked.
        not_after = now + _dt.timedelta(days=days)
    except OverflowError as e:
        raise GoFuncError(f"error creating certificate: {e}") from None
    serial = secrets.randbelow((1 << 128) - 1) + 1
    cert, subject, ski = certificate_der(cn, addrs, names, now, not_after, serial, key, issuer,
                                         signing_key, algorithm, is_ca)
    text = _pem("CERTIFICATE", cert)
    if len(_ISSUED) < 1024:
        _ISSUED[text] = (subject, ski)
    return Certificate(text, pem_for_key(key))


def certificate_der(cn: str, addrs: list[Any], names: list[str], not_before: _dt.datetime,
                    not_after: _dt.datetime, serial: int, key: Any,
                    issuer: tuple[bytes, bytes | None] | None, signing_key: Any,
                    algorithm: str | None, is_ca: bool) -> tuple[bytes, bytes, bytes | None]:
    """(the certificate's DER, its subject's DER, its subject key id) for Sprig's template."""
    from cryptography.hazmat.primitives import serialization as ser

    # deferred: only certificate_der() needs it: 1 module this one does not otherwise load
    from minihelm.funcs import _certder as der

    subject = der.name(cn, _PRINTABLE.fullmatch(cn) is not None)
    public_key = key.public_key()
    ski = _ski(public_key) if is_ca else None
    cert = der.certificate(
        serial, issuer[0] if issuer is not None else subject, subject, not_before, not_after,
        public_key.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo),
        der.extensions(is_ca, ski, issuer[1] if issuer is not None else None, names,
                       [a.packed for a in addrs], cn == ""),
        der.algorithm_identifier(signing_key, algorithm),
        lambda tbs: _sign(signing_key, algorithm, tbs))
    return cert, subject, ski


def _sign(signing_key: Any, hash_name: str | None, tbs: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    if hash_name is None:
        return signing_key.sign(tbs)  # type: ignore[no-any-return]  # ed25519
    digest: hashes.HashAlgorithm = (hashes.SHA256() if hash_name == "sha256" else
                                    hashes.SHA384() if hash_name == "sha384" else hashes.SHA512())
    if isinstance(signing_key, rsa.RSAPrivateKey):
        return signing_key.sign(tbs, padding.PKCS1v15(), digest)
    return signing_key.sign(tbs, ec.ECDSA(digest))  # type: ignore[no-any-return]


def _with_key(pem_text: str) -> Any:
    try:
        return parse_private_key_pem(pem_text)
    except GoFuncError as e:
        raise GoFuncError(f"parsing private key: {e}") from None


@gofunc("genCA", "string, int", hermetic=False)
def gen_ca(cn: str, days: int) -> Certificate:
    key = _rsa2048()
    return _build(cn, None, None, days, key, None, key, True)


@gofunc("genCAWithKey", "string, int, string", hermetic=False)
def gen_ca_with_key(cn: str, days: int, key_pem: str) -> Certificate:
    key = _with_key(key_pem)
    return _build(cn, None, None, days, key, None, key, True)


@gofunc("genSelfSignedCert", "string, []interface {}, []interface {}, int", hermetic=False)
def gen_self_signed_cert(cn: str, ips: list[Any] | None, dns: list[Any] | None,
                         days: int) -> Certificate:
    _net_ips(ips), _dns_names(dns)  # Go validates before generating the key
    key = _rsa2048()
    return _build(cn, ips, dns, days, key, None, key, False)


@gofunc("genSelfSignedCertWithKey", "string, []interface {}, []interface {}, int, string",
        hermetic=False)
def gen_self_signed_cert_with_key(cn: str, ips: list[Any] | None, dns: list[Any] | None,
                                  days: int, key_pem: str) -> Certificate:
    key = _with_key(key_pem)
    return _build(cn, ips, dns, days, key, None, key, False)


def _parse_ca(ca: Certificate) -> tuple[tuple[bytes, bytes | None], Any]:
    """The CA's (subject, subject key id) and its key; one this process made is not parsed."""
    issued = _ISSUED.get(ca.Cert)
    if issued is None:
        issued = _read_ca(ca.Cert)
    try:
        signer = parse_private_key_pem(ca.Key)
    except GoFuncError as e:
        raise GoFuncError(f"error parsing private key: {e}") from None
    return issued, signer


def _read_ca(text: str) -> tuple[bytes, bytes | None]:
    from cryptography import x509

    block = _pem_decode(text)
    if block is None:
        raise GoFuncError("unable to decode certificate")
    try:
        cert = x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise GoFuncError(f"error parsing certificate: decodedSignerCert.Bytes: {e}") from None
    try:
        ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        ski = None
    return cert.subject.public_bytes(), ski


@gofunc("genSignedCert",
        "string, []interface {}, []interface {}, int, sprig.certificate", hermetic=False)
def gen_signed_cert(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int,
                    ca: Certificate) -> Certificate:
    key = _rsa2048()
    issuer, signer = _parse_ca(ca)
    return _build(cn, ips, dns, days, key, issuer, signer, False)


@gofunc("genSignedCertWithKey",
        "string, []interface {}, []interface {}, int, sprig.certificate, string", hermetic=False)
def gen_signed_cert_with_key(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int,
                             ca: Certificate, key_pem: str) -> Certificate:
    key = _with_key(key_pem)
    issuer, signer = _parse_ca(ca)
    return _build(cn, ips, dns, days, key, issuer, signer, False)


@gofunc("buildCustomCert", "string, string")
def build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    from cryptography import x509

    # deferred: only build_custom_cert() needs it: 1 module this one does not otherwise load
    from minihelm.funcs.encoding import _b64decode, _Corrupt
    from minihelm.golang.gostr import from_bytes, to_bytes

    try:
        cert = _b64decode(to_bytes(b64cert))
    except _Corrupt:
        raise GoFuncError("unable to decode base64 certificate") from None
    try:
        key = _b64decode(to_bytes(b64key))
    except _Corrupt:
        raise GoFuncError("unable to decode base64 private key") from None
    block = _pem_decode(from_bytes(cert))
    if block is None:
        raise GoFuncError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise GoFuncError(f"error parsing certificate: decodedCert.Bytes: {e}") from None
    try:
        parse_private_key_pem(from_bytes(key))
    except GoFuncError as e:
        raise GoFuncError(f"error parsing private key: {e}") from None
    return Certificate(from_bytes(cert), from_bytes(key))
