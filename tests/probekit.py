"""Builds the one-template charts that probes describe, for helm (goldens) and minihelm (tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROBE_CHART_YAML = "apiVersion: v2\nname: probe\nversion: 0.1.0\n"


def build_probe_chart(where: Path, probe: dict[str, Any]) -> Path:
    """Write the probe's chart to where/probe and return that folder.

    probe keys: template (templates/t.yaml), values (values.yaml text),
    files ({relative path: text}, may override Chart.yaml or add templates).
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
    return chart
