"""CLI polish: docs/cli.md matches every command's --help, examples, NO_COLOR on a terminal, exit codes."""

from __future__ import annotations

import importlib.util
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer
from clirun import run_cli

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = str(ROOT / "charts" / "demo")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def gen_cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------- docs/cli.md


def test_cli_reference_is_up_to_date() -> None:
    # Generated now, from the app as it is: a command added or changed since the
    # last `python scripts/gen_cli_docs.py` makes this fail.
    expected = gen_cli_docs().render()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_cli_reference_sections_are_the_help_texts() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for title in ["minihelm", "minihelm template", "minihelm diff", "minihelm env list"]:
        assert f"\n## {title}\n" in text
    help_text = gen_cli_docs().help_text(("diff",))
    assert help_text.lstrip().startswith("Usage: minihelm diff [OPTIONS]")
    assert f"```text\n{help_text}\n```" in text
    assert not ANSI.search(text)


def test_generator_walks_nested_groups_in_order() -> None:
    app = typer.Typer()
    sub = typer.Typer()
    app.add_typer(sub, name="grp")

    @app.command()
    def first() -> None:
        """First."""

    @sub.command("leaf")
    def leaf() -> None:
        """Leaf."""

    @app.command(hidden=True)
    def secret() -> None:
        """Hidden."""

    paths = list(gen_cli_docs().commands(typer.main.get_command(app)))
    assert paths == [(), ("first",), ("grp",), ("grp", "leaf")]


# ---------------------------------------------------------------- help and completion


@pytest.mark.parametrize("path", [["diff"], ["env", "list"]])
def test_commands_show_examples(path: list[str]) -> None:
    code, out, _ = run_cli([*path, "--help"])
    assert code == 0
    examples = out[out.index("Examples:"):].splitlines()[1:3]
    assert all(line.strip().startswith("minihelm " + " ".join(path)) for line in examples)


def test_root_help_lists_the_commands() -> None:
    code, out, _ = run_cli(["--help"])
    assert code == 0
    for name in ["template", "diff", "env"]:
        assert re.search(rf"│ {name} ", out)


def test_shell_completion_script() -> None:
    res = subprocess.run([sys.executable, "-m", "minihelm.cli", "--show-completion", "bash"],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0
    assert "_MINIHELM_COMPLETE=complete_bash" in res.stdout


# ---------------------------------------------------------------- colour on a real terminal


def on_tty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with stdout on a pseudo terminal; (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "minihelm.cli", *args], stdout=slave,
                                stderr=subprocess.DEVNULL, env={**os.environ, **env})
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
    return code, b"".join(chunks).decode()


def clean_env(**extra: str) -> dict[str, str]:
    env = {"TERM": "xterm", "NO_COLOR": "", "FORCE_COLOR": "", "COLUMNS": "100"}
    env.update(extra)
    return env


def test_diff_colours_a_terminal_unless_no_color() -> None:
    args = ["diff", DEMO, "--env", "staging", "--env", "production"]
    code, out = on_tty(args, clean_env())
    assert code == 1
    assert "\x1b[31m-    environment: staging" in out
    code, out = on_tty(args, clean_env(NO_COLOR="1"))
    assert code == 1
    assert "-    environment: staging" in out and not ANSI.search(out)


def test_help_has_no_colour_with_no_color() -> None:
    code, out = on_tty(["diff", "--help"], clean_env(NO_COLOR="1"))
    assert code == 0 and "Usage" in out
    assert not ANSI.search(out)


# ---------------------------------------------------------------- documented exit codes


@pytest.mark.parametrize("args, code", [
    (["template", DEMO], 0),
    (["template", "/nonexistent/chart"], 1),                  # the command failed
    (["template", DEMO, "--set", "a.b[x]=1"], 1),             # values that do not parse
    (["template", DEMO, "--no-such-flag"], 2),                 # used wrongly
    (["template", "Bad_Name", DEMO], 2),
    (["template", DEMO, "--env", "qa"], 2),
    (["env", "list", DEMO, "-o", "xml"], 2),
    (["diff", DEMO, "--env", "staging", "--env", "staging"], 0),
    (["diff", DEMO, "--env", "staging", "--env", "production"], 1),
    (["diff", "/nonexistent/chart"], 2),                        # trouble, not "different"
])
def test_exit_codes_are_as_documented(args: list[str], code: int) -> None:
    assert run_cli(args)[0] == code
    doc = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    assert f"| {code} |" in doc
