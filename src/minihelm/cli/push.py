"""`minihelm push CHART.tgz oci://HOST/PATH` flags -> dist.ocichart.push_chart; helm's lines on stderr."""

from __future__ import annotations

import typer

from . import _run, app
from .registry import DebugOpt, RegistryConfigOpt, registry_options


@app.command()
def push(
    archive: str = typer.Argument(..., metavar="CHART"),
    remote: str = typer.Argument(..., metavar="REMOTE"),
    ca_file: str = typer.Option("", "--ca-file", help="verify certificates of HTTPS-enabled "
                                "servers using this CA bundle"),
    cert_file: str = typer.Option("", "--cert-file", help="identify registry client using this "
                                  "SSL certificate file"),
    key_file: str = typer.Option("", "--key-file", help="identify registry client using this "
                                 "SSL key file"),
    insecure: bool = typer.Option(False, "--insecure-skip-tls-verify",
                                  help="skip tls certificate checks for the chart upload"),
    plain_http: bool = typer.Option(False, "--plain-http",
                                    help="use insecure HTTP connections for the chart upload"),
    username: str = typer.Option("", "--username", help="chart repository username"),
    password: str = typer.Option("", "--password", help="chart repository password"),
    registry_config: str = RegistryConfigOpt,
    debug: bool = DebugOpt,
) -> None:
    """Push a chart archive to an OCI registry, as `helm push` (+ a .prov beside it).

    \b
    Example:
      minihelm push demo-1.0.1.tgz oci://127.0.0.1:5000/charts --plain-http
    """
    from ..dist.ocichart import push_chart
    from ..dist.session import stderr_line

    opts = registry_options(plain_http, insecure, ca_file, cert_file, key_file, registry_config,
                            debug, username, password)
    _run(lambda: push_chart(opts.registry, archive, remote, stderr_line))
