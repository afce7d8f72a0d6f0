"""CI's short fuzz run: every target for ~2 s with the pure-Python driver (no atheris needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))

from run import SEEDS, random_fuzz
from targets import TARGETS, run_one


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_seeds_run_clean(target: str) -> None:
    for seed in SEEDS[target]:
        run_one(target, seed)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_two_seconds(target: str) -> None:
    findings = random_fuzz(target, 2.0, seed=1, save=False)
    assert not findings, findings[0][1][-3000:]
