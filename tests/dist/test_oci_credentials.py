"""Credentials shared with helm: docker's config.json as a fallback, bearer-token registries."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import USERS
from mhtest import ROOT, needs_helm
from ocikit import both, run

USER, PW = next(iter(USERS.items()))


@pytest.fixture(scope="module")
def demo_tgz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    out = tmp_path_factory.mktemp("creds")
    assert run("helm", ["package", str(ROOT / "charts" / "demo"), "-d", str(out)],
               dict(os.environ))[0] == 0
    return next(out.glob("*.tgz"))


@needs_helm
def test_docker_config_is_read_as_a_fallback(auth_registry, demo_tgz, helm_env):
    docker = Path(helm_env["DOCKER_CONFIG"])
    docker.mkdir(parents=True)
    auth = base64.b64encode(f"{USER}:{PW}".encode()).decode()
    (docker / "config.json").write_text(json.dumps({"auths": {auth_registry.host:
                                                              {"auth": auth}}}))
    h, m = both(["push", str(demo_tgz), f"oci://{auth_registry.host}/docker", "--plain-http"],
                helm_env)
    assert h[0] == 0
    assert m == h
    assert not (Path(helm_env["HELM_CONFIG_HOME"]) / "registry" / "config.json").exists()


@needs_helm
def test_token_registry_credentials_shared_both_ways(token_registry, demo_tgz, helm_env,
                                                     tmp_path):
    host = token_registry.host
    login = ["registry", "login", host, "--plain-http", "-u", USER, "--password-stdin"]
    # helm logs in and pushes; minihelm pulls, shows and renders with what helm stored
    assert run("helm", login, helm_env, stdin=PW)[0] == 0
    assert run("helm", ["push", str(demo_tgz), f"oci://{host}/shared", "--plain-http"],
               helm_env)[0] == 0
    for argv in (["show", "chart", f"oci://{host}/shared/demo"],
                 ["template", "t", f"oci://{host}/shared/demo"]):
        h, m = both([*argv, "--plain-http"], helm_env)
        assert h[0] == 0
        assert m == h
    # minihelm logs in afresh; helm pulls with what minihelm stored
    assert run("helm", ["registry", "logout", host], helm_env)[0] == 0
    assert run("helm", ["pull", f"oci://{host}/shared/demo", "--plain-http", "-d",
                        str(tmp_path)], helm_env)[0] == 1
    assert run("minihelm", login, helm_env, stdin=PW) == (0, "", "Login Succeeded\n")
    h = run("helm", ["pull", f"oci://{host}/shared/demo", "--plain-http", "-d", str(tmp_path)],
            helm_env)
    assert h[0] == 0, h
    assert (tmp_path / demo_tgz.name).read_bytes() == demo_tgz.read_bytes()
