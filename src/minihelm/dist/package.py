"""A chart directory -> a reproducible `<name>-<version>.tgz` in helm's layout (repo.py indexes it).

Layout, as helm's chartutil.Save writes it: everything under ``<name>/``;
Chart.yaml re-marshalled from the validated metadata (sorted keys, empty
fields dropped, no dependencies for apiVersion v1); Chart.lock (v2 only);
values.yaml as read; values.schema.json (must be valid JSON); templates; the
other files; then each subchart as a folder under ``charts/<sub>/`` (helm
unpacks charts/*.tgz this way too).  No folder entries; every file 0644.

Reproducible, unlike helm: entries in a fixed order (subcharts by name), uid
and gid 0 with empty owner names, every mtime = $SOURCE_DATE_EPOCH or
1980-01-01, gzip header with mtime 0 and no file name.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..chart.loader import load_chart
from ..chart.model import Chart, Dependency, File, Metadata
from ..errors import ChartError, MinihelmError, PackageError
from ..golang.semver import parse_version
from ..goyaml.blockyaml import dump_go_yaml

FIXED_EPOCH = 315532800  # 1980-01-01T00:00:00Z
FILE_MODE = 0o644

__all__ = ["build_archive", "metadata_doc", "package_chart"]


# ---------------------------------------------------------------- Chart.yaml out


def _dependency_doc(d: Dependency) -> dict[str, Any]:
    """helm's Dependency struct as JSON: name and repository always, the rest omitempty."""
    out: dict[str, Any] = {"name": d.name, "repository": d.repository}
    for key, val in (("version", d.version), ("condition", d.condition), ("tags", list(d.tags)),
                     ("enabled", d.enabled), ("import-values", list(d.import_values)),
                     ("alias", d.alias)):
        if val:
            out[key] = val
    return out


def metadata_doc(md: Metadata, with_dependencies: bool = True) -> dict[str, Any]:
    """helm's Metadata struct as JSON (omitempty fields dropped): what Chart.yaml holds in a package."""
    fields: list[tuple[str, Any]] = [
        ("name", md.name), ("home", md.home), ("sources", list(md.sources)),
        ("version", md.version), ("description", md.description),
        ("keywords", list(md.keywords)),
        ("maintainers", [{k: v for k, v in m.items() if v} for m in md.maintainers]),
        ("icon", md.icon), ("apiVersion", md.api_version), ("condition", md.condition),
        ("tags", md.tags), ("appVersion", md.app_version), ("deprecated", md.deprecated),
        ("annotations", dict(md.annotations)), ("kubeVersion", md.kube_version),
        ("dependencies",
         [_dependency_doc(d) for d in md.dependencies] if with_dependencies else []),
        ("type", md.type),
    ]
    return {k: v for k, v in fields if v}


# ---------------------------------------------------------------- archive


def _entries(chart: Chart, base: str) -> list[File]:
    """helm's writeTarContents order, with names under `base`."""
    md = chart.metadata
    out = [File(f"{base}/Chart.yaml",
                dump_go_yaml(metadata_doc(md, md.api_version != "v1")).encode())]
    if md.api_version == "v2" and chart.lock is not None:
        out.append(File(f"{base}/Chart.lock", dump_go_yaml(chart.lock).encode()))
    if any(f.name == "values.yaml" for f in chart.raw_files):
        out.append(File(f"{base}/values.yaml", chart.values_raw))
    if chart.schema is not None:
        try:
            json.loads(chart.schema)
        except ValueError:
            raise PackageError("failed to save: invalid JSON in values.schema.json") from None
        out.append(File(f"{base}/values.schema.json", chart.schema))
    out += [File(f"{base}/{f.name}", f.data) for f in chart.templates]
    out += [File(f"{base}/{f.name}", f.data) for f in chart.files]
    names = [d.name for d in chart.dependencies]
    for dep in chart.dependencies:
        if names.count(dep.name) > 1:
            # helm would write both into one folder and produce a broken archive
            raise PackageError(f"{base}/charts holds more than one chart named {dep.name}")
        out += _entries(dep, f"{base}/charts/{dep.name}")
    return out


def _mtime() -> int:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return FIXED_EPOCH
    try:
        return max(0, int(raw))
    except ValueError:
        raise PackageError(f"SOURCE_DATE_EPOCH is not a number of seconds: {raw!r}") from None


def _gzip(data: bytes) -> bytes:
    """A gzip member with mtime 0, no file name, OS 255 (unknown): same bytes on every machine."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    body = comp.compress(data) + comp.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff"
    trailer = zlib.crc32(data).to_bytes(4, "little") + (len(data) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + body + trailer


def build_archive(chart: Chart) -> bytes:
    """The .tgz bytes for a loaded chart."""
    mtime = _mtime()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for f in _entries(chart, chart.name):
            ti = tarfile.TarInfo(f.name)
            ti.size, ti.mode, ti.mtime = len(f.data), FILE_MODE, mtime
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = ""
            tf.addfile(ti, io.BytesIO(f.data))
    return _gzip(buf.getvalue())


# ---------------------------------------------------------------- entry point


def _check_dependencies(chart: Chart) -> None:
    """helm's CheckDependencies: every Chart.yaml dependency needs a chart in charts/."""
    have = {d.name for d in chart.dependencies}
    missing = [d.name for d in chart.metadata.dependencies if d.name not in have]
    if missing:
        raise ChartError(
            "found in Chart.yaml, but missing in charts/ directory: " + ", ".join(missing))


def package_chart(
    chart_dir: str | os.PathLike[str],
    dest_dir: str | os.PathLike[str] = ".",
    version: str | None = None,
    app_version: str | None = None,
    sign: Callable[[bytes, str], str] | None = None,
    *,
    external_links: bool = False,
) -> Path:
    """`helm package`: load and validate the chart folder, write `<name>-<version>.tgz` atomically.

    With `sign` (archive bytes, file name -> .prov text, e.g. provenance.Signer.sign_archive)
    the `.prov` is written beside the archive; a signing failure writes neither, where helm
    leaves the unsigned archive behind.
    external_links: follow symlinks that resolve outside the chart folder (see load_chart);
    the archive then holds the files they point at.
    """
    path = Path(chart_dir)
    if not path.exists():
        raise PackageError(f"stat {os.fspath(chart_dir)}: no such file or directory")
    if not path.is_dir():
        yaml_path = os.path.join(os.path.abspath(path), "Chart.yaml")
        raise PackageError(f"unable to detect chart at {yaml_path}: open {yaml_path}: "
                           "not a directory")
    chart = load_chart(path, external_links=external_links)
    md = chart.metadata
    if version:
        md = md.replace(version=version)
    try:
        parse_version(md.version)
    except MinihelmError as e:
        raise PackageError(e.message) from None
    if app_version:
        md = md.replace(app_version=app_version)
    chart = chart.replace(metadata=md)
    _check_dependencies(chart)
    dest = Path(dest_dir)
    if dest.exists() and not dest.is_dir():
        raise PackageError(f"is not a directory: {dest}")
    data = build_archive(chart)
    name = f"{md.name}-{md.version}.tgz"
    prov = sign(data, name) if sign is not None else None
    written = atomic_write(dest / name, data)
    if prov is not None:
        atomic_write(dest / f"{name}.prov", prov.encode("utf-8", "surrogateescape"))
    return written
