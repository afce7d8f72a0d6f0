"""`minihelm registry login|logout` flags -> dist.session; helm's messages on stderr."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

import typer

from .app import _run, _state, app

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

registry_app = typer.Typer(no_args_is_help=True,
                           help="Login to or logout from a registry (OCI), as `helm registry`.")
app.add_typer(registry_app, name="registry")


def registry_options(plain_http: bool = False, insecure: bool = False, ca_file: str = "",
                     cert_file: str = "", key_file: str = "", registry_config: str = "",
                     debug: bool = False, username: str = "", password: str = ""
                     ) -> RegistryOptions:
    """The registry flags every OCI command shares, as one options record."""
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.http import TLSOptions
    from ..dist.session import RegistryOptions

    _state["debug"] = debug
    return RegistryOptions(plain_http=plain_http,
                           tls=TLSOptions(ca_file, cert_file, key_file, insecure),
                           username=username, password=password,
                           config_file=registry_config, debug=debug)


def _flag(name: str, help_text: str, default: Any = "", *decls: str) -> tuple[str, Any, Any]:
    # text flags default to None (typer shows no empty default); registry_options reads "" then
    if default == "":
        return name, Optional[str], typer.Option(None, *decls, help=help_text)  # noqa: UP045
    return name, type(default), typer.Option(default, *decls, help=help_text)


def registry_flags(insecure_flag: str = "--insecure-skip-tls-verify", credentials: bool = True,
                   debug: bool = True) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command helm's registry flags, declared once; it receives them as `registry`.

    The wrapped command's signature (what typer reads) gains the flags as
    keyword parameters; the call folds them into one RegistryOptions.
    """
    flags = [
        _flag("ca_file", "verify certificates of HTTPS-enabled servers using this CA bundle",
              "", "--ca-file"),
        _flag("cert_file", "identify registry client using this SSL certificate file", "",
              "--cert-file"),
        _flag("key_file", "identify registry client using this SSL key file", "", "--key-file"),
        _flag("insecure", "skip tls certificate checks for the registry", False, insecure_flag),
        _flag("plain_http", "use insecure HTTP connections for the registry", False,
              "--plain-http"),
        _flag("registry_config", "path to the registry config file (default "
              "$HELM_REGISTRY_CONFIG or ~/.config/helm/registry/config.json)", "",
              "--registry-config"),
    ]
    if debug:  # a command with its own --debug passes it on itself
        flags.append(_flag("debug", "show the HTTP exchange (without secrets) and tracebacks",
                           False, "--debug"))
    if credentials:
        flags += [_flag("username", "registry username", "", "--username"),
                  _flag("password", "registry password", "", "--password")]

    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        sig = inspect.signature(fn)
        kept = [p for p in sig.parameters.values() if p.name != "registry"]
        extra = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=opt, annotation=t)
                 for n, t, opt in flags]

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> None:
            values: dict[str, Any] = {n: kwargs.pop(n) or ("" if t is not bool else False)
                                      for n, t, _ in flags}
            fn(*args, registry=registry_options(**values), **kwargs)

        command.__signature__ = sig.replace(parameters=kept + extra)  # type: ignore[attr-defined]
        command.__annotations__ = {**{k: v for k, v in fn.__annotations__.items()
                                      if k != "registry"}, **{n: t for n, t, _ in flags}}
        return command

    return wrap


@registry_app.command()
@registry_flags(insecure_flag="--insecure", credentials=False)
def login(
    host: str = typer.Argument(..., metavar="HOST"),
    username: str = typer.Option("", "--username", "-u", help="registry username"),
    password: str = typer.Option("", "--password", "-p",
                                 help="registry password or identity token"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="read password or identity token from stdin"),
    registry: RegistryOptions | None = None,
) -> None:
    """Authenticate to a remote registry; the credentials go to helm's registry config.

    \b
    Example:
      echo "$TOKEN" | minihelm registry login 127.0.0.1:5000 -u me --password-stdin --plain-http
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import session

    assert registry is not None
    user, secret = _run(lambda: session.login_credentials(username, password, password_stdin))
    _run(lambda: session.login(host, user, secret, registry))


@registry_app.command()
def logout(
    host: str = typer.Argument(..., metavar="HOST"),
    registry_config: str = typer.Option("", "--registry-config",
                                        help="path to the registry config file"),
) -> None:
    """Remove the credentials stored for a registry.

    \b
    Example:
      minihelm registry logout 127.0.0.1:5000
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import session

    opts = registry_options(registry_config=registry_config)
    _run(lambda: session.logout(host, opts))
