"""The README's command blocks run as written from a checkout (issue 15)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from clirun import run_cli
from mhtest import ROOT


def _minihelm_commands() -> list[list[str]]:
    """Every `minihelm ...` command of the README's sh blocks (pipes and && split)."""
    text = (ROOT / "README.md").read_text()
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            for part in re.split(r"&&|\|", line):
                words = shlex.split(part)
                if words[:1] == ["minihelm"]:
                    out.append(words[1:])
    return out


def test_readme_commands_work_from_a_checkout(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "charts", tmp_path / "charts")
    commands = _minihelm_commands()
    assert len(commands) >= 4
    for argv in commands:
        rc, _, err = run_cli(argv, tmp_path)
        assert rc == 0, (argv, err)
    assert (tmp_path / "dist" / "charts" / "index.yaml").is_file()
