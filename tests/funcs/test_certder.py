"""funcs/_certder.py writes Sprig's certificates byte for byte as cryptography's builder does.

The reference below is how certs.py built them before (x509.CertificateBuilder,
whose output was checked against helm's certificates in test_crypto.py);
the DER writer must give the same bytes for the same key, serial and times.
RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic, so whole
certificates are compared; ECDSA ones are random, so the signed part is.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from minihelm.funcs import _certder
from minihelm.funcs.certs import _PRINTABLE, _ski, certificate_der

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP384R1())
ED_KEY = ed25519.Ed25519PrivateKey.generate()
NOW = dt.datetime(2026, 11, 27, 10, 56, 46, tzinfo=dt.timezone.utc)


def _reference_name(cn: str) -> x509.Name:
    if cn == "":
        return x509.Name([])
    kind = _ASN1Type.PrintableString if _PRINTABLE.fullmatch(cn) else _ASN1Type.UTF8String
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn, _type=kind)])


def _reference(cn: str, addrs: list[Any], names: list[str], days: int, key: Any,
               issuer: x509.Certificate | None, signer: Any, is_ca: bool,
               serial: int) -> x509.Certificate:
    subject = _reference_name(cn)
    b = (x509.CertificateBuilder().serial_number(serial).subject_name(subject)
         .issuer_name(issuer.subject if issuer is not None else subject)
         .public_key(key.public_key()).not_valid_before(NOW)
         .not_valid_after(NOW + dt.timedelta(days=days)))
    b = b.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=True,
        data_encipherment=False, key_agreement=False, key_cert_sign=is_ca, crl_sign=False,
        encipher_only=False, decipher_only=False), critical=True)
    b = b.add_extension(x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    b = b.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    if is_ca:
        b = b.add_extension(x509.SubjectKeyIdentifier(_ski(key.public_key())), critical=False)
    if issuer is not None:
        ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        b = b.add_extension(x509.AuthorityKeyIdentifier(ski.digest, None, None), critical=False)
    if addrs or names:
        sans = [x509.DNSName(n) for n in names] + [x509.IPAddress(a) for a in addrs]
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=cn == "")
    algorithm = (hashes.SHA256() if isinstance(signer, rsa.RSAPrivateKey)
                 else hashes.SHA384() if isinstance(signer, ec.EllipticCurvePrivateKey) else None)
    return b.sign(signer, algorithm)


def _ours(cn: str, addrs: list[Any], names: list[str], days: int, key: Any,
          issuer: x509.Certificate | None, signer: Any, is_ca: bool, serial: int) -> bytes:
    hash_name = ("sha256" if isinstance(signer, rsa.RSAPrivateKey)
                 else "sha384" if isinstance(signer, ec.EllipticCurvePrivateKey) else None)
    info = None
    if issuer is not None:
        ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        info = (issuer.subject.public_bytes(), ski)
    der, _, _ = certificate_der(cn, addrs, names, NOW, NOW + dt.timedelta(days=days), serial,
                                key, info, signer, hash_name, is_ca)
    return der


RSA_CA = _reference("my-ca", [], [], 365, RSA_KEY, None, RSA_KEY, True, 77)
EC_CA = _reference("ec-ca", [], [], 365, EC_KEY, None, EC_KEY, True, 78)
ED_CA = _reference("ed-ca", [], [], 365, ED_KEY, None, ED_KEY, True, 79)
IPS = [ipaddress.ip_address("10.0.0.1"), ipaddress.ip_address("::1")]
MANY = [f"host-{i}.svc.cluster.local" for i in range(40)]  # long-form DER lengths

CASES = {
    "rsa ca": ("my-ca", [], [], 365, RSA_KEY, None, RSA_KEY, True, 77),
    "rsa leaf, sans": ("svc.example", IPS, ["a.example"], 30, RSA_KEY, RSA_CA, RSA_KEY, False,
                       1 << 127),
    "empty subject": ("", IPS, ["b.example"], 1, RSA_KEY, None, RSA_KEY, False, 5),
    "utf8 subject": ("Zürich ünd mehr", [], MANY, 10, RSA_KEY, RSA_CA, RSA_KEY, False, 255),
    "after 2049": ("late", [], [], 20000, RSA_KEY, None, RSA_KEY, True, 128),
    "ed25519 ca signs ec key": ("leaf", [], ["x.example"], 1, EC_KEY, ED_CA, ED_KEY, False, 9),
    "ed25519 self-signed": ("ed", [], [], 1, ED_KEY, None, ED_KEY, True, 10),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_bytes_are_cryptographys(case: str) -> None:
    args = CASES[case]
    assert _ours(*args) == _reference(*args).public_bytes(ser.Encoding.DER)


def test_ecdsa_signed_part_is_cryptographys_and_verifies() -> None:
    args = ("ec leaf", IPS, ["c.example"], 7, RSA_KEY, EC_CA, EC_KEY, False, 4242)
    ours = x509.load_der_x509_certificate(_ours(*args))
    theirs = _reference(*args)
    assert ours.tbs_certificate_bytes == theirs.tbs_certificate_bytes
    ours.verify_directly_issued_by(EC_CA)


def test_a_certificate_that_ends_before_it_starts_is_signed_as_go_signs_it() -> None:
    # cryptography's builder refuses this; Go (and so helm) signs it
    cert = x509.load_der_x509_certificate(
        _ours("neg", [], [], -3, RSA_KEY, None, RSA_KEY, False, 1))
    assert cert.not_valid_after_utc == NOW - dt.timedelta(days=3)
    assert cert.not_valid_before_utc == NOW


@pytest.mark.parametrize(("value", "encoded"), [
    (0, "020100"), (127, "02017f"), (128, "02020080"), (256, "02020100"),
])
def test_integers_are_shortest_twos_complement(value: int, encoded: str) -> None:
    assert _certder.integer(value).hex() == encoded


def test_lengths_past_127_use_the_long_form() -> None:
    assert _certder.tlv(0x04, b"x" * 200)[:3].hex() == "0481c8"
    assert _certder.tlv(0x04, b"x" * 300)[:4].hex() == "0482012c"
