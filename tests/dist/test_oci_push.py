"""`push CHART.tgz oci://…` against a real registry: the manifest, blobs and lines helm makes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import USERS
from mhtest import ROOT, needs_helm
from ocikit import run

USER, PW = next(iter(USERS.items()))
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CHARTS = Path(__file__).resolve().parent / "charts"


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """demo and rich packaged by helm, with a fixed mtime (the `created` annotation)."""
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    out = tmp_path_factory.mktemp("archives")
    found = {}
    for name, src in (("demo", ROOT / "charts" / "demo"), ("rich", CHARTS / "rich")):
        code, _, err = run("helm", ["package", str(src), "-d", str(out)], dict(os.environ))
        assert code == 0, err
        (tgz,) = out.glob(f"{name}-*.tgz")
        os.utime(tgz, (1577934245, 1577934245))
        found[name] = tgz
    prov = Path(f"{found['rich']}.prov")
    prov.write_text("-----BEGIN PGP SIGNED MESSAGE-----\nnot checked by push\n")
    return found


def _manifest(reg, repo: str, tag: str, auth=None) -> bytes:
    status, _, body = reg.get(f"/v2/{repo}/manifests/{tag}", MANIFEST, auth)
    assert status == 200, body
    return body


@needs_helm
@pytest.mark.parametrize("name", ["demo", "rich"])
def test_push_writes_helms_manifest_and_lines(registry, archives, helm_env, name):
    tgz = str(archives[name])
    h = run("helm", ["push", tgz, f"oci://{registry.host}/h{name}", "--plain-http"], helm_env)
    m = run("minihelm", ["push", tgz, f"oci://{registry.host}/m{name}", "--plain-http"],
            helm_env)
    assert h[0] == m[0] == 0
    assert m[2] == h[2].replace(f"/h{name}/", f"/m{name}/")
    tag = "1.0.1" if name == "demo" else "1.2.3_build.7"
    mine = _manifest(registry, f"m{name}/{name}", tag)
    assert mine == _manifest(registry, f"h{name}/{name}", tag)
    doc = json.loads(mine)
    assert doc["annotations"]["org.opencontainers.image.created"] == "2020-01-02T03:04:05Z"
    kinds = sorted(layer["mediaType"] for layer in doc["layers"])
    assert ("application/vnd.cncf.helm.chart.provenance.v1.prov" in kinds) == (name == "rich")
    if name == "rich":
        assert "contains an underscore." in m[2]


@needs_helm
def test_push_skips_blobs_the_registry_has(registry, archives, helm_env):
    tgz = str(archives["demo"])
    assert run("helm", ["push", tgz, f"oci://{registry.host}/skip", "--plain-http"],
               helm_env)[0] == 0
    before = registry.log.read_text().count('http.request.method=POST')
    m = run("minihelm", ["push", tgz, f"oci://{registry.host}/skip", "--plain-http"], helm_env)
    assert m[0] == 0
    assert registry.log.read_text().count('http.request.method=POST') == before
    # a new repository of the same registry: the blobs are uploaded there
    m = run("minihelm", ["push", tgz, f"oci://{registry.host}/fresh", "--plain-http"], helm_env)
    assert m[0] == 0
    assert registry.log.read_text().count('http.request.method=POST') >= before + 2
    status, _, _ = registry.get("/v2/fresh/demo/blobs/" +
                                json.loads(_manifest(registry, "fresh/demo", "1.0.1"))
                                ["layers"][0]["digest"])
    assert status == 200


@needs_helm
@pytest.mark.parametrize("args", [
    ["nope.tgz", "oci://{host}/x"],
    [str(ROOT / "charts" / "demo"), "oci://{host}/x"],
    ["{demo}", "http://{host}/x"],
    ["{demo}", "oci://{host}/x:1.0"],
    ["{demo}", "oci://{host}/X"],
    ["/etc/passwd", "oci://{host}/x"],
    ["{demo}", "oci://127.0.0.1:1/x"],
])
def test_push_errors_match_helm(registry, archives, helm_env, args):
    argv = ["push", *(a.format(host=registry.host, demo=archives["demo"]) for a in args),
            "--plain-http"]
    h, m = run("helm", argv, helm_env), run("minihelm", argv, helm_env)
    assert h[0] == 1
    assert m == h


@needs_helm
def test_push_to_auth_registry(auth_registry, archives, helm_env):
    tgz = str(archives["demo"])
    target = f"oci://{auth_registry.host}/auth"
    for extra in ([], ["--username", USER, "--password", "bad"]):
        argv = ["push", tgz, target, "--plain-http", *extra]
        h, m = run("helm", argv, helm_env), run("minihelm", argv, helm_env)
        assert h[0] == 1
        assert m == h
    # credentials helm stored are used by minihelm
    assert run("helm", ["registry", "login", auth_registry.host, "--plain-http", "-u", USER,
                        "--password-stdin"], helm_env, stdin=PW)[0] == 0
    m = run("minihelm", ["push", tgz, target, "--plain-http"], helm_env)
    assert m[0] == 0, m
    assert _manifest(auth_registry, "auth/demo", "1.0.1", (USER, PW))


@needs_helm
def test_push_to_token_registry(token_registry, archives, helm_env):
    tgz = str(archives["rich"])
    argv = ["push", tgz, f"oci://{token_registry.host}/tok", "--plain-http", "--username", USER,
            "--password", PW]
    m = run("minihelm", argv, helm_env)
    assert m[0] == 0, m
    assert any("scope=repository%3Atok%2Frich%3Apull%2Cpush" in r
               for r in token_registry.token_server.requests)
    h = run("helm", ["pull", f"oci://{token_registry.host}/tok/rich", "--version",
                     "1.2.3+build.7", "--plain-http", "--username", USER, "--password", PW,
                     "-d", str(Path(helm_env["HOME"]))], helm_env)
    assert h[0] == 0, h
    assert (Path(helm_env["HOME"]) / "rich-1.2.3+build.7.tgz").read_bytes() == \
        archives["rich"].read_bytes()
