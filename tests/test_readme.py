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


def test_the_first_block_is_the_two_fresh_machine_commands() -> None:
    text = (ROOT / "README.md").read_text()
    first = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert first is not None and text.index("```sh") < text.index("\n## ")
    install, tests = first.group(1).splitlines()
    assert install.startswith("pip install . && minihelm template charts/demo")
    assert "production_values.yaml" in install
    assert tests == "scripts/test-deps && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test-deps && python3 -m pytest" in ci


def test_test_deps_installs_every_system_part_the_tests_use() -> None:
    script = (ROOT / "scripts" / "test-deps").read_text()
    for package in ("gnupg", "docker-registry", "apache2-utils"):
        assert f"missing+=({package})" in script
    assert script.count("apt-get update -qq") == 2  # once, as root or through sudo
    assert "get-helm" in script and "-e '.[test]'" in script
