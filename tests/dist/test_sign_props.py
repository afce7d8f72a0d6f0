"""Property: any bytes given to the OpenPGP and .prov parsers give a result or one MinihelmError.

Inputs are random bytes, and valid keyrings, armour and .prov files (made here by
minihelm's own signer from a key built with `cryptography`, so no gpg is needed)
with bytes flipped, cut or inserted.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minihelm.dist import openpgp
from minihelm.dist.provenance import (
    chart_metadata_yaml,
    clearsign,
    decode_clearsigned,
    message_block,
    verify_archive,
)
from minihelm.errors import MinihelmError

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _mpi(n: int) -> bytes:
    return n.bit_length().to_bytes(2, "big") + n.to_bytes((n.bit_length() + 7) // 8, "big")


def _packet(tag: int, body: bytes) -> bytes:
    return openpgp._packet(tag, body)  # the writer the signer uses


def _make_keyring() -> tuple[bytes, bytes]:
    """(secret keyring, public keyring) of one RSA-1024 key with a self-signed user ID."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    nums = key.private_numbers()
    pub_body = bytes([4]) + (1_600_000_000).to_bytes(4, "big") + b"\x01" \
        + _mpi(nums.public_numbers.n) + _mpi(nums.public_numbers.e)
    secret_mpis = _mpi(nums.d) + _mpi(nums.p) + _mpi(nums.q) + _mpi(pow(nums.p, -1, nums.q))
    sec_body = pub_body + b"\x00" + secret_mpis + (sum(secret_mpis) & 0xFFFF).to_bytes(2, "big")
    uid = b"Prop Signer <prop@example.com>"
    pub = openpgp._parse_public(pub_body, "key")
    secret = openpgp.SecretKey(pub, 0, b"", {"d": nums.d, "p": nums.p, "q": nums.q})
    hashed_sub = bytes([5, 2]) + (1_600_000_000).to_bytes(4, "big") + bytes([2, 27, 3])
    hashed = bytes([4, 0x13, 1, 10]) + len(hashed_sub).to_bytes(2, "big") + hashed_sub
    sig = openpgp.Signature(0x13, 1, 10, hashed, b"", [])
    digest = sig.digest(pub.hash_prefix() + b"\xb4" + len(uid).to_bytes(4, "big") + uid)
    unhashed = bytes([9, 16]) + pub.key_id
    sig_body = hashed + len(unhashed).to_bytes(2, "big") + unhashed + digest[:2] + b"".join(
        _mpi(int.from_bytes(v, "big")) for v in secret.sign(digest, 10))
    tail = _packet(13, uid) + _packet(2, sig_body)
    return _packet(5, sec_body) + tail, _packet(6, pub_body) + tail


SECRET, PUBLIC = _make_keyring()
PUBLIC_ASC = openpgp.armor("PGP PUBLIC KEY BLOCK", PUBLIC, checksum=True).encode()


def _archive() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        data = b"apiVersion: v2\nname: prop\nversion: 0.1.0\n"
        info = tarfile.TarInfo("prop/Chart.yaml")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    return comp.compress(buf.getvalue()) + comp.flush()


ARCHIVE = _archive()
SIGNER_KEY = openpgp.read_keyring(SECRET).entities[0].secret
assert SIGNER_KEY is not None

PROV = clearsign(message_block(chart_metadata_yaml(ARCHIVE), "prop-0.1.0.tgz", ARCHIVE),
                 SIGNER_KEY).encode()
RING = openpgp.read_keyring(PUBLIC)


def test_the_fixtures_are_valid() -> None:
    v = verify_archive("prop-0.1.0.tgz", PROV, RING, archive=ARCHIVE)
    assert v.signed_by == ("Prop Signer <prop@example.com>",)
    assert v.file_hash == "sha256:" + hashlib.sha256(ARCHIVE).hexdigest()
    assert openpgp.read_keyring(PUBLIC_ASC).entities[0].primary.fingerprint == \
        RING.entities[0].primary.fingerprint


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[i:i + draw(st.integers(1, 16))]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[i:]
    return bytes(data)


def _ok_or_minihelm_error(fn, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        fn(*args)
    except MinihelmError:
        pass


@SETTINGS
@given(st.one_of(st.binary(max_size=300), mutated(SECRET), mutated(PUBLIC), mutated(PUBLIC_ASC)))
def test_keyrings(data: bytes) -> None:
    _ok_or_minihelm_error(openpgp.read_keyring, data)


@SETTINGS
@given(st.one_of(st.binary(max_size=200), mutated(SECRET)))
def test_packets_and_signatures(data: bytes) -> None:
    _ok_or_minihelm_error(openpgp.parse_packets, data)
    _ok_or_minihelm_error(openpgp.parse_signature, data)
    _ok_or_minihelm_error(openpgp.signature_packets, data)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), mutated(PUBLIC_ASC), mutated(PROV),
                 st.text(alphabet="-BEGIN PGPSIGNATURE=\nabc+/:", max_size=120).map(str.encode)))
def test_armour_and_clearsigned(data: bytes) -> None:
    _ok_or_minihelm_error(openpgp.dearmor, data)
    _ok_or_minihelm_error(decode_clearsigned, data)


@SETTINGS
@given(mutated(PROV))
def test_verify_any_prov(data: bytes) -> None:
    _ok_or_minihelm_error(verify_archive, "prop-0.1.0.tgz", data, RING, ARCHIVE)


@SETTINGS
@given(st.binary(max_size=64), st.sampled_from([254, 255]), st.sampled_from([7, 9, 2, 3, 1]))
def test_protected_secret_keys(tail: bytes, usage: int, cipher: int) -> None:
    """Any bytes after an S2K header -> a decrypted key or a MinihelmError."""
    pub = RING.entities[0].primary
    raw = bytes([usage, cipher, 3, 8]) + b"saltsalt" + bytes([96]) + tail
    secret = openpgp.SecretKey(pub, usage, raw)
    _ok_or_minihelm_error(secret.decrypt, b"pw")


@pytest.mark.parametrize("blob", [b"", b"\n", b"-----BEGIN PGP SIGNATURE-----\n",
                                  base64.b64encode(b"x")])
def test_corner_inputs(blob: bytes) -> None:
    _ok_or_minihelm_error(openpgp.read_keyring, blob)
    _ok_or_minihelm_error(decode_clearsigned, blob)


def _protect(clear: bytes, usage: int, cipher: int, s2k: int, passphrase: bytes) -> bytes:
    """S2K-protect secret MPIs the way RFC 4880 5.5.3 says, with cryptography's own CFB mode
    (a cross-check of our ECB-built CFB)."""
    import warnings

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from cryptography.hazmat.decrepit.ciphers import algorithms as old
        except ImportError:  # pragma: no cover - older cryptography
            old = algorithms
        algo, key_len, block = {7: (algorithms.AES, 16, 16), 9: (algorithms.AES, 32, 16),
                                2: (old.TripleDES, 24, 8), 3: (old.CAST5, 16, 8)}[cipher]
        salt, count_byte = b"12345678", 0x60
        spec = bytes([s2k, 8]) + (salt if s2k in (1, 3) else b"") + \
            (bytes([count_byte]) if s2k == 3 else b"")
        count = (16 + (count_byte & 15)) << ((count_byte >> 4) + 6) if s2k == 3 else 0
        key = openpgp._s2k("sha256", passphrase, salt if s2k in (1, 3) else b"", count, key_len)
        iv = bytes(range(block))
        check = hashlib.sha1(clear).digest() if usage == 254 else \
            (sum(clear) & 0xFFFF).to_bytes(2, "big")
        enc = Cipher(algo(key), modes.CFB(iv)).encryptor()
        return bytes([usage, cipher]) + spec + iv + enc.update(clear + check) + enc.finalize()


@pytest.mark.parametrize("usage", [254, 255])
@pytest.mark.parametrize("cipher", [7, 9, 2, 3])
@pytest.mark.parametrize("s2k", [0, 1, 3])
def test_s2k_protected_keys_decrypt_and_sign(usage: int, cipher: int, s2k: int) -> None:
    entity = openpgp.read_keyring(SECRET).entities[0]
    assert entity.secret is not None and entity.secret.material is not None
    m = entity.secret.material
    clear = b"".join(_mpi(int(m[k])) for k in ("d", "p", "q")) + _mpi(1)
    raw = _protect(clear, usage, cipher, s2k, b"pass phrase")
    locked = openpgp.SecretKey(entity.primary, usage, raw)
    with pytest.raises(MinihelmError, match="private key checksum failure"):
        openpgp.SecretKey(entity.primary, usage, raw).decrypt(b"wrong")
    locked.decrypt(b"pass phrase")
    prov = clearsign(message_block(chart_metadata_yaml(ARCHIVE), "prop-0.1.0.tgz", ARCHIVE),
                     locked).encode()
    assert verify_archive("prop-0.1.0.tgz", prov, RING, archive=ARCHIVE).signed_by == \
        ("Prop Signer <prop@example.com>",)


def test_a_key_we_cannot_read_is_skipped_not_fatal() -> None:
    """go-crypto's ReadKeyRing skips an unreadable key and keeps the others."""
    odd = _packet(6, bytes([4]) + (1).to_bytes(4, "big") + bytes([99]) + b"\x00\x08\xff")
    ring = openpgp.read_keyring(odd + PUBLIC)
    assert [i.name for e in ring.entities for i in e.identities] == \
        ["Prop Signer <prop@example.com>"]
    with pytest.raises(MinihelmError, match="unsupported public-key algorithm 99"):
        openpgp.read_keyring(odd)


def test_a_broken_self_signature_drops_the_key() -> None:
    broken = bytearray(PUBLIC)
    broken[-1] ^= 0x01
    with pytest.raises(MinihelmError, match="^openpgp: invalid data: user ID self-signature "
                                            "invalid$"):
        openpgp.read_keyring(bytes(broken))


@SETTINGS
@given(st.lists(st.text(alphabet="-ab \t:.", max_size=12), min_size=1, max_size=6))
def test_clearsign_round_trip(lines: list[str]) -> None:
    """Any text: what we sign decodes back to itself (trailing blanks dropped, as go-crypto
    drops them), dash-escapes undone, and the signature checks."""
    text = ("\n".join(lines) + "\n").encode()
    prov = clearsign(text, SIGNER_KEY).encode()
    signed, plain, sig = decode_clearsigned(prov)
    want = b"\n".join(line.rstrip(b" \t") for line in text.split(b"\n"))
    assert plain == want
    assert signed == want.replace(b"\n", b"\r\n")
    (signature,) = openpgp.signature_packets(sig)
    assert signature.check(RING.entities[0].primary, signed)
