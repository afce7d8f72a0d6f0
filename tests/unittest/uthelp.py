"""Runs helm-unittest suites against the fixture chart in a scratch copy; returns verdicts and output."""

from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path
from typing import Any

from minihelm.unittest.runner import Options, Runner

CHARTS = Path(__file__).parent / "charts"


def chart_copy(tmp_path: Path, name: str = "demo") -> Path:
    dest = tmp_path / name
    shutil.copytree(CHARTS / name, dest)
    return dest


def write_suite(chart: Path, text: str, name: str = "demo_test.yaml") -> Path:
    path = chart / "tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def run(chart: Path, **opts: Any) -> tuple[bool, str, Runner]:
    out = io.StringIO()
    opts.setdefault("color", False)
    r = Runner(Options(**opts), out)
    ok = r.run([str(chart)])
    return ok, out.getvalue(), r
