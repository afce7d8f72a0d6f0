"""Shared fixtures: the repo root, a CLI runner, and skipping when helm/kubectl are absent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mhtest import ROOT, needs, needs_helm, needs_kubectl  # noqa: E402,F401


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests must not read or write the user's template cache.
    os.environ["MINIHELM_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))

