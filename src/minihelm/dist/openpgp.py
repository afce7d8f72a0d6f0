"""OpenPGP bytes (RFC 4880 packets, ASCII armour) <-> keys and v4 signatures, on `cryptography`.

Fed by provenance.py with keyring files (what `gpg --export` and
`gpg --export-secret-keys` write, binary or armoured) and signature packets;
feeds it keys (entities with user IDs, validity and secret material) and
signatures made or checked over canonical text.

Only what helm's provenance files need is here: v4 keys and signatures, RSA,
EdDSA (Ed25519) and ECDSA (NIST curves) public keys, secret keys in the clear
or protected with an iterated-and-salted S2K and AES/3DES/CAST5 in CFB mode.
Key validity follows what ProtonMail/go-crypto (helm's library) checks:
self-signatures must verify, a valid revocation revokes, key lifetimes come
from the primary identity's newest self-signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..errors import OpenPGPError

__all__ = [
    "Entity", "Keyring", "PublicKey", "SecretKey", "Signature", "armor", "dearmor",
    "parse_packets", "read_keyring", "sign_text", "text_digest_input",
]

# Packet tags (RFC 4880 4.3).
TAG_SIGNATURE, TAG_SECRET_KEY, TAG_PUBLIC_KEY, TAG_SECRET_SUBKEY = 2, 5, 6, 7
TAG_USER_ID, TAG_PUBLIC_SUBKEY, TAG_USER_ATTRIBUTE, TAG_TRUST = 13, 14, 17, 12

# Public-key algorithms (RFC 4880 9.1, RFC 6637, RFC 9580 9.1).
ALGO_RSA, ALGO_RSA_SIGN = 1, 3
ALGO_DSA, ALGO_ECDSA, ALGO_EDDSA, ALGO_ED25519 = 17, 19, 22, 27
_FIXED_SIZE_KEYS = {25: 32, 26: 56, 28: 57}  # X25519, X448, Ed448
_RSA_ALGOS = (1, 2, 3)

# Signature types (RFC 4880 5.2.1).
SIG_BINARY, SIG_TEXT = 0x00, 0x01
SIG_CERTS = (0x10, 0x11, 0x12, 0x13)
SIG_SUBKEY_BINDING, SIG_PRIMARY_BINDING, SIG_DIRECT = 0x18, 0x19, 0x1F
SIG_KEY_REVOCATION, SIG_SUBKEY_REVOCATION, SIG_CERT_REVOCATION = 0x20, 0x28, 0x30

KEY_FLAG_CERTIFY, KEY_FLAG_SIGN = 0x01, 0x02

_HASHES: dict[int, tuple[str, type[hashes.HashAlgorithm]]] = {
    2: ("SHA1", hashes.SHA1), 8: ("SHA256", hashes.SHA256), 9: ("SHA384", hashes.SHA384),
    10: ("SHA512", hashes.SHA512), 11: ("SHA224", hashes.SHA224),
}
HASH_SHA512 = 10

# Curve OIDs (RFC 6637 11, RFC 4880bis): DER body without tag and length.
_OID_ED25519 = bytes.fromhex("2b06010401da470f01")
_EC_CURVES: dict[bytes, ec.EllipticCurve] = {
    bytes.fromhex("2a8648ce3d030107"): ec.SECP256R1(),
    bytes.fromhex("2b81040022"): ec.SECP384R1(),
    bytes.fromhex("2b81040023"): ec.SECP521R1(),
}

MAX_PACKETS = 100_000  # a keyring of many keys has thousands; this bounds hostile input


# ---------------------------------------------------------------- armour


def dearmor(data: bytes) -> list[tuple[str, bytes]]:
    """Every ASCII-armoured block in `data` -> [(label, decoded bytes)].

    Grammar (RFC 4880 6.2)::

        block   = "-----BEGIN " label "-----" EOL *(header EOL) EOL body tail
        header  = key ": " value
        body    = *(base64-line EOL) ["=" 4base64 EOL]     ; the CRC line is optional
        tail    = "-----END " label "-----"

    Text outside blocks is ignored.  A wrong CRC is an error; a missing one is not.
    """
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    out: list[tuple[str, bytes]] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not (line.startswith(b"-----BEGIN ") and line.endswith(b"-----")):
            continue
        label = line[len(b"-----BEGIN "):-5].decode("ascii", "replace")
        while i < len(lines) and lines[i].strip() and b":" in lines[i]:
            i += 1  # armour headers (Version:, Comment:, Hash: ...)
        body: list[bytes] = []
        crc: bytes | None = None
        while True:
            if i >= len(lines):
                raise OpenPGPError(f"openpgp: armoured {label} block has no END line")
            line = lines[i].strip()
            i += 1
            if line.startswith(b"-----END "):
                break
            if line.startswith(b"=") and len(line) == 5:
                crc = line[1:]
            elif line:
                body.append(line)
        try:
            decoded = base64.b64decode(b"".join(body), validate=True)
            if crc is not None and base64.b64decode(crc, validate=True) != _crc24(decoded):
                raise OpenPGPError(f"openpgp: armoured {label} block: checksum mismatch")
        except (binascii.Error, ValueError):
            raise OpenPGPError(f"openpgp: armoured {label} block is not valid base64") from None
        out.append((label, decoded))
    return out


def armor(label: str, data: bytes, checksum: bool = False) -> str:
    """Bytes -> an armoured block, 64 columns, no trailing newline (go-crypto's layout).

    go-crypto, since RFC 9580, leaves the CRC line out (`checksum=False`); helm reads
    both, gpg 2.2 needs the CRC when the data needs no base64 padding.
    """
    b64 = base64.b64encode(data).decode("ascii")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    if checksum:
        lines.append("=" + base64.b64encode(_crc24(data)).decode("ascii"))
    return "\n".join([f"-----BEGIN {label}-----", "", *lines, f"-----END {label}-----"])


def _crc24(data: bytes) -> bytes:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return (crc & 0xFFFFFF).to_bytes(3, "big")


# ---------------------------------------------------------------- packets


class _Reader:
    """Bounds-checked reads over one packet body; running short is an OpenPGPError."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data, self.pos, self.what = data, 0, what

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise OpenPGPError(f"openpgp: {self.what} is truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def byte(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def mpi(self) -> int:
        return int.from_bytes(self.mpi_bytes(), "big")

    def mpi_bytes(self) -> bytes:
        bits = self.u16()
        return self.take((bits + 7) // 8)

    def rest(self) -> bytes:
        return self.take(len(self.data) - self.pos)

    def at_end(self) -> bool:
        return self.pos >= len(self.data)


def parse_packets(data: bytes) -> list[tuple[int, bytes]]:
    """Binary OpenPGP data -> [(tag, body)].

    Grammar (RFC 4880 4.2)::

        packet     = new-header / old-header, body
        new-header = %b11 tag:6, length            ; 1, 2 or 5 octets, or partial chunks
        old-header = %b10 tag:4 ltype:2, length    ; ltype 0/1/2 = 1/2/4 octets, 3 = to the end
    """
    out: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        if len(out) >= MAX_PACKETS:
            raise OpenPGPError(f"openpgp: more than {MAX_PACKETS} packets")
        head = data[pos]
        pos += 1
        if not head & 0x80:
            raise OpenPGPError("openpgp: invalid data: tag byte does not have MSB set")
        if head & 0x40:
            tag = head & 0x3F
            body = bytearray()
            while True:
                length, partial, pos = _new_length(data, pos)
                if pos + length > len(data):
                    raise OpenPGPError(f"openpgp: packet (tag {tag}) is truncated")
                body += data[pos:pos + length]
                pos += length
                if not partial:
                    break
            out.append((tag, bytes(body)))
            continue
        tag, ltype = (head >> 2) & 0x0F, head & 0x03
        if ltype == 3:
            length = len(data) - pos
        else:
            size = (1, 2, 4)[ltype]
            if pos + size > len(data):
                raise OpenPGPError(f"openpgp: packet (tag {tag}) is truncated")
            length = int.from_bytes(data[pos:pos + size], "big")
            pos += size
        if pos + length > len(data):
            raise OpenPGPError(f"openpgp: packet (tag {tag}) is truncated")
        out.append((tag, data[pos:pos + length]))
        pos += length
    return out


def _new_length(data: bytes, pos: int) -> tuple[int, bool, int]:
    """A new-format length at `pos` -> (length, is a partial chunk, position after it)."""
    if pos >= len(data):
        raise OpenPGPError("openpgp: packet length is truncated")
    first = data[pos]
    if first < 192:
        return first, False, pos + 1
    if first < 224:
        if pos + 2 > len(data):
            raise OpenPGPError("openpgp: packet length is truncated")
        return ((first - 192) << 8) + data[pos + 1] + 192, False, pos + 2
    if first == 255:
        if pos + 5 > len(data):
            raise OpenPGPError("openpgp: packet length is truncated")
        return int.from_bytes(data[pos + 1:pos + 5], "big"), False, pos + 5
    return 1 << (first & 0x1F), True, pos + 1


def _packet(tag: int, body: bytes) -> bytes:
    """A new-format packet header + body."""
    n = len(body)
    if n < 192:
        head = bytes([n])
    elif n < 8384:
        n -= 192
        head = bytes([(n >> 8) + 192, n & 0xFF])
    else:
        head = b"\xff" + len(body).to_bytes(4, "big")
    return bytes([0xC0 | tag]) + head + body


# ---------------------------------------------------------------- keys


@dataclass
class PublicKey:
    """A v4 public key or subkey packet: algorithm parameters, fingerprint and key ID."""

    body: bytes
    created: int
    algo: int
    params: dict[str, Any]
    fingerprint: bytes
    params_end: int  # where the public part ends inside a secret-key packet body

    @property
    def key_id(self) -> bytes:
        return self.fingerprint[-8:]

    def hash_prefix(self) -> bytes:
        """The key as it enters a key signature's hash (RFC 4880 5.2.4)."""
        return b"\x99" + len(self.body).to_bytes(2, "big") + self.body

    def verify(self, sig: Signature, digest: bytes) -> bool:
        """Whether the signature's values are this key's signature over `digest`."""
        hash_cls = _hash_class(sig.hash_algo)
        try:
            if self.algo in _RSA_ALGOS:
                pub = rsa.RSAPublicNumbers(self.params["e"], self.params["n"]).public_key()
                size = (pub.key_size + 7) // 8
                value = sig.values[0].rjust(size, b"\0")
                pub.verify(value, digest, padding.PKCS1v15(), Prehashed(hash_cls()))
            elif self.algo in (ALGO_EDDSA, ALGO_ED25519):
                r, s = sig.values
                ed = ed25519.Ed25519PublicKey.from_public_bytes(self.params["point"])
                ed.verify(r.rjust(32, b"\0") + s.rjust(32, b"\0"), digest)
            elif self.algo == ALGO_DSA:
                ri, si = (int.from_bytes(v, "big") for v in sig.values)
                p = self.params
                pub_dsa = dsa.DSAPublicNumbers(
                    p["y"], dsa.DSAParameterNumbers(p["p"], p["q"], p["g"])).public_key()
                # OpenSSL cuts the hash to q's length, as go-crypto does before Go's dsa
                pub_dsa.verify(encode_dss_signature(ri, si), digest, Prehashed(hash_cls()))
            elif self.algo == ALGO_ECDSA:
                ri, si = (int.from_bytes(v, "big") for v in sig.values)
                pub_ec = ec.EllipticCurvePublicKey.from_encoded_point(
                    self.params["curve"], self.params["point"])
                pub_ec.verify(encode_dss_signature(ri, si), digest,
                              ec.ECDSA(Prehashed(hash_cls())))
            else:
                return False
        except (InvalidSignature, ValueError, UnsupportedAlgorithm, TypeError):
            return False
        return True


def _parse_public(body: bytes, what: str) -> PublicKey:
    """Public-key packet body (RFC 4880 5.5.2, RFC 6637 9, RFC 9580 5.5.5)::

        v4-key = %x04 created:4 algo:1 params
        params = RSA: n e / DSA: p q g y / ElGamal: p g y / ECDSA, EdDSA: oid point
               / ECDH: oid point kdf / X25519, Ed25519, X448, Ed448: fixed-size octets

    Keys we cannot sign or verify with (ElGamal, ECDH, X25519, other curves ...)
    are read, so the packet's end is known, and marked unsupported.
    """
    r = _Reader(body, what)
    version = r.byte()
    if version != 4:
        raise OpenPGPError(f"openpgp: {what}: unsupported key version {version} (only v4 keys)")
    created, algo = r.u32(), r.byte()
    params: dict[str, Any] = {}
    if algo in _RSA_ALGOS:
        params["n"], params["e"] = r.mpi(), r.mpi()
    elif algo == ALGO_DSA:
        params.update(p=r.mpi(), q=r.mpi(), g=r.mpi(), y=r.mpi())
    elif algo in (16, 20):  # ElGamal: encryption only
        r.mpi(), r.mpi(), r.mpi()
        params["unsupported"] = True
    elif algo in (ALGO_ECDSA, ALGO_EDDSA, 18):
        oid = r.take(r.byte())
        point = r.mpi_bytes()
        if algo == ALGO_EDDSA:
            if oid != _OID_ED25519 or len(point) != 33 or point[0] != 0x40:
                params["unsupported"] = True
            params["point"] = point[1:]
        elif algo == ALGO_ECDSA:
            curve = _EC_CURVES.get(oid)
            params.update(curve=curve, point=point, unsupported=curve is None)
        else:  # ECDH (encryption only): skip its KDF parameters
            r.take(r.byte())
            params["unsupported"] = True
    elif algo == ALGO_ED25519:
        params["point"] = r.take(32)
    elif algo in _FIXED_SIZE_KEYS:
        r.take(_FIXED_SIZE_KEYS[algo])
        params["unsupported"] = True
    else:
        raise OpenPGPError(f"openpgp: {what}: unsupported public-key algorithm {algo}")
    pub_body = body[:r.pos]
    return PublicKey(pub_body, created, algo, params, _fingerprint(pub_body), r.pos)


def _fingerprint(pub_body: bytes) -> bytes:
    return hashlib.sha1(b"\x99" + len(pub_body).to_bytes(2, "big") + pub_body).digest()


@dataclass
class SecretKey:
    """The secret half of a key packet; `decrypt` turns protected material into a signer."""

    public: PublicKey
    usage: int  # S2K usage octet: 0 clear, 254/255 S2K-protected
    raw: bytes  # everything after the public part
    material: dict[str, int | bytes] | None = None  # set when in the clear or decrypted

    @property
    def encrypted(self) -> bool:
        return self.material is None

    @property
    def is_stub(self) -> bool:
        """gpg's "secret key not here" marker (GNU S2K extension 101, e.g. a smartcard key)."""
        return self.usage in (254, 255) and len(self.raw) > 2 and self.raw[2] == 101

    def decrypt(self, passphrase: bytes) -> None:
        """Unlock S2K-protected secret material.

        Grammar (RFC 4880 5.5.3)::

            protected = usage:1 (%xFE / %xFF) cipher:1 s2k iv encrypted
            s2k       = %x00 hash / %x01 hash salt:8 / %x03 hash salt:8 count:1
        """
        if self.material is not None:
            return
        r = _Reader(self.raw, "secret key")
        r.byte()  # usage
        cipher_id = r.byte()
        s2k_type = r.byte()
        if s2k_type == 101:
            raise OpenPGPError("openpgp: the secret key is a gpg stub (its secret part is not in the "
                               "keyring, e.g. it lives on a smartcard)")
        hash_id = r.byte()
        salt = b""
        count = 0
        if s2k_type in (1, 3):
            salt = r.take(8)
        if s2k_type == 3:
            c = r.byte()
            count = (16 + (c & 15)) << ((c >> 4) + 6)
        elif s2k_type not in (0, 1):
            raise OpenPGPError(f"openpgp: unsupported S2K type {s2k_type}")
        algo_cls, key_len, block = _cipher(cipher_id)
        iv = r.take(block)
        key = _s2k(_hash_name(hash_id), passphrase, salt, count, key_len)
        plain = _cfb_decrypt(algo_cls(key), iv, r.rest())
        if self.usage == 254:
            body, check = plain[:-20], plain[-20:]
            ok = len(plain) >= 20 and hashlib.sha1(body).digest() == check
        else:
            body, check = plain[:-2], plain[-2:]
            ok = len(plain) >= 2 and (sum(body) & 0xFFFF).to_bytes(2, "big") == check
        if not ok:
            raise OpenPGPError("openpgp: invalid data: private key checksum failure")
        self.material = _secret_material(self.public, body)

    def sign(self, digest: bytes, hash_algo: int) -> list[bytes]:
        """The signature values (MPIs as bytes) over a prepared digest."""
        if self.material is None:
            raise OpenPGPError("openpgp: the private key is still encrypted")
        pub = self.public
        hash_cls = _hash_class(hash_algo)
        if pub.algo in _RSA_ALGOS:
            m = self.material
            p, q, d = int(m["p"]), int(m["q"]), int(m["d"])
            numbers = rsa.RSAPrivateNumbers(
                p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(pub.params["e"], pub.params["n"]))
            try:
                key = numbers.private_key()
            except ValueError as e:
                raise OpenPGPError(f"openpgp: invalid RSA secret key: {e}") from None
            return [key.sign(digest, padding.PKCS1v15(), Prehashed(hash_cls()))]
        if pub.algo in (ALGO_EDDSA, ALGO_ED25519):
            seed = bytes(self.material["seed"])  # type: ignore[arg-type]
            raw = ed25519.Ed25519PrivateKey.from_private_bytes(seed.rjust(32, b"\0")).sign(digest)
            return [raw[:32], raw[32:]]
        if pub.algo == ALGO_DSA:
            kp = pub.params
            dsa_key = dsa.DSAPrivateNumbers(int(self.material["x"]), dsa.DSAPublicNumbers(
                kp["y"], dsa.DSAParameterNumbers(kp["p"], kp["q"], kp["g"]))).private_key()
            der = dsa_key.sign(digest, Prehashed(hash_cls()))
            r, s = decode_dss_signature(der)
            return [_int_bytes(r), _int_bytes(s)]
        if pub.algo == ALGO_ECDSA:
            priv = ec.derive_private_key(int(self.material["d"]), pub.params["curve"])
            r, s = decode_dss_signature(priv.sign(digest, ec.ECDSA(Prehashed(hash_cls()))))
            return [_int_bytes(r), _int_bytes(s)]
        raise OpenPGPError(f"openpgp: cannot sign with public-key algorithm {pub.algo}")


def _secret_material(pub: PublicKey, body: bytes) -> dict[str, int | bytes]:
    r = _Reader(body, "secret key material")
    if pub.algo in _RSA_ALGOS:
        d, p, q = r.mpi(), r.mpi(), r.mpi()
        return {"d": d, "p": p, "q": q}
    if pub.algo == ALGO_EDDSA:
        return {"seed": r.mpi_bytes()}
    if pub.algo == ALGO_ED25519:
        return {"seed": r.take(32)}
    if pub.algo == ALGO_ECDSA:
        return {"d": r.mpi()}
    if pub.algo == ALGO_DSA:
        return {"x": r.mpi()}
    return {}


def _cipher(cipher_id: int) -> tuple[Any, int, int]:
    """Symmetric algorithm id (RFC 4880 9.2) -> (cryptography class, key bytes, block bytes)."""
    if cipher_id in (7, 8, 9):
        return algorithms.AES, {7: 16, 8: 24, 9: 32}[cipher_id], 16
    if cipher_id in (2, 3):
        old: Any
        try:
            from cryptography.hazmat.decrepit.ciphers import algorithms as decrepit
            old = decrepit
        except ImportError:  # cryptography < 43 still has them in the main module
            old = algorithms
        if cipher_id == 2:
            return old.TripleDES, 24, 8
        return old.CAST5, 16, 8
    raise OpenPGPError(f"openpgp: unsupported cipher {cipher_id} protecting the secret key")


def _cfb_decrypt(algo: Any, iv: bytes, data: bytes) -> bytes:
    """Plain CFB (what secret-key protection uses, RFC 4880 5.5.3) built on ECB, since
    cryptography moves its CFB mode out to the "decrepit" corner (deprecated in 48)."""
    enc = Cipher(algo, modes.ECB()).encryptor()
    size = len(iv)
    out = bytearray()
    prev = iv
    for i in range(0, len(data), size):
        chunk = data[i:i + size]
        stream = enc.update(prev)
        out += bytes(a ^ b for a, b in zip(chunk, stream))
        prev = chunk
    return bytes(out)


def _s2k(hash_name: str, passphrase: bytes, salt: bytes, count: int, key_len: int) -> bytes:
    """String-to-key (RFC 4880 3.7.1): as many hash contexts as the key needs, each preloaded
    with one more zero octet; iterated mode hashes salt+passphrase repeated up to `count`."""
    data = salt + passphrase
    out = b""
    prefix = 0
    while len(out) < key_len:
        h = hashlib.new(hash_name)
        h.update(b"\0" * prefix)
        if count and len(data):
            # up to 65 MB of hashing (the largest coded count): in blocks, not one string
            total = max(count, len(data))
            block = data * max(1, (1 << 16) // len(data))
            while total >= len(block):
                h.update(block)
                total -= len(block)
            h.update((data * (total // len(data) + 1))[:total])
        else:
            h.update(data)
        out += h.digest()
        prefix += 1
    return out[:key_len]


def _hash_name(hash_id: int) -> str:
    name = {1: "md5", 2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}.get(hash_id)
    if name is None:
        raise OpenPGPError(f"openpgp: unsupported hash algorithm {hash_id}")
    return name


def _hash_class(hash_id: int) -> type[hashes.HashAlgorithm]:
    if hash_id not in _HASHES:
        raise OpenPGPError(f"openpgp: unsupported hash algorithm {hash_id}")
    return _HASHES[hash_id][1]


def _int_bytes(n: int) -> bytes:
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")


def _mpi(value: bytes) -> bytes:
    value = value.lstrip(b"\0") or b"\0"
    bits = len(value) * 8 - (8 - value[0].bit_length()) if value[0] else 0
    return bits.to_bytes(2, "big") + value


# ---------------------------------------------------------------- signatures


@dataclass
class Signature:
    """A v4 signature packet (RFC 4880 5.2.3), its subpackets decoded as far as we use them."""

    sig_type: int
    pub_algo: int
    hash_algo: int
    hashed: bytes  # version .. end of the hashed subpackets: the part the hash covers
    left16: bytes
    values: list[bytes]
    created: int | None = None
    expires: int | None = None  # signature lifetime in seconds (0 or None: never)
    key_expires: int | None = None  # key lifetime in seconds from the key's creation
    issuer: bytes | None = None
    key_flags: int | None = None
    primary_uid: bool = False
    embedded: Signature | None = None

    def trailer(self) -> bytes:
        return self.hashed + b"\x04\xff" + len(self.hashed).to_bytes(4, "big")

    def digest(self, data: bytes) -> bytes:
        """Hash of the signed data, this packet's hashed part and the v4 trailer."""
        h = hashlib.new(_HASHES[self.hash_algo][0] if self.hash_algo in _HASHES
                        else _hash_name(self.hash_algo))
        h.update(data)
        h.update(self.trailer())
        return h.digest()

    def check(self, key: PublicKey, data: bytes) -> bool:
        if self.pub_algo != key.algo or key.params.get("unsupported"):
            return False
        try:
            digest = self.digest(data)
        except OpenPGPError:
            return False
        # go-crypto does not compare the 16-bit hash tag of v4 signatures; neither do we
        return key.verify(self, digest)

    def expired(self, now: int) -> bool:
        """go-crypto's SigExpired: made in the future, or past its lifetime."""
        if self.created is not None and self.created > now:
            return True
        return bool(self.expires) and (self.created or 0) + (self.expires or 0) < now


def parse_signature(body: bytes, nested: bool = True) -> Signature:
    """Signature packet body (RFC 4880 5.2.3)::

        v4-sig     = %x04 type:1 pubalgo:1 hash:1 hashed-len:2 subpackets
                     unhashed-len:2 subpackets left16:2 mpis
        subpacket  = length (1, 2 or 5 octets) type:1 data      ; bit 7 of type: critical

    An embedded signature (subpacket 32) is read one level deep only.
    """
    r = _Reader(body, "signature packet")
    version = r.byte()
    if version != 4:
        raise OpenPGPError(f"openpgp: unsupported signature version {version} (only v4 signatures)")
    sig_type, pub_algo, hash_algo = r.byte(), r.byte(), r.byte()
    hashed_sub = r.take(r.u16())
    hashed = body[:r.pos]
    unhashed_sub = r.take(r.u16())
    left16 = r.take(2)
    if pub_algo in _RSA_ALGOS:
        values = [r.mpi_bytes()]
    elif pub_algo in (ALGO_EDDSA, ALGO_ECDSA, ALGO_DSA):
        values = [r.mpi_bytes(), r.mpi_bytes()]
    elif pub_algo == ALGO_ED25519:
        raw = r.take(64)
        values = [raw[:32], raw[32:]]
    else:
        values = [r.rest()]
    sig = Signature(sig_type, pub_algo, hash_algo, hashed, left16, values)
    for sub_type, data in _subpackets(hashed_sub):
        _apply_subpacket(sig, sub_type, data, True, nested)
    for sub_type, data in _subpackets(unhashed_sub):
        _apply_subpacket(sig, sub_type, data, False, nested)
    return sig


def _subpackets(data: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos < len(data):
        first = data[pos]
        if first < 192:
            length, pos = first, pos + 1
        elif first < 255:
            if pos + 2 > len(data):
                raise OpenPGPError("openpgp: signature subpacket is truncated")
            length, pos = ((first - 192) << 8) + data[pos + 1] + 192, pos + 2
        else:
            if pos + 5 > len(data):
                raise OpenPGPError("openpgp: signature subpacket is truncated")
            length, pos = int.from_bytes(data[pos + 1:pos + 5], "big"), pos + 5
        if length == 0 or pos + length > len(data):
            raise OpenPGPError("openpgp: signature subpacket is truncated")
        yield data[pos] & 0x7F, data[pos + 1:pos + length]
        pos += length


def _apply_subpacket(sig: Signature, sub_type: int, data: bytes, hashed: bool,
                     nested: bool) -> None:
    """Subpackets we use (RFC 4880 5.2.3.1); outside the hashed area only the issuer counts."""
    if sub_type == 16 and len(data) == 8:
        sig.issuer = sig.issuer or data
    elif sub_type == 33 and len(data) >= 9:
        sig.issuer = sig.issuer or data[-8:]  # issuer fingerprint: v4 key ID is its tail
    elif sub_type == 32 and nested:
        try:
            sig.embedded = parse_signature(data, nested=False)
        except OpenPGPError:
            sig.embedded = None
    if not hashed:
        return
    if sub_type == 2 and len(data) == 4:
        sig.created = int.from_bytes(data, "big")
    elif sub_type == 3 and len(data) == 4:
        sig.expires = int.from_bytes(data, "big")
    elif sub_type == 9 and len(data) == 4:
        sig.key_expires = int.from_bytes(data, "big")
    elif sub_type == 27 and data:
        sig.key_flags = data[0]
    elif sub_type == 25 and data:
        sig.primary_uid = data[0] != 0


def text_digest_input(text: bytes) -> bytes:
    """Canonical text (RFC 4880 5.2.1, type 0x01): every line ending becomes CRLF."""
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def sign_text(key: SecretKey, canonical: bytes, now: int, hash_algo: int = HASH_SHA512) -> bytes:
    """A v4 canonical-text signature packet over `canonical` made with `key`.

    Hashed subpackets: creation time, issuer fingerprint; unhashed: issuer key ID
    (what gpg writes; go-crypto puts the key ID in the hashed area, both verify).
    """
    pub = key.public
    hashed_sub = (_subpacket(2, now.to_bytes(4, "big"))
                  + _subpacket(33, b"\x04" + pub.fingerprint))
    hashed = bytes([4, SIG_TEXT, pub.algo, hash_algo]) + len(hashed_sub).to_bytes(2, "big") \
        + hashed_sub
    unhashed_sub = _subpacket(16, pub.key_id)
    sig = Signature(SIG_TEXT, pub.algo, hash_algo, hashed, b"", [])
    digest = sig.digest(canonical)
    values = key.sign(digest, hash_algo)
    body = hashed + len(unhashed_sub).to_bytes(2, "big") + unhashed_sub + digest[:2] \
        + b"".join(_mpi(v) for v in values)
    return _packet(TAG_SIGNATURE, body)


def _subpacket(sub_type: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, sub_type]) + data


# ---------------------------------------------------------------- entities and keyrings


@dataclass
class Identity:
    """A user ID and the primary key's valid self-signatures and revocations over it."""

    name: str
    self_sigs: list[Signature] = field(default_factory=list)
    revoked: bool = False

    def latest(self) -> Signature | None:
        return max(self.self_sigs, key=lambda s: s.created or 0, default=None)


@dataclass
class Subkey:
    key: PublicKey
    secret: SecretKey | None
    binding: Signature | None = None
    revoked: bool = False


@dataclass
class Entity:
    """One key as gpg exports it: primary key, identities, subkeys, revocations."""

    primary: PublicKey
    secret: SecretKey | None
    identities: list[Identity] = field(default_factory=list)
    subkeys: list[Subkey] = field(default_factory=list)
    revoked: bool = False

    def primary_identity(self) -> Identity | None:
        """go-crypto's choice: non-revoked first, then marked primary, then newest self-sig."""
        good = [i for i in self.identities if i.self_sigs]
        if not good:
            return None

        def rank(i: Identity) -> tuple[bool, bool, int]:
            sig = i.latest()
            assert sig is not None
            return (not i.revoked, sig.primary_uid, sig.created or 0)
        return max(good, key=rank)

    def primary_self_signature(self) -> Signature | None:
        ident = self.primary_identity()
        return ident.latest() if ident else None

    def signing_keys(self, key_id: bytes) -> list[tuple[PublicKey, Signature | None, bool]]:
        """go-crypto's KeysByIdUsage(id, sign): (key, its self-signature, is a subkey) for keys
        with that ID whose self-signature carries key flags that allow signing."""
        out: list[tuple[PublicKey, Signature | None, bool]] = []
        if self.primary.key_id == key_id:
            sig = self.primary_self_signature()
            if sig is not None and sig.key_flags is not None and sig.key_flags & KEY_FLAG_SIGN:
                out.append((self.primary, sig, False))
        for sub in self.subkeys:
            b = sub.binding
            if sub.key.key_id == key_id and b is not None and b.key_flags is not None \
                    and b.key_flags & KEY_FLAG_SIGN:
                out.append((sub.key, b, True))
        return out

    def key_expired(self, key: PublicKey, sig: Signature | None, now: int) -> bool:
        """go-crypto's KeyExpired: made in the future, or past the self-signature's lifetime."""
        if key.created > now:
            return True
        if sig is None or not sig.key_expires:
            return False
        return key.created + sig.key_expires < now


@dataclass
class Keyring:
    entities: list[Entity]

    def find(self, name: str) -> Entity | None:
        """helm's NewFromKeyring lookup: an exact user ID wins; else the one user ID that
        contains `name` (a second containing ID, even of the same key, is ambiguous)."""
        candidate: Entity | None = None
        vague = False
        for e in self.entities:
            for ident in e.identities:
                if ident.name == name:
                    return e
                if name in ident.name:
                    if candidate is not None:
                        vague = True
                    candidate = e
        if vague:
            raise OpenPGPError(f'more than one key contain the id "{name}"')
        return candidate


def read_keyring(data: bytes) -> Keyring:
    """Keyring bytes (binary packets, or one or more armoured blocks) -> entities.

    Grammar of one entity (RFC 4880 11.1, 11.2)::

        entity = (public-key / secret-key) *signature
                 *(user-id *signature / user-attribute *signature)
                 *((public-subkey / secret-subkey) *signature)

    Trust packets are skipped.  Signatures that do not verify are dropped, as
    go-crypto does; an entity with no valid identity is dropped too.
    """
    stripped = data.lstrip()
    if stripped.startswith(b"-----BEGIN "):
        blocks = dearmor(stripped)
        if not blocks:
            raise OpenPGPError("openpgp: invalid data: no armoured block")
        packets = [p for _, block in blocks for p in parse_packets(block)]
    else:
        packets = parse_packets(data)
    groups: list[list[tuple[int, bytes]]] = []
    for tag, body in packets:
        if tag == TAG_TRUST:
            continue
        if tag in (TAG_PUBLIC_KEY, TAG_SECRET_KEY):
            groups.append([])
        elif not groups:
            raise OpenPGPError(f"openpgp: invalid data: first packet was not a key (tag {tag})")
        groups[-1].append((tag, body))
    entities: list[Entity] = []
    first_error: OpenPGPError | None = None
    for group in groups:
        try:
            _add_entity(entities, group)
        except OpenPGPError as e:
            # go-crypto's ReadKeyRing skips a key it cannot read and goes on with the rest
            first_error = first_error or e
    if not entities:
        raise first_error or OpenPGPError("openpgp: no keys found in the keyring")
    return Keyring(entities)


def _key_packet(tag: int, body: bytes) -> tuple[PublicKey, SecretKey | None]:
    what = "secret key packet" if tag in (TAG_SECRET_KEY, TAG_SECRET_SUBKEY) else "key packet"
    pub = _parse_public(body, what)
    if tag not in (TAG_SECRET_KEY, TAG_SECRET_SUBKEY):
        return pub, None
    raw = body[pub.params_end:]
    if not raw:
        raise OpenPGPError("openpgp: secret key packet is truncated")
    usage = raw[0]
    secret = SecretKey(pub, usage, raw)
    if usage == 0:
        clear, check = raw[1:-2], raw[-2:]
        if len(raw) < 3 or (sum(clear) & 0xFFFF).to_bytes(2, "big") != check:
            raise OpenPGPError("openpgp: invalid data: private key checksum failure")
        if not pub.params.get("unsupported"):
            secret.material = _secret_material(pub, clear)
    elif usage not in (254, 255):
        raise OpenPGPError(f"openpgp: unsupported secret key protection (S2K usage {usage})")
    return pub, secret


def _add_entity(entities: list[Entity], packets: list[tuple[int, bytes]]) -> None:
    tag, body = packets[0]
    primary, secret = _key_packet(tag, body)
    entity = Entity(primary, secret)
    prefix = primary.hash_prefix()
    target: Identity | Subkey | None = None
    skip = False  # inside a user attribute or an unusable subkey
    uid_bytes = b""
    for tag, body in packets[1:]:
        if tag == TAG_USER_ID:
            target, skip = Identity(body.decode("utf-8", "replace")), False
            entity.identities.append(target)
            uid_bytes = body
        elif tag == TAG_USER_ATTRIBUTE:
            target, skip = None, True
        elif tag in (TAG_PUBLIC_SUBKEY, TAG_SECRET_SUBKEY):
            try:
                sub_pub, sub_secret = _key_packet(tag, body)
            except OpenPGPError:
                target, skip = None, True
                continue
            target, skip = Subkey(sub_pub, sub_secret), False
            entity.subkeys.append(target)
        elif tag == TAG_SIGNATURE and not skip:
            try:
                sig = parse_signature(body)
            except OpenPGPError:
                continue  # go-crypto skips unreadable signatures too
            if target is None:
                _direct_signature(entity, sig, prefix)
            elif isinstance(target, Identity):
                _uid_signature(target, sig, prefix, uid_bytes, primary)
            else:
                _subkey_signature(target, sig, prefix, primary)
    entity.identities = [i for i in entity.identities if i.self_sigs]
    if not entity.identities:
        raise OpenPGPError("openpgp: invalid data: entity without any identities")
    if any(s.binding is None for s in entity.subkeys):
        raise OpenPGPError("openpgp: invalid data: subkey packet not followed by signature")
    entities.append(entity)


# go-crypto (v1 API, helm's) is strict about a key's own signatures: one that does not
# verify, or of the wrong type, makes it skip the whole key; so do we.


def _direct_signature(entity: Entity, sig: Signature, prefix: bytes) -> None:
    if sig.sig_type != SIG_KEY_REVOCATION:
        return  # direct-key signatures: their preferences are not used here
    if not sig.check(entity.primary, prefix):
        raise OpenPGPError("openpgp: invalid data: revocation signature signed by alternate key")
    entity.revoked = True


def _uid_signature(ident: Identity, sig: Signature, prefix: bytes, uid: bytes,
                   primary: PublicKey) -> None:
    if sig.sig_type not in (*SIG_CERTS, SIG_CERT_REVOCATION):
        raise OpenPGPError("openpgp: invalid data: user ID signature with wrong type")
    if sig.issuer != primary.key_id:
        return  # a certification by someone else: not used for validity
    signed = prefix + b"\xb4" + len(uid).to_bytes(4, "big") + uid
    if not sig.check(primary, signed):
        raise OpenPGPError("openpgp: invalid data: user ID self-signature invalid")
    if sig.sig_type == SIG_CERT_REVOCATION:
        ident.revoked = True
    else:
        ident.self_sigs.append(sig)


def _subkey_signature(sub: Subkey, sig: Signature, prefix: bytes, primary: PublicKey) -> None:
    if sig.sig_type not in (SIG_SUBKEY_BINDING, SIG_SUBKEY_REVOCATION):
        raise OpenPGPError("openpgp: invalid data: subkey signature with wrong type")
    signed = prefix + sub.key.hash_prefix()
    if not sig.check(primary, signed):
        raise OpenPGPError("openpgp: invalid data: subkey signature invalid")
    if sig.sig_type == SIG_SUBKEY_REVOCATION:
        sub.revoked = True
        return
    if sig.key_flags is not None and sig.key_flags & KEY_FLAG_SIGN:
        # a signing subkey must sign back (RFC 4880 5.2.1, type 0x19)
        back = sig.embedded
        if back is None or back.sig_type != SIG_PRIMARY_BINDING \
                or not back.check(sub.key, signed):
            raise OpenPGPError("openpgp: invalid data: signing subkey is missing cross-signature")
    if sub.binding is None or (sig.created or 0) > (sub.binding.created or 0):
        sub.binding = sig


def signature_packets(data: bytes) -> list[Signature]:
    """Binary signature data (the armoured part of a .prov, decoded) -> its signatures."""
    out: list[Signature] = []
    for tag, body in parse_packets(data):
        if tag != TAG_SIGNATURE:
            raise OpenPGPError("openpgp: non signature packet found")
        out.append(parse_signature(body))
    return out

