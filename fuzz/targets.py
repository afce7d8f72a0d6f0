"""Fuzz targets, one per parser of untrusted input: bytes -> parse; only MinihelmError may escape.

Each target takes arbitrary bytes.  Any exception other than a MinihelmError
(or a hang/blow-up caught by the driver) is a finding; run.py keeps the input
under fuzz/regressions/<target>/ and tests/hostile/test_fuzz_regressions.py
replays every kept input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from minihelm.dist.openpgp import Keyring
from minihelm.errors import MinihelmError

FUNC_NAMES = frozenset({"include", "tpl", "toYaml", "quote", "default", "printf", "len",
                        "index", "eq", "and", "or", "not", "print", "required", "list"})


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def template(data: bytes) -> None:
    """Template lexer + parser (gotemplate.parser.parse)."""
    from minihelm.gotemplate.parser import parse

    parse(_text(data), "t.yaml", FUNC_NAMES)


def strvals(data: bytes) -> None:
    """--set / --set-string / --set-literal / --set-json expression parsers."""
    from minihelm.values import strvals as sv

    text = _text(data)
    for fn in (sv.parse_set, sv.parse_set_string, sv.parse_set_literal, sv.parse_set_json):
        try:
            with sv.padding_budget(1 << 16):
                fn(text)
        except MinihelmError:
            pass


def helmignore(data: bytes) -> None:
    """.helmignore parser and matcher."""
    from minihelm.chart.ignore import load_ignore

    rules = load_ignore(data).with_defaults()
    for path, is_dir in (("templates/a.yaml", False), ("charts", True), (".git", True),
                         ("a/b/c.txt", False), ("values.yaml", False)):
        rules.ignore(path, is_dir)


def _with_file(data: bytes, suffix: str, fn: Callable[[str], object]) -> None:
    fd, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        fn(path)
    finally:
        os.unlink(path)


def archive(data: bytes) -> None:
    """Chart archive loader (loader.load_chart on a .tgz)."""
    from minihelm.chart.loader import load_chart

    _with_file(data, ".tgz", load_chart)


def index(data: bytes) -> None:
    """Repository index loader (repo.load_index)."""
    from minihelm.dist.repo import load_index

    _with_file(data, ".yaml", load_index)


def values_yaml(data: bytes) -> None:
    """Values YAML (yamlio.load_values)."""
    from minihelm.goyaml.yamlio import load_values

    load_values(data, "values.yaml")


# An Ed25519 public key made by gpg for the fuzz seeds, and a .prov it signed (see run.py).
PGP_SEED_KEY = bytes.fromhex(
    "9833046b164bec16092b06010401da470f01010740de5d91d68a15c688a94fc52e7058119a5097468d529dce"
    "4f39f84e1fc2262b90b41c46757a7a2053656564203c66757a7a406578616d706c652e636f6d3e8890041316"
    "080038162104a95a0526d90462ee14508219cd1be3007fbf8b4c05026b164bec021b03050b0908070206150a"
    "09080b020416020301021e01021780000a0910cd1be3007fbf8b4c81a60100c2b1c70d0dbc7eee5e84255e59"
    "dd0e7bda010a25b6d10b8244dbb12f1a5e300a00fe296f0b3de2d80c829db1472c2698fd2eeac808998a9d2e"
    "581c97311562179805"
)
PGP_SEED_PROV = (
    b'-----BEGIN PGP SIGNED MESSAGE-----\n'
    b'Hash: SHA512\n'
    b'\n'
    b'apiVersion: v2\n'
    b'name: c\n'
    b'version: 0.1.0\n'
    b'\n'
    b'...\n'
    b'files:\n'
    b'  c-0.1.0.tgz: sha256:0000000000000000000000000000000000000000000000000000000000000000\n'
    b'\n'
    b'-----BEGIN PGP SIGNATURE-----\n'
    b'\n'
    b'wnUEARYKAB0FAmtJ0gAWIQSpWgUm2QRi7hRQghnNG+MAf7+LTAAKCRDNG+MAf7+L\n'
    b'TF5zAP9/p+4PhGkNBXwYeXVUtsrDYIzzP7IZSXl75sGSeAqCtwD+INAy+Tg3Muw3\n'
    b'Bi0PuZRYl3+SqxZpUocE/K03npu9nws=\n'
    b'=zrMO\n'
    b'-----END PGP SIGNATURE-----'
)


def keyring(data: bytes) -> None:
    """OpenPGP keyrings, binary or armoured (dist.openpgp.read_keyring)."""
    from minihelm.dist.openpgp import read_keyring

    read_keyring(data)


def provenance(data: bytes) -> None:
    """A .prov file checked against the seed key (dist.provenance.verify_archive)."""
    from minihelm.dist.provenance import verify_archive

    verify_archive("c-0.1.0.tgz", data, _seed_ring(), archive=b"")


def _seed_ring() -> Keyring:
    from minihelm.dist.openpgp import read_keyring

    return read_keyring(PGP_SEED_KEY)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "template": template, "strvals": strvals, "helmignore": helmignore,
    "archive": archive, "index": index, "values_yaml": values_yaml,
}
TARGETS.update(keyring=keyring, provenance=provenance)


def run_one(name: str, data: bytes) -> None:
    """Run a target; expected errors (MinihelmError) are swallowed, anything else propagates."""
    try:
        TARGETS[name](data)
    except MinihelmError:
        pass
