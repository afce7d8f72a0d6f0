"""A chart name (or path) -> a new chart folder, from minihelm's own starter or a starter chart (`helm create`).

Mirrors helm v4.1.4's pkg/cmd/create.go and chartutil.Create/CreateFrom: the
chart is named after the last path element, "<CHARTNAME>" in the starter's
files is replaced by that name, existing files are overwritten with a
warning, and an empty charts/ folder is made.  Our starter (package data in
minihelm/starter) is our own text; it lints clean and renders the same in
helm and minihelm.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import ChartError, MinihelmError

PLACEHOLDER = "<CHARTNAME>"
MAX_NAME_LENGTH = 250
_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
STARTER_DIR = Path(__file__).parent.parent / "starter"  # package data of minihelm/

Warn = Callable[[str], None]


def validate_chart_name(name: str) -> None:
    """chartutil's validateChartName: 1-250 characters of [a-zA-Z0-9._-]."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ChartError(f"chart name must be between 1 and {MAX_NAME_LENGTH} characters")
    if not _NAME.match(name):
        raise ChartError(f'chart name must match the regular expression "{_NAME.pattern}"')


def starter_files() -> list[tuple[str, bytes]]:
    """Our starter chart: (relative path, bytes) with the placeholder still in."""
    out = []
    for root, dirs, files in os.walk(STARTER_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            full = Path(root, f)
            out.append((full.relative_to(STARTER_DIR).as_posix(), full.read_bytes()))
    return out


def _fill(data: bytes, name: str) -> bytes:
    return data.replace(PLACEHOLDER.encode(), name.encode())


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def create(path: str, warn: Warn | None = None) -> Path:
    """chartutil.Create: the chart folder for `path` from our starter; returns its absolute path."""
    name = os.path.basename(path)
    validate_chart_name(name)
    base = os.path.abspath(os.path.dirname(path) or ".")
    if not os.path.exists(base):
        raise ChartError(f"stat {base}: no such file or directory")
    if not os.path.isdir(base):
        raise ChartError(f"no such directory {base}")
    cdir = Path(base, name)
    if cdir.exists() and not cdir.is_dir():
        raise ChartError(f"file {cdir} already exists and is not a directory")
    for rel, data in starter_files():
        target = cdir / rel
        if target.exists() and warn is not None:
            warn(f'WARNING: File "{target}" already exists. Overwriting.')
        _write(target, _fill(data, name))
    (cdir / "charts").mkdir(parents=True, exist_ok=True)
    return cdir


def starter_path(starter: str) -> Path:
    """--starter: an absolute path, an existing relative path, or a name in helm's starters folder."""
    if os.path.isabs(starter) or os.path.exists(starter):
        return Path(starter)
    data_home = os.environ.get("HELM_DATA_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "helm")
    return Path(data_home, "starters", starter)


def create_from(path: str, starter: str) -> Path:
    """chartutil.CreateFrom: copy a starter chart, renamed, with helm's new Chart.yaml."""
    # deferred: only create_from() needs it, and it brings yaml, zlib, datetime
    from ..chart.loader import load_chart

    name = os.path.basename(path)
    src = starter_path(starter)
    try:
        chart = load_chart(src)
    except MinihelmError as e:
        raise ChartError(f"could not load {src}: {e.message}") from None
    if name != os.path.basename(name) or not name:
        raise ChartError(f'chart name "{name}" is invalid')
    out = Path(os.path.dirname(path) or ".", name)
    if out.exists() and not out.is_dir():
        raise ChartError(f"file {out} already exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "Chart.yaml", _new_chartfile(name).encode())
    if chart.values_raw or any(f.name == "values.yaml" for f in chart.raw_files):
        _write(out / "values.yaml", _fill(chart.values_raw, name))
    if chart.schema is not None:
        _write(out / "values.schema.json", chart.schema)
    for f in chart.templates:
        _write(out / f.name, _fill(f.data, name))
    for f in chart.files:
        _write(out / f.name, f.data)
    _save_subcharts(chart, out / "charts")
    return out


def _new_chartfile(name: str) -> str:
    """SaveChartfile of the metadata `helm create` makes (sigs.k8s.io/yaml: sorted keys)."""
    # deferred: only _new_chartfile() needs it: 6 modules this one does not otherwise load
    from ..goyaml.yamlemit import dump_yaml

    return dump_yaml({
        "apiVersion": "v2", "appVersion": "0.1.0", "description": "A Helm chart for Kubernetes",
        "name": name, "type": "application", "version": "0.1.0",
    })


def _save_subcharts(chart: object, charts_dir: Path) -> None:
    """SaveDir writes each subchart of the starter as charts/<name>-<version>.tgz."""
    # deferred: only _save_subcharts() needs it, and it brings yaml, tarfile, zlib
    from .package import build_archive

    for dep in getattr(chart, "dependencies", ()):
        _write(charts_dir / f"{dep.name}-{dep.metadata.version}.tgz", build_archive(dep))
