"""A TLS registry (certificate from a CA made at test time): --ca-file, --insecure, TLS errors."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import USERS
from mhtest import ROOT, needs_helm
from ocikit import both, run

USER, PW = next(iter(USERS.items()))


@needs_helm
def test_login_over_tls_matches_helm(tls_registry, helm_env):
    base = ["registry", "login", tls_registry.host, "-u", USER, "--password-stdin"]
    for extra in ([], ["--insecure"], ["--ca-file", str(tls_registry.ca_file)],
                  ["--plain-http"]):
        h, m = both([*base, *extra], helm_env, stdin=PW)
        assert m == h, extra
    assert "certificate signed by unknown authority" in run("minihelm", base, helm_env,
                                                            stdin=PW)[2]


def test_missing_tls_files_are_one_clean_error(tls_registry, helm_env):
    # helm 4.1.4 panics with a Go trace here (exit 2); minihelm names the file
    for extra in (["--ca-file", "/nonexistent/ca.pem"],
                  ["--cert-file", "/nonexistent/c.pem", "--key-file", "/nonexistent/k.pem"]):
        code, _out, err = run("minihelm", ["registry", "login", tls_registry.host, "-u", USER,
                                          "--password-stdin", *extra], helm_env, stdin=PW)
        assert code == 1
        assert err.splitlines()[-1].endswith(": open /nonexistent/" +
                                             extra[1].rsplit("/", 1)[1] +
                                             ": no such file or directory")


@needs_helm
def test_push_and_pull_over_tls(tls_registry, helm_env, tmp_path):
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    assert run("helm", ["package", str(ROOT / "charts" / "demo"), "-d", str(tmp_path)],
               dict(os.environ))[0] == 0
    (tgz,) = tmp_path.glob("*.tgz")
    ca = ["--ca-file", str(tls_registry.ca_file)]
    creds = ["--username", USER, "--password", PW]
    m = run("minihelm", ["push", str(tgz), f"oci://{tls_registry.host}/tls",
                         "--insecure-skip-tls-verify", *creds], helm_env)
    assert m[0] == 0, m
    assert "Warning" not in m[2]  # urllib3's InsecureRequestWarning stays quiet
    out = tmp_path / "out"
    out.mkdir()
    h = run("helm", ["pull", f"oci://{tls_registry.host}/tls/demo", *ca, *creds, "-d",
                     str(out)], helm_env)
    assert h[0] == 0, h
    assert (out / tgz.name).read_bytes() == tgz.read_bytes()
    h, m = both(["show", "chart", f"oci://{tls_registry.host}/tls/demo", *ca, *creds],
                helm_env)
    assert h[0] == 0
    assert m == h
