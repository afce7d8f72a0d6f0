"""Tests for Sprig's hashing, password, AES, random, key and certificate functions.

Deterministic results are byte-for-byte what helm v4.1.4 printed for the same
call; random ones are checked for shape (lengths, alphabets, PEM types, the
certificate fields Sprig sets).  HELM_CA_* is a CA that helm's genCA made.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import re
import string
from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import NON_HERMETIC, functions
from minihelm.golang.gotypes import go_kind, go_type_name


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


# {{ $c := genCA "helm-ca" 3650 }}{{ $c.Cert | b64enc }} {{ $c.Key | b64enc }}
HELM_CA_CERT_B64 = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFRENDQWZpZ0F3SUJBZ0lSQUk2UVlTN3RLTDZOUU9xREh1"
    "MzRlRjR3RFFZSktvWklodmNOQVFFTEJRQXcKRWpFUU1BNEdBMVVFQXhNSGFHVnNiUzFqWVRBZUZ3MHlOakV4TWpj"
    "d05URTRNRGxhRncwek5qRXhNalF3TlRFNApNRGxhTUJJeEVEQU9CZ05WQkFNVEIyaGxiRzB0WTJFd2dnRWlNQTBH"
    "Q1NxR1NJYjNEUUVCQVFVQUE0SUJEd0F3CmdnRUtBb0lCQVFDazRLN29SV3RTb25LOWVqQ0xnUUoycU56Tk51SlBa"
    "bFFHK1BBR2dZZC9obWdzTlRZS1pJRFQKSENKdFRWd1VNRlVPZVh2TDdWeG1JUndrNVJOWHpsR1NBd2pMekFKRHBO"
    "bDJkYXVTaVFWaDFveGx3MjJPRkZuSgpSM1luZXp6YmZUdU80amo5UUY5dGM4ZUJLdVcrbkpwNUkrL21PMDk0RUF0"
    "Vk5WS2puSFg2RUd6YU9GcW5JTll5CkdqcGJpU2tYeDI3eEhRdTZJVVlISkpySnZaMlE5TDlabnZ2SUpCQ1FxWnhz"
    "TDErUEQrUldVdWNQdGVEcHJHZFYKdHN2c29GM3Z0d2VndUQxV2diamZxUkhtYUVlbGcrbVphNldhWW5LaFB5dG1s"
    "dTJiN3ZaSTI1dU9OMkdreWVWcQp3TnhndG5xYUt2aTB5eDgyb2YyR2hXOThIdFU4eUZxYkFnTUJBQUdqWVRCZk1B"
    "NEdBMVVkRHdFQi93UUVBd0lDCnBEQWRCZ05WSFNVRUZqQVVCZ2dyQmdFRkJRY0RBUVlJS3dZQkJRVUhBd0l3RHdZ"
    "RFZSMFRBUUgvQkFVd0F3RUIKL3pBZEJnTlZIUTRFRmdRVWVhU1ZvdmRCV241MktBQktOSVEzWHdjSExoNHdEUVlK"
    "S29aSWh2Y05BUUVMQlFBRApnZ0VCQURyYXNLQlZxczcwSGpwYlFveE9aMzVoODZZZ2VXekdRckFOU2VDMGUySTlJ"
    "Nm9DemM0NGxwQ1F5c0N6CnFnQ0E1c2xVOFpYaXZHMVNIM3BEL1ZOTm5YN2FYcVdXZmFyR2VlaUV6S3NYWmF6ZGZW"
    "VElFbTk1Um1IYm5KUWYKck1zZDRmeHRIL1krcFpZN3IyK2Z3dTJCSzNRS01KQ3dCR0pmUGJuZUx3RzU0UWFDaE1h"
    "R3ZkYW5XdVJTUDFvcApaTjVma3NZWnNMUTkzTGdoaWc1U2xwKzRiNVg4S09KaHJ4RHQ5OXBsUlc1b2RKbU82cVhu"
    "QXE3OWYvbEdRSW5NCmRtSGMvRjd2UE1pWFcrTEVJVzM3R1doa3FabkhEMXhZem5za3JvYVpoM3VlRFNoU2lxcTE5"
    "Q20zMEVOWXFmNloKOCsvRERacHBTMmJyQk5odndkMjdhanBMSmtFPQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0t"
    "Cg=="
)
HELM_CA_KEY_B64 = (
    "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBcE9DdTZFVnJVcUp5dlhvd2k0"
    "RUNkcWpjelRiaVQyWlVCdmp3Qm9HSGY0Wm9MRFUyCkNtU0EweHdpYlUxY0ZEQlZEbmw3eSsxY1ppRWNKT1VUVjg1"
    "UmtnTUl5OHdDUTZUWmRuV3Jrb2tGWWRhTVpjTnQKamhSWnlVZDJKM3M4MjMwN2p1STQvVUJmYlhQSGdTcmx2cHlh"
    "ZVNQdjVqdFBlQkFMVlRWU281eDEraEJzMmpoYQpweURXTWhvNlc0a3BGOGR1OFIwTHVpRkdCeVNheWIyZGtQUy9X"
    "Wjc3eUNRUWtLbWNiQzlmancva1ZsTG5EN1hnCjZheG5WYmJMN0tCZDc3Y0hvTGc5Vm9HNDM2a1I1bWhIcFlQcG1X"
    "dWxtbUp5b1Q4clpwYnRtKzcyU051YmpqZGgKcE1ubGFzRGNZTFo2bWlyNHRNc2ZOcUg5aG9WdmZCN1ZQTWhhbXdJ"
    "REFRQUJBb0lCQURpTnh3RHQycyszMy9LRgpLSVNaWms1c1FueHpnSEhxc0JUS0s0Nlh2SEh1R09wZEFDSFZjbWkz"
    "UkVuSW1MWm1FNjdJMWNGUHMvdG1EUURNCndITkVWaTltc2d3eGVHOWFhcXNhMXBTSFFsemFXa01Ib3hyeWVRKzAz"
    "dDdSQTBGb05kY2ZXcHZuaWpRQlhDTysKb3BwY25oSENWV1hiM3pqWURBTVlyTFZwRkFDSE41T2M4aWlDOTVjamF2"
    "L29IcUNjWEF2NDZoRmlIdlhtTWt0UwpMU2swcnVlczllV0FwS3AxbFZFL2k3dHFrUXdFRlZ3alVZMFRzYWdPQ0tX"
    "ZzhtZ0FDNGd2QzJHYWQ3QjhDNEZlCkdHQi9FUzNFN1VCVXF0QTEwdWdVN0l2bTVJNktOeTBpRjhTbXFNWHpTeGZH"
    "WDVCZDlGZE9Jd2QxR3pOc09odnEKZVJSaGVNRUNnWUVBMmxIUks1ZXNRQzJ4TXlpZkhpZU1MME9Uc1RTS25jZ3ZJ"
    "cXBPamhvbDlWZ2YyV0Zkd3BIVwpHcUhIRDFQQWI2M1Vwb2VwMkNwRjRxdVFJUUVqMkRhbEMwQWc4UXE2SDQ1azFk"
    "LzU1bGI5YUo1U2tOTW5KYndYCkJvOWNIVG9UcjI2M2FyYjNMSUkrSDVDdmx1bnNOeGlnRlROQ3ZQT0NZb1RsSEFh"
    "N1RVZFpwRUVDZ1lFQXdWV1oKcWhmQUVNWk9ERXFZTTQwM29DRzY5YjZpbzZyc0pzblVWR3V6VFhHZXhvb1NYck5m"
    "QTdFSlJoZEpSeTI3cTNnbwprNUNUUldDNnZXVXlQSzRPOTdZVXZPQ3JqVjh2bG41ZFJ5dDlpaE4rOHEzZkE4dkZZ"
    "K1J2clNUQ2dneHF2bDVyCllCOVl4Q1J4VjJCMnlPQXFuMHlrQmxkMkRvNVEvQUJvbzRPWEY5c0NnWUI4M2tidzAv"
    "TmxVYjBFTWJ1d2w1WUsKZ25BNjduNUorSEZkTm1OdnkyemlndURVaUdnRUhUMkVSZnVBdkxwWUplaDJ4eWxSeGZ2"
    "cXhZM09Fc1RacVllRQpnODFUa0hzY0NXbUxHbXZvWHVEWnNaUXYyVldPczZISDByOHd5RUx5R0RVNENDWWZndTdk"
    "UnZmbkxTdzU1dy9JCmtHVWZoWGVSdWNrQTJxak9ibnpMQVFLQmdDSHB5aEswSjlUSmRGZGpubDhzbmwxUWpXTWVG"
    "Wmx3R2d5VHl0TWsKTVVlY2JxV1ZBclBwOHZqS3pUMm1TQXhjVVZjNnRLTnQ4T2R5bUU4d3VTYzd3UlJpdERDTm1J"
    "b3I4RVVOMVg3dQplZzhHYkhaVldaRm81UzhvbXc1Y0xHSnpteVhabWl3NlUyL1VsSzBuRnE4VjQyUWVKWWVYUC9Z"
    "OXNLY0R5MWNqCmRoV1JBb0dCQUtLbHZ6SEVTME45UGZLZXU1ZVFvVDM3Smw1dlVGNngvK0lhTWdBVE83TmVicTVo"
    "SE9VVEZ5NHUKSkszMGZoS2M3aEYvelJNbVlVdDlwYjc2b1NuNytqdEFLMDVrbkRka29nRXZMcllDeHdHdXZOaHVM"
    "NmpKQVBKTAozUmlxMEVubm82ZzV6aUJlRUg1MmkzNDJDZGtGb0VhOVZrZXB3YXFJd21nRFcwc041VGlCCi0tLS0t"
    "RU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg=="
)


@pytest.mark.parametrize(
    ("fn", "arg", "want"),
    [
        ("sha1sum", "héllo", "35b5ea45c5e41f78b46a937cc74d41dfea920890"),
        ("sha1sum", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("sha256sum", "héllo", "3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179"),
        ("sha256sum", "The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
        ("sha512sum", "héllo",
         ("a67e831011aa41ebb2a218c8ff727f1c60d62f06e1681678d176a81cd72ee69e"
         "7250c4c943cacbab28e42768615a5c41b6b0d42591d2c26a65670b38e97306dc")),
        ("adler32sum", "héllo", "192152348"),
        ("adler32sum", "", "1"),
        ("adler32sum", "The quick brown fox jumps over the lazy dog", "1541148634"),
    ],
)
def test_hashes_match_helm(fn: str, arg: str, want: str) -> None:
    assert call(fn, arg) == want


@pytest.mark.parametrize("name", ["sha1", "sha256", "sha512"])
def test_hashes_fall_back_on_hashlib(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from minihelm.funcs import crypto

    monkeypatch.setitem(crypto._BUILTIN_HASHES, name, ("_no_such_module",))
    assert crypto._hexdigest(name, b"x") == hashlib.new(name, b"x").hexdigest()


def test_checksums_do_not_load_openssl() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom minihelm.funcs.crypto import sha256sum, sha1sum, sha512sum\n"
            "sha256sum('a'); sha1sum('a'); sha512sum('a')\nprint('_hashlib' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("args", "want"),
    [
        ((1, "long", "password", "user", "example.com"), "ZedaFaxcZaso9*"),
        ((3, "maximum", "pässword", "üser", "ex.com"), "H3[faiGJ&UCJAebcYD8Q"),
        ((0, "pin", "p", "", ""), "8457"),
        ((4294967295, "basic", "master", "Robert Lee Mitchell", "twitter.com"), "rL05Kij8"),
        ((1, "short", "x", "y", "z"), "Lok7"),
        ((1, "medium", "x", "y", "z"), "LokVug5("),
        ((1, "nope", "p", "u", "s"), "cannot find password template nope"),
    ],
)
def test_derive_password_matches_helm(args: tuple[Any, ...], want: str) -> None:
    assert call("derivePassword", *args) == want


@pytest.mark.parametrize(
    ("key", "crypt", "plain"),
    [
        ("secretkey", "Xy6oiG7A6N94QGmq+9TNUkBkb1wcPbVgE5Xqhg816fY=", "hello world"),
        ("a-very-long-password-that-exceeds-32-bytes!!",
         "IpAd0YxIEy+Ae/gTqxS8QyiCJqikh+CD5pRJvjlvgId9vl3YBkSxZ1a93du4EnM0", "0123456789abcdef"),
        ("", "IBBRHfrkfrepGw7uACZpYpGKVa5EzQWlH/FG+WgNUew=", "ü"),
        ("k", "", ""),
    ],
)
def test_decrypt_aes_of_helm_ciphertext(key: str, crypt: str, plain: str) -> None:
    assert call("decryptAES", key, crypt) == plain


def test_encrypt_aes_round_trip_and_random_iv() -> None:
    a = call("encryptAES", "k", "round trip")
    assert a != call("encryptAES", "k", "round trip")
    assert len(base64.b64decode(a)) == 32  # IV + one padded block
    assert call("decryptAES", "k", a) == "round trip"
    assert call("encryptAES", "k", "") == ""


@pytest.mark.parametrize(
    ("crypt", "message"),
    [
        ("!!", "illegal base64 data at input byte 0"),
        ("aGVsbG8=", "runtime error: slice bounds out of range [:16] with capacity 6"),
    ],
)
def test_decrypt_aes_errors(crypt: str, message: str) -> None:
    # helm: "error calling decryptAES: illegal base64 data at input byte 0"
    with pytest.raises(GoFuncError) as e:
        call("decryptAES", "k", crypt)
    assert str(e.value) == message


def test_bcrypt_and_htpasswd() -> None:
    import bcrypt

    h = call("bcrypt", "x")
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", h)
    assert bcrypt.checkpw(b"x", h.encode())
    user, hashed = call("htpasswd", "u", "p").split(":", 1)
    assert user == "u" and bcrypt.checkpw(b"p", hashed.encode())
    # helm: {{ htpasswd "u:x" "p" }} -> "invalid username: u:x"
    assert call("htpasswd", "u:x", "p") == "invalid username: u:x"
    assert call("bcrypt", "a" * 73) == (
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    )


@pytest.mark.parametrize(
    ("fn", "alphabet"),
    [
        ("randAlphaNum", string.ascii_letters + string.digits),
        ("randAlpha", string.ascii_letters),
        ("randNumeric", string.digits),
        ("randAscii", "".join(chr(c) for c in range(32, 127))),
    ],
)
def test_random_strings(fn: str, alphabet: str) -> None:
    s = call(fn, 200)
    assert len(s) == 200 and set(s) <= set(alphabet)
    assert call(fn, 0) == "" and call(fn, -1) == ""  # helm: randAlpha -1 -> ""
    assert fn in NON_HERMETIC


def test_rand_bytes_and_uuid() -> None:
    assert len(base64.b64decode(call("randBytes", 24))) == 24
    assert call("randBytes", 0) == ""
    with pytest.raises(GoFuncError, match="^runtime error: makeslice: len out of range$"):
        call("randBytes", -1)
    u = call("uuidv4")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)


@pytest.mark.parametrize(
    ("typ", "header", "loader"),
    [
        ("ecdsa", "EC PRIVATE KEY", "ec"),
        ("ed25519", "PRIVATE KEY", "ed25519"),
        ("dsa", "DSA PRIVATE KEY", "dsa"),
        ("rsa", "RSA PRIVATE KEY", "rsa"),
    ],
)
def test_gen_private_key_pem_types(typ: str, header: str, loader: str) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = call("genPrivateKey", typ)
    assert pem.startswith(f"-----BEGIN {header}-----\n")
    assert pem.endswith(f"-----END {header}-----\n")
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert loader in type(key).__module__ or loader in type(key).__name__.lower()
    if typ == "rsa":
        assert key.key_size == 4096  # type: ignore[union-attr]
    if typ == "ecdsa":
        assert key.curve.name == "secp256r1"  # type: ignore[union-attr]


def test_gen_private_key_unknown() -> None:
    assert call("genPrivateKey", "nope") == "Unknown type nope"


def _load(cert: Any) -> Any:
    from cryptography import x509

    return x509.load_pem_x509_certificate(cert.Cert.encode())


def test_gen_ca_shape() -> None:
    from cryptography import x509

    ca = call("genCA", "my-ca", 365)
    assert go_type_name(ca) == "sprig.certificate" and go_kind(ca) == "struct"
    assert ca.Key.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    c = _load(ca)
    assert c.subject.rfc4514_string() == "CN=my-ca" == c.issuer.rfc4514_string()
    assert c.not_valid_after_utc - c.not_valid_before_utc == dt.timedelta(days=365)
    assert abs(c.not_valid_before_utc - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    bc = c.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca
    ku = c.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.digital_signature
    assert ku.value.key_encipherment
    assert c.public_key().key_size == 2048
    assert c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def test_signed_cert_with_helm_made_ca() -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ca = call("buildCustomCert", HELM_CA_CERT_B64, HELM_CA_KEY_B64)
    leaf = call("genSignedCert", "svc.example", ["10.0.0.1", "::1"], ["a.example"], 30, ca)
    c, issuer = _load(leaf), _load(ca)
    assert c.issuer == issuer.subject
    c.verify_directly_issued_by(issuer)
    san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["a.example"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("10.0.0.1"), ipaddress.ip_address("::1")
    ]
    eku = c.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    assert not c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    aki = c.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest


def test_a_generated_ca_key_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """genSignedCert with a CA from genCA reuses the key it made (OpenSSL's RSA check
    costs 28 ms); a key from elsewhere is still parsed and checked."""
    from cryptography.hazmat.primitives import serialization as ser

    ca = call("genCA", "ca", 5)
    real = ser.load_pem_private_key
    parsed: list[bytes] = []

    def traced(data: bytes, password: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(data)
        return real(data, password, *args, **kwargs)

    monkeypatch.setattr(ser, "load_pem_private_key", traced)
    leaf = call("genSignedCert", "leaf", [], ["x.example"], 1, ca)
    _load(leaf).verify_directly_issued_by(_load(ca))
    assert parsed == []
    helm_ca = call("buildCustomCert", HELM_CA_CERT_B64, HELM_CA_KEY_B64)
    parsed.clear()
    call("genSignedCert", "leaf", [], [], 1, helm_ca)
    assert len(parsed) == 1


def test_with_key_variants_keep_the_given_key() -> None:
    key = call("genPrivateKey", "ecdsa")
    ss = call("genSelfSignedCertWithKey", "self", None, ["x.example"], 10, key)
    assert ss.Key == key
    ca = call("genCAWithKey", "ca", 5, call("genPrivateKey", "ed25519"))
    leaf = call("genSignedCertWithKey", "leaf", [], [], 1, ca, key)
    assert leaf.Key == key
    _load(leaf).verify_directly_issued_by(_load(ca))


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        ("genCAWithKey", ("x", 1, "junk"), "parsing private key: no PEM data in input"),
        ("genCAWithKey", ("x", 1, "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"),
         "parsing private key: no private key data in PEM block of type FOO"),
        ("genSelfSignedCert", ("x", [1], None, 1), "error parsing ip: 1 is not a string"),
        ("genSelfSignedCert", ("x", ["1.2.3"], None, 1), "error parsing ip: 1.2.3"),
        ("genSelfSignedCert", ("x", None, [3], 1),
         "error processing alternate dns name: 3 is not a string"),
        ("buildCustomCert", ("!!", ""), "unable to decode base64 certificate"),
        ("buildCustomCert", ("aGVsbG8=", "aGVsbG8="), "unable to decode certificate"),
    ],
)
def test_certificate_errors_match_helm(fn: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call(fn, *args)
    assert str(e.value) == message


def test_dsa_key_cannot_sign() -> None:
    with pytest.raises(GoFuncError) as e:
        call("genCAWithKey", "x", 1, call("genPrivateKey", "dsa"))
    assert str(e.value) == (
        "error creating certificate: x509: certificate private key does not implement "
        "crypto.Signer"
    )


def test_random_strings_are_uniform_over_their_alphabet() -> None:
    from collections import Counter

    for fn, alphabet in (("randAlphaNum", string.ascii_letters + string.digits),
                         ("randNumeric", string.digits),
                         ("randAscii", "".join(chr(c) for c in range(32, 127)))):
        counts = Counter(call(fn, 1000 * len(alphabet)))
        assert set(counts) == set(alphabet)
        assert all(800 < c < 1200 for c in counts.values()), fn  # ~10 sigma
