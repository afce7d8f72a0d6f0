"""A chart archive (+ .prov) <-> helm's OCI artifact: config, layers, annotations, tags; feeds push, pull, show, template and deps.

What helm v4.1.4's pkg/registry writes for `helm push demo-1.0.1.tgz oci://host/charts`:

* the config blob: the archive's Chart.yaml metadata as encoding/json
  marshals helm's Metadata struct (struct field order, empty fields left
  out), media type ``application/vnd.cncf.helm.config.v1+json``;
* the layers, sorted by digest: the archive
  (``application/vnd.cncf.helm.chart.content.v1.tar+gzip``) and, when
  ``<archive>.prov`` exists, the provenance file
  (``application/vnd.cncf.helm.chart.provenance.v1.prov``);
* the manifest ``{"schemaVersion":2,"config":...,"layers":[...],"annotations":{...}}``
  tagged ``<version>`` with ``+`` written ``_``.  Annotations:
  ``org.opencontainers.image.{description,title,version,url,created,source,authors}``
  from the metadata (created: the archive's mtime in RFC 3339), then the
  chart's own annotations, which may not replace title or version.

Pulling resolves `--version` as helm's ValidateReference does: a valid
SemVer is used as the tag itself; anything else is a constraint matched
against the tag list (StrictNewVersion tags, ``_`` read as ``+``, newest
first).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..chart.loader import load_chart
from ..chart.model import Dependency, Metadata
from ..errors import MinihelmError, RepoError
from ..golang.jsonio import dumps_go
from ..golang.semver import Constraint, Version, is_strict, parse_version
from .oci import (
    OCI_MANIFEST,
    Reference,
    Registry,
    check_digest,
    helm_reference,
    parse_reference,
    sha256_digest,
)

__all__ = ["CHART_LAYER", "CONFIG_TYPE", "PROV_LAYER", "Artifact", "PulledChart",
           "build_artifact", "pull_chart", "push_chart", "resolve_tag", "sorted_versions"]

CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_LAYER = "application/vnd.cncf.helm.chart.provenance.v1.prov"
LEGACY_CHART_LAYER = "application/tar+gzip"

UNDERSCORE_NOTE = """
OCI artifact references (e.g. tags) do not support the plus sign (+). To support
storing semantic versions, Helm adopts the convention of changing plus (+) to
an underscore (_) in chart version tags when pushing to a registry and back to
a plus (+) when pulling from a registry."""

Out = Callable[[str], None]
T = TypeVar("T")


# ---------------------------------------------------------------- encoding


def _struct(pairs: list[tuple[str, Any]]) -> str:
    """encoding/json of a Go struct: fields in declaration order, empty ones left out."""
    return "{" + ",".join(f"{dumps_go(k)}:{v if isinstance(v, _Raw) else dumps_go(v)}"
                          for k, v in pairs if v) + "}"


class _Raw(str):
    """Already-encoded JSON."""


def _maintainer_json(m: dict[str, Any]) -> str:
    return _struct([(k, str(m.get(k) or "")) for k in ("name", "email", "url")])


def _dependency_json(d: Dependency, raw: Any) -> str:
    # name and repository have no omitempty; `enabled` is what Chart.yaml says (the
    # model's True default is computed later, from conditions and tags)
    enabled = isinstance(raw, dict) and raw.get("enabled") is True
    fields: list[tuple[str, Any]] = [("name", _Raw(dumps_go(d.name))),
                                     ("version", d.version),
                                     ("repository", _Raw(dumps_go(d.repository))),
                                     ("condition", d.condition), ("tags", list(d.tags)),
                                     ("enabled", enabled),
                                     ("import-values", list(d.import_values)),
                                     ("alias", d.alias)]
    return _struct(fields)


def config_json(md: Metadata) -> bytes:
    """json.Marshal(*chart.Metadata): the config blob helm pushes."""
    raw_deps = md.raw.get("dependencies")
    raw_deps = raw_deps if isinstance(raw_deps, list) else []
    fields: list[tuple[str, Any]] = [
        ("name", md.name), ("home", md.home), ("sources", list(md.sources)),
        ("version", md.version), ("description", md.description),
        ("keywords", list(md.keywords)),
        ("maintainers", _Raw("[" + ",".join(_maintainer_json(m) for m in md.maintainers) + "]")
         if md.maintainers else ""),
        ("icon", md.icon), ("apiVersion", md.api_version), ("condition", md.condition),
        ("tags", md.tags), ("appVersion", md.app_version), ("deprecated", md.deprecated),
        ("annotations", dict(md.annotations)), ("kubeVersion", md.kube_version),
        ("dependencies", _Raw("[" + ",".join(_dependency_json(d, raw_deps[i] if i < len(raw_deps)
                                                               else None)
                                             for i, d in enumerate(md.dependencies)) + "]")
         if md.dependencies else ""),
        ("type", md.type),
    ]
    return _struct(fields).encode()


def _descriptor(media: str, data: bytes) -> dict[str, Any]:
    return {"mediaType": media, "digest": sha256_digest(data), "size": len(data)}


def _descriptor_json(d: dict[str, Any]) -> str:
    return _struct([("mediaType", d["mediaType"]), ("digest", d["digest"]),
                    ("size", _Raw(str(d["size"])))])


def oci_annotations(md: Metadata, created: str) -> dict[str, str]:
    """generateOCIAnnotations: OCI keys from the metadata, then the chart's own (title/version kept)."""
    out: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        if value.strip():
            out[f"org.opencontainers.image.{key}"] = value

    add("description", md.description)
    add("title", md.name)
    add("version", md.version)
    add("url", md.home)
    add("created", created)
    if md.sources:
        add("source", md.sources[0])
    if md.maintainers:
        parts = []
        for m in md.maintainers:
            s = str(m.get("name") or "")
            if m.get("email"):
                s += f" ({m['email']})"
            parts.append(s)
        add("authors", ", ".join(parts))
    for k, v in md.annotations.items():
        if k not in ("org.opencontainers.image.version", "org.opencontainers.image.title"):
            out[k] = str(v)
    return out


def rfc3339(ts: float) -> str:
    """Go's time.Format(time.RFC3339) in the local zone: 2006-01-02T15:04:05Z07:00."""
    t = _dt.datetime.fromtimestamp(int(ts)).astimezone()
    off = t.utcoffset()
    if not off:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    s = t.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


@dataclass(frozen=True)
class Artifact:
    """The blobs and manifest of one chart push."""

    metadata: Metadata
    chart: bytes
    config: bytes
    prov: bytes | None
    manifest: bytes


def build_artifact(chart: bytes, prov: bytes | None, created: str, md: Metadata) -> Artifact:
    """The archive's bytes (+ provenance) and its metadata -> helm's config, layers and manifest."""
    config = config_json(md)
    layers = [_descriptor(CHART_LAYER, chart)]
    if prov is not None:
        layers.append(_descriptor(PROV_LAYER, prov))
    layers.sort(key=lambda d: d["digest"])
    manifest = _struct([
        ("schemaVersion", _Raw("2")),
        ("config", _Raw(_descriptor_json(_descriptor(CONFIG_TYPE, config)))),
        ("layers", _Raw("[" + ",".join(_descriptor_json(d) for d in layers) + "]")),
        ("annotations", oci_annotations(md, created)),
    ]).encode()
    return Artifact(md, chart, config, prov, manifest)


# ---------------------------------------------------------------- push


@dataclass(frozen=True)
class PushResult:
    ref: Reference
    digest: str


def _oras(op: str, side: str, call: Callable[[], T]) -> T:
    """oras-go's CopyError text: 'failed to perform "Exists" on destination: <cause>'."""
    try:
        return call()
    except RepoError as e:
        raise RepoError(f'failed to perform "{op}" on {side}: {e.message}') from None


def read_push_archive(archive: str) -> tuple[bytes, bytes | None, Metadata, float]:
    """The archive helm would push: bytes, the .prov beside it (if any), metadata, mtime."""
    path = Path(archive)
    if not path.exists():
        raise RepoError(f"{archive}: no such file")
    if path.is_dir():
        raise RepoError("cannot push directory, must provide chart archive (.tgz)")
    md = load_chart(path).metadata  # helm's loader errors, word for word
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
        prov_path = Path(f"{archive}.prov")
        prov = prov_path.read_bytes() if prov_path.is_file() else None
    except OSError as e:
        raise RepoError(f"open {archive}: {(e.strerror or str(e)).lower()}") from None
    return data, prov, md, mtime


def push_chart(registry_for: Callable[[str], Registry], archive: str, remote: str,
               err: Out) -> PushResult:
    """`helm push ARCHIVE oci://HOST/PATH`: blobs the registry lacks, then the manifest, then the tag.

    The order is oras-go's Copy: HEAD the manifest by digest (present: only
    tag it), HEAD each blob and upload the missing ones, PUT the manifest by
    digest, then PUT it again under the tag.
    """
    scheme, sep, _ = remote.partition("://")
    if not sep or scheme != "oci":
        raise RepoError(f'scheme "{scheme if sep else ""}" not supported')
    data, prov, md, mtime = read_push_archive(archive)
    art = build_artifact(data, prov, rfc3339(mtime), md)
    base = remote.removeprefix("oci://").rstrip("/")
    ref = parse_reference(f"{base}/{md.name}:{md.version.replace('+', '_')}")
    reg = registry_for(ref.registry)
    digest = sha256_digest(art.manifest)
    at_digest = Reference(ref.registry, ref.repository, "", digest)
    if not _oras("Exists", "destination", lambda: reg.has_manifest(at_digest)):
        blobs = [art.config, art.chart] + ([prov] if prov is not None else [])
        for blob in blobs:
            d = sha256_digest(blob)
            if not _oras("Exists", "destination",
                         lambda d=d: reg.has_blob(ref.repository, d)):  # type: ignore[misc]
                _oras("Push", "destination",
                      lambda b=blob, d=d: reg.push_blob(ref.repository, b, d))  # type: ignore[misc]
        _oras("Push", "destination", lambda: reg.put_manifest(at_digest, art.manifest,
                                                              OCI_MANIFEST))
    reg.put_manifest(ref, art.manifest, OCI_MANIFEST)
    err(f"Pushed: {ref}")
    err(f"Digest: {digest}")
    if "_" in ref.tag:
        err(f"{ref} contains an underscore.")
        err(UNDERSCORE_NOTE)
    return PushResult(ref, digest)


# ---------------------------------------------------------------- versions


def _strict(tag: str) -> Version | None:
    """semver.StrictNewVersion of a tag read with `_` as `+` (no "v", all three parts)."""
    text = tag.replace("_", "+")
    if not is_strict(text):
        return None
    return parse_version(text)


def sorted_versions(tags: list[str]) -> list[str]:
    """helm's Client.Tags: strict SemVer tags, newest first, as Version.String()."""
    vs = [v for v in (_strict(t) for t in tags) if v is not None]
    vs.sort(reverse=True)
    return [str(v) for v in vs]


def match_tag(tags: list[str], version: str) -> str:
    """GetTagMatchingVersionOrConstraint."""
    if version:
        if version in tags:
            return version
        try:
            constraint = Constraint(version)
        except MinihelmError as e:
            raise RepoError(e.message) from None
    else:
        constraint = Constraint("*")
    for t in tags:
        try:
            v = parse_version(t)
        except MinihelmError:
            continue
        if constraint.check(v):
            return t
    raise RepoError(f"could not locate a version matching provided version string {version}")


def resolve_tag(reg: Registry, ref: Reference, version: str, raw: str) -> Reference:
    """ValidateReference: the reference to pull for `raw` (+ --version)."""
    tag = ref.tag.replace("_", "+")
    if not version:
        version = tag
    elif tag and tag != version:
        raise RepoError(f"chart reference and version mismatch: {version} is not {tag}")
    if ref.digest:
        if not version:
            return ref
        want = reg.resolve(Reference(ref.registry, ref.repository, version.replace("+", "_")))
        if want != ref.digest:
            raise RepoError(f"chart reference digest mismatch: {want} is not {ref.digest}")
        return Reference(ref.registry, ref.repository, "", ref.digest)
    try:
        parse_version(version)
        chosen = version
    except MinihelmError:
        tags = sorted_versions(reg.tags(ref.repository))
        if not tags:
            raise RepoError(f"unable to locate any tags in provided repository: {raw}") from None
        chosen = match_tag(tags, version)
    return ref.with_tag(chosen)


# ---------------------------------------------------------------- pull


@dataclass(frozen=True)
class PulledChart:
    """One pulled chart: the reference pulled, the manifest digest, the file name helm saves it as."""

    ref: Reference
    digest: str
    chart: bytes
    prov: bytes | None
    filename: str


def _descriptors(manifest: bytes, ref: Reference) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The config and layer descriptors of an image manifest (anything else is refused)."""
    import json

    try:
        doc = json.loads(manifest)
    except ValueError:
        doc = None
    config = doc.get("config") if isinstance(doc, dict) else None
    layers = doc.get("layers") if isinstance(doc, dict) else None
    if not isinstance(config, dict) or not isinstance(layers, list):
        raise RepoError(f"{ref}: the manifest is not an OCI image manifest")
    return config, [d for d in layers if isinstance(d, dict)]


def _digest_of(d: dict[str, Any], ref: Reference) -> str:
    digest = d.get("digest")
    if not isinstance(digest, str) or check_digest(digest):
        raise RepoError(f"{ref}: the manifest names a blob with an invalid digest {digest!r}")
    return digest


def pull_chart(registry_for: Callable[[str], Registry], raw: str, version: str, err: Out,
               with_prov: bool = False, out: Out = print,
               need_prov: bool = False) -> PulledChart:
    """`helm pull oci://...`: resolve, fetch the manifest, then the config and chart blobs (checked).

    Every blob is held to the digest its manifest names, and the manifest to
    the digest asked for; the lines helm prints follow (twice with --prov, as
    helm 4.1.4 pulls twice then).  `need_prov` (--verify): a chart without a
    provenance layer is an error, after the one pull helm reports.
    """
    ref = helm_reference(raw)
    reg = registry_for(ref.registry)
    ref = resolve_tag(reg, ref, (version or "").strip(), raw)
    manifest, digest, _media = reg.manifest(ref)
    config, layers = _descriptors(manifest, ref)
    chart_d = next((d for d in layers if d.get("mediaType") in (CHART_LAYER, LEGACY_CHART_LAYER)),
                   None)
    prov_d = next((d for d in layers if d.get("mediaType") == PROV_LAYER), None)
    if config.get("mediaType") != CONFIG_TYPE:
        raise RepoError(f"could not load config with mediatype {CONFIG_TYPE}")
    if chart_d is None:
        raise RepoError(f"manifest does not contain a layer with mediatype {CHART_LAYER}")
    if chart_d.get("mediaType") == LEGACY_CHART_LAYER:
        err(f"Warning: chart media type {LEGACY_CHART_LAYER} is deprecated")
    if need_prov and prov_d is None:
        err(f"Pulled: {ref}")
        err(f"Digest: {digest}")
        raise RepoError(f'failed to fetch provenance "oci://{ref}.prov"')
    if with_prov and prov_d is None:
        # helm 4.1.4 warns on stdout and pulls the chart alone
        out(f"WARNING: Verification not found for {raw}: manifest does not contain a layer "
            f"with mediatype {PROV_LAYER}")
        with_prov = False
    reg.blob(ref.repository, _digest_of(config, ref), limit=1 << 20)
    chart = reg.blob(ref.repository, _digest_of(chart_d, ref))
    prov = reg.blob(ref.repository, _digest_of(prov_d, ref)) if (with_prov and prov_d) else None
    for _ in range(2 if with_prov else 1):
        err(f"Pulled: {ref}")
        err(f"Digest: {digest}")
        if "_" in str(ref):
            err(f"{ref} contains an underscore.")
            err(UNDERSCORE_NOTE)
    base = ref.repository.rsplit("/", 1)[-1]
    if ref.digest and not ref.tag:
        algo, _, hexd = ref.digest.partition(":")
        filename = f"{base}@{algo}-{hexd}.tgz"
    else:
        filename = f"{base}-{ref.tag.replace('_', '+')}.tgz"
    return PulledChart(ref, digest, chart, prov, filename)


def pull_to(registry_for: Callable[[str], Registry], raw: str, version: str, dest: str,
            untar: bool, untardir: str, with_prov: bool, err: Out, out: Out = print,
            keyring: str | os.PathLike[str] | None = None) -> Path:
    """`helm pull oci://... [-d DIR] [--untar] [--prov] [--verify --keyring K]`: the saved
    archive (or chart folder).

    With `keyring` the provenance layer is fetched and checked before anything is written
    (helm keeps an archive that failed; we keep nothing), then kept beside the archive.
    """
    # deferred: only pull_to() needs it, and it brings cryptography, tarfile, filelock
    from .._core.fsutil import atomic_write
    from .provenance import verify_archive
    from .pull import _untar

    pulled = pull_chart(registry_for, raw, version, err, with_prov or keyring is not None, out,
                        need_prov=keyring is not None)
    folder = Path(dest)
    if not folder.is_dir():
        raise RepoError(f"open {folder / pulled.filename}: no such file or directory")
    verified = None
    if keyring is not None and pulled.prov is not None:
        verified = verify_archive(pulled.filename, pulled.prov, keyring, archive=pulled.chart)
    if untar:
        saved = _untar(pulled.ref.repository, pulled.chart, folder, untardir)
    else:
        saved = atomic_write(folder / pulled.filename, pulled.chart)
    if pulled.prov is not None:
        atomic_write(folder / f"{pulled.filename}.prov", pulled.prov)
    if verified is not None:
        out(verified.lines().removesuffix("\n"))  # helm's action.Pull prints them last
    return saved


@contextlib.contextmanager
def pulled_archive(registry_for: Callable[[str], Registry], raw: str, version: str,
                   err: Out) -> Iterator[Path]:
    """A registry chart as a temporary .tgz, for show, template and lint (removed afterwards)."""
    pulled = pull_chart(registry_for, raw, version, err)
    with tempfile.TemporaryDirectory(prefix="minihelm-oci-") as tmp:
        path = Path(tmp) / pulled.filename
        path.write_bytes(pulled.chart)
        yield path
