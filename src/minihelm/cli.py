"""Command line (typer) -> library calls; maps MinihelmError to stderr and an exit code.

No logic lives here: each command parses its flags and calls the library.
Exit codes: 0 success, 1 any minihelm error, 2 a usage error.
"""

from __future__ import annotations

import os
import sys

from typing import Callable, List, Optional, TypeVar

import typer

from .errors import MinihelmError

app = typer.Typer(
    add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False,
    help="A pure-Python, Helm-compatible chart renderer and packager.",
)
repo_app = typer.Typer(no_args_is_help=True, help="Work with a chart repository folder.")
app.add_typer(repo_app, name="repo")

T = TypeVar("T")
_state = {"debug": False}


def _run(fn: Callable[[], T]) -> T:
    """Run a library call; a MinihelmError becomes one `Error:` line and its exit code."""
    try:
        return fn()
    except MinihelmError as e:
        if _state["debug"]:
            import traceback

            traceback.print_exc()
        typer.echo(f"Error: {e.message}", err=True)
        raise typer.Exit(e.exit_code) from None


def _split_list(items: Optional[List[str]]) -> list[str]:
    """pflag's StringSlice: each use may hold comma-separated items."""
    out: list[str] = []
    for item in items or []:
        out += [p for p in item.split(",")]
    return out


ValuesOpt = typer.Option(None, "--values", "-f", help="values file (may repeat; later wins)")
SetOpt = typer.Option(None, "--set", help="set values: a.b=c,x[0]=y (may repeat)")
SetStringOpt = typer.Option(None, "--set-string", help="set STRING values (may repeat)")
SetFileOpt = typer.Option(None, "--set-file", help="set values from files: key=path")
SetJsonOpt = typer.Option(None, "--set-json", help="set JSON values: key=<json>")
SetLiteralOpt = typer.Option(None, "--set-literal", help="set a literal STRING value")


@app.command()
def template(
    args: List[str] = typer.Argument(..., metavar="[NAME] CHART"),
    values: Optional[List[str]] = ValuesOpt,
    set_: Optional[List[str]] = SetOpt,
    set_string: Optional[List[str]] = SetStringOpt,
    set_file: Optional[List[str]] = SetFileOpt,
    set_json: Optional[List[str]] = SetJsonOpt,
    set_literal: Optional[List[str]] = SetLiteralOpt,
    env: Optional[str] = typer.Option(None, "--env", help="layer the chart's values file for ENV"),
    namespace: str = typer.Option("default", "--namespace", "-n"),
    show_only: Optional[List[str]] = typer.Option(None, "--show-only", "-s"),
    output_dir: Optional[str] = typer.Option(None, "--output-dir"),
    release_name_dir: bool = typer.Option(False, "--release-name",
                                          help="use the release name in the output-dir path"),
    include_crds: bool = typer.Option(False, "--include-crds"),
    skip_tests: bool = typer.Option(False, "--skip-tests"),
    no_hooks: bool = typer.Option(False, "--no-hooks"),
    skip_schema_validation: bool = typer.Option(False, "--skip-schema-validation"),
    kube_version: Optional[str] = typer.Option(None, "--kube-version"),
    api_versions: Optional[List[str]] = typer.Option(None, "--api-versions", "-a"),
    is_upgrade: bool = typer.Option(False, "--is-upgrade"),
    no_cache: bool = typer.Option(False, "--no-cache", help="do not use the template cache"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
) -> None:
    """Render chart templates locally, as `helm template` does.

    Example: minihelm template ./demo -f demo/production_values.yaml
    """
    _state["debug"] = debug
    if len(args) > 2:
        typer.echo(f'Error: expected at most 2 arguments, received {len(args)}', err=True)
        raise typer.Exit(2)
    name, chart = (args[0], args[1]) if len(args) == 2 else ("release-name", args[0])
    from . import api

    req = api.TemplateRequest(
        chart=chart, release_name=name, namespace=namespace, value_files=values or [],
        set_values=set_ or [], set_string=set_string or [], set_file=set_file or [],
        set_json=set_json or [], set_literal=set_literal or [], env=env,
        kube_version=kube_version, api_versions=_split_list(api_versions),
        include_crds=include_crds, skip_tests=skip_tests, no_hooks=no_hooks,
        is_upgrade=is_upgrade, show_only=show_only or [], skip_schema_validation=skip_schema_validation,
        output_dir=output_dir, release_name_dir=release_name_dir, use_cache=not no_cache,
    )
    out = _run(lambda: api.template(req))
    sys.stdout.write(out)


@app.command()
def version(short: bool = typer.Option(False, "--short")) -> None:
    """Print minihelm's version and the helm version it matches."""
    from . import __version__
    from .objects import HELM_VERSION

    typer.echo(f"v{__version__}" if short else f"minihelm v{__version__} (helm {HELM_VERSION} compatible)")


def main() -> None:
    """Console-script entry point."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    app(prog_name="minihelm")


if __name__ == "__main__":
    main()


