"""Runs the minihelm CLI in-process and returns (exit code, stdout, stderr)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from typer.testing import CliRunner

from minihelm.cli.main import app


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(args: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    with chdir(cwd or Path.cwd()):
        res = runner.invoke(app, args, catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr
