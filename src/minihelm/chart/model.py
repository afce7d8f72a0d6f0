"""The chart model: the loader fills it, values/engine/package/lint read it. Pure data, no I/O.

Immutable by convention; `replace` makes changed copies.  Plain classes
rather than dataclasses (records.py): a render that replays a stored chart
still imports this module.
"""

from __future__ import annotations

from typing import Any

from ..records import Frozen


class File(Frozen):
    """A file inside a chart, by its slash-separated path relative to the chart root."""

    __slots__ = ("data", "name")
    _fields = ("name", "data")

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data


class Dependency(Frozen):
    """One entry of Chart.yaml `dependencies` (or v1 requirements.yaml)."""

    __slots__ = ("alias", "condition", "enabled", "import_values", "name", "repository", "tags",
                 "version")
    _fields = ("name", "version", "repository", "condition", "tags", "enabled", "import_values",
               "alias")

    def __init__(self, name: str, version: str = "", repository: str = "", condition: str = "",
                 tags: tuple[str, ...] = (), enabled: bool = True,
                 import_values: tuple[Any, ...] = (), alias: str = "") -> None:
        self.name, self.version, self.repository = name, version, repository
        self.condition, self.tags, self.enabled = condition, tags, enabled
        self.import_values, self.alias = import_values, alias


class Metadata(Frozen):
    """Chart.yaml. `raw` keeps the parsed mapping as read, for `.Chart` and `show chart`."""

    __slots__ = ("annotations", "api_version", "app_version", "condition", "dependencies",
                 "deprecated", "description", "home", "icon", "keywords", "kube_version",
                 "maintainers", "name", "raw", "sources", "tags", "type", "version")
    _fields = ("name", "version", "api_version", "app_version", "description", "type",
               "kube_version", "home", "icon", "condition", "tags", "deprecated", "keywords",
               "sources", "maintainers", "annotations", "dependencies", "raw")

    def __init__(self, name: str, version: str, api_version: str = "v1", app_version: str = "",
                 description: str = "", type: str = "", kube_version: str = "",
                 home: str = "", icon: str = "", condition: str = "", tags: str = "",
                 deprecated: bool = False, keywords: tuple[str, ...] = (),
                 sources: tuple[str, ...] = (), maintainers: tuple[dict[str, str], ...] = (),
                 annotations: dict[str, str] | None = None,
                 dependencies: tuple[Dependency, ...] = (),
                 raw: dict[str, Any] | None = None) -> None:
        self.name, self.version, self.api_version = name, version, api_version
        self.app_version, self.description, self.type = app_version, description, type
        self.kube_version, self.home, self.icon = kube_version, home, icon
        self.condition, self.tags, self.deprecated = condition, tags, deprecated
        self.keywords, self.sources, self.maintainers = keywords, sources, maintainers
        self.annotations = {} if annotations is None else annotations
        self.dependencies = dependencies
        self.raw = {} if raw is None else raw


class Chart(Frozen):
    """A loaded chart with its subcharts.

    `templates` are the files under templates/ (names keep the `templates/`
    prefix, as helm's do); `files` are every other file except Chart.yaml,
    values.yaml, values.schema.json and charts/; `raw_files` is every file the
    loader read, for packaging.  `parent_path` is the chain of chart names from
    the root, used for template names such as `parent/charts/child/templates/x`.
    """

    __slots__ = ("crds", "dependencies", "files", "lock", "metadata", "raw_files", "schema",
                 "templates", "values", "values_raw")
    _fields = ("metadata", "values", "schema", "templates", "files", "raw_files", "crds",
               "dependencies", "lock", "values_raw")

    def __init__(self, metadata: Metadata, values: dict[str, Any] | None = None,
                 schema: bytes | None = None, templates: tuple[File, ...] = (),
                 files: tuple[File, ...] = (), raw_files: tuple[File, ...] = (),
                 crds: tuple[File, ...] = (), dependencies: tuple[Chart, ...] = (),
                 lock: dict[str, Any] | None = None, values_raw: bytes = b"") -> None:
        self.metadata = metadata
        self.values = {} if values is None else values
        self.schema, self.templates, self.files = schema, templates, files
        self.raw_files, self.crds, self.dependencies = raw_files, crds, dependencies
        self.lock, self.values_raw = lock, values_raw

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def is_library(self) -> bool:
        return self.metadata.type == "library"
