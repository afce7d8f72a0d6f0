"""Signed charts against real helm and gpg: package --sign, verify, pull/dependency --verify.

Keys are made by gpg at run time (signkeys.py).  Differential both ways: helm signs
and minihelm verifies, minihelm signs and helm (and gpg) verify, and the text under
the signature is byte for byte helm's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import run_cli
from mhtest import ROOT, needs_helm
from signkeys import GPG, PASSPHRASE, PAST_EPOCH, Keys, gpg, make_keys, stop_agents
from test_deps import helm, helm_env, serve

from minihelm.dist.provenance import (
    Signer,
    chart_metadata_yaml,
    clearsign,
    decode_clearsigned,
    message_block,
    verify_archive,
)
from minihelm.errors import MinihelmError

pytestmark = pytest.mark.skipif(GPG is None, reason="gpg not installed (.ci/run installs it)")

SIG_START = "-----BEGIN PGP SIGNATURE-----"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keys]:
    root = tmp_path_factory.mktemp("keys")
    try:
        yield make_keys(root)
    finally:
        stop_agents(root)


RICH_CHART = """\
apiVersion: v2
name: signme
version: 1.2.3-rc.1+build.7
description: |
  A chart whose description
  - spans lines, one starting with a dash
kubeVersion: ">=1.20.0-0"
keywords: [alpha, "-dash", "with space"]
home: https://example.com
sources: [https://example.com/src]
maintainers:
- name: Jane Doe
  email: jane@example.com
  url: https://example.com/jane
icon: https://example.com/icon.png
appVersion: "2.0"
annotations:
  example.com/tier: "1"
  padded: "trailing spaces   "
type: application
dependencies:
- name: sub
  version: 0.1.0
  repository: file://charts/sub
"""

V1_CHART = "apiVersion: v1\nname: old\nversion: 0.3.0\ndescription: a v1 chart\n"
V1_REQS = "dependencies:\n- name: sub\n  version: 0.1.0\n  repository: file://charts/sub\n"


def write_chart(root: Path, kind: str = "rich") -> Path:
    """A chart folder: "rich" (every Chart.yaml field, a subchart), "v1" or "plain"."""
    name = {"rich": "signme", "v1": "old", "plain": "plain"}[kind]
    d = root / name
    (d / "templates").mkdir(parents=True)
    (d / "templates" / "cm.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: x\n")
    (d / "values.yaml").write_text("a: 1\n")
    if kind == "plain":
        (d / "Chart.yaml").write_text("apiVersion: v2\nname: plain\nversion: 0.1.0\n")
        return d
    sub = d / "charts" / "sub"
    (sub / "templates").mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    if kind == "rich":
        (d / "Chart.yaml").write_text(RICH_CHART)
    else:
        (d / "Chart.yaml").write_text(V1_CHART)
        (d / "requirements.yaml").write_text(V1_REQS)
    return d


def mh(*args: str, cwd: Path | None = None, stdin: bytes | None = None
       ) -> subprocess.CompletedProcess[str]:
    """minihelm in a subprocess (real stdin, as a user's shell gives it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-m", "minihelm", *args], cwd=cwd, env=env,
                       input=stdin.decode() if stdin is not None else None,
                       capture_output=True, text=True, timeout=120, check=False)
    return r


def head(prov: str) -> str:
    """The clear-signed part of a .prov: everything before the armoured signature."""
    assert SIG_START in prov
    return prov[:prov.index(SIG_START)]


def sign_cli(tmp: Path, chart: Path, dest: Path, key: str, ring: Path, *extra: str
             ) -> tuple[int, str, str]:
    dest.mkdir(parents=True, exist_ok=True)
    return run_cli(["package", str(chart), "-d", str(dest), "--sign", "--key", key,
                    "--keyring", str(ring), *extra], cwd=tmp)


# ---------------------------------------------------------------- the signed text


@needs_helm
@pytest.mark.parametrize("kind", ["rich", "v1", "plain"])
def test_signed_text_is_byte_for_byte_helms(tmp_path: Path, keys: Keys, kind: str) -> None:
    chart = write_chart(tmp_path, kind)
    helm(tmp_path, "package", str(chart), "-d", str(tmp_path / "h"), "--sign", "--key",
         "test@example.com", "--keyring", str(keys.sec))
    archive = next((tmp_path / "h").glob("*.tgz"))
    helm_prov = Path(f"{archive}.prov").read_text()
    # minihelm signing helm's own archive writes exactly helm's text above the signature
    signer = Signer.from_keyring(keys.sec, "test@example.com")
    ours = signer.sign_archive(archive.read_bytes(), archive.name)
    assert head(ours) == head(helm_prov)
    assert ours.count("\n") == ours.rstrip("\n").count("\n")  # no final newline, as helm
    # minihelm's own package --sign: same text, only the archive digest differs
    code, _, err = sign_cli(tmp_path, chart, tmp_path / "m", "test@example.com", keys.sec)
    assert code == 0, err
    mine = (tmp_path / "m" / f"{archive.name}.prov").read_text()
    mine_sum, helm_sum = (t.split("sha256:")[1][:64] for t in (mine, helm_prov))
    assert head(mine).replace(mine_sum, helm_sum) == head(helm_prov)
    if kind == "rich":
        assert "\n- - alpha\n- - -dash\n" in helm_prov  # dash-escaped lines were covered


# ---------------------------------------------------------------- helm signs, minihelm verifies


@needs_helm
@pytest.mark.parametrize("key", ["test@example.com", "ed@example.com", "nist@example.com",
                                 "dsa@example.com", "future@example.com"])
def test_minihelm_verifies_what_helm_signed(tmp_path: Path, keys: Keys, key: str) -> None:
    chart = write_chart(tmp_path)
    helm(tmp_path, "package", str(chart), "-d", str(tmp_path), "--sign", "--key", key,
         "--keyring", str(keys.sec))
    archive = tmp_path / "signme-1.2.3-rc.1+build.7.tgz"
    want = helm(tmp_path, "verify", str(archive), "--keyring", str(keys.pub)).stdout
    assert want.startswith("Signed by: ") and "Chart Hash Verified: sha256:" in want
    for ring in (keys.pub, keys.pub_asc, keys.sec, keys.sec_asc):
        code, out, err = run_cli(["verify", str(archive), "--keyring", str(ring)])
        assert (code, out, err) == (0, want, "")


def test_verify_a_gpg_clearsigned_prov_made_by_a_signing_subkey(tmp_path: Path,
                                                                  keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    run_cli(["package", str(chart), "-d", str(tmp_path)])
    archive = tmp_path / "plain-0.1.0.tgz"
    block = message_block(chart_metadata_yaml(archive.read_bytes()), archive.name,
                          archive.read_bytes())
    prov = gpg(keys.home, "-u", "sub@example.com", "--digest-algo", "SHA512", "--clearsign",
               data=block)
    Path(f"{archive}.prov").write_bytes(prov)
    code, out, _ = run_cli(["verify", str(archive), "--keyring", str(keys.pub)])
    assert code == 0
    assert out.splitlines()[0] == "Signed by: Sub Signer <sub@example.com>"
    if shutil.which("helm"):
        assert helm(tmp_path, "verify", str(archive), "--keyring", str(keys.pub)).stdout == out


# ---------------------------------------------------------------- minihelm signs, helm verifies


@needs_helm
@pytest.mark.parametrize("key", ["test@example.com", "Ed Signer", "nist@example.com",
                                 "Dsa Signer", "future@example.com"])
def test_helm_and_gpg_verify_what_minihelm_signed(tmp_path: Path, keys: Keys, key: str) -> None:
    chart = write_chart(tmp_path)
    code, out, err = sign_cli(tmp_path, chart, tmp_path / "d", key, keys.sec_asc)
    assert (code, err) == (0, "")
    archive = tmp_path / "d" / "signme-1.2.3-rc.1+build.7.tgz"
    assert out == f"Successfully packaged chart and saved it to: {archive}\n"
    got = helm(tmp_path, "verify", str(archive), "--keyring", str(keys.pub))
    assert run_cli(["verify", str(archive), "--keyring", str(keys.pub)])[1] == got.stdout
    gpg(keys.home, "--verify", f"{archive}.prov")  # gpg accepts it too (asserts exit 0)


@needs_helm
def test_passphrase_protected_key_signs_from_a_file_and_from_stdin(tmp_path: Path,
                                                                    keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\nsecond line is ignored\n")
    code, _, err = sign_cli(tmp_path, chart, tmp_path / "a", "Pass Signer", keys.sec,
                            "--passphrase-file", str(pw))
    assert (code, err) == (0, "")
    (tmp_path / "b").mkdir()
    second = write_chart(tmp_path / "two", "rich")
    # two charts, one passphrase on stdin: read once and reused, as helm caches it
    r = mh("package", str(chart), str(second), "-d", str(tmp_path / "b"), "--sign", "--key",
           "pass@example.com", "--keyring", str(keys.sec), "--passphrase-file", "-",
           cwd=tmp_path, stdin=(PASSPHRASE + "\n").encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("Successfully packaged chart") == 2
    for archive in ("a/plain-0.1.0.tgz", "b/plain-0.1.0.tgz", "b/signme-1.2.3-rc.1+build.7.tgz"):
        out = helm(tmp_path, "verify", str(tmp_path / archive), "--keyring",
                   str(keys.pub)).stdout
        assert out.startswith("Signed by: Pass Signer <pass@example.com>\n")


# ---------------------------------------------------------------- failures, compared with helm


def _helm_error(tmp: Path, *args: str) -> str:
    """helm's stderr for a failing command run in `tmp` (relative paths as the user gives)."""
    r = subprocess.run(["helm", *args], cwd=tmp, env=helm_env(tmp), capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 1
    return r.stderr


@needs_helm
@pytest.mark.parametrize("case", ["changed archive", "changed prov", "foreign keyring",
                                  "missing prov", "garbage prov", "missing keyring",
                                  "garbage keyring", "revoked key", "expired key",
                                  "not a tgz", "a folder", "missing archive"])
def test_verify_failures_are_helms_one_line(tmp_path: Path, keys: Keys, case: str) -> None:
    chart = write_chart(tmp_path, "plain")
    ring, sec, key = keys.pub, keys.sec, "test@example.com"
    if case == "revoked key":
        ring, sec, key = keys.revoked_pub, keys.revoked_sec, "revoked@example.com"
    if case == "expired key":
        run_cli(["package", str(chart), "-d", str(tmp_path)])
        archive = tmp_path / "plain-0.1.0.tgz"
        # signed while the key was valid, checked after it expired
        signer = Signer.from_keyring(keys.expired_sec, "expired@example.com")
        prov = signer.sign_archive(archive.read_bytes(), archive.name, now=PAST_EPOCH + 3600)
        Path(f"{archive}.prov").write_text(prov)
        ring = keys.expired_pub
    else:
        code, _, err = sign_cli(tmp_path, chart, tmp_path, key, sec)
        assert code == 0, err
    archive = tmp_path / "plain-0.1.0.tgz"
    prov = Path(f"{archive}.prov")
    if case == "changed archive":
        archive.write_bytes(archive.read_bytes() + b"\0")
    elif case == "changed prov":
        prov.write_text(prov.read_text().replace("name: plain", "name: plane"))
    elif case == "foreign keyring":
        ring = keys.other
    elif case == "missing prov":
        prov.unlink()
    elif case == "garbage prov":
        prov.write_text("not signed\n")
    elif case == "missing keyring":
        ring = tmp_path / "nope.gpg"
    elif case == "garbage keyring":
        ring = tmp_path / "garbage.gpg"
        ring.write_text("garbage\n")
    target = "plain-0.1.0.tgz"
    if case == "not a tgz":
        target = "plain-0.1.0.tar.gz"
        archive.rename(tmp_path / target)
    elif case == "a folder":
        target = "plain"
    elif case == "missing archive":
        target = "nope-1.0.0.tgz"
    want = _helm_error(tmp_path, "verify", target, "--keyring", str(ring))
    code, out, err = run_cli(["verify", target, "--keyring", str(ring)], cwd=tmp_path)
    assert (code, out, err) == (1, "", want)
    assert err.count("\n") == 1


@needs_helm
@pytest.mark.parametrize("case", ["missing key", "ambiguous key", "public keyring",
                                  "wrong passphrase", "empty passphrase file",
                                  "missing passphrase file", "missing keyring", "no key"])
def test_signing_failures_are_helms_and_write_nothing(tmp_path: Path, keys: Keys,
                                                      case: str) -> None:
    chart = write_chart(tmp_path, "plain")
    pw = tmp_path / "pw"
    pw.write_text("wrong\n" if case == "wrong passphrase" else "")
    args = {
        "missing key": ["--key", "Nobody", "--keyring", str(keys.sec)],
        "ambiguous key": ["--key", "Signer", "--keyring", str(keys.sec)],
        "public keyring": ["--key", "test@example.com", "--keyring", str(keys.pub)],
        "wrong passphrase": ["--key", "pass@example.com", "--keyring", str(keys.sec),
                             "--passphrase-file", str(pw)],
        "empty passphrase file": ["--key", "pass@example.com", "--keyring", str(keys.sec),
                                  "--passphrase-file", str(pw)],
        "missing passphrase file": ["--key", "test@example.com", "--keyring", str(keys.sec),
                                    "--passphrase-file", str(tmp_path / "nope")],
        "missing keyring": ["--key", "test@example.com", "--keyring", str(tmp_path / "nope")],
        "no key": ["--keyring", str(keys.sec)],
    }[case]
    (tmp_path / "h").mkdir()
    (tmp_path / "m").mkdir()
    want = _helm_error(tmp_path, "package", str(chart), "-d", str(tmp_path / "h"), "--sign",
                       *args)
    code, out, err = run_cli(["package", str(chart), "-d", str(tmp_path / "m"), "--sign",
                              *args], cwd=tmp_path)
    assert (code, out, err) == (1, "", want)
    assert list((tmp_path / "m").iterdir()) == []  # helm leaves an unsigned archive; we don't


def test_prompt_without_a_terminal_fails_cleanly(tmp_path: Path, keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    r = mh("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "pass@example.com",
           "--keyring", str(keys.sec), stdin=b"")
    assert (r.returncode, r.stderr) == (1, "Error: inappropriate ioctl for device\n")
    assert not list(tmp_path.glob("*.tgz"))


def test_verify_archive_is_the_library_entry_point(tmp_path: Path, keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    sign_cli(tmp_path, chart, tmp_path, "ed@example.com", keys.sec)
    archive = tmp_path / "plain-0.1.0.tgz"
    prov = Path(f"{archive}.prov").read_bytes()
    v = verify_archive(archive, prov, keys.pub)
    assert v.signed_by == ("Ed Signer <ed@example.com>",)
    assert v.file_name == archive.name and v.file_hash.startswith("sha256:")
    # the bytes may come from elsewhere (a registry layer); the name is what the .prov holds
    assert verify_archive("plain-0.1.0.tgz", prov, keys.pub_asc,
                          archive=archive.read_bytes()) == v
    with pytest.raises(MinihelmError, match='^provenance does not contain a SHA for a file '
                                            'named "other-0.1.0.tgz"$'):
        verify_archive("other-0.1.0.tgz", prov, keys.pub, archive=archive.read_bytes())
    signed, plain, _ = decode_clearsigned(prov)
    assert signed == plain.replace(b"\n", b"\r\n") and plain.endswith(b"\n")


# ---------------------------------------------------------------- pull and dependency --verify


def _signed_repo(tmp: Path, keys: Keys, with_prov: bool = True) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    chart = write_chart(tmp / "src", "plain")
    code, _, err = sign_cli(tmp, chart, repo, "test@example.com", keys.sec)
    assert code == 0, err
    if not with_prov:
        (repo / "plain-0.1.0.tgz.prov").unlink()
    assert run_cli(["repo", "index", str(repo)])[0] == 0
    return repo


@needs_helm
def test_pull_verify_keeps_chart_and_prov_and_prints_helms_lines(tmp_path: Path,
                                                                  keys: Keys) -> None:
    repo = _signed_repo(tmp_path, keys)
    (tmp_path / "h").mkdir()
    (tmp_path / "m").mkdir()
    with serve(repo) as url:
        want = helm(tmp_path, "pull", "plain", "--repo", url, "--verify", "--keyring",
                    str(keys.pub), "-d", str(tmp_path / "h")).stdout
        code, out, err = run_cli(["pull", "plain", "--repo", url, "--verify", "--keyring",
                                  str(keys.pub), "-d", str(tmp_path / "m")])
    assert (code, out, err) == (0, want, "")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == \
        ["plain-0.1.0.tgz", "plain-0.1.0.tgz.prov"]
    assert (tmp_path / "m" / "plain-0.1.0.tgz.prov").read_bytes() == \
        (repo / "plain-0.1.0.tgz.prov").read_bytes()


@needs_helm
@pytest.mark.parametrize("case", ["foreign keyring", "no prov", "changed archive"])
def test_pull_verify_leaves_nothing_for_an_unverifiable_chart(tmp_path: Path, keys: Keys,
                                                              case: str) -> None:
    repo = _signed_repo(tmp_path, keys, with_prov=case != "no prov")
    ring = keys.other if case == "foreign keyring" else keys.pub
    if case == "changed archive":
        # a different archive under the same name, the index updated to match it
        other = write_chart(tmp_path / "src2", "plain")
        (other / "values.yaml").write_text("a: 2\n")
        run_cli(["package", str(other), "-d", str(repo)])
        assert run_cli(["repo", "index", str(repo)])[0] == 0
    (tmp_path / "h").mkdir()
    (tmp_path / "m").mkdir()
    with serve(repo) as url:
        r = helm(tmp_path, "pull", "plain", "--repo", url, "--verify", "--keyring", str(ring),
                 "-d", str(tmp_path / "h"), ok=False)
        code, out, err = run_cli(["pull", "plain", "--repo", url, "--verify", "--keyring",
                                  str(ring), "-d", str(tmp_path / "m")])
    assert r.returncode == 1 and (code, out, err) == (1, "", r.stderr)
    assert list((tmp_path / "h").iterdir())  # helm keeps the unverified archive ...
    assert list((tmp_path / "m").iterdir()) == []  # ... we keep nothing


def test_pull_verify_from_a_repository_folder(tmp_path: Path, keys: Keys) -> None:
    repo = _signed_repo(tmp_path, keys)
    (tmp_path / "m").mkdir()
    code, out, err = run_cli(["pull", "plain", "--repo", str(repo), "--verify", "--keyring",
                              str(keys.pub_asc), "-d", str(tmp_path / "m")])
    assert (code, err) == (0, "")
    assert out.startswith("Signed by: Test Signer <test@example.com>\nUsing Key With ")
    code, out, err = run_cli(["pull", "plain", "--repo", str(repo), "--verify", "--untar",
                              "--keyring", str(keys.pub), "-d", str(tmp_path / "u")])
    assert code == 0, err
    assert (tmp_path / "u" / "plain" / "Chart.yaml").is_file()
    assert not list((tmp_path / "u").glob("*.prov"))  # helm verifies in a temp dir, too


def _parent(tmp: Path, url: str) -> Path:
    d = tmp / "parent"
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text("apiVersion: v2\nname: parent\nversion: 1.0.0\n"
                                  f"dependencies:\n- name: plain\n  version: 0.1.0\n"
                                  f"  repository: {url}\n")
    return d


@needs_helm
def test_dependency_update_verify(tmp_path: Path, keys: Keys) -> None:
    repo = _signed_repo(tmp_path, keys)
    with serve(repo) as url:
        parent = _parent(tmp_path, url)
        code, out, err = run_cli(["dependency", "update", str(parent), "--verify",
                                  "--keyring", str(keys.pub)])
        assert code == 0, err
        assert out.endswith(f"Saving 1 charts\nDownloading plain from repo {url}\n"
                            "Deleting outdated charts\n")
        assert sorted(p.name for p in (parent / "charts").iterdir()) == \
            ["plain-0.1.0.tgz", "plain-0.1.0.tgz.prov"]
        shutil.rmtree(parent / "charts")
        (parent / "Chart.lock").unlink()
        r = helm(tmp_path, "dependency", "update", str(parent), "--verify", "--keyring",
                 str(keys.other), ok=False)
        code, _, err = run_cli(["dependency", "update", str(parent), "--verify",
                                "--keyring", str(keys.other)])
    assert code == 1 and r.returncode == 1
    assert err == r.stderr  # "could not download <url>: openpgp: signature made by unknown ..."
    assert not [p for p in (parent / "charts").iterdir()]


def test_dependency_build_verify_only_warns_without_prov(tmp_path: Path, keys: Keys) -> None:
    # Asked of helm v4.1.4: `dependency build` of a plain-URL dependency that is not in
    # repositories.yaml fails ("no repository definition ..."), even after an update that
    # worked; once the repository is added, a missing .prov under --verify is only a
    # warning quoting the getter's error, while `update --verify` fails on it.
    repo = _signed_repo(tmp_path, keys, with_prov=False)
    with serve(repo) as url:
        parent = _parent(tmp_path, url)
        assert run_cli(["dependency", "update", str(parent)])[0] == 0
        verify = ["--verify", "--keyring", str(keys.pub)]
        code, out, err = run_cli(["dependency", "build", str(parent), *verify])
        assert (code, err) == (1, f"Error: no repository definition for {url}. Please add "
                                  "the missing repos via 'helm repo add'\n")
        assert run_cli(["repo", "add", "signed", url])[0] == 0
        code, out, err = run_cli(["dependency", "build", str(parent), *verify])
        assert code == 0, err
        assert (f"WARNING: Verification not found for {url}plain-0.1.0.tgz: failed to fetch "
                f"{url}plain-0.1.0.tgz.prov : 404 File not found\n") in out
        code, out, err = run_cli(["dependency", "update", str(parent), *verify])
    assert code == 1
    assert err == (f"Error: could not download {url}plain-0.1.0.tgz: failed to fetch "
                   f'provenance "{url}plain-0.1.0.tgz.prov"\n')


def test_push_takes_the_prov_along_and_pull_verifies_it(tmp_path: Path, keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    assert sign_cli(tmp_path, chart, tmp_path / "dist", "nist@example.com", keys.sec)[0] == 0
    archive = tmp_path / "dist" / "plain-0.1.0.tgz"
    assert run_cli(["push", str(archive), str(tmp_path / "repo")])[0] == 0
    prov = tmp_path / "repo" / "plain-0.1.0.tgz.prov"
    assert prov.read_bytes() == Path(f"{archive}.prov").read_bytes()
    (tmp_path / "m").mkdir()
    code, out, err = run_cli(["pull", "plain", "--repo", str(tmp_path / "repo"), "--verify",
                              "--keyring", str(keys.pub), "-d", str(tmp_path / "m")])
    assert (code, err) == (0, "")
    assert out.startswith("Signed by: Nist Signer <nist@example.com>\n")
    # a refused push (same version, other bytes) leaves the published .prov alone
    (chart / "values.yaml").write_text("a: 3\n")
    assert sign_cli(tmp_path, chart, tmp_path / "dist", "test@example.com", keys.sec)[0] == 0
    assert run_cli(["push", str(archive), str(tmp_path / "repo")])[0] == 1
    assert verify_archive(tmp_path / "repo" / "plain-0.1.0.tgz", prov.read_bytes(),
                          keys.pub).signed_by == ("Nist Signer <nist@example.com>",)


@needs_helm
def test_a_certify_only_primary_signs_with_its_signing_subkey(tmp_path: Path, keys: Keys) -> None:
    chart = write_chart(tmp_path, "plain")
    (tmp_path / "h").mkdir()
    helm(tmp_path, "package", str(chart), "-d", str(tmp_path / "h"), "--sign", "--key",
         "sub@example.com", "--keyring", str(keys.sec))
    r = helm(tmp_path, "verify", str(tmp_path / "h" / "plain-0.1.0.tgz"), "--keyring",
             str(keys.pub), ok=False)
    assert r.stderr == "Error: openpgp: signature made by unknown entity\n"  # helm's own .prov
    assert sign_cli(tmp_path, chart, tmp_path / "m", "sub@example.com", keys.sec)[0] == 0
    archive = tmp_path / "m" / "plain-0.1.0.tgz"
    out = helm(tmp_path, "verify", str(archive), "--keyring", str(keys.pub)).stdout
    assert out.startswith("Signed by: Sub Signer <sub@example.com>\n")
    assert run_cli(["verify", str(archive), "--keyring", str(keys.pub)])[1] == out
    gpg(keys.home, "--verify", f"{archive}.prov")


@needs_helm
def test_a_key_with_a_broken_self_signature_is_not_trusted(tmp_path: Path, keys: Keys) -> None:
    """helm's go-crypto skips such a key entirely; so do we (same error line)."""
    chart = write_chart(tmp_path, "plain")
    assert sign_cli(tmp_path, chart, tmp_path, "test@example.com", keys.sec)[0] == 0
    ring = bytearray(gpg(keys.home, "--export", "test@example.com"))
    ring[-1] ^= 0x01  # the last packet is the user ID's self-signature: its value changes
    bad = tmp_path / "bad.gpg"
    bad.write_bytes(bytes(ring) + keys.other.read_bytes())  # plus a good, unrelated key
    want = _helm_error(tmp_path, "verify", "plain-0.1.0.tgz", "--keyring", str(bad))
    assert want == "Error: openpgp: signature made by unknown entity\n"
    assert run_cli(["verify", "plain-0.1.0.tgz", "--keyring", str(bad)], cwd=tmp_path) == \
        (1, "", want)


def test_gpg_reads_every_signature_length(tmp_path: Path, keys: Keys) -> None:
    """A signature packet whose length is a multiple of 3 has no base64 padding; gpg 2.2 then
    needs the armour's CRC line (go-crypto leaves it out, so gpg rejects such helm files)."""
    entity = Signer.from_keyring(keys.sec, "test@example.com").entity
    assert entity is not None and entity.secret is not None
    for i in range(3000):  # RSA-2048: one signature in ~256 is one octet short
        prov = clearsign(f"files:\n  try-{i}.tgz: x\n".encode(), entity.secret)
        if len(decode_clearsigned(prov.encode())[2]) % 3 == 0:
            break
    else:
        pytest.fail("no unpadded signature found")
    assert "\n=" in prov  # the CRC line
    (tmp_path / "msg.asc").write_text(prov)
    gpg(keys.home, "--verify", str(tmp_path / "msg.asc"))


@needs_helm
@pytest.mark.parametrize("ring", ["pub", "other"])
def test_pull_verify_of_a_chart_url(tmp_path: Path, keys: Keys, ring: str) -> None:
    repo = _signed_repo(tmp_path, keys)
    keyring = keys.pub if ring == "pub" else keys.other
    (tmp_path / "h").mkdir()
    (tmp_path / "m").mkdir()
    with serve(repo) as url:
        r = helm(tmp_path, "pull", f"{url}plain-0.1.0.tgz", "--verify", "--keyring",
                 str(keyring), "-d", str(tmp_path / "h"), ok=False)
        code, out, err = run_cli(["pull", f"{url}plain-0.1.0.tgz", "--verify", "--keyring",
                                  str(keyring), "-d", str(tmp_path / "m")])
    assert (code, out, err) == (r.returncode, r.stdout, r.stderr)
    kept = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert kept == (["plain-0.1.0.tgz", "plain-0.1.0.tgz.prov"] if ring == "pub" else [])
