"""An `oci://host/repo[:tag|@digest]` reference + credentials -> registry calls (tags, manifests, blobs, uploads); feeds ocichart.

The OCI distribution spec, as helm v4.1.4 (through oras-go) uses it:

* ``GET /v2/``: ping (login checks credentials with it);
* ``GET /v2/<repo>/tags/list``: tags, following ``Link: <...>; rel="next"``;
* ``GET|HEAD|PUT /v2/<repo>/manifests/<ref>``;
* ``GET|HEAD /v2/<repo>/blobs/<digest>``;
* ``POST /v2/<repo>/blobs/uploads/`` then ``PUT <location>&digest=<d>``: a
  monolithic upload.

Every manifest and blob read is checked against its digest before anyone
uses it.  A 401 is answered once through `auth.Authorizer`.
Error texts follow oras-go's: ``GET "<url>": response status code 404:
name unknown: <message>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import RepoError
from .auth import Authorizer, Credential
from .http import MAX_BLOB, MAX_MANIFEST, HttpClient, Response, iter_link_pages, status_error

__all__ = ["MANIFEST_TYPES", "OCI_MANIFEST", "Reference", "Registry", "parse_reference"]

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    OCI_MANIFEST, OCI_INDEX, "application/vnd.oci.artifact.manifest.v1+json",
)

# oras-go's registry.Reference grammar (from the distribution reference spec)
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_REPO_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_TAG_RE = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST_RE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_SHA256_RE = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Reference:
    """host[:port], repository path, and a tag and/or a digest (either may be empty)."""

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    @property
    def reference(self) -> str:
        """What goes after /manifests/: the digest if any, else the tag."""
        return self.digest or self.tag

    def __str__(self) -> str:
        s = f"{self.registry}/{self.repository}"
        if self.tag:
            s += f":{self.tag}"
        if self.digest:
            s += f"@{self.digest}"
        return s

    def with_tag(self, tag: str) -> Reference:
        return Reference(self.registry, self.repository, tag.replace("+", "_"), self.digest)


def parse_reference(raw: str) -> Reference:
    """helm's newReference + oras-go's ParseReference.

    Grammar::

        ref        = [ "oci://" ] registry "/" repository [ ":" tag ] [ "@" digest ]
        registry   = host [ ":" port ]
        repository = component *( "/" component )       ; lower case
        tag        = [A-Za-z0-9_] *( [A-Za-z0-9_.-] )    ; "+" is rewritten to "_" first
        digest     = algorithm ":" hex

    Raises RepoError with oras-go's "invalid reference" wording.
    """
    s = raw.removeprefix("oci://")
    digest = ""
    if "@" in s:
        s, _, digest = s.rpartition("@")
    parts = s.split(":")
    tag = ""
    if len(parts) > 1 and "/" not in parts[-1]:
        tag = parts[-1].replace("+", "_")
        s = s[: len(s) - len(parts[-1]) - 1]
    host, sep, repo = s.partition("/")
    if not sep or not host or not repo:
        raise RepoError(f"invalid reference: missing registry or repository: {raw}")
    if not _REPO_RE.fullmatch(repo):
        raise RepoError(f"invalid reference: invalid repository {repo!r}: {raw}")
    if tag and not _TAG_RE.fullmatch(tag):
        raise RepoError(f"invalid reference: invalid tag {tag!r}: {raw}")
    if digest and not _DIGEST_RE.fullmatch(digest):
        raise RepoError(f"invalid reference: invalid digest {digest!r}: {raw}")
    return Reference(host, repo, tag, digest)


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Registry:
    """One registry host: scheme, an HTTP client and the authorizer answering its challenges."""

    host: str
    http: HttpClient
    credential: Credential | None = None
    plain_http: bool = False
    _auth: Authorizer | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"{'http' if self.plain_http else 'https'}://{self.host}"

    def _authorizer(self) -> Authorizer:
        if self._auth is None:
            self._auth = Authorizer(self.http, self.host, self.credential)
        return self._auth

    def send(self, method: str, url: str, scope: str, headers: Mapping[str, str] | None = None,
             data: bytes | None = None, limit: int = MAX_MANIFEST,
             sink: Callable[[bytes], None] | None = None) -> Response:
        """One request; a 401 with a challenge is answered once and the request repeated."""
        auth = self._authorizer()
        hdrs = dict(headers or {})
        known = auth.header_for(scope)
        if known:
            hdrs["Authorization"] = known
        resp = self.http.request(method, url, hdrs, data, limit, None if sink is None else sink)
        if resp.status == 401 and resp.header("WWW-Authenticate") and not known:
            try:
                hdrs["Authorization"] = auth.answer(resp.header("WWW-Authenticate"), scope)
            except RepoError as e:
                raise RepoError(f'{method} "{url}": {e.message}') from None
            resp = self.http.request(method, url, hdrs, data, limit, sink)
        return resp

    # ------------------------------------------------------------ calls

    def ping(self) -> None:
        url = f"{self.base}/v2/"
        resp = self.send("GET", url, "")
        if resp.status != 200:
            raise status_error("GET", url, resp)

    def tags(self, repository: str) -> list[str]:
        """Every tag, page by page along the Link headers (bounded)."""
        scope = f"repository:{repository}:pull"
        first = f"{self.base}/v2/{repository}/tags/list"
        out: list[str] = []

        def get(url: str) -> Response:
            resp = self.send("GET", url, scope)
            if resp.status != 200:
                raise status_error("GET", url, resp)
            return resp

        for page in iter_link_pages(first, get):
            try:
                doc = json.loads(page.body)
            except ValueError:
                raise RepoError(f"{first}: the tag list is not JSON") from None
            tags = doc.get("tags") if isinstance(doc, dict) else None
            if tags is None:
                continue
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise RepoError(f"{first}: the tag list is not a list of strings")
            out += tags
        return out

    def manifest(self, ref: Reference) -> tuple[bytes, str, str]:
        """(bytes, digest, media type) of ref's manifest, its digest checked."""
        url = f"{self.base}/v2/{ref.repository}/manifests/{ref.reference}"
        resp = self.send("GET", url, f"repository:{ref.repository}:pull",
                         {"Accept": ", ".join(MANIFEST_TYPES)})
        if resp.status == 404:
            raise RepoError(f'failed to perform "FetchReference" on source: {ref}: not found')
        if resp.status != 200:
            raise status_error("GET", url, resp)
        got = sha256_digest(resp.body)
        want = ref.digest or resp.header("Docker-Content-Digest")
        if want and want != got:
            raise RepoError(f"{ref}: the registry's manifest does not match its digest "
                            f"(expected {want}, got {got})")
        media = resp.header("Content-Type").split(";")[0].strip()
        return resp.body, got, media

    def resolve(self, ref: Reference) -> str:
        """The digest a tag points at (HEAD, falling back to GET)."""
        url = f"{self.base}/v2/{ref.repository}/manifests/{ref.reference}"
        resp = self.send("HEAD", url, f"repository:{ref.repository}:pull",
                         {"Accept": ", ".join(MANIFEST_TYPES)})
        d = resp.header("Docker-Content-Digest")
        if resp.status == 200 and _SHA256_RE.fullmatch(d):
            return d
        return self.manifest(ref)[1]

    def blob(self, repository: str, digest: str, limit: int = MAX_BLOB) -> bytes:
        """A blob's bytes, refused unless they hash to `digest`."""
        url = f"{self.base}/v2/{repository}/blobs/{digest}"
        chunks: list[bytes] = []
        resp = self.send("GET", url, f"repository:{repository}:pull", limit=limit,
                         sink=chunks.append)
        if resp.status != 200:
            raise status_error("GET", url, resp)
        data = b"".join(chunks)
        got = sha256_digest(data)
        if got != digest:
            raise RepoError(f"{self.host}/{repository}@{digest}: the registry sent a blob that "
                            f"does not match its digest (got {got})")
        return data

    def has_blob(self, repository: str, digest: str) -> bool:
        url = f"{self.base}/v2/{repository}/blobs/{digest}"
        resp = self.send("HEAD", url, f"repository:{repository}:pull,push")
        if resp.status == 200:
            return True
        if resp.status == 404:
            return False
        raise status_error("HEAD", url, resp)

    def push_blob(self, repository: str, data: bytes, digest: str) -> None:
        """POST an upload session, then PUT the bytes with their digest (a monolithic upload)."""
        scope = f"repository:{repository}:pull,push"
        url = f"{self.base}/v2/{repository}/blobs/uploads/"
        resp = self.send("POST", url, scope, {"Content-Length": "0"}, b"")
        if resp.status != 202 or not resp.header("Location"):
            raise status_error("POST", url, resp)
        loc = urllib.parse.urljoin(url, resp.header("Location"))
        put = loc + ("&" if "?" in loc else "?") + urllib.parse.urlencode({"digest": digest})
        resp = self.send("PUT", put, scope, {"Content-Type": "application/octet-stream"}, data)
        if resp.status != 201:
            raise status_error("PUT", put.split("?")[0], resp)

    def put_manifest(self, ref: Reference, data: bytes, media_type: str) -> str:
        url = f"{self.base}/v2/{ref.repository}/manifests/{ref.reference}"
        resp = self.send("PUT", url, f"repository:{ref.repository}:pull,push",
                         {"Content-Type": media_type}, data)
        if resp.status != 201:
            raise status_error("PUT", url, resp)
        return sha256_digest(data)
