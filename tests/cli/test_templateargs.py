"""templateargs reads `template` argv as the typer command does, or declines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from minihelm import api
from minihelm.cli import replay
from minihelm.cli.main import app
from minihelm.cli.templateargs import DEFAULTS, FLAG, MANY, ONE, OPTIONS, template_fields

DEMO = Path(__file__).resolve().parent.parent.parent / "charts" / "demo"


def test_the_option_table_is_the_typer_commands() -> None:
    command = typer.main.get_command(app).commands["template"]  # type: ignore[attr-defined]
    table: dict[str, tuple[str, str]] = {}
    defaults: dict[str, Any] = {}
    for p in command.params:
        if p.name == "args":
            continue
        kind = FLAG if p.is_flag else MANY if p.multiple else ONE
        table.update({opt: (p.name, kind) for opt in p.opts})
        if p.default not in (None, False):
            defaults[p.name] = p.default
    assert OPTIONS == table
    assert DEFAULTS == defaults


def _typer_request(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The request fields the typer command builds for argv, or None if it refuses argv."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(api, "template", lambda req: seen.append(req.as_dict()) or "")
    monkeypatch.setattr(replay, "begin", lambda fields: None)
    monkeypatch.setattr(replay, "finish", lambda out: None)
    result = CliRunner().invoke(app, ["template", *argv])
    return seen[0] if result.exit_code == 0 and seen else None


_VALUES = st.sampled_from(["a", "x.yaml", "k=v", "a,b", "", "=", "a=b=c", '"q,r",s'] * 3
                          + ["-z", "-", "--x"])
_NAMES = sorted(set(OPTIONS) - {"--no-cache", "--dependency-update", "--output-dir"})


@st.composite
def _unit(draw: st.DrawFn) -> list[str]:
    """One option as a user writes it: a flag, `--opt value`, `--opt=value` or `-xvalue`."""
    option = draw(st.sampled_from(_NAMES))
    value = draw(_VALUES)
    if OPTIONS[option][1] == FLAG:
        return draw(st.sampled_from([[option]] * 4 + [[f"{option}={value}"]]))
    attached = f"{option}{value}" if len(option) == 2 else f"{option}={value}"
    forms = [[option, value]] * 3 + [[f"{option}={value}"], [attached], [option]]
    return draw(st.sampled_from(forms))


@st.composite
def _argv(draw: st.DrawFn) -> list[str]:
    """Mostly well-formed argv (positionals and options in any order), sometimes not."""
    units = draw(st.lists(_unit(), max_size=5))
    units += [[a] for a in draw(st.lists(st.sampled_from(["chart", "rel", "./x"]),
                                         min_size=1, max_size=2))]
    units += draw(st.sampled_from([[]] * 4 + [[["-"]], [["--"]], [["x"]], [["--no-cache"]]]))
    return [token for unit in draw(st.permutations(units)) for token in unit]


@settings(max_examples=300, deadline=None)
@given(_argv())
def test_an_accepted_argv_gives_what_typer_gives(argv: list[str]) -> None:
    fields = template_fields(argv)
    if fields is None:
        return  # declined: the CLI parses it
    with pytest.MonkeyPatch.context() as mp:
        assert _typer_request(argv, mp) == fields


@pytest.mark.parametrize("argv", [
    ["./demo"],
    ["rel", "./demo", "-f", "a.yaml", "--values=b.yaml", "-fc.yaml", "--set", "x=1,y=2"],
    ["./demo", "-n", "ns", "--include-crds", "--api-versions", "a/v1,b/v2", "-a", "c/v1"],
    ["--namespace=ns", "rel", "--is-upgrade", "./demo", "--kube-version", "1.30", "-s", "t.yaml"],
])
def test_usual_forms_are_read(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fields = template_fields(argv)
    assert fields is not None and fields == _typer_request(argv, monkeypatch)


@pytest.mark.parametrize("argv", [
    [], ["a", "b", "c"], ["./demo", "--help"], ["./demo", "-f"], ["./demo", "-f", "-"],
    ["./demo", "--no-cache"], ["./demo", "--dependency-update"], ["./demo", "--output-dir", "o"],
    ["./demo", "--include-crds=true"], ["--", "./demo"], ["./demo", "--nope"],
])
def test_other_forms_are_left_to_the_cli(argv: list[str]) -> None:
    assert template_fields(argv) is None


def _launch(args: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys, minihelm.cli.launch as L\n"
            "L._leave = lambda code=0: (sys.stdout.flush(), sys.stderr.write("
            "'\\nTYPER=' + str('typer' in sys.modules)), sys.exit(code))\n"
            "L.main()\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code, "template", *args], env=env,
                          capture_output=True, text=True, check=False)


def test_a_first_render_does_not_import_typer(tmp_path: Path) -> None:
    fast = _launch([str(DEMO), "-f", str(DEMO / "production_values.yaml")], tmp_path / "a")
    assert fast.returncode == 0 and fast.stderr.endswith("TYPER=False")
    assert "replicas: 3" in fast.stdout


def test_a_failing_render_is_reported_as_the_cli_would_without_typer(tmp_path: Path) -> None:
    # one render, not a second one under typer to report it: the same line and exit code
    args = [str(DEMO), "-f", str(tmp_path / "missing.yaml")]
    failed = _launch(args, tmp_path / "b")
    line = f"Error: open {tmp_path / 'missing.yaml'}: no such file or directory\n"
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr == line + "\nTYPER=False"
    typer_run = CliRunner().invoke(app, ["template", *args], catch_exceptions=False)
    assert (typer_run.exit_code, typer_run.stderr) == (1, line)


def test_ctrl_c_before_the_cli_ends_as_the_cli_would(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from minihelm.cli import launch

    def interrupted(argv: list[str], entry: object) -> bool:
        raise KeyboardInterrupt

    left: list[int] = []
    monkeypatch.setattr(replay, "replay", interrupted)
    monkeypatch.setattr(launch, "_leave", left.append)
    monkeypatch.setattr(sys, "argv", ["minihelm", "template", str(DEMO)])
    launch.main()
    assert left == [1] and capsys.readouterr().err == "\nAborted!\n"
