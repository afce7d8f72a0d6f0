"""Registries that lie, stall or fail: one clean `Error:` line, exit 1, nothing left behind."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mhtest import ROOT
from ocikit import run

MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class FakeRegistry:
    """An http.server answering fixed routes: path -> (status, headers, body); counts hits."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.hits: dict[str, int] = {}
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, with_body: bool) -> None:
                path = self.path.split("?")[0]
                fake.hits[path] = fake.hits.get(path, 0) + 1
                answers = fake.routes.get(path) or [(404, {}, b"")]
                status, headers, body = answers[min(fake.hits[path], len(answers)) - 1]
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, repo: str, tag: str, chart: bytes, served_chart: bytes | None = None
                ) -> str:
        """A helm-shaped manifest for `chart`; the blob route may serve other bytes."""
        config = b'{"name":"demo","version":"1.0.1","apiVersion":"v2"}'
        manifest = json.dumps({
            "schemaVersion": 2,
            "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json",
                       "digest": _digest(config), "size": len(config)},
            "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                        "digest": _digest(chart), "size": len(chart)}]}).encode()
        d = _digest(manifest)
        for ref in (tag, d):
            self.routes[f"/v2/{repo}/manifests/{ref}"] = [
                (200, {"Content-Type": MANIFEST, "Docker-Content-Digest": d}, manifest)]
        self.routes[f"/v2/{repo}/blobs/{_digest(config)}"] = [(200, {}, config)]
        self.routes[f"/v2/{repo}/blobs/{_digest(chart)}"] = [
            (200, {}, chart if served_chart is None else served_chart)]
        self.routes[f"/v2/{repo}/tags/list"] = [
            (200, {}, json.dumps({"name": repo, "tags": [tag]}).encode())]
        return d

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    f = FakeRegistry()
    try:
        yield f
    finally:
        f.stop()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """The -d folder of a pull (helm_env's HOME sits beside it)."""
    d = tmp_path / "dest"
    d.mkdir()
    return d


@pytest.fixture(scope="module")
def demo_tgz(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("demo")
    code, _, err = run("minihelm", ["package", str(ROOT / "charts" / "demo"), "-d", str(out)],
                       dict(os.environ))
    assert code == 0, err
    return next(out.glob("*.tgz")).read_bytes()


def _clean_failure(res: tuple[int, str, str], dest: Path) -> str:
    code, _out, err = res
    assert code == 1, res
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, err
    assert not list(dest.iterdir()), "nothing may be left behind"
    return lines[0]


def test_blob_not_matching_its_digest_is_refused(fake, demo_tgz, helm_env, dest):
    tampered = demo_tgz[:100] + bytes([demo_tgz[100] ^ 0xFF]) + demo_tgz[101:]
    fake.publish("evil/demo", "1.0.1", demo_tgz, served_chart=tampered)
    res = run("minihelm", ["pull", f"oci://{fake.host}/evil/demo", "--version", "1.0.1",
                           "--plain-http", "-d", str(dest)], helm_env)
    assert "does not match its digest" in _clean_failure(res, dest)


def test_manifest_not_matching_the_asked_digest_is_refused(fake, demo_tgz, helm_env, dest):
    fake.publish("evil/demo", "1.0.1", demo_tgz)
    other = _digest(b"something else")
    fake.routes[f"/v2/evil/demo/manifests/{other}"] = fake.routes["/v2/evil/demo/manifests/1.0.1"]
    res = run("minihelm", ["pull", f"oci://{fake.host}/evil/demo@{other}", "--plain-http",
                           "-d", str(dest)], helm_env)
    assert "does not match its digest" in _clean_failure(res, dest)


def test_a_good_fake_pull_works_and_5xx_is_retried(fake, demo_tgz, helm_env, dest):
    fake.publish("ok/demo", "1.0.1", demo_tgz)
    route = f"/v2/ok/demo/blobs/{_digest(demo_tgz)}"
    fake.routes[route] = [(503, {}, b"busy"), (502, {}, b"")] + fake.routes[route]
    res = run("minihelm", ["pull", f"oci://{fake.host}/ok/demo", "--version", "1.0.1",
                           "--plain-http", "-d", str(dest)], helm_env)
    assert res[0] == 0, res
    assert (dest / "demo-1.0.1.tgz").read_bytes() == demo_tgz
    assert fake.hits[route] == 3


def test_5xx_retries_are_bounded(fake, helm_env, dest):
    fake.routes["/v2/ok/demo/tags/list"] = [(503, {}, b"")]
    res = run("minihelm", ["pull", f"oci://{fake.host}/ok/demo", "--plain-http", "-d",
                           str(dest)], helm_env)
    assert "response status code 503" in _clean_failure(res, dest)
    assert fake.hits["/v2/ok/demo/tags/list"] == 3


def test_oversized_manifest_is_refused(fake, helm_env, dest):
    fake.routes["/v2/big/demo/manifests/1.0.0"] = [
        (200, {"Content-Type": MANIFEST}, b"{" + b" " * (5 << 20) + b"}")]
    res = run("minihelm", ["pull", f"oci://{fake.host}/big/demo", "--version", "1.0.0",
                           "--plain-http", "-d", str(dest)], helm_env)
    assert "more than the limit" in _clean_failure(res, dest)


def test_manifest_that_is_not_json_is_refused(fake, helm_env, dest):
    for i, body in enumerate([b"not json", b"[]", b'{"config": 1, "layers": {}}']):
        fake.routes["/v2/bad/demo/manifests/1.0.0"] = [(200, {"Content-Type": MANIFEST}, body)]
        fake.hits.clear()
        res = run("minihelm", ["pull", f"oci://{fake.host}/bad/demo", "--version", "1.0.0",
                               "--plain-http", "-d", str(dest)], helm_env)
        assert "not an OCI image manifest" in _clean_failure(res, dest), i


def test_unreachable_hosts_fail_cleanly_and_in_bounded_time(helm_env, dest):
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        env = dict(helm_env, MINIHELM_READ_TIMEOUT="2")
        for host in ("127.0.0.1:1", f"127.0.0.1:{silent.getsockname()[1]}"):
            start = time.monotonic()
            res = run("minihelm", ["pull", f"oci://{host}/x/demo", "--version", "1.0.0",
                                   "--plain-http", "-d", str(dest)], env)
            assert time.monotonic() - start < 20
            line = _clean_failure(res, dest)
            assert host in line
            assert ("connection refused" in line) == host.endswith(":1")


def test_debug_shows_the_exchange_without_secrets(fake, demo_tgz, helm_env, dest):
    fake.publish("ok/demo", "1.0.1", demo_tgz)
    res = run("minihelm", ["pull", f"oci://{fake.host}/ok/demo", "--version", "1.0.1",
                           "--plain-http", "-d", str(dest), "--debug", "--username", "u",
                           "--password", "topsecret"], helm_env)
    assert res[0] == 0, res
    assert f"GET http://{fake.host}/v2/ok/demo/manifests/1.0.1 -> 200" in res[2]
    assert "topsecret" not in res[2] and "Authorization" not in res[2]
