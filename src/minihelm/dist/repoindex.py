"""A RepoEntry -> its index.yaml fetched, checked as helm's loadIndex checks it, and cached as NAME-index.yaml + NAME-charts.txt; feeds repo add/update, search, pull and dependency update.

helm's ChartRepository.DownloadIndexFile, step by step:

1. GET <url>/index.yaml (the repository URL's query kept), with basic auth
   when both username and password are set and the host is the repository's
   (or pass_credentials_all);
2. any answer but 200 is ``failed to fetch URL : STATUS``;
3. the body is read as helm's loadIndex reads it: empty is an error; JSON
   goes through encoding/json, anything else through strict YAML (an
   unknown key is an error); null entries and entries whose metadata does
   not validate are skipped with a warning; no apiVersion is an error;
4. only then NAME-charts.txt (the chart names, one a line) and
   NAME-index.yaml (the bytes as served) are written, each atomically, so a
   failure leaves the previous cache as it was.

Index documents are read with the go-yaml-exact loader, which enforces
go-yaml's alias and depth limits; one over 1 MiB of plain block data goes
through libyaml's event loader instead (fast on 20 MB indexes).
"""

from __future__ import annotations

import base64
import contextlib
import marshal
import os
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..errors import MinihelmError, RepoError
from ..golang.jsonio import GoJSONError, loads_go
from ..golang.semver import Version, parse_version
from ..goyaml.yamlio import go_quote, load_yaml_v2
from .gostruct import ANY, BOOL, STRING, TIME, GoDecodeError, decode, lst, mp, struct
from .http import CONNECT_TIMEOUT, MAX_INDEX, READ_TIMEOUT, HttpClient, TLSOptions
from .indexyaml import Unsupported, load_plain
from .repofile import RepoEntry

__all__ = ["RepoClient", "download_index", "load_index_file", "parse_index",
           "resolve_reference_url"]

Warn = Callable[[str], None]

_STRS = lst(STRING)
_MAINTAINER_T = struct("chart.Maintainer", ("name", STRING), ("email", STRING), ("url", STRING))
_DEPENDENCY_T = struct("chart.Dependency", ("name", STRING), ("version", STRING),
                       ("repository", STRING), ("condition", STRING), ("tags", _STRS),
                       ("enabled", BOOL), ("import-values", lst(ANY)), ("alias", STRING))
_METADATA = (("name", STRING), ("home", STRING), ("sources", _STRS), ("version", STRING),
             ("description", STRING), ("keywords", _STRS),
             ("maintainers", lst(_MAINTAINER_T, "[]*chart.Maintainer")), ("icon", STRING),
             ("apiVersion", STRING), ("condition", STRING), ("tags", STRING),
             ("appVersion", STRING), ("deprecated", BOOL), ("annotations", mp(STRING)),
             ("kubeVersion", STRING),
             ("dependencies", lst(_DEPENDENCY_T, "[]*chart.Dependency")), ("type", STRING))
_CHART_VERSION_T = struct(
    "repo.ChartVersion", *((n, t, "Metadata") for n, t in _METADATA),
    ("urls", _STRS), ("created", TIME), ("removed", BOOL), ("digest", STRING),
    ("checksum", STRING), ("engine", STRING), ("tillerVersion", STRING), ("url", STRING))
_INDEX_T = struct("repo.IndexFile", ("serverInfo", mp(ANY)), ("apiVersion", STRING),
                  ("generated", TIME),
                  ("entries", mp(lst(_CHART_VERSION_T, "repo.ChartVersions"),
                                 "map[string]repo.ChartVersions")),
                  ("publicKeys", _STRS), ("annotations", mp(STRING)))

_SANITIZED = ("name", "description", "home", "icon", "condition", "tags", "appVersion",
              "kubeVersion")


def _sanitize(s: str) -> str:
    """chart's sanitizeString: every white space a plain space, unprintable runes dropped."""
    if s.isprintable() and not any(c.isspace() and c != " " for c in s):
        return s
    return "".join(" " if c.isspace() else c for c in s if c.isspace() or c.isprintable())


def _validate(cv: dict[str, Any]) -> str:
    """Metadata.Validate (sanitizing as it goes) -> "" or the validation error's text."""
    for k in _SANITIZED:
        if isinstance(cv.get(k), str):
            cv[k] = _sanitize(cv[k])
    for k in ("sources", "keywords"):
        if isinstance(cv.get(k), list):
            cv[k] = [_sanitize(x) if isinstance(x, str) else x for x in cv[k]]
    name, version = cv.get("name") or "", cv.get("version") or ""
    if not cv.get("apiVersion"):
        return "validation: chart.metadata.apiVersion is required"
    if not name:
        return "validation: chart.metadata.name is required"
    if name in (".", ".."):
        return f"validation: chart.metadata.name {go_quote(name)} is not allowed"
    if "/" in name:
        return f"validation: chart.metadata.name {go_quote(name)} is invalid"
    if not version:
        return "validation: chart.metadata.version is required"
    if _version(version) is None:
        return f"validation: chart.metadata.version {go_quote(version)} is invalid"
    if (cv.get("type") or "") not in ("", "application", "library"):
        return "validation: chart.metadata.type must be application or library"
    for m in cv.get("maintainers") or []:
        if m is None:
            return "validation: maintainers must not contain empty or null nodes"
    for d in cv.get("dependencies") or []:
        if d is None:
            return "validation: dependencies must not contain empty or null nodes"
        alias = d.get("alias") or ""
        if alias and not all(c.isascii() and (c.isalnum() or c in "_-") for c in alias):
            return (f"validation: dependency {go_quote(d.get('name') or '')} has disallowed "
                    "characters in the alias")
    return ""


def _version(s: Any) -> Version | None:
    try:
        return parse_version(str(s))
    except MinihelmError:
        return None


def sort_versions(cvs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """SortEntries: newest SemVer first, unparsable versions last (stable where helm's is not)."""
    good = [(v, cv) for cv in cvs if (v := _version(cv.get("version"))) is not None]
    good.sort(key=lambda p: p[0], reverse=True)
    return [cv for _, cv in good] + [cv for cv in cvs if _version(cv.get("version")) is None]



def _fast_loader() -> type:
    # deferred: only _fast_loader() needs it, and it brings tarfile, zlib, shutil
    from .repo import _IndexLoader

    return _IndexLoader


def _json_valid(data: bytes) -> Any:
    first = data.lstrip()[:1]
    if first not in (b"{", b"[", b'"') and not first[:1].isdigit() and first not in b"-tfn":
        return None
    try:
        return (loads_go(data),)
    except (GoJSONError, ValueError):
        return None
    except RecursionError:
        return None


def parse_timeout(text: str) -> float | None:
    """--timeout's Go duration ("2m0s", "90s") -> seconds; helm's flag error when it is not one."""
    if not text:
        return None
    # deferred: only parse_timeout() needs it, and it brings datetime
    from ..golang.timebase import GoTimeError, parse_duration

    try:
        return max(parse_duration(text), 1) / 1e9
    except GoTimeError as e:
        raise RepoError(f'invalid argument "{text}" for "--timeout" flag: {e}') from None


def parse_index(data: bytes, source: str, warn: Warn | None = None) -> dict[str, Any]:
    """index.yaml bytes -> {"apiVersion", "entries": {name: [version docs, newest first]}, ...}.

    Grammar: a JSON or YAML document, a mapping of ``apiVersion`` (required),
    ``generated``, ``entries`` (chart name -> list of chart version mappings:
    the Chart.yaml keys plus ``urls``, ``created``, ``digest``, ``removed`` and
    helm 2's ``checksum``, ``engine``, ``tillerVersion``, ``url``),
    ``publicKeys``, ``annotations`` and ``serverInfo``.  Errors are RepoError
    with helm's loadIndex text; `source` names the index in warnings.
    """
    if not data:
        raise RepoError("empty index.yaml file")
    as_json = _json_valid(data)
    try:
        if as_json is not None:
            doc = decode(as_json[0], _INDEX_T, strict=False, from_yaml=False)
        else:
            doc = decode(_load_yaml(data, source), _INDEX_T, strict=True, from_yaml=True)
    except GoDecodeError as e:
        prefix = "" if as_json is not None else "error unmarshaling JSON: while decoding JSON: "
        raise RepoError(prefix + str(e)) from None
    doc = doc or {}
    entries: dict[str, list[dict[str, Any]]] = {}
    for name, cvs in (doc.get("entries") or {}).items():
        kept: list[dict[str, Any]] = []
        for cv in reversed(cvs or []):
            if cv is None:
                _warn(warn, f"skipping loading invalid entry for chart {go_quote(name)} from "
                      f"{source}: empty entry")
                continue
            cv.setdefault("apiVersion", None)
            if not cv["apiVersion"]:
                cv["apiVersion"] = "v1"
            problem = _validate(cv)
            if problem and not problem.startswith(
                    "validation: more than one dependency with name or alias"):
                _warn(warn, f"skipping loading invalid entry for chart {go_quote(name)} "
                      f"{go_quote(cv.get('version') or '')} from {source}: {problem}")
                continue
            kept.append(cv)
        kept.reverse()
        entries[name] = sort_versions(kept)
    doc["entries"] = entries
    if not doc.get("apiVersion"):
        raise RepoError("no API version specified")
    return doc


# Up to this size an index is read by the go-yaml-exact loader (about 0.4 s a MiB);
# a bigger one by libyaml's events when it is plain block data, since there the
# two agree on everything an index holds and the exact loader would take seconds.
_EXACT_MAX = 1 << 20


def _load_yaml(data: bytes, source: str) -> Any:
    if len(data) > _EXACT_MAX:
        try:
            return load_plain(data, _fast_loader())
        except Unsupported:
            pass
    try:
        return load_yaml_v2(data, source)
    except MinihelmError as e:
        raise RepoError(e.message) from None
    except RecursionError:
        raise RepoError("error converting YAML to JSON: yaml: exceeded max depth") from None


def _warn(warn: Warn | None, msg: str) -> None:
    """slog.Warn as helm's default text handler prints it."""
    _emit(warn, f"level=WARN msg={go_quote(msg)}")


def load_index_file(path: str | os.PathLike[str], warn: Warn | None = None) -> dict[str, Any]:
    """repo.LoadIndexFile: "open PATH: ..." when unreadable, "error loading PATH: ..." when bad."""
    p = os.fspath(path)
    try:
        data = Path(p).read_bytes()
    except OSError as e:
        verb = "read" if isinstance(e, IsADirectoryError) else "open"
        raise RepoError(f"{verb} {p}: {(e.strerror or str(e)).lower()}") from None
    memo = _memo_path(p, data) if len(data) >= _MEMO_MIN else None
    if memo is not None:
        hit = _memo_get(memo)
        if hit is not None:
            for line in hit[1]:
                _emit(warn, line)
            return hit[0]
    lines: list[str] = []
    try:
        doc = parse_index(data, p, lines.append)
    except RepoError as e:
        raise RepoError(f"error loading {p}: {e.message}") from None
    finally:
        for line in lines:
            _emit(warn, line)
    if memo is not None:
        from .._core.cachedir import store

        with contextlib.suppress(ValueError):
            store(memo, marshal.dumps((doc, lines)))
    return doc


# A cached index is read again by every search and pull; a big one (bitnami's is
# 20 MB) takes seconds to check.  The checked document is kept in minihelm's
# cache under a key of the file's identity and minihelm's code, so it is only
# checked again when the file (or minihelm) changed.
_MEMO_MIN = 1 << 20


def _memo_path(path: str, data: bytes) -> str:
    # deferred: only _memo_path() needs it: 1 module this one does not otherwise load
    from .._core.cachedir import blake2b, cache_root, code_stamp

    st = os.stat(path)
    key = f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{len(data)}"
    h = blake2b(f"{key}\0{code_stamp()}".encode(), digest_size=20).hexdigest()
    return os.path.join(cache_root(), "repo-index", f"{h}.marshal")


def _memo_get(path: str) -> tuple[dict[str, Any], list[str]] | None:
    try:
        with open(path, "rb") as fh:
            value = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict):
        return value[0], list(value[1])
    return None


def _emit(warn: Warn | None, line: str) -> None:
    if warn is not None:
        warn(line)
    else:
        sys.stderr.write(line + "\n")


def cache_index_file(name: str) -> str:
    return f"{name}-index.yaml" if name else "index.yaml"


def cache_charts_file(name: str) -> str:
    return f"{name}-charts.txt" if name else "charts.txt"


# ---------------------------------------------------------------- URLs


def resolve_reference_url(base: str, ref: str) -> str:
    """repo.ResolveReferenceURL: an absolute ref as it is, else joined to base + "/" (base's query kept)."""
    if urllib.parse.urlsplit(ref).scheme:
        return ref
    b = urllib.parse.urlsplit(base)
    joined = urllib.parse.urljoin(
        urllib.parse.urlunsplit(b._replace(path=b.path.rstrip("/") + "/", query="",
                                           fragment="")), ref)
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(joined)._replace(query=b.query))


def urls_equal(a: str, b: str) -> bool:
    """urlutil.Equal: the same URL once each path is cleaned ("" as "/", no trailing slash)."""
    import posixpath

    def norm(u: str) -> str:
        p = urllib.parse.urlsplit(u)
        path = posixpath.normpath(p.path or "/")
        path = "/" + path.lstrip("/") if path.startswith("/") else path
        return urllib.parse.urlunsplit(p._replace(scheme=p.scheme.lower(), path=path))

    return norm(a) == norm(b)


def check_url(url: str) -> str:
    """NewChartRepository's checks -> the scheme; helm's errors for unparsable URLs and other schemes."""
    import re

    if re.search(r"%(?![0-9A-Fa-f]{2})", url) or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        raise RepoError(f"invalid chart URL format: {url}")
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if m is None:
        if ":" in url.split("/", 1)[0]:
            raise RepoError(f"invalid chart URL format: {url}")
        scheme = ""
    else:
        scheme = m.group(1).lower()
        try:
            host = urllib.parse.urlsplit(url).netloc.rsplit("@", 1)[-1]
        except ValueError:  # an unbalanced "[" in the host, where Go's url.Parse fails too
            raise RepoError(f"invalid chart URL format: {url}") from None
        if " " in host:
            raise RepoError(f"invalid chart URL format: {url}")
    if scheme not in ("http", "https", "oci"):
        raise RepoError(f"could not find protocol handler for: {scheme}")
    return scheme


# ---------------------------------------------------------------- HTTP


# A repository that stops answering fails within about half a minute: two attempts, each
# with the shared connect timeout and at most 15 s of silence between bytes.
_TIMEOUTS = (CONNECT_TIMEOUT, min(READ_TIMEOUT, 15.0))


@dataclass
class RepoClient:
    """helm's HTTPGetter for one repository: its TLS settings and credentials, and helm's error texts."""

    entry: RepoEntry
    debug: Callable[[str], None] | None = None
    timeout: float | None = None  # --timeout: no single wait longer than this (seconds)
    _http: HttpClient | None = field(default=None, repr=False)
    _reasons: dict[str, str] = field(default_factory=dict, repr=False)

    def _check_tls(self) -> None:
        """HTTPGetter builds a TLS config only when asked to; its file errors, joined as errors.Join."""
        e = self.entry
        if not ((e.cert_file and e.key_file) or e.ca_file or e.insecure_skip_tls_verify):
            return
        errs: list[str] = []

        def read(path: str, what: str) -> bytes:
            if not path:
                errs.append(f'{what}: "": open : no such file or directory')
                return b""
            try:
                return Path(path).read_bytes()
            except OSError as x:
                verb = "read" if isinstance(x, IsADirectoryError) else "open"
                errs.append(f'{what}: "{path}": {verb} {path}: '
                            f"{(x.strerror or str(x)).lower()}")
                return b""

        if (e.cert_file or e.key_file) and read(e.cert_file, "unable to read cert file"):
            read(e.key_file, "unable to read key file")
        ca = read(e.ca_file, "can't read CA file") if e.ca_file else b""
        if not errs and e.ca_file and b"-----BEGIN CERTIFICATE-----" not in ca:
            errs.append("failed to append certificates from pem block")
        if errs:
            raise RepoError("can't create TLS config for client: " + "\n".join(errs))

    def http(self) -> HttpClient:
        if self._http is None:
            import requests

            self._check_tls()

            reasons = self._reasons
            limits = _TIMEOUTS if self.timeout is None else (
                min(CONNECT_TIMEOUT, self.timeout), self.timeout)

            class _Session(requests.Session):
                # Go prints the server's own reason phrase ("404 File not found");
                # the shared client keeps only the code, so it is noted here.
                def request(self, method: str, url: Any, *a: Any, **kw: Any) -> Any:
                    kw["timeout"] = limits
                    r = super().request(method, url, *a, **kw)
                    reasons[str(url)] = r.reason or ""
                    return r

            if self.entry.insecure_skip_tls_verify:
                import urllib3

                # the user asked for it: no Python warning on every request (helm prints none)
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            s = _Session()
            s.trust_env = False
            s.headers["User-Agent"] = "Helm/4.1.4"
            e = self.entry
            self._http = HttpClient(TLSOptions(e.ca_file, e.cert_file, e.key_file,
                                               e.insecure_skip_tls_verify),
                                    retries=1, debug=self.debug, _session=s)
        return self._http

    def _headers(self, url: str) -> dict[str, str]:
        e = self.entry
        a, b = urllib.parse.urlsplit(e.url), urllib.parse.urlsplit(url)
        same = (a.scheme, a.netloc) == (b.scheme, b.netloc)
        h = {}
        if e.username and e.password and (e.pass_credentials_all or same):
            token = base64.b64encode(f"{e.username}:{e.password}".encode()).decode()
            h["Authorization"] = f"Basic {token}"
        return h

    def _status(self, url: str, resp: Any) -> RepoError:
        reason = self._reasons.get(resp.url, "")
        return RepoError(f"failed to fetch {url} : {resp.status} {reason}".rstrip())

    def get(self, url: str, limit: int | None = None, accept: str = "") -> bytes:
        """GET url -> the body; helm's texts for a refused connection or a non-200 answer."""
        headers = self._headers(url)
        if accept:
            headers["Accept"] = accept
        resp, body = self.http().fetch(url, headers, limit=limit or MAX_INDEX)
        if resp.status != 200:
            raise self._status(url, resp)
        return body

    def download(self, url: str, dest: Path, digest: str = "") -> Path:
        """GET url into dest through a temp file, renamed only when 200 and the digest matched."""
        headers = self._headers(url)
        headers["Accept"] = "application/gzip,application/octet-stream"

        def check(resp: Any) -> None:
            if resp.status != 200:
                raise self._status(url, resp)

        return self.http().download(url, dest, headers, digest=digest, check=check)


def download_index(entry: RepoEntry, cache: Path, warn: Warn | None = None,
                   client: RepoClient | None = None) -> Path:
    """ChartRepository.DownloadIndexFile: fetch, check, then cache -> the cached index's path."""
    if check_url(entry.url) == "oci":
        # helm hands oci:// to its registry getter, which cannot name <url>/index.yaml
        raise RepoError('failed to perform "FetchReference" on source: invalid reference')
    url = resolve_reference_url(entry.url, "index.yaml")
    data = (client or RepoClient(entry)).get(url)
    doc = parse_index(data, entry.url, warn)
    names = "".join(f"{n}\n" for n in sorted(doc["entries"]))
    try:
        atomic_write(cache / cache_charts_file(entry.name), names.encode())
        return atomic_write(cache / cache_index_file(entry.name), data)
    except OSError as e:
        raise RepoError(f"open {cache}: {(e.strerror or str(e)).lower()}") from None
