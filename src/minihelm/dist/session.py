"""Registry flags (TLS, plain HTTP, credentials, debug) -> configured Registry clients, login and logout; feeds push, pull, show, template and deps.

Credentials, as helm's registry client picks them: `--username` and
`--password` when both are given, else what helm's registry config (or
docker's) holds for the host.  `registry login` checks the credentials with
``GET /v2/`` before storing them and prints ``Login Succeeded``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from ..errors import RepoError
from .auth import Credential
from .credentials import CredentialStore
from .http import HttpClient, TLSOptions
from .oci import Registry

__all__ = ["PASSWORD_WARNING", "RegistryOptions", "login", "logout"]

Out = Callable[[str], None]


def stderr_line(line: str) -> None:
    """Where helm's status lines (Pushed:, Login Succeeded) go."""
    sys.stderr.write(line + "\n")


@dataclass
class RegistryOptions:
    """What helm's registry flags say; `registry(host)` builds one client per host."""

    plain_http: bool = False
    tls: TLSOptions = field(default_factory=TLSOptions)
    username: str = ""
    password: str = ""
    config_file: str = ""
    debug: bool = False
    _clients: dict[str, Registry] = field(default_factory=dict, repr=False)

    def store(self) -> CredentialStore:
        return CredentialStore.default(self.config_file or None)

    def http(self) -> HttpClient:
        return HttpClient(tls=self.tls, debug=stderr_line if self.debug else None)

    def credential(self, host: str) -> Credential | None:
        if self.username and self.password:
            return Credential(self.username, self.password)
        return self.store().get(host)

    def registry(self, host: str) -> Registry:
        if host not in self._clients:
            self._clients[host] = Registry(host, self.http(), self.credential(host),
                                           self.plain_http)
        return self._clients[host]


PASSWORD_WARNING = ('level=WARN msg="using --password via the CLI is insecure. '
                    'Use --password-stdin"')


def login(host: str, username: str, password: str, opts: RegistryOptions, err: Out = stderr_line
          ) -> None:
    """`helm registry login HOST`: ping /v2/ with the credentials, then store them in helm's file.

    A HOST with a path is warned about and then refused, as helm 4 does.
    """
    if "/" in host:
        err('level=WARN msg="registry login currently only supports registry hostname, not a '
            f'repository path" host={host} suggested={host.split("/")[0]}')
        raise RepoError(f'invalid reference: invalid registry "{host}"')
    cred = Credential(username, password)
    reg = Registry(host, opts.http(), cred, opts.plain_http)
    try:
        reg.ping()
    except RepoError as e:
        raise RepoError(f'authenticating to "{host}": {e.message}') from None
    opts.store().put(host, cred)
    err("Login Succeeded")


def logout(host: str, opts: RegistryOptions, err: Out = stderr_line) -> None:
    """`helm registry logout HOST`: drop the host's entry from helm's file (absent is no error)."""
    opts.store().remove(host)
    err(f"Removing login credentials for {host}")


def login_credentials(username: str, password: str, password_stdin: bool,
                      stdin: TextIO | None = None, out: TextIO | None = None,
                      err: Out = stderr_line) -> tuple[str, str]:
    """helm's getUsernamePassword: the flags, else stdin (--password-stdin), else prompts.

    --password-stdin reads all of stdin and drops one trailing newline (and
    carriage return); -p is then ignored.  Prompts go to stdout; a password is
    read without echo and only from a terminal.
    """
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    if password_stdin:
        text = stdin.read().removesuffix("\n").removesuffix("\r")
        return username, text
    if password:
        err(PASSWORD_WARNING)
        return username, password
    if not username:
        out.write("Username: ")
        out.flush()
        line = stdin.readline()
        if not line:
            raise RepoError("EOF")
        username = line.strip()
    label = "Password: " if username else "Token: "
    out.write(label)
    out.flush()
    if not stdin.isatty():
        raise RepoError("inappropriate ioctl for device")
    import getpass

    secret = getpass.getpass("", stream=out)
    if not secret:
        raise RepoError("password required" if username else "token required")
    return username, secret
