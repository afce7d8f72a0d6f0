"""Shared fixtures: the repo root, a CLI runner, and skipping when helm/kubectl are absent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

# scripts/test-deps puts the real helm and kubectl where ../shared/tools/get-helm
# keeps them; find them there when they are not on PATH.
_ORACLE = Path(os.environ.get("MINIHELM_ORACLE", Path.home() / ".cache" / "minihelm-oracle"))
if (_ORACLE / "bin" / "helm").exists():
    os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), str(_ORACLE / "bin")])

from mhtest import ROOT, needs, needs_helm, needs_kubectl  # noqa: E402,F401

# No test's minihelm subprocess may start a render server that outlives it
# (src/minihelm/cli/renderserver.py); tests/cli/test_renderserver.py turns it on.
os.environ["MINIHELM_SERVER"] = "0"
# Nor a compiling child (src/minihelm/cli/later.py): each command compiles after its
# output, in itself; tests/cli/test_later.py runs the detached child.
os.environ["MINIHELM_COMPILE_LATER"] = "wait"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests must not read or write the user's template cache.
    os.environ["MINIHELM_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))




@pytest.fixture(autouse=True)
def _isolated_repositories(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test gets its own repositories.yaml and index cache (helm subprocesses inherit
    # them too): dependency update refreshes every configured repository, as helm does, so
    # the user's file, or another test's, must not leak in.
    root = tmp_path_factory.mktemp("helmrepos")
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(root / "repositories.yaml"))
    monkeypatch.setenv("HELM_REPOSITORY_CACHE", str(root / "repository"))
