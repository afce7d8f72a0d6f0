"""`minihelm dependency list|update|build` -> deps; progress lines and the table on stdout, as helm prints them."""



from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from .app import _run, app
from .registry import registry_flags

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions

dependency_app = typer.Typer(no_args_is_help=True,
                             help="Manage a chart's dependencies (Chart.yaml -> charts/).")
app.add_typer(dependency_app, name="dependency")
app.add_typer(dependency_app, name="dep", hidden=True)

ChartArg = typer.Argument(".", metavar="CHART", help="the chart folder")
VerifyOpt = typer.Option(False, "--verify", help="verify the packages against signatures")
KeyringOpt = typer.Option(None, "--keyring", show_default=False,
                          help="keyring containing public keys (default: "
                          "$GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)")


def _keyring(verify: bool, keyring: str | None) -> str | None:
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.provenance import default_keyring

    return (default_keyring() if keyring is None else keyring) if verify else None


@dependency_app.command("list")
def list_(chart: str = ChartArg) -> None:
    """List a chart's dependencies and their status, as `helm dependency list`.

    STATUS is ok, missing, wrong version, unpacked, corrupt, misnamed, ...

    \b
    Example:
      minihelm dependency list ./demo
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.deps import list_dependencies

    sys.stdout.write(_run(lambda: list_dependencies(chart)))


SkipRefreshOpt = typer.Option(False, "--skip-refresh",
                              help="do not refresh the local repository cache")


@dependency_app.command("update")
@registry_flags()
def update(chart: str = ChartArg, verify: bool = VerifyOpt,
           keyring: str | None = KeyringOpt, skip_refresh: bool = SkipRefreshOpt,
           registry: RegistryOptions | None = None) -> None:
    """Resolve version ranges, refill charts/ and write Chart.lock, as `helm dependency update`.

    Repositories: file://<chart folder>, file://<repository folder with index.yaml>,
    http(s):// chart repositories, and @NAME / alias:NAME for repositories added with
    `repo add` (their cached indexes are refreshed first unless --skip-refresh).

    \b
    With --verify, each download from a repository needs a .prov that verifies
    against the keyring; it is kept beside the archive in charts/.

    \b
    Examples:
      minihelm dependency update ./demo
      minihelm dependency update ./demo --verify --keyring ci.gpg
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.deps import update as do_update

    ring = _keyring(verify, keyring)
    _run(lambda: do_update(chart, out=typer.echo, keyring=ring, registry=registry,
                           skip_refresh=skip_refresh))


@dependency_app.command("build")
@registry_flags()
def build(chart: str = ChartArg, verify: bool = VerifyOpt,
          keyring: str | None = KeyringOpt, skip_refresh: bool = SkipRefreshOpt,
          registry: RegistryOptions | None = None) -> None:
    """Refill charts/ with exactly what Chart.lock names, as `helm dependency build`.

    An out-of-date lock is an error; without a lock this is `update`.

    \b
    With --verify, a download that has a .prov must verify (one without gets a
    warning, as helm's build does).

    \b
    Examples:
      minihelm dependency build ./demo
      minihelm dependency build ./demo --verify --keyring ci.gpg
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.deps import build as do_build

    ring = _keyring(verify, keyring)
    _run(lambda: do_build(chart, out=typer.echo, keyring=ring, registry=registry,
                          skip_refresh=skip_refresh))
