"""`minihelm template` flags -> api.template; the stream goes to stdout."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from typing import TYPE_CHECKING

import typer

from .._core.symlinks import EXTERNAL_LINKS_FLAG
from . import replay
from .app import _run, _state, app
from .registry import registry_flags
from .templateargs import request_fields

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

ValuesOpt = typer.Option(None, "--values", "-f", help="values file (may repeat; later wins)")
SetOpt = typer.Option(None, "--set", help="set values: a.b=c,x[0]=y (may repeat)")
SetStringOpt = typer.Option(None, "--set-string", help="set STRING values (may repeat)")
SetFileOpt = typer.Option(None, "--set-file", help="set values from files: key=path")
SetJsonOpt = typer.Option(None, "--set-json", help="set JSON values: key=<json>")
SetLiteralOpt = typer.Option(None, "--set-literal", help="set a literal STRING value")
ExternalLinksOpt = typer.Option(
    False, EXTERNAL_LINKS_FLAG,
    help="follow symlinks in the chart folder that resolve outside it (helm always does; "
         "without this flag minihelm refuses them)")


@app.command()
@registry_flags(debug=False)
def template(
    args: list[str] = typer.Argument(..., metavar="[NAME] CHART"),
    values: list[str] | None = ValuesOpt,
    set_: list[str] | None = SetOpt,
    set_string: list[str] | None = SetStringOpt,
    set_file: list[str] | None = SetFileOpt,
    set_json: list[str] | None = SetJsonOpt,
    set_literal: list[str] | None = SetLiteralOpt,
    env: str | None = typer.Option(None, "--env", help="layer the chart's values file for ENV"),
    namespace: str = typer.Option("default", "--namespace", "-n"),
    show_only: list[str] | None = typer.Option(None, "--show-only", "-s"),
    output_dir: str | None = typer.Option(None, "--output-dir"),
    release_name_dir: bool = typer.Option(False, "--release-name",
                                          help="use the release name in the output-dir path"),
    include_crds: bool = typer.Option(False, "--include-crds"),
    skip_tests: bool = typer.Option(False, "--skip-tests"),
    no_hooks: bool = typer.Option(False, "--no-hooks"),
    skip_schema_validation: bool = typer.Option(False, "--skip-schema-validation"),
    kube_version: str | None = typer.Option(None, "--kube-version"),
    api_versions: list[str] | None = typer.Option(None, "--api-versions", "-a"),
    is_upgrade: bool = typer.Option(False, "--is-upgrade"),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="do not use the template cache or replay an earlier run"),
    validate_schema: bool = typer.Option(
        False, "--validate-schema",
        help="check objects against the --kube-version Kubernetes schemas (minihelm[validate])"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
    dependency_update: bool = typer.Option(
        False, "--dependency-update",
        help="update dependencies if they are missing before rendering the chart"),
    allow_external_links: bool = ExternalLinksOpt,
    version: str | None = typer.Option(None, "--version",
                                       help="chart version or constraint (oci:// charts)"),
    registry: RegistryOptions | None = None,
) -> None:
    """Render chart templates locally, as `helm template` does.

    Example: minihelm template ./demo -f demo/production_values.yaml
    """
    params = dict(locals())  # every parameter: request_fields reads them by name
    _state["debug"] = debug
    if len(args) > 2:
        typer.echo("Error: expected at most two arguments, unexpected arguments: "
                   + ", ".join(args[2:]), err=True)  # helm's words
        raise typer.Exit(2)
    chart = args[-1]
    if chart.startswith("oci://"):
        from ..dist.ocichart import pulled_archive
        from ..dist.session import stderr_line

        assert registry is not None
        registry.debug = debug
        with contextlib.ExitStack() as stack:  # the pulled archive lives for the render
            path = _run(lambda: stack.enter_context(pulled_archive(
                registry.registry, chart, (version or "").strip(), stderr_line)))
            _render([*args[:-1], str(path)], params, no_cache=True)
        return
    from ..chart.loader import names_a_repository_chart  # deferred: the render loads it anyway

    if names_a_repository_chart(chart):
        # helm's LocateChart: a repository added with `repo add`, its index from the cache
        from ..dist.repopull import fetch_named

        fname, data = _run(lambda: fetch_named(chart, (version or "").strip()))
        with tempfile.TemporaryDirectory(prefix="minihelm-template-") as tmp:
            local = os.path.join(tmp, os.path.basename(fname))
            with open(local, "wb") as fh:
                fh.write(data)
            _render([*args[:-1], local], params, no_cache=True)
        return
    _render(args, params, no_cache or dependency_update, dependency_update, registry)


def _render(args: list[str], params: dict[str, object], no_cache: bool,
            dependency_update: bool = False, registry: RegistryOptions | None = None) -> None:
    chart = args[-1]
    if dependency_update:
        from ..dist.deps import update_if_missing

        # helm runs the dependency manager with the command's stdout as its output
        _run(lambda: update_if_missing(chart, out=typer.echo, registry=registry))
    # deferred: every command module loads for any command; this one's library loads when it runs
    from .. import api

    req = api.TemplateRequest(**request_fields(args, params))
    if not no_cache:
        replay.begin(req.as_dict())  # a later identical argv may skip this parse
    out = _run(lambda: api.template(req))
    sys.stdout.write(out)
    replay.finish(out)


