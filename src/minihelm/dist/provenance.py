"""A chart archive + keyring -> helm's `.prov` (clear-signed Chart.yaml and sha256), and back to a verdict.

Fed by the packager (archive bytes to sign), pull and dependency update
(archives and .prov files to check) and the CLI (keyring paths, key names,
passphrases); feeds them the .prov text and a `Verification` whose lines are
the ones `helm verify` prints.  The OpenPGP work is in openpgp.py.

The signed text is helm's pkg/provenance messageBlock, byte for byte::

    <Chart.yaml as helm marshals the archive's metadata>
    <blank line>
    ...
    files:
      <archive file name>: sha256:<hex digest of the archive>

clear-signed the way ProtonMail/go-crypto writes it: a `Hash: SHA512` header,
the text dash-escaped with trailing blanks dropped, a blank line, then the
armoured signature without a final newline.  Unlike go-crypto we keep the
armour's CRC line: gpg 2.2 rejects ("no valid OpenPGP data found") a
CRC-less armour whose data length is a multiple of 3, i.e. one without `=`
padding; helm reads either.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..chart.archive import read_archive
from ..chart.loader import load_files
from ..errors import MinihelmError, OpenPGPError, ProvenanceError
from ..goyaml.yamlimport import yaml
from . import openpgp
from .openpgp import Entity, Keyring, SecretKey
from .package import dump_go_yaml, metadata_doc

__all__ = [
    "Signer", "Verification", "chart_metadata_yaml", "chart_signer", "clearsign", "decode_clearsigned", "default_keyring",
    "load_keyring", "message_block", "read_passphrase_file", "verify_archive", "verify_chart",
]

PROV_SUFFIX = ".prov"
_START = b"-----BEGIN PGP SIGNED MESSAGE-----"
_SIG_START = b"-----BEGIN PGP SIGNATURE-----"
_SIG_END = b"-----END PGP SIGNATURE-----"
_ALGO_NAMES = {1: "RSA", 2: "RSA", 3: "RSA", 17: "DSA", 19: "ECDSA", 22: "EdDSA",
               27: "Ed25519"}


def default_keyring() -> str:
    """helm's defaultKeyring: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg."""
    home = os.environ.get("GNUPGHOME")
    if home is not None:
        return os.path.join(home, "pubring.gpg")
    return os.path.join(os.path.expanduser("~"), ".gnupg", "pubring.gpg")


def _open_error(path: str | os.PathLike[str], e: OSError) -> str:
    reason = (e.strerror or str(e)).lower()
    return f"open {os.fspath(path)}: {reason}"


def load_keyring(path: str | os.PathLike[str]) -> Keyring:
    """A keyring file (binary or armoured, public or secret keys) -> a Keyring."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ProvenanceError(_open_error(path, e)) from None
    return openpgp.read_keyring(data)


# ---------------------------------------------------------------- signed text


def chart_metadata_yaml(archive: bytes) -> bytes:
    """The archive's Chart.yaml as helm re-marshals it when signing (v1 charts keep the
    requirements.yaml dependencies, which helm's loader folds into the metadata)."""
    try:
        chart = load_files(read_archive(io.BytesIO(archive)))
    except MinihelmError as e:
        raise ProvenanceError(f"failed to load chart for signing: {e.message}") from None
    return dump_go_yaml(metadata_doc(chart.metadata)).encode()


def message_block(metadata_yaml: bytes, filename: str, archive: bytes) -> bytes:
    """helm's messageBlock: metadata, `...`, then the files map with the archive's sha256."""
    digest = hashlib.sha256(archive).hexdigest()
    sums = dump_go_yaml({"files": {filename: f"sha256:{digest}"}})
    return metadata_yaml + b"\n...\n" + sums.encode()


def _escape_and_canonical(text: bytes) -> tuple[bytes, bytes]:
    """go-crypto's dashEscaper: (the text as shown, the bytes the signature covers).

    Shown: lines starting with "-" get "- " in front, trailing spaces, tabs and
    CRs are dropped.  Signed: the same lines without the escapes, joined by CRLF,
    a trailing CRLF kept when the text ends with a newline.
    """
    lines = text.split(b"\n")
    shown = []
    signed = []
    for line in lines:
        line = line.rstrip(b" \t\r")
        signed.append(line)
        shown.append(b"- " + line if line.startswith(b"-") else line)
    return b"\n".join(shown), b"\r\n".join(signed)


def clearsign(text: bytes, key: SecretKey, now: int | None = None) -> str:
    """A clear-signed message laid out as go-crypto's clearsign.Encode writes it."""
    shown, signed = _escape_and_canonical(text)
    sig = openpgp.sign_text(key, signed, int(time.time()) if now is None else now)
    head = _START + b"\nHash: SHA512\n\n"
    return (head + shown + b"\n").decode("utf-8", "surrogateescape") + \
        openpgp.armor("PGP SIGNATURE", sig, checksum=True)


def decode_clearsigned(data: bytes) -> tuple[bytes, bytes, bytes]:
    """A clear-signed message -> (signed bytes, plaintext, signature packets).

    Grammar (RFC 4880 7, as go-crypto's clearsign.Decode reads it)::

        message = [text LF] "-----BEGIN PGP SIGNED MESSAGE-----" EOL *(hash-header EOL) EOL
                  *(line EOL) armoured-signature
        line    = ["- "] text        ; the EOL before the signature is not signed

    Raises ProvenanceError("signature block not found") for anything else.
    """
    not_found = ProvenanceError("signature block not found")
    if data.startswith(_START):
        rest = data[len(_START):]
    else:
        i = data.find(b"\n" + _START)
        if i < 0:
            raise not_found
        rest = data[i + 1 + len(_START):]
    lines = rest.split(b"\n")
    if lines[0].rstrip(b"\r"):
        raise not_found
    i = 1
    while True:  # headers, up to an empty line
        if i >= len(lines):
            raise not_found
        line = lines[i].rstrip(b"\r")
        i += 1
        if not line.strip():
            break
        if not line.startswith(b"Hash:") or any(c < 0x20 or c > 0x7E for c in line):
            raise not_found
    body: list[bytes] = []
    while True:
        if i >= len(lines):
            raise not_found
        line = lines[i].rstrip(b"\r")
        if line == _SIG_START:
            break
        i += 1
        if line.startswith(b"- "):
            line = line[2:]
        body.append(line.rstrip(b" \t"))
    armoured = b"\n".join(lines[i:])
    if _SIG_END not in armoured:
        raise not_found
    try:
        blocks = openpgp.dearmor(armoured[:armoured.index(_SIG_END) + len(_SIG_END)])
    except OpenPGPError:
        raise not_found from None
    if not blocks or not body:
        raise not_found
    return b"\r\n".join(body), b"\n".join(body), blocks[0][1]


# ---------------------------------------------------------------- signing


@dataclass
class Signer:
    """The key `package --sign` uses: helm's NewFromKeyring + DecryptKey."""

    entity: Entity | None
    key_name: str

    @classmethod
    def from_keyring(cls, keyring: str | os.PathLike[str], key_name: str) -> Signer:
        return cls(load_keyring(keyring).find(key_name), key_name)

    def _secret(self) -> SecretKey:
        """The primary key's secret, as helm signs with; but when the primary may only certify
        and a signing subkey's secret is there, that subkey (helm would write a .prov that
        neither helm nor gpg accepts: "signature made by unknown entity")."""
        e = self.entity
        if e is None:
            raise ProvenanceError("private key not found")
        if e.secret is None:
            raise ProvenanceError("provided key is not a private key. Try providing a keyring "
                                  "with secret keys")
        if not e.signing_keys(e.primary.key_id):
            for sub in reversed(e.subkeys):  # the newest first
                if sub.secret is not None and not sub.secret.is_stub and not sub.revoked \
                        and e.signing_keys(sub.key.key_id):
                    return sub.secret
        return e.secret

    @property
    def identity(self) -> str:
        """The name helm shows when it prompts: the first non-empty user ID."""
        names = [i.name for i in self.entity.identities if i.name] if self.entity else []
        return names[0] if names else "Unknown"

    def unlock(self, passphrase: Callable[[str], bytes]) -> None:
        """Decrypt the secret key if it is protected; `passphrase(identity)` is asked once."""
        secret = self._secret()
        if secret.encrypted:
            secret.decrypt(passphrase(self.identity))

    def sign_archive(self, archive: bytes, filename: str, now: int | None = None) -> str:
        """The .prov text for `archive`, saved as `filename` (the signed text names it)."""
        block = message_block(chart_metadata_yaml(archive), filename, archive)
        return clearsign(block, self._secret(), now)


def read_passphrase_file(path: str, stdin: IO[bytes] | None = None) -> bytes:
    """helm's passphraseFileFetcher: the first line of the file ("-": of stdin, which must be
    a pipe or a file, not a terminal), without its line ending."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        if stream.isatty():
            raise ProvenanceError("specified reading passphrase from stdin, without input on "
                                  "stdin")
        data = stream.read(1 << 16)
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read(1 << 16)
        except OSError as e:
            raise ProvenanceError(_open_error(path, e)) from None
    if not data:
        raise ProvenanceError("EOF")
    line = data.split(b"\n", 1)[0]
    return line[:-1] if line.endswith(b"\r") else line


def chart_signer(keyring: str | os.PathLike[str], key_name: str, passphrase_file: str | None,
                 prompt: Callable[[str], bytes]) -> Callable[[bytes, str], str]:
    """What `package --sign` hands the packager: for each archive, helm's Clearsign steps in
    helm's order (keyring and key lookup, passphrase file, unlock, sign).  A passphrase read
    from a file or stdin is read once and reused for every chart, as helm caches it;
    `prompt(identity)` asks for it when no file is given and the key is protected."""
    cached: list[bytes] = []

    def passphrase(identity: str) -> bytes:
        return cached[0] if cached else prompt(identity)

    def sign(archive: bytes, filename: str) -> str:
        signer = Signer.from_keyring(keyring, key_name)
        if passphrase_file and not cached:
            cached.append(read_passphrase_file(passphrase_file))
        signer.unlock(passphrase)
        return signer.sign_archive(archive, filename)

    return sign


# ---------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Verification:
    """Who signed a chart and the archive hash the .prov vouches for."""

    signed_by: tuple[str, ...]
    fingerprint: str
    file_hash: str
    file_name: str

    def lines(self) -> str:
        """What `helm verify` and `helm pull --verify` print."""
        out = [f"Signed by: {name}" for name in self.signed_by]
        out += [f"Using Key With Fingerprint: {self.fingerprint}",
                f"Chart Hash Verified: {self.file_hash}"]
        return "".join(line + "\n" for line in out)


def verify_archive(tgz_path: str | os.PathLike[str], prov_bytes: bytes,
                   keyring: Keyring | str | os.PathLike[str], archive: bytes | None = None,
                   now: int | None = None) -> Verification:
    """helm's Signatory.Verify: the signature over the .prov, then the archive's sha256.

    `tgz_path` names the archive (its base name is looked up in the .prov) and
    is read unless `archive` gives its bytes; `keyring` is a Keyring or a path.
    """
    if not isinstance(keyring, Keyring):
        try:
            keyring = load_keyring(keyring)
        except MinihelmError as e:
            raise ProvenanceError(f"failed to load keyring: {e.message}") from None
    if archive is None:
        try:
            archive = Path(tgz_path).read_bytes()
        except OSError as e:
            raise ProvenanceError(f"failed to read chart archive: {_open_error(tgz_path, e)}") \
                from None
    signed, plaintext, sig_data = decode_clearsigned(prov_bytes)
    entity = _check_signature(keyring, signed, sig_data,
                              int(time.time()) if now is None else now)
    filename = os.path.basename(os.fspath(tgz_path))
    want = _sums(plaintext).get(filename)
    got = "sha256:" + hashlib.sha256(archive).hexdigest()
    if want is None:
        raise ProvenanceError(f'provenance does not contain a SHA for a file named "{filename}"')
    if want != got:
        raise ProvenanceError(f'sha256 sum does not match for {filename}: "{want}" != "{got}"')
    return Verification(tuple(i.name for i in entity.identities),
                        entity.primary.fingerprint.hex().upper(), got, filename)


def verify_chart(path: str | os.PathLike[str], keyring: str | os.PathLike[str]) -> Verification:
    """helm's downloader.VerifyChart: `<path>` and `<path>.prov` on disk, checked."""
    p = Path(path)
    if not p.exists():
        raise ProvenanceError(f"stat {os.fspath(path)}: no such file or directory")
    if p.is_dir():
        raise ProvenanceError("unpacked charts cannot be verified")
    if p.suffix.lower() != ".tgz":
        raise ProvenanceError("chart must be a tgz file")
    prov = Path(os.fspath(path) + PROV_SUFFIX)
    if not prov.exists():
        raise ProvenanceError(f"could not load provenance file {prov}: stat {prov}: no such "
                              "file or directory")
    try:
        ring = load_keyring(keyring)
    except MinihelmError as e:
        raise ProvenanceError(f"failed to load keyring: {e.message}") from None
    try:
        prov_bytes = prov.read_bytes()
    except OSError as e:
        raise ProvenanceError(f"failed to read provenance file: {_open_error(prov, e)}") \
            from None
    return verify_archive(p, prov_bytes, ring)


def _sums(plaintext: bytes) -> dict[str, str]:
    """helm's parseMessageBlock: the YAML after the first `\\n...\\n`, its `files` map."""
    parts = plaintext.split(b"\n...\n")
    if len(parts) < 2:
        raise ProvenanceError("message block must have at least two parts")
    try:
        doc = yaml.safe_load(parts[1].decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ProvenanceError(f"the provenance file's checksums do not parse: {e}") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items()}


def _check_signature(keyring: Keyring, signed: bytes, sig_data: bytes, now: int) -> Entity:
    """go-crypto's CheckDetachedSignature: the first signature whose issuer has a signing key in
    the keyring; that key must verify it and be neither revoked nor expired."""
    for sig in openpgp.signature_packets(sig_data):
        if sig.issuer is None:
            raise OpenPGPError("openpgp: invalid data: signature doesn't have an issuer")
        found = [(e, k, s, sub) for e in keyring.entities
                 for k, s, sub in e.signing_keys(sig.issuer)]
        if not found:
            continue
        if sig.sig_type not in (openpgp.SIG_BINARY, openpgp.SIG_TEXT):
            raise OpenPGPError(f"openpgp: unsupported feature: unsupported signature type: "
                               f"{sig.sig_type}")
        for entity, key, self_sig, is_sub in found:
            if sig.check(key, signed):
                _check_details(entity, key, self_sig, is_sub, sig, now)
                return entity
        algo = _ALGO_NAMES.get(sig.pub_algo, str(sig.pub_algo))
        raise OpenPGPError(f"openpgp: invalid signature: {algo} verification failure")
    raise OpenPGPError("openpgp: signature made by unknown entity")


def _check_details(entity: Entity, key: openpgp.PublicKey, self_sig: openpgp.Signature | None,
                   is_sub: bool, sig: openpgp.Signature, now: int) -> None:
    """go-crypto's checkMessageSignatureDetails: revocation, then expiry, then signature age."""
    ident = entity.primary_identity()
    sub = next((s for s in entity.subkeys if s.key is key), None) if is_sub else None
    if entity.revoked or (sub is not None and sub.revoked) or (ident is not None and ident.revoked):
        raise OpenPGPError("openpgp: signature made by revoked key")
    primary_sig = entity.primary_self_signature()
    if entity.key_expired(entity.primary, primary_sig, now):
        raise OpenPGPError("openpgp: key expired")
    if is_sub and entity.key_expired(key, self_sig, now):
        raise OpenPGPError("openpgp: key expired")
    checks = [sig, primary_sig]
    if is_sub and self_sig is not None:
        checks += [self_sig, self_sig.embedded]
    if any(s is not None and s.expired(now) for s in checks):
        raise OpenPGPError("openpgp: signature expired")
