"""A chart (folder, .tgz, or name + version in a repository) -> what `helm show chart|values|readme|crds|all` prints.

Mirrors helm's pkg/action/show.go:

* chart: the validated Chart.yaml metadata re-marshalled by sigs.k8s.io/yaml
  (sorted keys, empty fields dropped), then a newline;
* values: values.yaml exactly as read (BOM dropped), then a newline;
* readme: the first chart file named readme.md, readme.txt or readme (any
  case), then a newline;
* crds: every crds/*.yaml|yml|json of the chart and then of its subcharts,
  each preceded by a `---` line unless it already starts with `---`;
* all: chart, `---`, values, `---`, readme, crds (a missing part and its
  separator are left out).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..chart.loader import load_chart, names_a_repository_chart
from ..chart.model import Chart, File
from ..errors import ChartError, UsageError
from ..goyaml.yamlemit import dump_yaml
from .package import metadata_doc
from .pull import open_repository

if TYPE_CHECKING:
    from .session import RegistryOptions

__all__ = ["FORMATS", "crd_files", "locate_chart", "show"]

FORMATS = ("all", "chart", "values", "readme", "crds")
README_NAMES = ("readme.md", "readme.txt", "readme")
_MANIFEST_EXT = (".yaml", ".yml", ".json")


def locate_chart(ref: str, repo: str | None = None, version: str | None = None,
                 registry: RegistryOptions | None = None, *,
                 external_links: bool = False) -> Chart:
    """ChartPathOptions.LocateChart + loader.Load: a folder or archive path, or a repository chart.

    An `oci://` reference is pulled from its registry (helm's Pulled/Digest lines on stderr).
    external_links: follow symlinks that resolve outside the chart folder (see load_chart).
    """
    ref = ref.strip()
    if ref.startswith("oci://"):
        from .ocichart import pulled_archive
        from .session import RegistryOptions, stderr_line

        opts = registry or RegistryOptions()
        with pulled_archive(opts.registry, ref, (version or "").strip(), stderr_line) as path:
            return load_chart(path)
    if repo:
        r = open_repository(repo)
        fname, data = r.download(r.get(ref, (version or "").strip() or None))
        with tempfile.TemporaryDirectory(prefix="minihelm-show-") as tmp:
            path = Path(tmp) / os.path.basename(fname)
            path.write_bytes(data)
            return load_chart(path)
    if os.path.exists(ref):
        return load_chart(ref, external_links=external_links)
    if names_a_repository_chart(ref):
        # REPO/CHART: a repository added with `repo add`, its index from the cache
        from .repopull import fetch_named

        fname, data = fetch_named(ref, (version or "").strip())
        with tempfile.TemporaryDirectory(prefix="minihelm-show-") as tmp:
            path = Path(tmp) / os.path.basename(fname)
            path.write_bytes(data)
            return load_chart(path)
    # deferred: only locate_chart() needs it: 7 modules this one does not otherwise load
    from ..render.pipeline import missing_chart_message

    message = missing_chart_message(ref)
    if os.path.isabs(ref) or ref.startswith("."):
        raise ChartError(message)
    raise ChartError(f"{message} (to read a chart from a repository, "
                     "give the repository folder or URL with --repo)")


def find_readme(files: tuple[File, ...]) -> File | None:
    """action.findReadme: the first file whose whole name matches a README name, any case."""
    for f in files:
        if f.name.lower() in README_NAMES:
            return f
    return None


def crd_files(chart: Chart) -> list[File]:
    """chart.CRDObjects: crds/ manifests of the chart, then of each subchart, recursively."""
    out = [f for f in chart.files
           if f.name.startswith("crds/") and os.path.splitext(f.name)[1].lower() in _MANIFEST_EXT]
    for sub in chart.dependencies:
        out += crd_files(sub)
    return out


def _text(data: bytes) -> str:
    # Go writes the bytes as they are; invalid UTF-8 survives as surrogate escapes
    return data.decode("utf-8", errors="surrogateescape")


def show(chart: Chart, fmt: str) -> str:
    """The text `helm show <fmt>` prints for a loaded chart."""
    if fmt not in FORMATS:
        raise UsageError(f'unknown show format "{fmt}" (use one of {", ".join(FORMATS)})')
    out: list[str] = []
    if fmt in ("chart", "all"):
        out.append(dump_yaml(metadata_doc(chart.metadata)) + "\n")
    has_values = any(f.name == "values.yaml" for f in chart.raw_files)
    if fmt in ("values", "all") and has_values:
        if fmt == "all":
            out.append("---\n")
        out.append(_text(chart.values_raw) + "\n")
    if fmt in ("readme", "all"):
        readme = find_readme(chart.files)
        if readme is not None:
            if fmt == "all":
                out.append("---\n")
            out.append(_text(readme.data) + "\n")
    if fmt in ("crds", "all"):
        for crd in crd_files(chart):
            if not crd.data.startswith(b"---"):
                out.append("---\n")
            out.append(_text(crd.data) + "\n")
    return "".join(out)
