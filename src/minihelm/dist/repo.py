"""A folder of chart archives -> index.yaml (helm's repo index format); push adds one chart under a lock.

index.yaml, as helm's pkg/repo/v1 writes it::

    apiVersion: v1
    entries:
      <chart name>:            # one list per chart, newest SemVer first
      - <Chart.yaml fields>    # the Metadata struct, empty fields dropped
        created: <RFC 3339, nanoseconds>
        digest: <sha256 of the .tgz>
        urls: [<url>/<file> or the file's path relative to the repo folder]
    generated: <RFC 3339, nanoseconds>

Unlike `helm repo index`: an archive that does not load is an error (helm
skips it), two archives with one name+version are an error, and entries of an
unchanged archive keep their `created` time (an unchanged folder leaves
index.yaml byte-identical).  Writers hold an exclusive lock on index.yaml and
replace files atomically, so concurrent pushes never lose an entry.  Every
temporary path in the folder is made while holding that lock (``.push-*``
folders, ``.push.*.tmp`` and ``.index.yaml.*.tmp`` files), so the next writer
removes whatever a killed one left behind.  Entries are memoised by the
archive's sha256 in the template cache's folder (``index-entries/``), so a
re-index loads only archives it has not seen; the index itself is read from
libyaml's events (indexyaml.py).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .. import __version__
from .._core.cachedir import store
from .._core.fsutil import atomic_write, locked
from ..chart.loader import load_chart
from ..errors import MinihelmError, RepoError
from ..golang.semver import parse_version
from ..goyaml.blockyaml import dump_go_yaml
from ..goyaml.yamlimport import paused_gc, yaml
from .indexyaml import Unsupported, load_plain
from .package import metadata_doc, package_chart

INDEX = "index.yaml"

__all__ = ["build_index", "load_index", "push"]


# ---------------------------------------------------------------- reading


class _IndexLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
    """libyaml's C loader; timestamps stay strings as they are written."""


def _timestamp_as_text(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


_IndexLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_index(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read an index.yaml (libyaml C loader) -> the mapping; RepoError if it is not an index."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise RepoError(f"error loading {p}: {e.strerror or e}") from None
    if not data.strip():
        raise RepoError(f"error loading {p}: index.yaml file is empty")
    digest = hashlib.sha256(data).hexdigest() if len(data) >= _COMPACT_MIN else None
    if digest is not None:
        doc = _compact_get(digest)
        if doc is not None:
            return doc
    doc = _parse_index(p, data)
    if digest is not None:
        _compact_put(digest, doc)
    return doc


def _parse_index(p: Path, data: bytes) -> dict[str, Any]:
    try:
        doc = load_plain(data, _IndexLoader)  # the same values, without PyYAML's node graph
    except Unsupported:
        try:
            doc = yaml.load(data, Loader=_IndexLoader)  # a safe loader subclass
        except yaml.YAMLError as e:
            raise RepoError(f"error loading {p}: {e}") from None
    if not isinstance(doc, dict):
        raise RepoError(f"error loading {p}: not a chart repository index")
    if not doc.get("apiVersion"):
        raise RepoError(f"error loading {p}: no API version specified")
    entries = doc.get("entries") or {}
    if not isinstance(entries, dict) or not all(isinstance(v, list) for v in entries.values()):
        raise RepoError(f"error loading {p}: entries must map chart names to lists")
    doc["entries"] = entries
    return doc


# A big index (bitnami's is 20 MB) takes over a second to parse, and the same
# bytes are read again and again: the file merged into every `repo index
# --merge`, a named repository's cached index on every search.  A loaded index
# is a tree of plain values, so its compact form is marshal's (8.9 MB, read
# in 0.1 s), kept in the cache folder under the sha256 of the YAML bytes.
# Only indexes that loaded are kept; any cache trouble means parsing again.

_COMPACT_MIN = 1 << 20


def _compact_get(digest: str) -> dict[str, Any] | None:
    try:
        blob = _cache_path("index-compact", digest).read_bytes()
        with paused_gc():
            value = marshal.loads(blob)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("entries"), dict) else None


def _compact_put(digest: str, doc: dict[str, Any]) -> None:
    try:
        blob = marshal.dumps(doc)
    except ValueError:
        return  # a value marshal can't hold only costs speed
    store(_cache_path("index-compact", digest), blob)


# ---------------------------------------------------------------- building


def _now() -> str:
    """time.Now() in RFC 3339 with nanoseconds, UTC (Go's RFC3339Nano trims trailing zeros)."""
    ns = time.time_ns()
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000))
    frac = f"{ns % 1_000_000_000:09d}".rstrip("0")
    return f"{base}{'.' + frac if frac else ''}Z"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _url(base: str | None, rel: str) -> str:
    if not base:
        return rel
    return base.rstrip("/") + "/" + rel


def _entry(archive: Path, rel: str, url: str | None) -> dict[str, Any]:
    """One archive -> its index entry (without `created`)."""
    digest = _digest(archive)
    entry = _memo_get(digest)
    if entry is None:
        try:
            chart = load_chart(archive)
        except MinihelmError as e:
            raise RepoError(f"cannot index {rel}: {e.message}") from None
        entry = metadata_doc(chart.metadata)
        entry["apiVersion"] = chart.metadata.api_version or "v1"
        _memo_put(digest, entry)
    entry["urls"] = [_url(url, rel)]
    entry["digest"] = digest
    return entry


# Loading a whole archive is most of the cost of indexing it, and an entry is a
# function of the archive's bytes (the url aside) and of this code.  So entries
# are memoised on disk by sha256 (which the index needs anyway), in the template
# cache's folder, under a key that also covers minihelm's version and its module
# files: re-indexing a folder of 2,000 archives after adding one loads one.
# Only archives that loaded are memoised, so a broken one fails every time.

_MEMO_FORMAT = "1"
_memo_salt: str | None = None


def _cache_path(kind: str, digest: str) -> Path:
    """$cache/<kind>/<salt>/<digest>: the salt covers this code, so an upgrade never reads old forms."""
    global _memo_salt
    # deferred: only _cache_path() needs it: 2 modules this one does not otherwise load
    from ..engine.tplcache import default_cache_dir

    if _memo_salt is None:
        from .._core.cachedir import code_stamp

        h = hashlib.sha256(f"{_MEMO_FORMAT}\0{__version__}\0{code_stamp()}".encode())
        _memo_salt = h.hexdigest()[:16]
    return default_cache_dir() / kind / _memo_salt / digest[:2] / digest


def _memo_path(digest: str) -> Path:
    return _cache_path("index-entries", digest).with_suffix(".entry")


def _memo_get(digest: str) -> dict[str, Any] | None:
    try:
        value = marshal.loads(_memo_path(digest).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None  # missing or unreadable: load the archive
    return value if isinstance(value, dict) and value.get("name") else None


def _memo_put(digest: str, entry: dict[str, Any]) -> None:
    try:
        blob = marshal.dumps(entry)
    except ValueError:
        return  # an unmarshallable value only costs speed
    store(_memo_path(digest), blob)


@functools.lru_cache(maxsize=1 << 16)
def _version_rank(version: str) -> tuple[int, Any]:
    """(1, parsed) for a semver, (0, None) otherwise; memoised, as an index repeats versions."""
    try:
        return (1, parse_version(version))
    except MinihelmError:
        return (0, None)  # helm: unparsable versions sort last


def _sorted_versions(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """helm's SortEntries: newest semver first (a stable sort), unparsable versions last."""
    ranked = [(_version_rank(str(e.get("version", ""))), e) for e in entries]
    good = [(r[1], e) for r, e in ranked if r[0]]
    good.sort(key=lambda pe: pe[0], reverse=True)
    return [e for _, e in good] + [e for r, e in ranked if not r[0]]


def _archives(repo: Path) -> list[Path]:
    """helm's globs: *.tgz and */*.tgz (Go has no '**'); hidden work folders are skipped."""
    found = set(repo.glob("*.tgz")) | set(repo.glob("*/*.tgz"))
    return sorted(p for p in found
                  if not any(part.startswith(".") for part in p.relative_to(repo).parts))


def _old_created(existing: dict[str, Any] | None) -> dict[tuple[str, str, str], str]:
    """(name, version, digest) -> created, from the index being replaced."""
    out: dict[tuple[str, str, str], str] = {}
    for name, versions in ((existing or {}).get("entries") or {}).items():
        for v in versions or []:
            if isinstance(v, dict) and v.get("created"):
                out[(name, str(v.get("version")), str(v.get("digest")))] = str(v["created"])
    return out


def _render(entries: dict[str, list[dict[str, Any]]], generated: str) -> bytes:
    return _render_sorted(_sorted_entries(entries), generated)


def _sorted_entries(entries: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {n: _sorted_versions(list(v)) for n, v in sorted(entries.items())}


def _render_sorted(entries: dict[str, list[dict[str, Any]]], generated: str) -> bytes:
    doc = {"apiVersion": "v1", "entries": entries, "generated": generated}
    return dump_go_yaml(doc).encode()


def _write_index(target: Path, entries: dict[str, list[dict[str, Any]]],
                 existing: dict[str, Any] | None) -> Path:
    """Write index.yaml unless its entries are unchanged (then the file is left as it is)."""
    new = _sorted_entries(entries)
    if existing is not None and target.exists() and _sorted_entries(existing["entries"]) == new:
        return target
    return atomic_write(target, _render_sorted(new, _now()))


def _try_load(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        return load_index(path)
    except RepoError:
        return None  # being regenerated anyway


def build_index(
    repo_dir: str | os.PathLike[str],
    url: str | None = None,
    merge: str | os.PathLike[str] | None = None,
) -> Path:
    """`helm repo index DIR [--url URL] [--merge FILE]` -> the path of DIR/index.yaml."""
    repo = Path(repo_dir)
    if not repo.is_dir():
        raise RepoError(f"{os.fspath(repo_dir)} is not a directory")
    target = repo / INDEX
    with locked(target):
        _clean_litter(repo)
        existing = _try_load(target)
        created = _old_created(existing)
        entries: dict[str, list[dict[str, Any]]] = {}
        seen: dict[tuple[str, str], str] = {}
        for archive in _archives(repo):
            rel = archive.relative_to(repo).as_posix()
            e = _entry(archive, rel, url)
            key = (e["name"], e["version"])
            if key in seen:
                raise RepoError(f"{key[0]} {key[1]} is in both {seen[key]} and {rel}")
            seen[key] = rel
            e["created"] = created.get((key[0], key[1], e["digest"])) or _now()
            entries.setdefault(e["name"], []).append(e)
        if merge is not None and Path(merge).exists():
            for name, versions in load_index(merge)["entries"].items():
                for v in versions:
                    if isinstance(v, dict) and (name, str(v.get("version"))) not in seen:
                        entries.setdefault(name, []).append(v)
                        seen[(name, str(v.get("version")))] = os.fspath(merge)
        return _write_index(target, entries, existing)


# ---------------------------------------------------------------- push


def push(
    chart_or_tgz: str | os.PathLike[str],
    repo_dir: str | os.PathLike[str],
    url: str | None = None,
    force: bool = False,
) -> Path:
    """Add a chart (a folder is packaged first) to repo_dir and its index.yaml -> the archive path.

    The same name+version with different bytes is refused unless `force`;
    pushing identical bytes again changes nothing.  A `.prov` beside an archive
    (from `package --sign`) is copied beside it in the repository.
    """
    src = Path(chart_or_tgz)
    repo = Path(repo_dir)
    repo.mkdir(parents=True, exist_ok=True)
    if not src.is_dir() and not src.is_file():
        raise RepoError(f"{os.fspath(chart_or_tgz)}: no such chart folder or archive")
    with locked(repo / INDEX):
        _clean_litter(repo)
        if src.is_dir():
            # packaged under the lock, so a killed push's folder is known litter
            with tempfile.TemporaryDirectory(dir=repo, prefix=".push-") as tmp:
                return _push_locked(package_chart(src, tmp), repo, url, force)
        return _push_locked(src, repo, url, force)


def _push_prov(src: Path, target: Path) -> None:
    """A `<archive>.prov` beside the pushed archive goes along (pull --verify fetches it)."""
    prov = src.with_name(src.name + ".prov")
    if prov.is_file():
        data = prov.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data, tmp_prefix=f".push.{target.name}.")


def _clean_litter(repo: Path) -> None:
    """Remove temporary paths of writers that died; only call while holding the index lock."""
    for p in repo.iterdir():
        n = p.name
        if n.startswith(".push-") and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        elif n.endswith(".tmp") and n.startswith((".push.", f".{INDEX}.")) and p.is_file():
            p.unlink(missing_ok=True)


def _push_locked(src: Path, repo: Path, url: str | None, force: bool) -> Path:
    try:
        md = load_chart(src).metadata
    except MinihelmError as e:
        raise RepoError(f"cannot push {src.name}: {e.message}") from None
    fname = f"{md.name}-{md.version}.tgz"
    target = repo / fname
    digest = _digest(src)
    index_path = repo / INDEX
    index = load_index(index_path) if index_path.exists() else None
    entries = {n: list(v) for n, v in (index or {}).get("entries", {}).items()}
    current = next((v for v in entries.get(md.name, [])
                    if str(v.get("version")) == md.version), None)
    if target.exists() and _digest(target) != digest and not force:
        raise RepoError(f"{md.name} {md.version} is already in {repo} with different "
                        "content; use force to replace it")
    _push_prov(src, repo / f"{fname}.prov")
    if current is not None and current.get("digest") == digest and target.exists():
        return target  # identical: nothing to do
    if not target.exists() or _digest(target) != digest:
        atomic_write(target, src.read_bytes(), tmp_prefix=f".push.{fname}.")
    entry = _entry(target, fname, url)
    entry["created"] = _now()
    versions = [v for v in entries.get(md.name, []) if str(v.get("version")) != md.version]
    entries[md.name] = [*versions, entry]
    atomic_write(index_path, _render(entries, _now()))
    return target
