"""`pull oci://…` against a real registry, beside real helm: resolution, digests, files."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import urllib.parse
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import USERS
from mhtest import ROOT, needs_helm
from ocikit import run

USER, PW = next(iter(USERS.items()))
VERSIONS = ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "0.9.0+meta"]


@pytest.fixture(scope="module")
def published(registry, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """demo in several versions, packaged and pushed by helm to `versions/demo`."""
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    out = tmp_path_factory.mktemp("published")
    env = dict(os.environ)
    found = {}
    for v in VERSIONS:
        code, _, err = run("helm", ["package", str(ROOT / "charts" / "demo"), "--version", v,
                                    "-d", str(out)], env)
        assert code == 0, err
        tgz = out / f"demo-{v}.tgz"
        code, _, err = run("helm", ["push", str(tgz), f"oci://{registry.host}/versions",
                                    "--plain-http"], env)
        assert code == 0, err
        found[v] = tgz
    return found


def _both(argv: list[str], env: dict[str, str], tmp_path: Path) -> dict[str, tuple]:
    """Each tool pulls into its own empty folder; (code, stdout, stderr, {file: bytes})."""
    res = {}
    for tool in ("helm", "minihelm"):
        d = tmp_path / tool
        d.mkdir(parents=True)
        code, out, err = run(tool, [*argv, "-d", str(d)], env)
        files = {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
                 if p.is_file()}
        res[tool] = (code, out, err.replace(str(d), "DEST"), files)
    return res


@needs_helm
@pytest.mark.parametrize("version, expect", [
    (None, "1.10.0"), ("^1", "1.10.0"), ("~1.2", "1.2.0"), (">=2.0.0-0", "2.0.0-rc.1"),
    ("1.0.0", "1.0.0"), ("0.9.0+meta", "0.9.0+meta"), ("<1", "0.9.0+meta"), ("^3", None),
    ("9.9.9", None), ("not a constraint", None),
])
def test_pull_resolves_versions_as_helm(registry, published, helm_env, tmp_path, version,
                                        expect):
    argv = ["pull", f"oci://{registry.host}/versions/demo", "--plain-http"]
    if version is not None:
        argv += ["--version", version]
    res = _both(argv, helm_env, tmp_path)
    assert res["minihelm"] == res["helm"]
    code, _, _, files = res["minihelm"]
    if expect is None:
        assert code == 1 and not files
    else:
        assert files == {f"demo-{expect}.tgz": published[expect].read_bytes()}


@needs_helm
def test_pull_by_digest_and_wrong_digest(registry, published, helm_env, tmp_path):
    _, headers, _ = registry.get("/v2/versions/demo/manifests/1.2.0",
                                      "application/vnd.oci.image.manifest.v1+json")
    digest = {k.lower(): v for k, v in headers.items()}["docker-content-digest"]
    base = f"oci://{registry.host}/versions/demo"
    for i, ref in enumerate([f"{base}@{digest}", f"{base}:1.2.0@{digest}",
                             f"{base}:1.0.0@{digest}", f"{base}@sha256:{'0' * 64}",
                             f"{base}@sha256:12", f"{base}@md5:1234"]):
        res = _both(["pull", ref, "--plain-http"], helm_env, tmp_path / str(i))
        assert res["minihelm"] == res["helm"], ref
    assert res["helm"][0] == 1


@needs_helm
def test_pull_untar_and_prov(registry, published, helm_env, tmp_path):
    base = f"oci://{registry.host}/versions/demo"
    res = _both(["pull", base, "--version", "1.0.0", "--plain-http", "--untar"], helm_env,
                tmp_path)
    assert res["minihelm"] == res["helm"]
    assert "demo/Chart.yaml" in res["minihelm"][3]
    res = _both(["pull", base, "--version", "1.0.0", "--plain-http", "--prov"], helm_env,
                tmp_path / "prov")
    assert res["minihelm"] == res["helm"]  # no provenance layer: both refuse


@needs_helm
def test_helm_pulls_what_minihelm_pushed(registry, published, helm_env, tmp_path):
    tgz = published["1.2.0"]
    m = run("minihelm", ["push", str(tgz), f"oci://{registry.host}/mhpushed", "--plain-http"],
            helm_env)
    assert m[0] == 0, m
    h = run("helm", ["pull", f"oci://{registry.host}/mhpushed/demo", "--plain-http", "-d",
                     str(tmp_path)], helm_env)
    assert h[0] == 0, h
    assert (tmp_path / "demo-1.2.0.tgz").read_bytes() == tgz.read_bytes()


@needs_helm
def test_pull_from_auth_registry(auth_registry, helm_env, tmp_path):
    tgz = tmp_path / "pkg"
    run("helm", ["package", str(ROOT / "charts" / "demo"), "-d", str(tgz)], helm_env)
    (archive,) = tgz.glob("*.tgz")
    assert run("helm", ["push", str(archive), f"oci://{auth_registry.host}/p", "--plain-http",
                        "--username", USER, "--password", PW], helm_env)[0] == 0
    ref = f"oci://{auth_registry.host}/p/demo"
    for i, extra in enumerate([[], ["--username", USER, "--password", "bad"]]):
        res = _both(["pull", ref, "--plain-http", *extra], helm_env, tmp_path / f"no{i}")
        assert res["helm"][0] == 1
        assert res["minihelm"] == res["helm"]
    # minihelm logs in; helm uses the stored credentials, and so does minihelm
    assert run("minihelm", ["registry", "login", auth_registry.host, "--plain-http", "-u", USER,
                            "--password-stdin"], helm_env, stdin=PW + "\n")[0] == 0
    res = _both(["pull", ref, "--plain-http"], helm_env, tmp_path / "in")
    assert res["helm"][0] == 0
    assert res["minihelm"] == res["helm"]
    assert run("minihelm", ["registry", "logout", auth_registry.host], helm_env)[0] == 0
    res = _both(["pull", ref, "--plain-http"], helm_env, tmp_path / "out")
    assert res["helm"][0] == 1
    assert res["minihelm"] == res["helm"]


class _PagedTags(http.server.BaseHTTPRequestHandler):
    """Serves 25 tags, 10 a page, with RFC 8288 Link headers (Distribution 2.8 never pages)."""

    TAGS: ClassVar[list[str]] = [f"1.0.{i}" for i in range(25)]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        start = int(q.get("last", ["-1"])[0].rsplit(".", 1)[-1]) + 1
        page = self.TAGS[start:start + 10]
        body = json.dumps({"name": "paged/demo", "tags": page}).encode()
        self.send_response(200)
        if start + 10 < len(self.TAGS):
            self.send_header("Link", f'</v2/paged/demo/tags/list?last={page[-1]}&n=10>; '
                             'rel="next"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_tag_list_follows_link_pages():
    from minihelm.dist.http import HttpClient
    from minihelm.dist.oci import Registry

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PagedTags)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        reg = Registry(f"127.0.0.1:{httpd.server_address[1]}", HttpClient(), None,
                       plain_http=True)
        assert reg.tags("paged/demo") == _PagedTags.TAGS
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_tag_list_pages_are_bounded():
    from minihelm.dist.http import NetworkError, Response, iter_link_pages

    def endless(url: str) -> Response:
        return Response(200, {"Link": '<?page=again>; rel="next"'}, b"{}", url)

    with pytest.raises(NetworkError, match="more than 5 pages"):
        list(iter_link_pages("http://127.0.0.1:1/v2/x/tags/list", endless, max_pages=5))
