"""pytest --minihelm-unittest CHART: each suite test is a pytest item (-k selects, failures show details)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from uthelp import chart_copy, write_suite

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           *args],
                          cwd=cwd, capture_output=True, text=True, check=False, env=env,
                          timeout=300)


SUITE = """\
suite: service
templates: [service.yaml]
tests:
  - it: is a service
    asserts:
      - isKind: {of: Service}
  - it: has the wrong port
    asserts:
      - equal: {path: 'spec.ports[0].port', value: 1}
  - it: is skipped
    skip: {reason: not yet}
    asserts:
      - isKind: {of: Service}
  - it: snapshots its spec
    asserts:
      - matchSnapshot: {path: spec}
"""


def test_suites_become_items(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SUITE)
    res = _pytest(tmp_path, "--minihelm-unittest", "demo", "-rs")
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "1 failed, 2 passed, 1 skipped" in out
    assert "\t\t\tExpected to equal:\n\t\t\t\t1\n\t\t\tActual:\n\t\t\t\t80\n" in out
    assert "not yet" in out
    assert (chart / "tests" / "__snapshot__" / "demo_test.yaml.snap").exists()


def test_k_selects_tests_and_keeps_other_snapshots(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SUITE)
    _pytest(tmp_path, "--minihelm-unittest", "demo")
    snap = chart / "tests" / "__snapshot__" / "demo_test.yaml.snap"
    before = snap.read_text()
    res = _pytest(tmp_path, "--minihelm-unittest", "demo", "-k", "service and not wrong")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 passed, 1 skipped, 1 deselected" in res.stdout
    res = _pytest(tmp_path, "--minihelm-unittest", "demo", "-k", "is_a_service or is a service")
    assert snap.read_text() == before


def test_without_the_flag_nothing_is_collected(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, SUITE)
    res = _pytest(tmp_path, "demo")
    assert "no tests ran" in res.stdout


def test_a_bad_chart_is_a_usage_error(tmp_path: Path) -> None:
    res = _pytest(tmp_path, "--minihelm-unittest", "missing")
    assert res.returncode == 4
    assert "--minihelm-unittest missing:" in res.stderr
