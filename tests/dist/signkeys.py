"""OpenPGP keys made at test time by gpg in a throw-away GNUPGHOME, exported as helm reads them.

Kept out of conftest.py (see mhtest.py); test modules call `make_keys` from a fixture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

GPG = shutil.which("gpg")
PASSPHRASE = "sekret words"
# 2020-01-01T00:00:00Z: the expired key is made then, with a one-day lifetime
PAST = "20200101T000000!"
PAST_EPOCH = 1577836800


@dataclass
class Keys:
    home: Path
    pub: Path  # binary public keyring: plain, passphrase, ed25519, nistp256, dsa,
    #            ed25519+cv25519 and subkey signers
    pub_asc: Path  # the same, armoured
    sec: Path  # their secret keys (the passphrase key still protected), binary
    sec_asc: Path
    other: Path  # a public keyring holding only a key that signed nothing here
    expired_pub: Path
    expired_sec: Path
    revoked_pub: Path  # public key with its revocation
    revoked_sec: Path  # its secret key, exported before the revocation


# gpg-agent now and then fails to unprotect a key it has just made ("signing failed:
# Corrupted protection" at the self-signature; CI met it once, gnupg's own test suite on
# Homebrew too).  It is the key maker's fault, not the code under test: restart the agent
# and make the key again, a bounded number of times.
_AGENT_FLAKE = b"Corrupted protection"
_ATTEMPTS = 3


def gpg(home: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {**os.environ, "GNUPGHOME": str(home)}
    for attempt in range(_ATTEMPTS):
        r = subprocess.run([GPG or "gpg", "--batch", "--yes", "--no-tty", *args], env=env,
                           input=data, capture_output=True, timeout=120, check=False)
        if r.returncode == 0 or _AGENT_FLAKE not in r.stderr or attempt == _ATTEMPTS - 1:
            break
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True,
                       timeout=30, check=False)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


def _home(root: Path, name: str) -> Path:
    home = root / name
    home.mkdir(mode=0o700)
    return home


def _gen(home: Path, uid: str, algo: str, usage: str = "sign", expire: str = "never",
         passphrase: str = "", *extra: str) -> None:
    gpg(home, *extra, "--pinentry-mode", "loopback", "--passphrase", passphrase,
        "--quick-gen-key", uid, algo, usage, expire)


def fingerprint(home: Path, uid: str) -> str:
    out = gpg(home, "--with-colons", "--list-keys", uid).decode()
    return next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:"))


def make_keys(root: Path) -> Keys:
    main = _home(root, "gnupg")
    _gen(main, "Test Signer <test@example.com>", "rsa2048")
    _gen(main, "Pass Signer <pass@example.com>", "rsa2048", passphrase=PASSPHRASE)
    _gen(main, "Ed Signer <ed@example.com>", "ed25519")
    _gen(main, "Nist Signer <nist@example.com>", "nistp256")
    _gen(main, "Dsa Signer <dsa@example.com>", "dsa2048")
    # gpg's newer default: Ed25519 primary, Curve25519 (ECDH) encryption subkey
    _gen(main, "Future Signer <future@example.com>", "future-default", usage="default")
    _gen(main, "Sub Signer <sub@example.com>", "rsa2048", usage="cert")
    gpg(main, "--passphrase", "", "--quick-add-key", fingerprint(main, "sub@example.com"),
        "rsa2048", "sign", "never")
    keys = Keys(main, root / "pub.gpg", root / "pub.asc", root / "sec.gpg", root / "sec.asc",
                root / "other.gpg", root / "expired.gpg", root / "expired-sec.gpg",
                root / "revoked.gpg", root / "revoked-sec.gpg")
    keys.pub.write_bytes(gpg(main, "--export"))
    keys.pub_asc.write_bytes(gpg(main, "--export", "--armor"))
    secret = ("--pinentry-mode", "loopback", "--passphrase", PASSPHRASE, "--export-secret-keys")
    keys.sec.write_bytes(gpg(main, *secret))
    keys.sec_asc.write_bytes(gpg(main, *secret, "--armor"))

    other = _home(root, "gnupg-other")
    _gen(other, "Other Signer <other@example.com>", "rsa2048")
    keys.other.write_bytes(gpg(other, "--export"))

    old = _home(root, "gnupg-expired")
    _gen(old, "Expired Signer <expired@example.com>", "rsa2048", "sign", "1d", "",
         "--faked-system-time", PAST)
    keys.expired_pub.write_bytes(gpg(old, "--export"))
    keys.expired_sec.write_bytes(gpg(old, "--export-secret-keys"))

    rev = _home(root, "gnupg-revoked")
    _gen(rev, "Revoked Signer <revoked@example.com>", "rsa2048")
    keys.revoked_sec.write_bytes(gpg(rev, "--export-secret-keys"))
    cert = (rev / "openpgp-revocs.d" / f"{fingerprint(rev, 'revoked@example.com')}.rev")
    gpg(rev, "--import", data=cert.read_bytes().replace(b":-----BEGIN", b"-----BEGIN"))
    keys.revoked_pub.write_bytes(gpg(rev, "--export"))
    return keys


def stop_agents(root: Path) -> None:
    """Stop the gpg-agents our homes started (each by its own home, nothing else)."""
    for home in root.glob("gnupg*"):
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ,
                       "GNUPGHOME": str(home)}, capture_output=True, timeout=30, check=False)
