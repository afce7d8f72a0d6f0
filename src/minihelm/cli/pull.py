"""`minihelm pull` flags -> pull.pull; silent on success, as helm is."""



from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import typer

from .app import _run, app
from .registry import registry_flags

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions


@app.command()
@registry_flags()
def pull(
    names: list[str] = typer.Argument(..., metavar="NAME...",
                                      help="REPO/CHART, chart names (with --repo) or chart archive URLs"),
    repo: str | None = typer.Option(None, "--repo",
                                       help="chart repository: a folder holding index.yaml, "
                                       "or an http(s) URL"),
    version: str | None = typer.Option(None, "--version",
                                          help="chart version or constraint (default: latest "
                                          "stable)"),
    devel: bool = typer.Option(False, "--devel", help="use development versions, too"),
    destination: str = typer.Option(".", "--destination", "-d",
                                    help="location to write the chart. If this and untardir "
                                    "are specified, untardir is appended to this"),
    untar: bool = typer.Option(False, "--untar", help="untar the chart after downloading it"),
    untardir: str = typer.Option(".", "--untardir",
                                 help="with --untar, the folder the chart is expanded into"),
    verify: bool = typer.Option(False, "--verify", help="verify the package before using it"),
    keyring: str | None = typer.Option(None, "--keyring", show_default=False,
                                       help="location of public keys used for verification "
                                       "(default: $GNUPGHOME/pubring.gpg or "
                                       "~/.gnupg/pubring.gpg)"),
    prov: bool = typer.Option(False, "--prov", help="fetch the provenance file, but don't "
                              "perform verification (OCI)"),
    registry: RegistryOptions | None = None,
) -> None:
    """Download a chart from a repository (folder or http) or an OCI registry, as `helm pull`.

    The archive's sha256 must match the repository index; --untar unpacks it
    (entries are checked: nothing lands outside the target folder).

    \b
    Examples:
      minihelm pull demo --repo /srv/charts --version "^1.2"
      minihelm pull demo --repo https://charts.example.com --untar -d work
      minihelm pull demo --repo /srv/charts --verify --keyring ci.gpg
      minihelm pull oci://127.0.0.1:5000/charts/demo --version "^1" --plain-http
      minihelm pull local/demo --version 1.2.0

    With --verify, the .prov beside the archive is checked first (helm's three
    lines are printed) and kept beside it; nothing is written if it fails.
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.ocichart import pull_to
    from ..dist.provenance import default_keyring
    from ..dist.pull import pull as do_pull
    from ..dist.session import stderr_line

    if not version and devel:
        version = ">0.0.0-0"
    ring = (default_keyring() if keyring is None else keyring) if verify else None
    assert registry is not None
    for name in names:
        if name.startswith("oci://"):
            _run(partial(pull_to, registry.registry, name, version or "", destination,
                         untar, untardir, prov, stderr_line, keyring=ring))
            continue
        _run(partial(do_pull, name, repo, version, destination, untar, untardir, keyring=ring,
                     out=lambda text: typer.echo(text, nl=False)))
