"""Shared fixtures: the repo root, a CLI runner, and skipping when helm/kubectl are absent."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests must not read or write the user's template cache.
    os.environ["MINIHELM_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def needs(binary: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(binary) is None, reason=f"{binary} not installed")


needs_helm = needs("helm")
needs_kubectl = needs("kubectl")
