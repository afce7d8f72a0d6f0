"""Test helpers shared by every test module: the repo root and helm/kubectl skips.

(Kept out of conftest.py: a conftest in a sub-folder would shadow `import conftest`.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def needs(binary: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(binary) is None, reason=f"{binary} not installed")


needs_helm = needs("helm")
needs_kubectl = needs("kubectl")
