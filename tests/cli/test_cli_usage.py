"""Usage errors print helm's one line (issue 15), exit 2; --help keeps typer's rich layout.

HELM holds what helm v4.1.4 printed first on stderr for the same argv (`helm`
read as `minihelm`); helm exits 1 there, minihelm 2 (docs/exit-codes.md).
The `template` cases also run as a real process, through the console script's
fast argv path (launch.py), which must leave these to the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from mhtest import ROOT
from typer.testing import CliRunner

from minihelm.cli.main import app


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """The CLI in-process, named as the console script names it."""
    res = CliRunner().invoke(app, argv, prog_name="minihelm", catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr

HELM = {
    ("template", "--nope"): "Error: unknown flag: --nope",
    ("template", "x", "--bogus=1"): "Error: unknown flag: --bogus",
    ("template", "-Zq"): "Error: unknown shorthand flag: 'Z' in -Zq",
    ("template", "--kube-version"): "Error: flag needs an argument: --kube-version",
    ("template", "x", "--set"): "Error: flag needs an argument: --set",
    ("template", "-n"): "Error: flag needs an argument: 'n' in -n",
    ("template",): 'Error: "minihelm template" requires at least 1 argument',
    ("template", "a", "b", "c", "d"):
        "Error: expected at most two arguments, unexpected arguments: c, d",
    ("show", "values"): 'Error: "minihelm show values" requires 1 argument',
    ("show", "values", "a", "b"): 'Error: "minihelm show values" requires 1 argument',
    ("show", "values", "--nope"): "Error: unknown flag: --nope",
    ("repo", "index"): 'Error: "minihelm repo index" requires 1 argument',
    ("nope",): 'Error: unknown command "nope" for "minihelm"',
    ("lint", "--nope", "x"): "Error: unknown flag: --nope",
}


@pytest.mark.parametrize("argv", list(HELM), ids=" ".join)
def test_usage_error_is_helms_line(argv: tuple[str, ...]) -> None:
    rc, out, err = run_cli(list(argv))
    assert (rc, out, err.splitlines()[0]) == (2, "", HELM[argv])


def test_missing_argument_is_followed_by_the_usage() -> None:
    _, _, err = run_cli(["template"])
    assert err == ('Error: "minihelm template" requires at least 1 argument\n\n'
                   "Usage:  minihelm template [OPTIONS] [NAME] CHART\n")


def test_unknown_command_says_where_help_is() -> None:
    assert run_cli(["repo", "nope"])[2] == ('Error: unknown command "nope" for "minihelm repo"\n'
                                            "Run 'minihelm repo --help' for usage.\n")


@pytest.mark.parametrize("argv", [a for a in HELM if a[0] == "template"], ids=" ".join)
def test_console_script_path(argv: tuple[str, ...]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MINIHELM_CACHE_DIR": "/nonexistent"}
    p = subprocess.run([sys.executable, "-m", "minihelm", *argv], capture_output=True, text=True,
                       env=env, timeout=120, check=False)
    assert (p.returncode, p.stdout, p.stderr.splitlines()[0]) == (2, "", HELM[argv])


def test_help_keeps_the_rich_layout() -> None:
    rc, out, _ = run_cli(["template", "--help"])
    assert rc == 0
    assert "─ Options ─" in out and "--set" in out


def test_no_subcommand_prints_the_help() -> None:
    rc, out, err = run_cli(["repo"])
    assert rc == 2 and "Usage: minihelm repo" in out + err and "Error" not in out + err
