"""`registry login/logout` against real Distribution registries, compared with real helm."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from conftest import USERS
from mhtest import needs_helm
from ocikit import both, run

USER, PW = next(iter(USERS.items()))


def _config(env: dict[str, str]) -> Path:
    return Path(env["HELM_CONFIG_HOME"]) / "registry" / "config.json"


@needs_helm
@pytest.mark.parametrize("case", [
    ["--plain-http", "-u", USER, "-p", PW],
    ["--plain-http", "-u", USER, "-p", "wrong"],
    ["--plain-http", "-p", PW],
    ["--plain-http", "-u", USER],
    ["--plain-http"],
    ["--insecure", "-u", USER, "-p", PW],
])
def test_login_basic_matches_helm(auth_registry, helm_env, case):
    h, m = both(["registry", "login", auth_registry.host, *case], helm_env)
    assert m == h
    if h[0] == 0:
        assert h[2].endswith("Login Succeeded\n")


@needs_helm
def test_login_stores_the_file_helm_writes(auth_registry, registry, helm_env):
    args = ["--plain-http", "-u", USER, "--password-stdin"]
    for host in (auth_registry.host, registry.host):
        h = run("helm", ["registry", "login", host, *args], helm_env, stdin=PW + "\n")
        assert h == (0, "", "Login Succeeded\n")
    helm_file = _config(helm_env).read_bytes()
    _config(helm_env).unlink()
    for host in (auth_registry.host, registry.host):
        m = run("minihelm", ["registry", "login", host, *args], helm_env, stdin=PW + "\n")
        assert m == (0, "", "Login Succeeded\n")
    assert _config(helm_env).read_bytes() == helm_file
    assert oct(_config(helm_env).stat().st_mode & 0o777) == "0o600"
    doc = json.loads(helm_file)
    assert base64.b64decode(doc["auths"][auth_registry.host]["auth"]).decode() == f"{USER}:{PW}"


@needs_helm
def test_login_keeps_other_keys_and_logout_matches_helm(auth_registry, helm_env):
    cfg = _config(helm_env)
    cfg.parent.mkdir(parents=True)
    cfg.write_text('{"auths": {"other.example": {"auth": "eDp5"}}, "credsStore": ""}')
    m = run("minihelm", ["registry", "login", auth_registry.host, "--plain-http", "-u", USER,
                         "--password-stdin"], helm_env, stdin=PW)
    assert m[0] == 0
    doc = json.loads(cfg.read_text())
    assert set(doc["auths"]) == {"other.example", auth_registry.host}
    assert "credsStore" in doc
    for tool in ("minihelm", "helm"):  # the second logout finds nothing: still no error
        h = run(tool, ["registry", "logout", auth_registry.host], helm_env)
        assert h == (0, "", f"Removing login credentials for {auth_registry.host}\n")
    assert set(json.loads(cfg.read_text())["auths"]) == {"other.example"}


@needs_helm
def test_login_bearer_token_matches_helm(token_registry, helm_env):
    for pw in (PW, "bad"):
        h, m = both(["registry", "login", token_registry.host, "--plain-http", "-u", USER,
                     "-p", pw], helm_env)
        assert m == h
    assert token_registry.token_server is not None
    assert any("service=minihelm-registry" in r for r in token_registry.token_server.requests)


@needs_helm
def test_login_errors_match_helm(auth_registry, helm_env):
    for host in (f"{auth_registry.host}/charts", "127.0.0.1:1"):
        h, m = both(["registry", "login", host, "--plain-http", "-u", "a", "-p", "b"], helm_env)
        assert h[0] == 1
        assert m == h
