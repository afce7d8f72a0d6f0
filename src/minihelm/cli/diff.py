"""`minihelm diff` flags -> two manifest streams (api.template or a saved file) -> diff.py's output.

Exit codes follow diff(1): 0 same, 1 different, 2 trouble (bad flags or a
chart that does not render), so scripts can tell "changed" from "broken".
"""



from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TypeVar

import typer

from ..errors import MinihelmError, UsageError
from .app import _state, app
from .template import SetFileOpt, SetJsonOpt, SetLiteralOpt, SetOpt, SetStringOpt, ValuesOpt
from .templateargs import split_list

T = TypeVar("T")
EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


@dataclass
class Side:
    """One side of the comparison: an environment and its own -f files."""

    env: str | None = None
    value_files: list[str] = field(default_factory=list)

    def label(self) -> str:
        return self.env or ",".join(Path(f).name for f in self.value_files) or "rendered"


@app.command()
def diff(
    chart: str = typer.Argument(..., metavar="CHART", help="a chart folder or archive"),
    saved: str | None = typer.Argument(
        None, metavar="[SAVED]", help="a saved manifest file (e.g. earlier template output)"),
    env: list[str] | None = typer.Option(
        None, "--env", help="environment: once for both sides, twice for OLD then NEW"),
    values: list[str] | None = ValuesOpt,
    old_values: list[str] | None = typer.Option(
        None, "--old-values", help="values file for the OLD side only (may repeat)"),
    new_values: list[str] | None = typer.Option(
        None, "--new-values", help="values file for the NEW side only (may repeat)"),
    set_: list[str] | None = SetOpt,
    set_string: list[str] | None = SetStringOpt,
    set_file: list[str] | None = SetFileOpt,
    set_json: list[str] | None = SetJsonOpt,
    set_literal: list[str] | None = SetLiteralOpt,
    name: str = typer.Option("release-name", "--name", help="release name"),
    namespace: str = typer.Option("default", "--namespace", "-n", help="release namespace"),
    include_crds: bool = typer.Option(False, "--include-crds", help="compare crds/ too"),
    skip_tests: bool = typer.Option(False, "--skip-tests", help="leave out test hooks"),
    no_hooks: bool = typer.Option(False, "--no-hooks", help="leave out all hooks"),
    kube_version: str | None = typer.Option(None, "--kube-version",
                                            help="Capabilities.KubeVersion for both sides"),
    api_versions: list[str] | None = typer.Option(
        None, "--api-versions", "-a", help="extra Capabilities.APIVersions for both sides"),
    context: int = typer.Option(3, "--context", "-U", min=0, help="lines of context"),
    normalize: bool = typer.Option(
        False, "--normalize", help="compare parsed YAML (key order, comments, quoting ignored)"),
    brief: bool = typer.Option(False, "--brief", "-q", help="only name what differs"),
    color: ColorMode = typer.Option(
        ColorMode.auto, "--color", help="auto: on a terminal unless NO_COLOR is set"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
) -> None:
    """Compare two renderings of a chart, or a rendering with a saved manifest file.

    Resources are matched by kind, namespace and name; each one that differs
    gets a unified diff headed by its kind/name. Values: the --env file,
    then -f files (both sides), then --old-values/--new-values, then --set.
    Exit status: 0 same, 1 different, 2 trouble.

    \b
    Examples:
      minihelm diff charts/demo --env staging --env production
      minihelm diff charts/demo --old-values a.yaml --new-values b.yaml
      minihelm template charts/demo --env production > deployed.yaml
      minihelm diff charts/demo deployed.yaml --env production
    """
    _state["debug"] = debug
    old, new = _trouble(lambda: _sides(env or [], old_values or [], new_values or [], saved))

    def stream(side: Side) -> str:
        # deferred: every command module loads for any command; this one's library loads when it runs
        from .. import api

        return api.template(api.TemplateRequest(
            chart=chart, release_name=name, namespace=namespace,
            value_files=[*(values or []), *side.value_files], set_values=set_ or [],
            set_string=set_string or [], set_file=set_file or [], set_json=set_json or [],
            set_literal=set_literal or [], env=side.env, kube_version=kube_version,
            api_versions=split_list(api_versions), include_crds=include_crds,
            skip_tests=skip_tests, no_hooks=no_hooks))

    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..render.diff import diff_streams, format_brief, format_diffs

    if saved is not None:
        old_text, old_label = _trouble(lambda: _read(saved)), saved
    else:
        old_text, old_label = _trouble(lambda: stream(old)), old.label()
    new_text = _trouble(lambda: stream(new))
    new_label = new.label()
    if old_label == new_label:
        old_label, new_label = "old", "new"
    diffs = diff_streams(old_text, new_text, old_label, new_label, context=context,
                         normalize=normalize)
    if brief:
        sys.stdout.write(format_brief(diffs))
    else:
        sys.stdout.write(format_diffs(diffs, use_color(color, sys.stdout)))
    raise typer.Exit(EXIT_DIFFERENT if diffs else EXIT_SAME)


def _sides(envs: list[str], old_files: list[str], new_files: list[str],
           saved: str | None) -> tuple[Side, Side]:
    """The OLD and NEW side from the flags (see the command's help)."""
    if len(envs) > 2:
        raise UsageError(f"--env is given {len(envs)} times; give it once (both sides) "
                         "or twice (OLD then NEW)")
    if saved is not None and (len(envs) > 1 or old_files):
        raise UsageError("with a SAVED file the rendering is the only side: "
                         "give --env at most once and no --old-values")
    old_env, new_env = (envs[0], envs[-1]) if envs else (None, None)
    return Side(old_env, old_files), Side(new_env, new_files)


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"open {path}: {e.strerror or e}") from None


def _trouble(fn: Callable[[], T]) -> T:
    """Run a library call; any MinihelmError is trouble: one `Error:` line and exit 2."""
    try:
        return fn()
    except MinihelmError as e:
        if _state["debug"]:
            import traceback

            traceback.print_exc()
        typer.echo(f"Error: {e.message}", err=True)
        raise typer.Exit(EXIT_TROUBLE) from None


def use_color(mode: ColorMode, stream: object) -> bool:
    """--color: always/never win; auto colours a terminal unless NO_COLOR is set (no-color.org)."""
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
