"""`minihelm verify CHART.tgz` flags -> provenance.verify_chart; helm's three lines on stdout."""

from __future__ import annotations

import typer

from .app import _run, app


@app.command()
def verify(
    path: str = typer.Argument(..., metavar="PATH", help="the chart archive (.tgz); its "
                               ".prov must sit beside it"),
    keyring: str | None = typer.Option(None, "--keyring", show_default=False,
                                       help="keyring containing public keys (default: "
                                       "$GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)"),
) -> None:
    """Verify that a chart archive has a valid provenance file, as `helm verify`.

    Checks the OpenPGP signature of PATH.prov against the keyring (the signing
    key must be there, neither expired nor revoked) and the archive's sha256
    against the one the .prov names.

    \b
    Examples:
      minihelm verify demo-1.0.0.tgz --keyring pubring.gpg
      gpg --export 'CI Signer' > ci.gpg && minihelm verify demo-1.0.0.tgz --keyring ci.gpg
    """
    # deferred: every command module loads for any command; this one's library loads when it runs
    from ..dist.provenance import default_keyring, verify_chart

    ring = default_keyring() if keyring is None else keyring
    result = _run(lambda: verify_chart(path, ring))
    typer.echo(result.lines(), nl=False)
