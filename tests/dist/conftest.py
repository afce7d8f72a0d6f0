"""Registry fixtures: Distribution on 127.0.0.1 without auth, with htpasswd, with a token server.

Each registry lives for one test module; tests use their own repository
paths so they don't see each other's charts.  `helm_env` gives helm and
minihelm the same private config, cache and credential files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from registrykit import LocalRegistry, have_registry

USERS = {"alice": "wonderland"}


def _registry(tmp_path_factory: pytest.TempPathFactory, name: str, **kw: object
              ) -> Iterator[LocalRegistry]:
    if not have_registry():
        pytest.skip("docker-registry / htpasswd not installed (.ci/run installs them)")
    reg = LocalRegistry(tmp_path_factory.mktemp(name), **kw).start()  # type: ignore[arg-type]
    try:
        yield reg
    finally:
        reg.stop()


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    yield from _registry(tmp_path_factory, "registry")


@pytest.fixture(scope="module")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    yield from _registry(tmp_path_factory, "authregistry", users=USERS)


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    yield from _registry(tmp_path_factory, "tokenregistry", users=USERS, token=True)


@pytest.fixture(scope="module")
def tls_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    yield from _registry(tmp_path_factory, "tlsregistry", users=USERS, tls=True)


@pytest.fixture
def helm_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A private HOME for helm and minihelm alike (registry config, docker config, caches)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "HELM_CONFIG_HOME": str(home / ".config" / "helm"),
        "HELM_CACHE_HOME": str(home / ".cache" / "helm"),
        "HELM_DATA_HOME": str(home / ".local" / "share" / "helm"),
        "DOCKER_CONFIG": str(home / ".docker"),
        "TZ": "UTC",  # the `created` annotation is written in the local zone
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("HELM_REGISTRY_CONFIG", raising=False)
    return dict(os.environ)
