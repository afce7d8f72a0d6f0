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
from .http import (
    MAX_BLOB,
    MAX_MANIFEST,
    HttpClient,
    Progress,
    Response,
    iter_link_pages,
    status_error,
)

__all__ = ["MANIFEST_TYPES", "OCI_MANIFEST", "Reference", "Registry", "check_digest",
           "helm_reference", "parse_reference"]

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    OCI_MANIFEST, OCI_INDEX, "application/vnd.oci.artifact.manifest.v1+json",
)

# The distribution reference grammar oras-go validates with (its [-]* allows "a--b")
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*"
_REPO_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_TAG_RE = re.compile(r"\w[\w.-]{0,127}", re.ASCII)
_ALGO_RE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*")
_SHA256_RE = re.compile(r"sha256:[0-9a-f]{64}")
_HOST_BAD = re.compile(r"[\s/?#@\\]")


def _invalid(what: str) -> RepoError:
    return RepoError(f"invalid reference: {what}")


def check_digest(text: str) -> str:
    """go-digest's Parse: `algorithm:hex`, sha256 (the one algorithm helm can verify) in full."""
    algo, sep, hexd = text.partition(":")
    if not sep or not _ALGO_RE.fullmatch(algo) or not hexd:
        return "invalid checksum digest format"
    if algo not in ("sha256", "sha384", "sha512"):
        return "unsupported digest algorithm"
    want = {"sha256": 64, "sha384": 96, "sha512": 128}[algo]
    if len(hexd) != want:
        return "invalid checksum digest length"
    if not re.fullmatch(r"[a-f0-9]+", hexd):
        return "invalid checksum digest format"
    return ""


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


def _netloc(host: str) -> str | None:
    """The host part of `dummy://HOST` as oras-go's url.Parse check sees it; None if unparsable."""
    try:
        return urllib.parse.urlsplit("dummy://" + host).netloc
    except ValueError:  # an unbalanced or malformed "[...]" host
        return None


def parse_reference(artifact: str) -> Reference:
    """oras-go's ParseReference (what `helm push` builds its target with).

    Grammar::

        artifact   = registry "/" path
        registry   = host [ ":" port ]
        path       = repository [ "@" digest | ":" tag [ "@" digest ] | ":" tag ]
        repository = component *( "/" component )       ; lower case
        tag        = [A-Za-z0-9_] *( [A-Za-z0-9_.-] )   ; at most 128 characters
        digest     = algorithm ":" hex

    The first "@" of the path starts a digest (a tag before it is dropped),
    else the first ":" starts a tag.  Raises RepoError in oras-go's words.
    """
    registry, sep, path = artifact.partition("/")
    if not sep:
        raise _invalid("missing registry or repository")
    tag = digest = ""
    if "@" in path:
        repository, _, digest = path.partition("@")
        repository = repository.split(":", 1)[0]
    elif ":" in path:
        repository, _, tag = path.partition(":")
    else:
        repository = path
    if not registry or _HOST_BAD.search(registry) or _netloc(registry) != registry:
        raise _invalid(f"invalid registry {_go_quote(registry)}")
    if not _REPO_RE.fullmatch(repository):
        raise _invalid(f"invalid repository {_go_quote(repository)}")
    if tag and not _TAG_RE.fullmatch(tag):
        raise _invalid(f"invalid tag {_go_quote(tag)}")
    if digest and (why := check_digest(digest)):
        raise _invalid(f"invalid digest {_go_quote(digest)}: {why}")
    return Reference(registry, repository, tag, digest)


def helm_reference(raw: str) -> Reference:
    """helm's newReference: `[oci://]host/repo[:tag][@digest]`, tag and digest kept apart.

    The digest is everything after the last "@"; the tag is the last ":"
    part when it holds no "/" (with "+" written "_"); the rest goes to
    parse_reference.
    """
    # helm url.Parses the whole reference first; an unbalanced "[" fails there
    if _netloc(raw.removeprefix("oci://").split("/", 1)[0]) is None:
        raise RepoError(f"invalid chart URL format: {raw}")
    s = raw.removeprefix("oci://")
    digest = ""
    if "@" in s:
        s, _, digest = s.rpartition("@")
    tag = ""
    last = s.rsplit(":", 1)
    if len(last) == 2 and "/" not in last[1] and last[1]:
        tag = last[1].replace("+", "_")
        s = last[0]
    ref = parse_reference(s)
    if tag and not _TAG_RE.fullmatch(tag):
        raise _invalid(f"invalid tag {_go_quote(tag)}")
    if digest and (why := check_digest(digest)):
        raise _invalid(f"invalid digest {_go_quote(digest)}: {why}")
    return Reference(ref.registry, ref.repository, tag or ref.tag, digest or ref.digest)


def _go_quote(s: str) -> str:
    # deferred: only _go_quote() needs it: 3 modules this one does not otherwise load
    from ..golang.jsonio import dumps_go

    return dumps_go(s, escape_html=False)


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

    def tags(self, repository: str, page_size: int = 0) -> list[str]:
        """Every tag, page by page along the Link headers (bounded); `page_size` asks for `n`."""
        scope = f"repository:{repository}:pull"
        first = f"{self.base}/v2/{repository}/tags/list"
        if page_size:
            first += f"?n={page_size}"
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
        progress = Progress(f"{repository}@{digest[:19]}")

        def sink(chunk: bytes) -> None:
            chunks.append(chunk)
            progress.add(len(chunk))

        try:
            resp = self.send("GET", url, f"repository:{repository}:pull", limit=limit, sink=sink)
        finally:
            progress.done()
        if resp.status != 200:
            raise status_error("GET", url, resp)
        data = b"".join(chunks)
        got = sha256_digest(data)
        if got != digest:
            raise RepoError(f"{self.host}/{repository}@{digest}: the registry sent a blob that "
                            f"does not match its digest (got {got})")
        return data

    def has_manifest(self, ref: Reference) -> bool:
        url = f"{self.base}/v2/{ref.repository}/manifests/{ref.reference}"
        resp = self.send("HEAD", url, f"repository:{ref.repository}:pull,push",
                         {"Accept": ", ".join(MANIFEST_TYPES)})
        if resp.status == 200:
            return True
        if resp.status == 404:
            return False
        raise status_error("HEAD", url, resp)

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
