"""A repository (folder or http URL) + chart name/version -> a digest-checked archive, saved or unpacked; deps and show fetch through it.

A repository is what `minihelm repo index` / `push` write: a folder holding
index.yaml and the archives it lists, served as it is over HTTP or read
directly.  Locations:

* ``http://...`` / ``https://...``: index.yaml and archives through urllib;
* ``file:///abs/repo`` or a plain folder path: read from disk; the index's
  relative URLs must stay inside the folder;
* no --repo and ``REPO/CHART``: a repository added with `repo add`, its index
  read from the cache (dist/repopull.py).

Lookups follow helm's pkg/repo/v1 IndexFile.Get (an exact version string
first, then the newest version matching the constraint, where no version
means "*" and so skips prereleases).  Unlike helm, an archive whose sha256
differs from the index's `digest` is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import socket
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..chart.archive import MAX_CHART_SIZE, read_archive
from ..errors import MinihelmError, RepoError
from ..golang.semver import Constraint, Version, parse_version
from .http import dial_addr
from .provenance import verify_archive
from .repo import INDEX, load_index
from .repoindex import check_url

__all__ = ["Repository", "fetch_url", "is_url", "open_repository", "pull"]

MAX_DOWNLOAD = MAX_CHART_SIZE  # compressed bytes we accept for one index or archive
HTTP_TIMEOUT = 30.0


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def fetch_url(url: str) -> bytes:
    """GET a URL (bounded in size); OSError-like failures become RepoError with Go-like text."""
    req = urllib.request.Request(url, headers={"User-Agent": "minihelm"})
    stage = "headers"
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
            stage = "body"
            data = resp.read(MAX_DOWNLOAD + 1)
    except urllib.error.HTTPError as e:
        # helm's getter: "failed to fetch <url> : 404 Not Found"
        raise RepoError(f"failed to fetch {url} : {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise RepoError(f'Get "{url}": {_go_net_error(e, url, stage)}') from None
    if len(data) > MAX_DOWNLOAD:
        raise RepoError(f"{url} is larger than the maximum size {MAX_DOWNLOAD}")
    return data


def _go_net_error(e: BaseException, url: str, stage: str) -> str:
    """A urllib failure in Go's net/http words (what helm's getter prints for the same)."""
    parts = urllib.parse.urlsplit(url)
    addr = dial_addr(url)
    if isinstance(e, urllib.error.URLError):  # failed before any answer: dial and send
        inner = e.reason
        if isinstance(inner, ConnectionRefusedError):
            return f"dial tcp {addr}: connect: connection refused"
        if isinstance(inner, socket.gaierror):
            return f"dial tcp: lookup {parts.hostname}: no such host"
        if isinstance(inner, TimeoutError):
            return f"dial tcp {addr}: i/o timeout"
        return str(inner)
    if isinstance(e, TimeoutError):  # connected; the server never answered, or stalled
        if stage == "headers":
            return "net/http: timeout awaiting response headers"
        return "context deadline exceeded (Client.Timeout or context cancellation while " \
               "reading body)"
    return str(e)


def _version_or_none(s: Any) -> Version | None:
    try:
        return parse_version(str(s))
    except MinihelmError:
        return None


def _strip_algorithm(digest: str) -> str:
    return digest.split(":", 1)[1] if ":" in digest else digest


@dataclass
class Repository:
    """One chart repository; the index is read once, on first use."""

    location: str
    folder: Path | None = None
    _index: dict[str, Any] | None = field(default=None, repr=False)

    # ------------------------------------------------------------ index

    def index(self) -> dict[str, Any]:
        if self._index is None:
            self._index = self._load_index()
        return self._index

    def _load_index(self) -> dict[str, Any]:
        try:
            if self.folder is not None:
                return load_index(self.folder / INDEX)
            data = fetch_url(self.location.rstrip("/") + "/" + INDEX)
            with tempfile.TemporaryDirectory(prefix="minihelm-index-") as tmp:
                path = Path(tmp) / INDEX
                path.write_bytes(data)
                return load_index(path)
        except RepoError as e:
            raise RepoError(f'looks like "{self.location}" is not a valid chart repository '
                            f"or cannot be reached: {e.message}") from None

    def versions(self, name: str) -> list[dict[str, Any]] | None:
        """The index entries of `name`, newest SemVer first (helm's SortEntries); None if absent."""
        entries = self.index()["entries"].get(name)
        if entries is None:
            return None
        good = [e for e in entries if isinstance(e, dict)]
        ok: list[tuple[Version, dict[str, Any]]] = []
        bad: list[dict[str, Any]] = []
        for e in good:
            v = _version_or_none(e.get("version"))
            if v is None:
                bad.append(e)  # helm: unparsable versions sort last
            else:
                ok.append((v, e))
        ok.sort(key=lambda p: p[0], reverse=True)
        return [e for _, e in ok] + bad

    def get(self, name: str, version: str | None) -> dict[str, Any]:
        """helm's IndexFile.Get + FindChartInRepoURL errors: the entry `pull`/`show` use."""
        what = f'chart "{name}"' + (f' version "{version}"' if version else "")
        vs = self.versions(name)
        if not vs:
            raise RepoError(f"{what} not found in {self.location} repository")
        if version:
            exact = next((e for e in vs if str(e.get("version")) == version), None)
            if exact is not None:
                return self._with_urls(exact, what)
        try:
            constraint = Constraint(version or "*")
        except MinihelmError:
            raise RepoError(f"{what} not found in {self.location} repository") from None
        for e in vs:
            v = _version_or_none(e.get("version"))
            if v is not None and constraint.check(v):
                return self._with_urls(e, what)
        raise RepoError(f"{what} not found in {self.location} repository")

    @staticmethod
    def _with_urls(entry: dict[str, Any], what: str) -> dict[str, Any]:
        if not entry.get("urls"):
            raise RepoError(f"{what} has no downloadable URLs")
        return entry

    # ------------------------------------------------------------ archives

    def archive_url(self, entry: dict[str, Any]) -> str:
        """helm's ResolveReferenceURL: the entry's first URL against the repository's."""
        ref = str(entry["urls"][0])
        if urllib.parse.urlsplit(ref).scheme:
            return ref
        if self.folder is not None:
            return self.folder.resolve().as_uri() + "/" + ref
        base = urllib.parse.urlsplit(self.location)
        joined = urllib.parse.urljoin(
            urllib.parse.urlunsplit(base._replace(path=base.path.rstrip("/") + "/", query="")), ref)
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(joined)._replace(query=base.query))

    def download(self, entry: dict[str, Any]) -> tuple[str, bytes]:
        """(file name, bytes) of an index entry's archive, its sha256 checked against the index."""
        url = self.archive_url(entry)
        name = os.path.basename(urllib.parse.urlsplit(url).path) or "chart.tgz"
        data = self._read_archive(url)
        raw = entry.get("digest")
        want = "" if raw in (None, "") else _strip_algorithm(str(raw))
        got = hashlib.sha256(data).hexdigest()
        if want and want.lower() != got:
            raise RepoError(f"digest mismatch for {name} from {self.location}: the index says "
                            f"sha256:{want}, the archive is sha256:{got}")
        return name, data

    def download_prov(self, entry: dict[str, Any]) -> bytes:
        """The `.prov` beside an index entry's archive (helm fetches `<archive URL>.prov`).

        A failure is the getter's own error (``failed to fetch URL : 404 ...``): helm's
        ChartDownloader quotes it in a --verify=if-possible warning and replaces it by
        ``failed to fetch provenance "URL"`` when verification is required."""
        return self._read_archive(self.archive_url(entry) + ".prov")

    def _read_archive(self, url: str) -> bytes:
        if is_url(url):
            if self.folder is not None:
                # An index written with --url: the archive may sit right here.
                local = self.folder / os.path.basename(urllib.parse.urlsplit(url).path)
                if local.is_file():
                    return _read_bounded(local)
            return fetch_url(url)
        if not url.startswith("file://") or self.folder is None:
            raise RepoError(f"cannot download {url}: only http(s) URLs and files inside a "
                            "repository folder are supported")
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path)).resolve()
        top = self.folder.resolve()
        if top not in path.parents:
            raise RepoError(f"index entry {url} points outside the repository folder {top}")
        return _read_bounded(path)


def _read_bounded(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_DOWNLOAD + 1)
    except OSError as e:
        raise RepoError(f"open {path}: {(e.strerror or str(e)).lower()}") from None
    if len(data) > MAX_DOWNLOAD:
        raise RepoError(f"{path} is larger than the maximum size {MAX_DOWNLOAD}")
    return data


def open_repository(location: str) -> Repository:
    """An http(s) URL, a file:// URL or a folder path -> a Repository (the index is read lazily)."""
    if is_url(location):
        check_url(location)  # NewChartRepository parses the URL before any request
        return Repository(location)
    path = location
    if location.startswith("file://"):
        path = urllib.request.url2pathname(location[len("file://"):])
    folder = Path(path)
    if not folder.is_dir():
        raise RepoError(f'looks like "{location}" is not a valid chart repository or cannot be '
                        f"reached: {path} is not a directory")
    return Repository(location, folder)


# ---------------------------------------------------------------- pull


def pull(
    name: str,
    repo: str | None,
    version: str | None = None,
    dest: str | os.PathLike[str] = ".",
    untar: bool = False,
    untardir: str = ".",
    keyring: str | os.PathLike[str] | None = None,
    out: Callable[[str], None] | None = None,
) -> Path:
    """`helm pull NAME --repo R`: the saved archive's path (or, with untar, the chart folder's).

    With `keyring` (helm's --verify) the `.prov` beside the archive is fetched and checked
    before anything is written; a verified archive is saved with its .prov (unpacked
    without it, as helm does) and `out` gets helm's verification lines.  Unlike helm,
    an archive that fails verification is not left on disk.
    """
    prov: bytes | None = None
    if repo:
        r = open_repository(repo)
        entry = r.get(name, (version or "").strip() or None)
        fname, data = r.download(entry)
        if keyring is not None:
            try:
                prov = r.download_prov(entry)
            except RepoError:
                raise RepoError('failed to fetch provenance '
                                f'"{r.archive_url(entry)}.prov"') from None
    elif is_url(name):
        check_url(name)
        fname, data = os.path.basename(urllib.parse.urlsplit(name).path), fetch_url(name)
        if keyring is not None:
            try:
                prov = fetch_url(name + ".prov")
            except RepoError:
                raise RepoError(f'failed to fetch provenance "{name}.prov"') from None
    else:  # REPO/CHART: a repository from repositories.yaml, its index from the cache
        from .repopull import fetch_named

        provs: list[bytes] | None = [] if keyring is not None else None
        fname, data = fetch_named(name, (version or "").strip(), prov=provs)
        prov = provs[0] if provs else None
    read_archive(io.BytesIO(data))  # refuse anything that is not a safe chart archive
    if not untar and not Path(dest).is_dir():
        # helm writes into -d as it is and does not create it
        raise RepoError(f"open {Path(dest) / fname}: no such file or directory")
    if keyring is not None and prov is not None:
        result = verify_archive(fname, prov, keyring, archive=data)
        if out is not None:
            out(result.lines())
    if not untar:
        saved = atomic_write(Path(dest) / fname, data)
        if prov is not None:
            atomic_write(Path(dest) / (fname + ".prov"), prov)
        return saved
    return _untar(name, data, Path(dest), untardir)


def _untar(ref: str, data: bytes, dest: Path, untardir: str) -> Path:
    """helm's --untar/--untardir placement, extracted through a temp folder and one rename."""
    ud = Path(untardir) if os.path.isabs(untardir) else dest / untardir
    chart_name = ref.rstrip("/").rsplit("/", 1)[-1]
    check = Path(chart_name) if os.path.normpath(ud) == "." else ud / chart_name
    if check.exists():
        raise RepoError(f"failed to untar: a file or directory with the name {check} already exists")
    top = _top_folder(data)
    target = ud / top
    if target.exists():
        raise RepoError(f"failed to untar: a file or directory with the name {target} already exists")
    ud.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=ud, prefix=f".{top}.untar-"))
    try:
        for f in read_archive(io.BytesIO(data)):  # names checked: relative, no "..", no links
            out = tmp / f.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(f.data)
            out.chmod(0o644)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
    return target


def _top_folder(data: bytes) -> str:
    """The archive's single top-level folder (read_archive has already checked there is one)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        for m in tf:
            top = m.name.split("/", 1)[0]
            if top:
                return top
    raise RepoError("no files in chart archive")
