"""`minihelm repo index` flags -> repo.build_index; silent on success, as helm is."""



from __future__ import annotations

import typer

from . import _run, repo_app


@repo_app.command("index")
def index(
    directory: str = typer.Argument(..., metavar="DIR", help="the folder of chart archives"),
    url: str | None = typer.Option(None, "--url", help="url of chart repository"),
    merge: str | None = typer.Option(None, "--merge",
                                        help="merge the generated index into the given index"),
) -> None:
    """Generate DIR/index.yaml from the chart archives in DIR (and DIR/*/), as `helm repo index`.

    Unlike helm, an archive that does not load is an error, and an unchanged
    folder leaves index.yaml byte for byte as it was.

    \b
    Examples:
      minihelm repo index ./charts --url https://charts.example.com
      minihelm repo index ./charts --merge old-index.yaml
    """
    from ..repo import build_index

    _run(lambda: build_index(directory, url=url, merge=merge))
