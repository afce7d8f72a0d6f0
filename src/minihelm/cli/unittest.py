"""`minihelm unittest` flags -> minihelm.unittest.runner; helm-unittest's report on stdout, exit 1 on failure."""

from __future__ import annotations

import sys

import typer

from .app import _run, _state, app


@app.command()
def unittest(
    charts: list[str] = typer.Argument(..., metavar="CHART..."),
    file: list[str] | None = typer.Option(
        None, "--file", "-f", help="glob paths of test files location, default to tests/*_test.yaml"),
    values: list[str] | None = typer.Option(
        None, "--values", "-v",
        help="absolute or glob paths of values files location to override helmchart values"),
    update_snapshot: bool = typer.Option(
        False, "--update-snapshot", "-u",
        help="update the snapshot cached if needed, make sure you review the change before update"),
    with_subchart: bool = typer.Option(
        True, "--with-subchart/--without-subchart", "-s",
        help="include tests of the subcharts within `charts` folder"),
    strict: bool = typer.Option(False, "--strict", help="strict parse the testsuites"),
    failfast: bool = typer.Option(
        False, "--failfast", "-q", help="directly quit testing when a test fails"),
    output_file: str = typer.Option(
        "", "--output-file", "-o", help="the file where test results are written"),
    output_type: str = typer.Option(
        "XUnit", "--output-type", "-t", help="JUnit, NUnit, XUnit or Sonar"),
    chart_tests_path: str = typer.Option(
        "", "--chart-tests-path",
        help="folder, relative to the chart, of a helm chart that renders test suites"),
    skip_schema_validation: bool = typer.Option(
        False, "--skip-schema-validation", help="skip values schema validation when rendering"),
    color: bool | None = typer.Option(
        None, "--color/--no-color",
        help="force coloured output even when stdout is not a terminal (or turn it off)"),
    debug: bool = typer.Option(
        False, "--debug", "-d", "--debugPlugin",
        help="write rendered files to .debug/ and show tracebacks"),
) -> None:
    """Run helm-unittest YAML suites (tests/*_test.yaml) against charts, in-process.

    \b
    Examples:
      minihelm unittest charts/demo
      minihelm unittest -f 'tests/**/*_test.yaml' -t JUnit -o report.xml charts/demo
    """
    _state["debug"] = debug
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..unittest.runner import Options, run

    opts = Options(files=file or [], values=values or [], update_snapshot=update_snapshot,
                   with_subchart=with_subchart, strict=strict, fail_fast=failfast,
                   skip_schema=skip_schema_validation, chart_tests_path=chart_tests_path,
                   output_file=output_file, output_type=output_type, debug=debug, color=color)
    progress = _progress if sys.stderr.isatty() else None
    passed = _run(lambda: run(charts, opts, progress=progress))
    if progress is not None:
        sys.stderr.write("\r\x1b[K")
    if not passed:
        raise typer.Exit(1)


def _progress(text: str) -> None:
    sys.stderr.write("\r\x1b[K" + text[:100])
    sys.stderr.flush()
