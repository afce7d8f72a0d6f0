"""Sprig's hashing, password, AES and random functions (crypto.go, strings.go) for templates.

Hashes work on the Go string's bytes.  Sprig reports several failures as the
*result string* rather than an error ("cannot find password template x",
"invalid username: a:b", "failed to encrypt string with bcrypt: ...").
helm 4.1.4 vendors Sprig v3.3.0, whose htpasswd takes (user, password) and
always uses bcrypt.  Key generation and certificates live in funcs/certs.py.
The `cryptography` and `bcrypt` packages are imported inside the functions
that need them, to keep start-up fast.
"""

from __future__ import annotations

import base64
import os
import struct
import zlib

from minihelm._core.limits import check_output_size
from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gostr import from_bytes, to_bytes

# CPython's own hash modules, by version: hashlib would load OpenSSL first
# (~2.5 ms), which a render that only checksums its config maps need not pay.
_BUILTIN_HASHES = {"sha1": ("_sha1",), "sha256": ("_sha2", "_sha256"), "sha512": ("_sha2", "_sha512")}


def _hexdigest(name: str, data: bytes) -> str:
    for module in _BUILTIN_HASHES[name]:
        try:
            return str(getattr(__import__(module), name)(data).hexdigest())
        except (ImportError, AttributeError):
            continue  # another Python version's module, or a build without it
    import hashlib

    return hashlib.new(name, data).hexdigest()


@gofunc("sha1sum", "string")
def sha1sum(s: str) -> str:
    return _hexdigest("sha1", to_bytes(s))


@gofunc("sha256sum", "string")
def sha256sum(s: str) -> str:
    return _hexdigest("sha256", to_bytes(s))


@gofunc("sha512sum", "string")
def sha512sum(s: str) -> str:
    return _hexdigest("sha512", to_bytes(s))


@gofunc("adler32sum", "string")
def adler32sum(s: str) -> str:
    return str(zlib.adler32(to_bytes(s)))


@gofunc("bcrypt", "string", hermetic=False)
def bcrypt_hash(s: str) -> str:
    import bcrypt as _bcrypt

    password = to_bytes(s)
    # x/crypto/bcrypt refuses long passwords rather than truncating them.
    if len(password) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    # Go writes the "$2a$" variant at DefaultCost 10.
    salt = _bcrypt.gensalt(rounds=10, prefix=b"2a")
    return from_bytes(_bcrypt.hashpw(password, salt))


@gofunc("htpasswd", "string, string", hermetic=False)
def htpasswd(username: str, password: str) -> str:
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{bcrypt_hash(password)}"


# --- derivePassword: the Master Password algorithm (com.lyndir.masterpassword) ------------------

_MP_SEED = b"com.lyndir.masterpassword"
_MP_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": (
        "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
        "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}
_MP_CHARS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}


@gofunc("derivePassword", "uint32, string, string, string, string")
def derive_password(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    templates = _MP_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    import hashlib
    import hmac

    user_b, site_b = to_bytes(user), to_bytes(site)
    salt = _MP_SEED + struct.pack(">I", len(user_b)) + user_b
    key = hashlib.scrypt(to_bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64,
                         maxmem=64 * 1024 * 1024)
    message = _MP_SEED + struct.pack(">I", len(site_b)) + site_b + struct.pack(">I", counter)
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    return "".join(
        _MP_CHARS[c][seed[i + 1] % len(_MP_CHARS[c])] for i, c in enumerate(template)
    )


# --- AES (Sprig's format: AES-256-CBC, key = password bytes zero-padded/cut to 32,
# --- PKCS#7 padding, random IV prepended, standard base64) -----------------------------------

def _aes_key(password: str) -> bytes:
    return to_bytes(password)[:32].ljust(32, b"\0")


@gofunc("encryptAES", "string, string", hermetic=False)
def encrypt_aes(password: str, plaintext: str) -> str:
    if plaintext == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    content = to_bytes(plaintext)
    pad = 16 - len(content) % 16
    content += bytes([pad]) * pad
    iv = os.urandom(16)  # secrets.token_bytes
    enc = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(content) + enc.finalize()).decode("ascii")


@gofunc("decryptAES", "string, string")
def decrypt_aes(password: str, crypt64: str) -> str:
    if crypt64 == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    # deferred: only decrypt_aes() needs it: 1 module this one does not otherwise load
    from minihelm.funcs.encoding import _b64decode, _Corrupt

    try:
        crypt = _b64decode(to_bytes(crypt64))
    except _Corrupt as e:
        raise GoFuncError(f"illegal base64 data at input byte {e.offset}") from None
    # The slicing and CryptBlocks below panic in Go on short or ragged input.
    if len(crypt) < 16:
        # Go's DecodeString buffer is DecodedLen(len(s)) = len(s)/4*3 bytes.
        capacity = len(to_bytes(crypt64)) // 4 * 3
        raise GoFuncError(f"runtime error: slice bounds out of range [:16] with capacity {capacity}")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise GoFuncError("crypto/cipher: input not full blocks")
    if not body:
        raise GoFuncError("runtime error: index out of range [-1]")
    dec = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    plain = dec.update(body) + dec.finalize()
    # Sprig strips as many bytes as the last byte says, without checking the padding.
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoFuncError(f"runtime error: slice bounds out of range [:{end}]")
    return from_bytes(plain[:end])


# --- random strings (goutils' CryptoRandom*: uniform over the alphabet) ----------------------

def _random_string(count: int, alphabet: str) -> str:
    """count characters drawn uniformly from an ASCII alphabet, from the OS's random bytes.

    A count past the output budget fails at once, as `repeat` does (helm itself
    runs out of memory on `randAlphaNum 1000000000`).  The bytes are mapped in
    bulk: those at or above the largest multiple of len(alphabet) are dropped
    (so every character is equally likely), the rest are taken modulo it.
    """
    # A negative count is an error that Sprig drops, leaving "".
    if count <= 0:
        return ""
    check_output_size(count)
    table, drop = _byte_map(alphabet)
    out = bytearray()
    while len(out) < count:
        want = count - len(out)
        out += os.urandom(want + want // 4 + 16).translate(None, drop)
    return out[:count].translate(table).decode("ascii")


def _byte_map(alphabet: str) -> tuple[bytes, bytes]:
    """(translation table byte -> alphabet character, bytes to drop) for _random_string."""
    n = len(alphabet)
    keep = 256 - 256 % n
    table = bytes(ord(alphabet[b % n]) for b in range(256))
    return table, bytes(range(keep, 256))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_ALNUM = _LETTERS + _DIGITS
_ASCII = "".join(chr(c) for c in range(32, 127))


@gofunc("randAlphaNum", "int", hermetic=False)
def rand_alpha_num(count: int) -> str:
    return _random_string(count, _ALNUM)


@gofunc("randAlpha", "int", hermetic=False)
def rand_alpha(count: int) -> str:
    return _random_string(count, _LETTERS)


@gofunc("randNumeric", "int", hermetic=False)
def rand_numeric(count: int) -> str:
    return _random_string(count, _DIGITS)


@gofunc("randAscii", "int", hermetic=False)
def rand_ascii(count: int) -> str:
    return _random_string(count, _ASCII)


@gofunc("randBytes", "int", hermetic=False)
def rand_bytes(count: int) -> str:
    if count < 0:
        raise GoFuncError("runtime error: makeslice: len out of range")
    check_output_size((count + 2) // 3 * 4)  # the base64 text it returns
    return base64.b64encode(os.urandom(count)).decode("ascii")


@gofunc("uuidv4", "", hermetic=False)
def uuidv4() -> str:
    import uuid  # only here: importing it costs every render 1.6 ms

    return str(uuid.uuid4())
