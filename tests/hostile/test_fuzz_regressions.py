"""Replay every input the fuzzers kept under fuzz/regressions/<target>/: only MinihelmError may escape."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))

from targets import TARGETS, run_one

# Findings not fixed yet, owned by another module: (target, file) -> reason.
KNOWN: dict[tuple[str, str], str] = {}

CASES = sorted((p.parent.name, p) for p in (FUZZ / "regressions").glob("*/*") if p.is_file())


def test_regression_folders_name_targets() -> None:
    assert {t for t, _ in CASES} <= set(TARGETS)


@pytest.mark.parametrize("target,path", CASES, ids=[f"{t}/{p.name}" for t, p in CASES])
def test_replay(target: str, path: Path) -> None:
    reason = KNOWN.get((target, path.name))
    if reason:
        pytest.xfail(reason)
    run_one(target, path.read_bytes())
