"""`minihelm lint` flags -> minihelm.lint.run; the report goes to stdout, the failure summary to stderr."""

from __future__ import annotations

import typer

from ..errors import LintError, MinihelmError
from .app import _run, _state, app
from .template import (
    ExternalLinksOpt,
    SetFileOpt,
    SetJsonOpt,
    SetLiteralOpt,
    SetOpt,
    SetStringOpt,
    ValuesOpt,
)

PathsArg = typer.Argument(..., metavar="PATH...")


@app.command()
def lint(
    paths: list[str] = PathsArg,
    values: list[str] | None = ValuesOpt,
    set_: list[str] | None = SetOpt,
    set_string: list[str] | None = SetStringOpt,
    set_file: list[str] | None = SetFileOpt,
    set_json: list[str] | None = SetJsonOpt,
    set_literal: list[str] | None = SetLiteralOpt,
    namespace: str = typer.Option("default", "--namespace", "-n"),
    strict: bool = typer.Option(False, "--strict", help="fail on lint warnings"),
    with_subcharts: bool = typer.Option(False, "--with-subcharts", help="lint dependent charts"),
    quiet: bool = typer.Option(False, "--quiet", help="print only warnings and errors"),
    skip_schema_validation: bool = typer.Option(
        False, "--skip-schema-validation", help="if set, disables JSON schema validation"),
    kube_version: str | None = typer.Option(
        None, "--kube-version",
        help="Kubernetes version for capabilities, deprecation checks and (new) schema checks"),
    no_kube_schema: bool = typer.Option(
        False, "--no-kube-schema", help="with --kube-version, skip the Kubernetes schema checks"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks"),
    allow_external_links: bool = ExternalLinksOpt,
) -> None:
    """Examine charts for possible issues, as `helm lint` does.

    [ERROR] findings would make an install fail; [WARNING] findings break
    convention.  With --kube-version, rendered objects are also checked against
    that Kubernetes version's schemas (needs `pip install 'minihelm[validate]'`).
    """
    _state["debug"] = debug
    # deferred: every command module loads for any command; this one's library loads when it runs
    from .. import api
    from ..lint.run import LintOptions, format_report, lint_paths, subchart_paths

    if kube_version:
        from ..engine.objects import parse_kube_version

        def check() -> None:
            try:
                parse_kube_version(kube_version)
            except MinihelmError as e:
                raise LintError(e.message) from None

        _run(check)
    all_paths = subchart_paths(paths) if with_subcharts else list(paths)
    req = api.TemplateRequest(
        chart=paths[0], value_files=values or [], set_values=set_ or [],
        set_string=set_string or [], set_file=set_file or [], set_json=set_json or [],
        set_literal=set_literal or [])
    vals = _run(lambda: api.user_values(req))
    opts = LintOptions(values=vals, namespace=namespace, kube_version=kube_version,
                       strict=strict, skip_schema_validation=skip_schema_validation,
                       kube_schema=bool(kube_version) and not no_kube_schema,
                       notice=lambda m: typer.echo(m, err=True),
                       external_links=allow_external_links)
    results = _run(lambda: lint_paths(all_paths, opts))
    report = format_report(results, strict=strict, quiet=quiet)
    typer.echo(report.body, nl=False)
    if report.failed:
        typer.echo(f"Error: {report.summary}", err=True)
        raise typer.Exit(1)
    if report.print_summary:
        typer.echo(report.summary)
