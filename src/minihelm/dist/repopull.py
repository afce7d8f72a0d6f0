"""`REPO/CHART` + a version -> the chart archive from that named repository's cached index (helm's ResolveChartVersion); pull calls it.

As helm's ChartDownloader: the repository must be in repositories.yaml, its
index is read from the cache (`repo add` / `repo update` put it there, no
request is made for it), the version is an exact string or else the newest
match of the constraint (no version: the newest stable), the archive URL is
the entry's first, resolved against the repository URL, and the download
carries the repository's credentials and client certificates.  Unlike helm
the archive must match the index's digest.
"""

from __future__ import annotations

import hashlib
import os
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import MinihelmError, RepoError
from ..golang.semver import Constraint, parse_version
from .repofile import cache_dir, config_path, load_or_empty
from .repoindex import RepoClient, cache_index_file, load_index_file, resolve_reference_url
from .search import slog_warn

__all__ = ["fetch_named", "index_get"]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def index_get(index: dict[str, Any], name: str, version: str,
              warn: Callable[[str], None] = _stderr) -> dict[str, Any]:
    """IndexFile.Get: an exact version string first, else the newest version the constraint allows."""
    vs = index["entries"].get(name)
    if vs is None:
        raise RepoError("no chart name found")
    if not vs:
        raise RepoError("no chart version found")
    try:
        constraint = Constraint(version or "*")
    except MinihelmError as e:
        raise RepoError(e.message) from None
    if version:
        for cv in vs:
            if cv.get("version") == version:
                return cv
    for cv in vs:
        try:
            v = parse_version(str(cv.get("version")))
        except MinihelmError:
            continue
        if constraint.check(v):
            if version:
                warn(slog_warn("unable to find exact version requested; falling back to "
                               "closest available version", chart=name, requested=version,
                               selected=str(cv.get("version"))))
            return cv
    raise RepoError(f"no chart version found for {name}-{version}")


def fetch_named(ref: str, version: str = "", config: Path | None = None,
                cache: Path | None = None, prov: list[bytes] | None = None) -> tuple[str, bytes]:
    """`helm pull REPO/CHART [--version V]` -> (archive file name, its bytes, digest-checked).

    With `prov` (--verify) the `.prov` beside the archive's URL is fetched too and appended
    there; its absence is helm's "failed to fetch provenance" error.
    """
    rf = load_or_empty(config or config_path())
    repo_name, sep, chart = ref.partition("/")
    if not sep:
        raise RepoError("non-absolute URLs should be in form of repo_name/path_to_chart, got: "
                        f"{ref}")
    entry = next((e for e in rf.repositories if e.name == repo_name), None)
    if entry is None:
        raise RepoError(f"repo {repo_name} not found")
    if not entry.url:
        raise RepoError(f"no URL found for repository {repo_name}")
    idx_path = (cache or cache_dir()) / cache_index_file(entry.name)
    try:
        index = load_index_file(idx_path)
    except RepoError as e:
        raise RepoError(f"no cached repo found. (try 'helm repo update'): {e.message}") from None
    try:
        cv = index_get(index, chart, version)
    except RepoError as e:
        raise RepoError(f'chart "{chart}" matching {version} not found in {entry.name} index. '
                        f"(try 'helm repo update'): {e.message}") from None
    if not cv.get("urls"):
        raise RepoError(f'chart "{ref}" has no downloadable URLs')
    url = resolve_reference_url(entry.url, str(cv["urls"][0]))
    # helm's downloader passes the entry's certificates and credentials, not its
    # insecure_skip_tls_verify (that comes from pull's own flag)
    client = RepoClient(replace(entry, insecure_skip_tls_verify=False))
    data = client.get(url)
    _check_digest(cv, data, url)
    if prov is not None:
        try:
            prov.append(client.get(url + ".prov"))
        except RepoError:
            raise RepoError(f'failed to fetch provenance "{url}.prov"') from None
    return os.path.basename(urllib.parse.urlsplit(url).path), data


def _check_digest(cv: dict[str, Any], data: bytes, url: str) -> None:
    want = str(cv.get("digest") or "")
    want = want.split(":", 1)[1] if ":" in want else want
    got = hashlib.sha256(data).hexdigest()
    if want and want.lower() != got:
        raise RepoError(f"digest mismatch for {url}: the index says sha256:{want}, the archive "
                        f"is sha256:{got}")

