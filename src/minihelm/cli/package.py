"""`minihelm package` and `minihelm push` flags -> package.package_chart / repo.push / dist.ocichart.push_chart; one line per result (helm's Pushed:/Digest: on stderr for a registry)."""



from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING

import typer

from ..errors import ProvenanceError
from .app import _run, app
from .registry import registry_flags
from .template import ExternalLinksOpt

if TYPE_CHECKING:
    from ..dist.session import RegistryOptions


def _shown_path(dest: str, written: os.PathLike[str] | str) -> str:
    """helm prints <cwd>/<file> for the default destination, else filepath.Join(dest, file)."""
    name = os.path.basename(os.fspath(written))
    if dest == ".":
        return os.path.join(os.getcwd(), name)
    return os.path.normpath(os.path.join(dest, name))


def _discard(_line: str) -> None:
    """helm hands the dependency manager io.Discard when packaging."""


@app.command()
def package(
    charts: list[str] = typer.Argument(None, metavar="CHART_PATH..."),
    destination: str = typer.Option(".", "--destination", "-d", help="location to write the chart."),
    version: str | None = typer.Option(None, "--version",
                                          help="set the version on the chart to this semver version"),
    app_version: str | None = typer.Option(None, "--app-version",
                                              help="set the appVersion on the chart to this version"),
    dependency_update: bool = typer.Option(
        False, "--dependency-update", "-u",
        help='update dependencies from "Chart.yaml" to dir "charts/" before packaging'),
    sign: bool = typer.Option(False, "--sign",
                              help="use a PGP private key to sign this package"),
    key: str = typer.Option("", "--key",
                            help="name of the key to use when signing. Used if --sign is true"),
    keyring: str | None = typer.Option(None, "--keyring", show_default=False,
                                       help="location of a public keyring (default: "
                                       "$GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)"),
    passphrase_file: str = typer.Option(
        "", "--passphrase-file", help="location of a file which contains the passphrase for "
        'the signing key. Use "-" in order to read from stdin.'),
    allow_external_links: bool = ExternalLinksOpt,
) -> None:
    """Package a chart directory into a versioned chart archive, as `helm package` does.

    The archive is reproducible: same chart, same bytes (mtimes come from
    $SOURCE_DATE_EPOCH or 1980-01-01).

    \b
    With --sign, `<archive>.prov` is written beside it (helm's provenance file);
    if signing fails, neither file is written.

    \b
    Examples:
      minihelm package ./demo
      minihelm package ./demo -d dist --version 1.2.3 --app-version 4.5 -u
      minihelm package ./demo --sign --key 'CI Signer' --keyring secring.gpg \\
          --passphrase-file pass.txt
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist import deps
    from ..dist.package import package_chart
    from ..dist.provenance import chart_signer, default_keyring

    if not charts:
        typer.echo("Error: need at least one argument, the path to the chart", err=True)
        raise typer.Exit(1)
    signer = None
    if sign:
        ring = default_keyring() if keyring is None else keyring
        for missing, flag in ((not key, "--key"), (not ring, "--keyring")):
            if missing:
                typer.echo(f"Error: {flag} is required for signing a package", err=True)
                raise typer.Exit(1)
        signer = chart_signer(ring, key, passphrase_file or None, _prompt_passphrase)
    for chart in charts:
        if dependency_update and os.path.isdir(chart):
            _run(partial(deps.update, chart, out=_discard))
        written = _run(partial(package_chart, chart, destination, version, app_version,
                               sign=signer, external_links=allow_external_links))
        typer.echo(f"Successfully packaged chart and saved it to: {_shown_path(destination, written)}")


def _prompt_passphrase(identity: str) -> bytes:
    """helm's promptUser: the prompt on stdout, the passphrase read from the terminal."""
    import getpass
    import sys


    if not sys.stdin.isatty():
        raise ProvenanceError("inappropriate ioctl for device")
    typer.echo(f'Password for key "{identity}" >  ', nl=False)
    secret = getpass.getpass(prompt="")
    return secret.encode("utf-8")


@app.command()
@registry_flags()
def push(
    chart: str = typer.Argument(..., metavar="CHART_OR_TGZ", help="a chart folder or a .tgz"),
    repo_dir: str = typer.Argument(..., metavar="REPO_DIR",
                                   help="the repository folder, or oci://HOST/PATH"),
    url: str | None = typer.Option(None, "--url", help="URL of the repository (index entries "
                                      "get <url>/<file>; default: the file name)"),
    force: bool = typer.Option(False, "--force", help="replace a different archive of the same "
                               "name and version"),
    registry: RegistryOptions | None = None,
) -> None:
    """Add a chart to a repository folder and its index.yaml (packaging a folder first),
    or push a chart archive to an OCI registry as `helm push` (+ a .prov beside it).

    Safe to run concurrently: writers lock index.yaml and replace files
    atomically. Pushing the same bytes again changes nothing; different bytes
    for an existing name and version need --force.

    \b
    Examples:
      minihelm push ./demo /srv/charts --url https://charts.example.com
      minihelm push dist/demo-1.2.3.tgz /srv/charts --force
      minihelm push demo-1.2.3.tgz oci://127.0.0.1:5000/charts --plain-http
    """
    if "://" in repo_dir:  # helm's form: a registry (other schemes are refused as helm does)
        from ..dist.ocichart import push_chart
        from ..dist.session import stderr_line

        assert registry is not None
        _run(lambda: push_chart(registry.registry, chart, repo_dir, stderr_line))
        return
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.repo import push as do_push

    written = _run(lambda: do_push(chart, repo_dir, url=url, force=force))
    typer.echo(f"Pushed {written.name} to {repo_dir} (index: {os.path.join(repo_dir, 'index.yaml')})")
