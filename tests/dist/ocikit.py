"""Run helm and minihelm side by side (same env, same stdin) for the registry tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(tool: str, args: list[str], env: dict[str, str], stdin: str = "",
        cwd: Path | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `helm ARGS` or `minihelm ARGS` (bounded to 120 s)."""
    if tool == "helm":
        cmd = ["helm", *args]
    else:
        cmd = [sys.executable, "-m", "minihelm", *args]
        env = dict(env, PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""))
    p = subprocess.run(cmd, input=stdin.encode(), capture_output=True, env=env, cwd=cwd,
                       timeout=120, check=False)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def both(args: list[str], env: dict[str, str], stdin: str = "", cwd: Path | None = None
         ) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    return run("helm", args, env, stdin, cwd), run("minihelm", args, env, stdin, cwd)
