"""Builds the one-template charts that probes describe, for helm (goldens) and minihelm (tests)."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path
from typing import Any

PROBE_CHART_YAML = "apiVersion: v2\nname: probe\nversion: 0.1.0\n"


def build_probe_chart(where: Path, probe: dict[str, Any]) -> Path:
    """Write the probe's chart to where/probe and return that folder.

    probe keys: template (templates/t.yaml), values (values.yaml text),
    files ({relative path: text}, may override Chart.yaml or add templates),
    tgz ({name: {path: text}}: packs charts/<name>.tgz whose entries sit
    under <name>/, as `helm package` lays them out).
    """
    chart = where / "probe"
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text(PROBE_CHART_YAML)
    if "values" in probe:
        (chart / "values.yaml").write_text(probe["values"])
    if "template" in probe:
        (chart / "templates" / "t.yaml").write_text(probe["template"])
    for rel, text in (probe.get("files") or {}).items():
        p = chart / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    for name, entries in (probe.get("tgz") or {}).items():
        (chart / "charts").mkdir(exist_ok=True)
        (chart / "charts" / f"{name}.tgz").write_bytes(pack_tgz(name, entries))
    return chart


def pack_tgz(top: str, entries: dict[str, str]) -> bytes:
    """A deterministic gzipped tar of entries under top/ (sorted, mtime 0)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(entries):
            data = entries[rel].encode()
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)
