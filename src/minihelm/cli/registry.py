"""`minihelm registry login|logout` flags -> dist.session; helm's messages on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from . import _run, _state, app

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

registry_app = typer.Typer(no_args_is_help=True,
                           help="Login to or logout from a registry (OCI), as `helm registry`.")
app.add_typer(registry_app, name="registry")


def registry_options(plain_http: bool, insecure: bool, ca_file: str, cert_file: str,
                     key_file: str, registry_config: str, debug: bool, username: str = "",
                     password: str = "") -> RegistryOptions:
    """The registry flags every OCI command shares, as one options record."""
    from ..dist.http import TLSOptions
    from ..dist.session import RegistryOptions

    _state["debug"] = debug
    return RegistryOptions(plain_http=plain_http,
                           tls=TLSOptions(ca_file, cert_file, key_file, insecure),
                           username=username, password=password,
                           config_file=registry_config, debug=debug)


RegistryConfigOpt = typer.Option("", "--registry-config",
                                  help="path to the registry config file (default "
                                  "$HELM_REGISTRY_CONFIG or ~/.config/helm/registry/config.json)")
DebugOpt = typer.Option(False, "--debug", help="show the HTTP exchange (without secrets)")


@registry_app.command()
def login(
    host: str = typer.Argument(..., metavar="HOST"),
    username: str = typer.Option("", "--username", "-u", help="registry username"),
    password: str = typer.Option("", "--password", "-p",
                                 help="registry password or identity token"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="read password or identity token from stdin"),
    insecure: bool = typer.Option(False, "--insecure",
                                  help="allow connections to TLS registry without certs"),
    plain_http: bool = typer.Option(False, "--plain-http",
                                    help="use insecure HTTP connections for the chart upload"),
    ca_file: str = typer.Option("", "--ca-file", help="verify certificates of HTTPS-enabled "
                                "servers using this CA bundle"),
    cert_file: str = typer.Option("", "--cert-file", help="identify registry client using this "
                                  "SSL certificate file"),
    key_file: str = typer.Option("", "--key-file", help="identify registry client using this "
                                 "SSL key file"),
    registry_config: str = RegistryConfigOpt,
    debug: bool = DebugOpt,
) -> None:
    """Authenticate to a remote registry; the credentials go to helm's registry config.

    \b
    Example:
      echo "$TOKEN" | minihelm registry login 127.0.0.1:5000 -u me --password-stdin --plain-http
    """
    from ..dist import session

    opts = registry_options(plain_http, insecure, ca_file, cert_file, key_file, registry_config, debug)
    user, secret = _run(lambda: session.login_credentials(username, password, password_stdin))
    _run(lambda: session.login(host, user, secret, opts))


@registry_app.command()
def logout(
    host: str = typer.Argument(..., metavar="HOST"),
    registry_config: str = RegistryConfigOpt,
) -> None:
    """Remove the credentials stored for a registry.

    \b
    Example:
      minihelm registry logout 127.0.0.1:5000
    """
    from ..dist import session

    opts = registry_options(False, False, "", "", "", registry_config, False)
    _run(lambda: session.logout(host, opts))
