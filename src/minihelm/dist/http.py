"""Requests from the registry and auth modules -> bounded HTTP exchanges; feeds oci and auth.

Every exchange is bounded: a connect and a read timeout, at most
`retries` extra attempts (with backoff) on a 5xx answer or a dropped
connection, at most `max_redirects` redirects, and a byte limit on every
body.  Callers check digests before anything is kept (oci.Registry.blob).
`--debug` shows the exchange (method, URL, status) on stderr with the
Authorization header and query values left out.

The client is `requests` (see docs/design.md, "Registries (OCI)"); redirects are followed here, not by requests, so their
count is ours and an Authorization header never follows a redirect to
another host.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from ..errors import RepoError

__all__ = ["HttpClient", "NetworkError", "Progress", "Response", "TLSOptions", "TooLarge",
           "status_error"]

# Manifests, indexes of tags and auth answers are small; chart archives are
# bounded by the loader's limit anyway.  Each can be raised via the environment.
MAX_MANIFEST = int(os.environ.get("MINIHELM_MAX_MANIFEST_BYTES", "4194304"))
MAX_BLOB = int(os.environ.get("MINIHELM_MAX_BLOB_BYTES", "104857600"))
MAX_INDEX = int(os.environ.get("MINIHELM_MAX_INDEX_BYTES", "104857600"))
CONNECT_TIMEOUT = float(os.environ.get("MINIHELM_CONNECT_TIMEOUT", "5.0"))
READ_TIMEOUT = float(os.environ.get("MINIHELM_READ_TIMEOUT", "15.0"))

_RETRY_STATUS = frozenset({500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class NetworkError(RepoError):
    """A request that could not be completed: refused, timed out, TLS, too many redirects."""


class TooLarge(RepoError):
    """A body larger than the limit its caller set."""


@dataclass(frozen=True)
class TLSOptions:
    """helm's --ca-file / --cert-file / --key-file / --insecure(-skip-tls-verify)."""

    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    insecure: bool = False

    def verify(self) -> bool | str:
        if self.insecure:
            return False
        return self.ca_file or True

    def cert(self) -> tuple[str, str] | None:
        return (self.cert_file, self.key_file) if self.cert_file and self.key_file else None

    def check(self) -> None:
        """Each named file must be readable (helm 4.1.4 panics here; we say which file)."""
        for path in (self.ca_file, self.cert_file, self.key_file):
            if path and not os.path.isfile(path):
                raise RepoError(f"open {path}: no such file or directory")


@dataclass
class Response:
    """A finished exchange: status, headers (case-insensitive), the body and the final URL."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def header(self, name: str) -> str:
        return str(self.headers.get(name) or "")


def shown(url: str) -> str:
    """A URL as an error shows it: without userinfo (Go's url.Error redacts the password)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _redact(url: str) -> str:
    """A URL without its userinfo and query values (tokens ride there on some registries)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    query = "&".join(f"{k}=..." for k, _ in urllib.parse.parse_qsl(parts.query))
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


def _go_verb(method: str) -> str:
    """net/http's url.Error spells the method "Get", "Head", "Put" (oras-go's own errors say GET)."""
    return method[:1].upper() + method[1:].lower()


def dial_addr(url: str) -> str:
    """The address Go's dialer names in its errors: net.JoinHostPort, so an IPv6 host is bracketed."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

def _reason(exc: BaseException, url: str) -> str:
    """The text Go's net/http gives for a failed exchange (after `Get "URL": `), without class dumps."""
    import requests

    text = str(exc)
    parts = urllib.parse.urlsplit(url)
    addr = dial_addr(url)
    if isinstance(exc, requests.exceptions.SSLError):
        if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
            return "http: server gave HTTP response to HTTPS client"
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
        inner = text.rsplit("SSLError(", 1)[-1].rstrip(")'\"")
        return f"remote error: tls: {inner}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"dial tcp {addr}: i/o timeout"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "net/http: timeout awaiting response headers"
    if "Connection refused" in text:
        return f"dial tcp {addr}: connect: connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text or \
            "Failed to resolve" in text:
        return f"dial tcp: lookup {parts.hostname}: no such host"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text:
        return "EOF"
    return text.split(": ", 1)[-1][:200]


@dataclass
class HttpClient:
    """One session: TLS settings, timeouts, retry and redirect bounds, and an optional debug sink."""

    tls: TLSOptions = field(default_factory=TLSOptions)
    retries: int = 2
    max_redirects: int = 10
    backoff: float = 0.25
    debug: Callable[[str], None] | None = None
    user_agent: str = "Helm/4.1.4"
    _session: Any = field(default=None, repr=False)

    def _sess(self) -> Any:
        if self._session is None:
            import requests

            self.tls.check()
            s = requests.Session()
            s.trust_env = False  # loopback tests and explicit settings only; no netrc, no proxies
            s.headers["User-Agent"] = self.user_agent
            self._session = s
        return self._session

    def _log(self, text: str) -> None:
        if self.debug is not None:
            self.debug(text)

    # ------------------------------------------------------------ requests

    def request(self, method: str, url: str, headers: Mapping[str, str] | None = None,
                data: bytes | None = None, limit: int = MAX_MANIFEST,
                sink: Callable[[bytes], None] | None = None) -> Response:
        """Send one request (retried, redirects followed) and read its body up to `limit` bytes.

        With `sink`, a 2xx body is handed over in pieces instead of kept.
        """
        hdrs = dict(headers or {})
        for _hop in range(self.max_redirects + 1):
            resp = self._with_retries(method, url, hdrs, data, limit, sink)
            if resp.status not in _REDIRECTS:
                return resp
            target = resp.header("Location")
            if not target:
                return resp
            nxt = urllib.parse.urljoin(url, target)
            if urllib.parse.urlsplit(nxt).netloc != urllib.parse.urlsplit(url).netloc:
                hdrs.pop("Authorization", None)  # a credential never follows to another host
            if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                method, data = "GET", None
            url = nxt
        raise NetworkError(f'{method} "{_redact(url)}": stopped after {self.max_redirects} '
                           "redirects")

    def _with_retries(self, method: str, url: str, headers: dict[str, str], data: bytes | None,
                      limit: int, sink: Callable[[bytes], None] | None) -> Response:
        import requests

        last: BaseException | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * (2 ** (attempt - 1)))
            fed = [False]

            def feed(chunk: bytes, _fed: list[bool] = fed) -> None:
                _fed[0] = True
                assert sink is not None
                sink(chunk)

            try:
                resp = self._once(method, url, headers, data, limit,
                                  None if sink is None else feed)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as e:
                # no retry after TLS failures, a server that stopped answering (the read
                # timeout already waited), or a body half handed over
                if isinstance(e, (requests.exceptions.SSLError, requests.exceptions.ReadTimeout)) \
                        or fed[0]:
                    raise NetworkError(f'{_go_verb(method)} "{shown(url)}": '
                                       f"{_reason(e, url)}") from None
                last = e
                self._log(f"{method} {_redact(url)}: {_reason(e, url)} (attempt {attempt + 1})")
                continue
            except requests.exceptions.RequestException as e:
                raise NetworkError(f'{_go_verb(method)} "{shown(url)}": '
                                   f"{_reason(e, url)}") from None
            if resp.status in _RETRY_STATUS and attempt < self.retries:
                continue
            return resp
        assert last is not None
        raise NetworkError(f'{_go_verb(method)} "{shown(url)}": {_reason(last, url)}') from None

    def _once(self, method: str, url: str, headers: Mapping[str, str], data: bytes | None,
              limit: int, sink: Callable[[bytes], None] | None) -> Response:
        sess = self._sess()
        with warnings.catch_warnings():
            # --insecure is the user's choice: urllib3's InsecureRequestWarning must not show
            warnings.simplefilter("ignore")
            r = sess.request(
                method, url, headers=dict(headers), data=data, stream=True,
                allow_redirects=False, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                verify=self.tls.verify(), cert=self.tls.cert())
        try:
            self._log(f"{method} {_redact(url)} -> {r.status_code}")
            declared = r.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise TooLarge(f'{method} "{_redact(url)}": the answer is {declared} bytes, more '
                               f"than the limit of {limit} bytes")
            chunks: list[bytes] = []
            size = 0
            to_sink = sink is not None and 200 <= r.status_code < 300
            for chunk in r.iter_content(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f'{method} "{_redact(url)}": the answer is more than the '
                                   f"limit of {limit} bytes")
                if to_sink:
                    assert sink is not None
                    sink(chunk)
                else:
                    chunks.append(chunk)
            return Response(r.status_code, r.headers, b"".join(chunks), url)
        finally:
            r.close()

    # ------------------------------------------------------------ downloads (HTTP repositories)

    def download(self, url: str, dest: Path, headers: Mapping[str, str] | None = None,
                 digest: str = "", limit: int = MAX_BLOB,
                 check: Callable[[Response], None] | None = None) -> Path:
        """GET `url` into `dest` through a temp file; renamed only once `digest` (sha256:hex) matches.

        `check` sees the response (body empty) before the rename and may raise.
        """
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
        h = hashlib.sha256()
        progress = Progress(dest.name)
        try:
            with os.fdopen(fd, "wb") as fh:
                def sink(chunk: bytes) -> None:
                    fh.write(chunk)
                    h.update(chunk)
                    progress.add(len(chunk))
                resp = self.request("GET", url, headers, limit=limit, sink=sink)
                if check is not None:
                    check(resp)
            progress.done()
            got = "sha256:" + h.hexdigest()
            if digest and got != digest:
                raise RepoError(f"digest mismatch for {_redact(url)}: expected {digest}, "
                                f"got {got}")
            os.replace(tmp, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return dest

    def fetch(self, url: str, headers: Mapping[str, str] | None = None, digest: str = "",
              limit: int = MAX_BLOB) -> tuple[Response, bytes]:
        """GET `url` into memory (bounded); a non-2xx answer is returned, a wrong digest raised."""
        buf: list[bytes] = []
        progress = Progress(os.path.basename(urllib.parse.urlsplit(url).path))

        def sink(chunk: bytes) -> None:
            buf.append(chunk)
            progress.add(len(chunk))

        resp = self.request("GET", url, headers, limit=limit, sink=sink)
        progress.done()
        body = b"".join(buf) if 200 <= resp.status < 300 else resp.body
        if digest and 200 <= resp.status < 300:
            got = "sha256:" + hashlib.sha256(body).hexdigest()
            if got != digest:
                raise RepoError(f"digest mismatch for {_redact(url)}: expected {digest}, "
                                f"got {got}")
        return resp, body


def _go_detail(v: Any) -> str:
    """fmt's %v of a decoded JSON value (maps as map[k:v], sorted)."""
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_go_detail(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(_go_detail(x) for x in v) + "]"
    return "<nil>" if v is None else str(v)


def status_error(method: str, url: str, resp: Response) -> RepoError:
    """oras-go's errcode.ErrorResponse text for a non-2xx answer."""
    head = f'{method} "{url}": response status code {resp.status}'
    try:
        doc = json.loads(resp.body) if resp.body else None
    except ValueError:
        doc = None
    errs = doc.get("errors") if isinstance(doc, dict) else None
    if isinstance(errs, list) and errs:
        texts = []
        for e in errs:
            if not isinstance(e, dict):
                continue
            t = str(e.get("code", "")).replace("_", " ").lower()
            if e.get("message"):
                t += f": {e['message']}"
                if e.get("detail") is not None:
                    t += f": {_go_detail(e['detail'])}"
            texts.append(t)
        if texts:
            return RepoError(f"{head}: {'; '.join(texts)}")
    return RepoError(f"{head}: {HTTPStatus(resp.status).phrase if resp.status in _KNOWN else ''}")


_KNOWN = frozenset(s.value for s in HTTPStatus)


class Progress:
    """Bytes received so far, on stderr when it is a terminal (never in logs or pipes)."""

    def __init__(self, name: str) -> None:
        self.name, self.size, self.shown = name, 0, False
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def add(self, n: int) -> None:
        self.size += n
        if not self.tty or self.size < (1 << 20):
            return
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            self.shown = True
            sys.stderr.write(f"\rDownloading {self.name}: {self.size >> 10} KiB")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def iter_link_pages(first: str, get: Callable[[str], Response], max_pages: int = 1000
                    ) -> Iterator[Response]:
    """Follow RFC 8288 `Link: <url>; rel="next"` headers from `first`, at most `max_pages` pages."""
    url: str | None = first
    for _ in range(max_pages):
        if url is None:
            return
        resp = get(url)
        yield resp
        nxt = parse_link_next(resp.header("Link"))
        url = urllib.parse.urljoin(url, nxt) if nxt else None
    raise NetworkError(f"more than {max_pages} pages of tags from {_redact(first)}")


def parse_link_next(value: str) -> str | None:
    """The target of the rel="next" entry in a Link header, or None.

    Grammar (RFC 8288, as registries send it)::

        link   = entry *( "," entry )
        entry  = "<" uri ">" *( ";" param )
        param  = name "=" ( token | quoted-string )
    """
    for entry in value.split(","):
        entry = entry.strip()
        if not entry.startswith("<") or ">" not in entry:
            continue
        uri, _, params = entry[1:].partition(">")
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "rel" and "next" in v.strip().strip('"').split():
                return uri
    return None
