"""Signed charts through a real registry, beside real helm (#18 with #17): push keeps the .prov
as the provenance layer, `pull --verify` checks it; helm and minihelm read each other's pushes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mhtest import ROOT
from ocikit import run
from signkeys import GPG, Keys, make_keys, stop_agents

pytestmark = [
    pytest.mark.skipif(GPG is None, reason="gpg not installed (scripts/test-deps installs it)"),
    pytest.mark.skipif(shutil.which("helm") is None, reason="helm not installed"),
]
SIGNER = "Test Signer"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keys]:
    root = tmp_path_factory.mktemp("keys")
    try:
        yield make_keys(root)
    finally:
        stop_agents(root)


def _package(tool: str, version: str, out: Path, keys: Keys | None, env: dict[str, str]) -> Path:
    args = ["package", str(ROOT / "charts" / "demo"), "--version", version, "-d", str(out)]
    if keys is not None:
        args += ["--sign", "--key", SIGNER, "--keyring", str(keys.sec)]
    code, _, err = run(tool, args, env)
    assert code == 0, err
    return out / f"demo-{version}.tgz"


def _push(tool: str, tgz: Path, host: str, env: dict[str, str]) -> None:
    code, _, err = run(tool, ["push", str(tgz), f"oci://{host}/signed", "--plain-http"], env)
    assert code == 0, err


def _pull(tool: str, host: str, version: str, ring: Path, dest: Path,
          env: dict[str, str]) -> tuple[int, str, str]:
    dest.mkdir()
    return run(tool, ["pull", f"oci://{host}/signed/demo", "--version", version, "--plain-http",
                      "--verify", "--keyring", str(ring), "-d", str(dest)], env)


@pytest.mark.parametrize("pusher", ["helm", "minihelm"])
def test_a_signed_push_verifies_with_either_tool(pusher: str, registry, keys: Keys,
                                                 helm_env: dict[str, str],
                                                 tmp_path: Path) -> None:
    version = "1.0.0" if pusher == "helm" else "1.1.0"
    tgz = _package(pusher, version, tmp_path / "pkg", keys, helm_env)
    assert Path(f"{tgz}.prov").is_file()
    _push(pusher, tgz, registry.host, helm_env)
    got = {tool: _pull(tool, registry.host, version, keys.pub, tmp_path / tool, helm_env)
           for tool in ("helm", "minihelm")}
    assert got["minihelm"] == got["helm"]
    code, out, _ = got["minihelm"]
    assert code == 0 and out.startswith(f"Signed by: {SIGNER} <test@example.com>\n")
    assert "Chart Hash Verified: sha256:" in out
    for tool in ("helm", "minihelm"):
        assert sorted(os.listdir(tmp_path / tool)) == [f"demo-{version}.tgz",
                                                       f"demo-{version}.tgz.prov"]
        assert (tmp_path / tool / f"demo-{version}.tgz").read_bytes() == tgz.read_bytes()


def test_an_unverifiable_pull_leaves_nothing(registry, keys: Keys, helm_env: dict[str, str],
                                             tmp_path: Path) -> None:
    signed = _package("helm", "2.0.0", tmp_path / "signed", keys, helm_env)
    plain = _package("helm", "2.1.0", tmp_path / "plain", None, helm_env)
    _push("helm", signed, registry.host, helm_env)
    _push("helm", plain, registry.host, helm_env)
    for version, ring, error in (
            ("2.0.0", keys.other, "Error: openpgp: signature made by unknown entity\n"),
            ("2.1.0", keys.pub, f'Error: failed to fetch provenance "oci://{registry.host}'
                                f'/signed/demo:2.1.0.prov"\n')):
        h = _pull("helm", registry.host, version, ring, tmp_path / f"h{version}", helm_env)
        m = _pull("minihelm", registry.host, version, ring, tmp_path / f"m{version}", helm_env)
        assert m == h and m[0] == 1 and m[2].endswith(error)
        assert os.listdir(tmp_path / f"h{version}")  # helm keeps what failed ...
        assert os.listdir(tmp_path / f"m{version}") == []  # ... minihelm keeps nothing
