"""The chart model: the loader fills it, values/engine/package/lint read it. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class File:
    """A file inside a chart, by its slash-separated path relative to the chart root."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Dependency:
    """One entry of Chart.yaml `dependencies` (or v1 requirements.yaml)."""

    name: str
    version: str = ""
    repository: str = ""
    condition: str = ""
    tags: tuple[str, ...] = ()
    enabled: bool = True
    import_values: tuple[Any, ...] = ()
    alias: str = ""


@dataclass(frozen=True)
class Metadata:
    """Chart.yaml. `raw` keeps the parsed mapping as read, for `.Chart` and `show chart`."""

    name: str
    version: str
    api_version: str = "v1"
    app_version: str = ""
    description: str = ""
    type: str = ""
    kube_version: str = ""
    home: str = ""
    icon: str = ""
    condition: str = ""
    tags: str = ""
    deprecated: bool = False
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    maintainers: tuple[dict[str, str], ...] = ()
    annotations: dict[str, str] = field(default_factory=dict)
    dependencies: tuple[Dependency, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    """A loaded chart with its subcharts.

    `templates` are the files under templates/ (names keep the `templates/`
    prefix, as helm's do); `files` are every other file except Chart.yaml,
    values.yaml, values.schema.json and charts/; `raw_files` is every file the
    loader read, for packaging.  `parent_path` is the chain of chart names from
    the root, used for template names such as `parent/charts/child/templates/x`.
    """

    metadata: Metadata
    values: dict[str, Any] = field(default_factory=dict)
    schema: bytes | None = None
    templates: tuple[File, ...] = ()
    files: tuple[File, ...] = ()
    raw_files: tuple[File, ...] = ()
    crds: tuple[File, ...] = ()
    dependencies: tuple[Chart, ...] = ()
    lock: dict[str, Any] | None = None
    values_raw: bytes = b""

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def is_library(self) -> bool:
        return self.metadata.type == "library"
