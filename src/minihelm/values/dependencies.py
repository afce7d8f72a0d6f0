"""A loaded Chart + user values -> the Chart helm renders: disabled subcharts dropped, aliases and import-values applied.

Mirrors helm v4 pkg/chart/v2/util/dependencies.go (ProcessDependencies). Helm
mutates its chart in place; here the chart is copied into mutable working
nodes, processed the same way, and rebuilt with `replace`.
"""

from __future__ import annotations

from typing import Any

from minihelm.chart.model import Chart, Dependency
from minihelm.errors import MinihelmError, ValuesError
from minihelm.records import Record


def _debug(fmt: str, *args: object) -> None:
    """helm's log.Printf debug lines; logging is imported only when one is written."""
    import logging

    logging.getLogger(__name__).debug(fmt, *args)


class _Req(Record):
    """A mutable Chart.yaml dependency entry (helm's *chart.Dependency)."""

    __slots__ = ("dep", "enabled", "import_values", "name")
    _fields = ("dep", "name", "enabled", "import_values")

    def __init__(self, dep: Dependency, name: str, enabled: bool, import_values: list[Any]) -> None:
        self.dep, self.name, self.enabled, self.import_values = dep, name, enabled, import_values


class _Node(Record):
    """A mutable chart: its (possibly aliased) name, requirements, subcharts and values."""

    __slots__ = ("chart", "deps", "name", "reqs", "values")
    _fields = ("chart", "name", "reqs", "deps", "values")

    def __init__(self, chart: Chart, name: str, reqs: list[_Req] | None, deps: list[_Node],
                 values: dict[str, Any]) -> None:
        self.chart, self.name = chart, name
        self.reqs = reqs  # None is Go's nil slice: no `dependencies:` at all
        self.deps, self.values = deps, values

    @property
    def version(self) -> str:
        return self.chart.metadata.version


def _node(chart: Chart) -> _Node:
    has_reqs = bool(chart.metadata.dependencies) or isinstance(
        chart.metadata.raw.get("dependencies"), list
    )
    reqs = (
        [_Req(d, d.name, d.enabled, list(d.import_values)) for d in chart.metadata.dependencies]
        if has_reqs
        else None
    )
    return _Node(chart, chart.name, reqs, [_node(c) for c in chart.dependencies], chart.values)


def _copy_node(n: _Node) -> _Node:
    """getAliasDependency's copy: own metadata and requirement list, shallow-copied subcharts."""
    reqs = None if n.reqs is None else [r.replace() for r in n.reqs]
    deps = [d.replace() for d in n.deps]
    return _Node(n.chart, n.name, reqs, deps, n.values)


def _as_chart(n: _Node) -> Chart:
    """Freeze a working node back into a Chart (name, dependencies, values updated)."""
    meta = n.chart.metadata
    deps = tuple(
        r.dep.replace(name=r.name, enabled=r.enabled, import_values=tuple(r.import_values))
        for r in n.reqs or ()
    )
    raw = dict(meta.raw)
    raw["name"] = n.name
    if n.reqs is not None or "dependencies" in raw:
        raw["dependencies"] = [_dep_raw(d) for d in deps] if deps else None
    new_meta = meta.replace(name=n.name, dependencies=deps, raw=raw)
    return n.chart.replace(
        metadata=new_meta,
        values=n.values,
        dependencies=tuple(_as_chart(d) for d in n.deps),
    )


def _dep_raw(d: Dependency) -> dict[str, Any]:
    """A dependency as helm's Dependency struct marshals it (omitempty fields dropped)."""
    out: dict[str, Any] = {"name": d.name}
    for key, val in (
        ("version", d.version),
        ("repository", d.repository),
        ("condition", d.condition),
        ("tags", list(d.tags)),
        ("enabled", d.enabled),
        ("import-values", list(d.import_values)),
        ("alias", d.alias),
    ):
        if val:
            out[key] = val
    return out


def is_compatible_range(constraint: str, version: str) -> bool:
    """chartutil.IsCompatibleRange: False when either side does not parse."""
    # deferred: only is_compatible_range() needs it: 2 modules this one does not otherwise load
    from minihelm.golang.semver import Constraint, parse_version

    try:
        return Constraint(constraint).check(parse_version(version))
    except MinihelmError:
        return False


# --- Values lookups (common.Values.Table / PathValue) -------------------------------


class _NoTable(Exception):
    pass


def table(v: dict[str, Any], name: str) -> dict[str, Any]:
    """Values.Table: the map at a dotted path; _NoTable if missing or not a map."""
    cur = v
    for part in name.split("."):
        nxt = cur.get(part, _NoTable)
        if not isinstance(nxt, dict):
            raise _NoTable(part)
        cur = nxt
    return cur


def path_value(v: dict[str, Any], path: str) -> Any:
    """Values.PathValue: a non-map value at a dotted path; _NoTable when there is none."""
    *parents, key = path.split(".")
    t = table(v, ".".join(parents)) if parents else v
    if key in t and not isinstance(t[key], dict):
        return t[key]
    raise _NoTable(key)


# --- enabling / disabling -------------------------------------------------------------


def _apply_tags(reqs: list[_Req], cvals: dict[str, Any]) -> None:
    """A dependency is off when its tags are all false (any true tag, or none set, turns it on)."""
    tags = cvals.get("tags")
    if not isinstance(tags, dict):
        return
    for r in reqs:
        seen = {tags[t] for t in r.dep.tags if t in tags and isinstance(tags[t], bool)}
        if False in seen and True not in seen:
            r.enabled = False
        else:
            r.enabled = True


def _apply_conditions(reqs: list[_Req], cvals: dict[str, Any], path: str) -> None:
    """The first condition path holding a bool decides (conditions override tags)."""
    for r in reqs:
        for cond in r.dep.condition.strip().split(","):
            if not cond:
                continue
            try:
                value = path_value(cvals, path + cond)
            except _NoTable:
                continue
            if isinstance(value, bool):
                r.enabled = value
                break
            _debug("returned non-bool value path=%s chart=%s", cond, r.name)


def _process_enabled(c: _Node, user: dict[str, Any], path: str) -> None:
    """processDependencyEnabled: alias, evaluate tags/conditions, drop, recurse."""
    # deferred: only _process_enabled() needs it: 8 modules this one does not otherwise load
    from minihelm.values.layers import coalesce_values

    if c.reqs is None:
        return
    # subcharts no Chart.yaml entry claims are kept as they are
    new_deps = [
        d
        for d in c.deps
        if not any(d.name == r.name and is_compatible_range(r.dep.version, d.version) for r in c.reqs)
    ]
    originals = list(c.deps)
    for r in c.reqs:
        found = _alias_dependency(originals, r)
        if found is not None:
            new_deps.append(found)
        if r.dep.alias:
            r.name = r.dep.alias
    c.deps = new_deps
    for r in c.reqs:
        r.enabled = True
    cvals = coalesce_values(_as_chart(c), user)
    _apply_tags(c.reqs, cvals)
    _apply_conditions(c.reqs, cvals, path)
    off = {r.name for r in c.reqs if not r.enabled}
    kept = [d for d in c.deps if d.name not in off]
    kept_reqs = [r for r in c.reqs if r.name not in off]
    for d in kept:
        _process_enabled(d, cvals, path + d.name + ".")
    # Go's append onto a nil slice stays nil when nothing is kept
    c.reqs = kept_reqs or None
    c.deps = kept


def _alias_dependency(charts: list[_Node], r: _Req) -> _Node | None:
    """getAliasDependency: a copy of the first subchart matching name and version range."""
    for ch in charts:
        if ch.name != r.name or not is_compatible_range(r.dep.version, ch.version):
            continue
        out = _copy_node(ch)
        if r.dep.alias:
            out.name = r.dep.alias
        return out
    return None


# --- import-values ------------------------------------------------------------------


def _path_to_map(path: str, data: dict[str, Any]) -> dict[str, Any]:
    """pathToMap: "a.b" and {x: 1} give {a: {b: {x: 1}}}; "." gives the data itself."""
    if path == ".":
        return data
    for part in reversed(path.split(".")):
        data = {part: data}
    return data


def _go_v(v: Any) -> str:
    # deferred: only _go_v() needs it: 4 modules this one does not otherwise load
    from minihelm.golang.gofmt import sprintf

    return sprintf("%v", v)


def _process_imports(c: _Node) -> None:
    """processImportValues (merge mode): pull child values up, parent values win."""
    # deferred: only _process_imports() needs it: 8 modules this one does not otherwise load
    from minihelm.values.layers import deep_copy, merge_chart_values, merge_tables

    if c.reqs is None:
        return
    cvals = merge_chart_values(_as_chart(c), None)
    b: dict[str, Any] = {}
    for r in c.reqs:
        normalized: list[Any] = []
        for iv in r.import_values:
            if isinstance(iv, dict):
                child, parent = _go_v(iv.get("child")), _go_v(iv.get("parent"))
                normalized.append({"child": child, "parent": parent})
                try:
                    vv = table(cvals, f"{r.name}.{child}")
                except _NoTable:
                    _debug("ImportValues missing table from chart %s", r.name)
                    continue
                b = merge_tables(b, _path_to_map(parent, vv))
            elif isinstance(iv, str):
                child = "exports." + iv
                normalized.append({"child": child, "parent": "."})
                try:
                    vm = table(cvals, f"{r.name}.{child}")
                except _NoTable:
                    _debug("ImportValues missing table %s", child)
                    continue
                b = merge_tables(b, vm)
        r.import_values = normalized
    c.values = merge_tables(deep_copy(cvals), b)


def _process_imports_tree(c: _Node) -> None:
    for d in c.deps:
        _process_imports_tree(d)
    _process_imports(c)


def process_dependencies(chart: Chart, user_values: dict[str, Any]) -> Chart:
    """ProcessDependencies: drop disabled subcharts (tags, then conditions), apply aliases,
    then import-values bottom-up. Returns a new Chart.

    Errors are ValuesError worded as helm install/template reports them:
    "chart dependencies processing failed: type mismatch on sub: %!t(string=x)".
    """
    root = _node(chart)
    try:
        _process_enabled(root, user_values, "")
        _process_imports_tree(root)
    except ValuesError as e:
        raise ValuesError(f"chart dependencies processing failed: {e.message}") from None
    return _as_chart(root)
