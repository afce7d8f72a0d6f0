"""-f files, --set flags and chart defaults -> the final .Values the engine renders with.

Mirrors helm v4: pkg/cli/values/options.go (MergeValues), pkg/chart/v2/loader
(LoadValues, MergeMaps) and pkg/chart/common/util/coalesce.go (CoalesceValues,
MergeValues, the globals hand-down and null deletion). Dependency processing
(conditions, tags, aliases, import-values) is in minihelm.values.dependencies; schema
and kubeVersion checks are in minihelm.values.valuecheck; reading the files is
minihelm.values.inputfiles.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from minihelm._core.recorder import recorder
from minihelm.chart.model import Chart
from minihelm.errors import MinihelmError, ValuesError
from minihelm.golang.gofmt import sprintf
from minihelm.values.inputfiles import go_read_file, read_bounded

if TYPE_CHECKING:
    from minihelm.values.strvals import Reader

GLOBAL_KEY = "global"

Values = dict[str, Any]

__all__ = [
    "coalesce_tables",
    "coalesce_values",
    "deep_copy",
    "merge_chart_values",
    "merge_tables",
    "merge_user_values",
    "read_values_file",
    "split_values_flags",
]


# --- reading -f files -----------------------------------------------------------


def split_values_flags(flags: Iterable[str]) -> list[str]:
    """-f/--values is a pflag StringSlice: each flag value is one CSV record.

    So `-f a.yaml,b.yaml` names two files, `-f '"a,b.yaml"'` one, and an empty
    value names none (pflag's readAsCSV).
    """
    out: list[str] = []
    for flag in flags:
        if flag == "":
            continue
        if not any(c in flag for c in ',"\r\n'):
            out.append(flag)  # one plain record: the csv module (0.4 ms to import) not needed
            continue
        import csv

        out.extend(next(csv.reader([flag]), []))
    return out


def read_values_file(path: str) -> Values:
    """One -f file (or "-" for stdin): every YAML document, merged with merge_maps.

    Errors carry helm's text: "open x: no such file or directory" and
    "failed to parse x: cannot unmarshal yaml document: ...".
    """
    if path.strip() == "-":
        recorder().spoil()  # stdin cannot be read again to check it
        data = read_bounded(sys.stdin.buffer, path)
    else:
        data = go_read_file(path)
    return load_values_bytes(data, path)


def load_values_bytes(data: bytes, name: str) -> Values:
    """loader.LoadValues for user files, failing as "failed to parse <name>: ..."."""
    # deferred: only load_values_bytes() needs it, and it brings yaml
    from minihelm.goyaml.yamlio import load_values

    try:
        return dict(load_values(data, name))
    except MinihelmError as e:
        raise ValuesError(f"failed to parse {name}: {e.message}", e.pos) from None


# --- user values: helm's MergeValues ----------------------------------------------


def merge_user_values(
    files: Iterable[Values],
    set_json: Iterable[str] = (),
    set_: Iterable[str] = (),
    set_string: Iterable[str] = (),
    set_file: Iterable[str] = (),
    set_literal: Iterable[str] = (),
    read: Reader | None = None,
) -> Values:
    """The user-supplied values, in helm's order.

    -f files first (later files win; maps merge, everything else is replaced,
    nulls are kept so that they delete chart defaults later), then every
    --set-json, --set, --set-string, --set-file and finally --set-literal, each
    writing into the same map. `read` reads a --set-file path.
    """
    files = list(files)
    if not files and not any((set_json, set_, set_string, set_file, set_literal)):
        return {}  # nothing given: no need to import the --set parser (json, deepmerge: 3 ms)
    # deferred: only merge_user_values() needs it, and it brings deepmerge, json
    from minihelm.values.strvals import padding_budget

    with padding_budget():
        return _merge_user_values(files, set_json, set_, set_string, set_file, set_literal, read)


def _merge_user_values(
    files: Iterable[Values], set_json: Iterable[str], set_: Iterable[str],
    set_string: Iterable[str], set_file: Iterable[str], set_literal: Iterable[str],
    read: Reader | None,
) -> Values:
    # deferred: only _merge_user_values() needs it, and it brings deepmerge, json
    from minihelm.values.strvals import (
        merge_maps,
        parse_set,
        parse_set_file,
        parse_set_json,
        parse_set_literal,
        parse_set_string,
    )

    base: Values = {}
    for f in files:
        base = merge_maps(base, f)
    for expr in set_json:
        base = parse_set_json(expr, base)
    for expr in set_:
        parse_set(expr, base)
    for expr in set_string:
        parse_set_string(expr, base)
    for expr in set_file:
        parse_set_file(expr, base, read)
    for expr in set_literal:
        parse_set_literal(expr, base)
    return base


# --- coalescing ---------------------------------------------------------------------


def deep_copy(v: Any) -> Any:
    """copystructure.Copy for values: new maps and lists, scalars shared (types kept).

    Iterative: `--set a[0][0]...` builds lists nested tens of thousands deep.
    """
    if not isinstance(v, (dict, list)):
        return v
    out: Any = {} if isinstance(v, dict) else []
    stack: list[tuple[Any, Any]] = [(v, out)]
    while stack:
        src, dst = stack.pop()
        for k, x in (src.items() if isinstance(src, dict) else enumerate(src)):
            y = x
            if isinstance(x, (dict, list)):
                y = {} if isinstance(x, dict) else []
                stack.append((x, y))
            if isinstance(dst, dict):
                dst[k] = y
            else:
                dst.append(y)
    return out


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _warn(msg: str) -> None:
    """helm logs these coalescing warnings only with --debug; so do we, at debug level."""
    import logging  # here, not at import: it costs every render 3 ms

    logging.getLogger(__name__).debug("%s", msg)


def coalesce_values(chart: Chart, user_values: Values | None) -> Values:
    """CoalesceValues: chart defaults under the user's values, subcharts under their keys.

    User values win; maps merge; a null from the user deletes the chart
    default; globals flow down to every subchart's `global`. The inputs are
    not modified.
    """
    dest = deep_copy(user_values or {})
    return _coalesce(chart, dest, "", merge=False)


def merge_chart_values(chart: Chart, user_values: Values | None) -> Values:
    """helm's util.MergeValues: as coalesce_values, but nulls are kept."""
    dest = deep_copy(user_values or {})
    return _coalesce(chart, dest, "", merge=True)


def _coalesce(chart: Chart, dest: Values, prefix: str, merge: bool) -> Values:
    _coalesce_chart_defaults(chart, dest, prefix, merge)
    return _coalesce_deps(chart, dest, prefix, merge)


def _coalesce_deps(chart: Chart, dest: Values, prefix: str, merge: bool) -> Values:
    for sub in chart.dependencies:
        name = sub.name
        if name not in dest:
            dest[name] = {}
        elif not isinstance(dest[name], dict):
            raise ValuesError(sprintf("type mismatch on %s: %t", name, dest[name]))
        section = dest[name]
        sub_prefix = _join(prefix, chart.name)
        _coalesce_globals(section, dest, sub_prefix)
        dest[name] = _coalesce(sub, section, sub_prefix, merge)
    return dest


def _coalesce_globals(dest: Values, src: Values, prefix: str) -> None:
    """Hand the parent's `global` map (src) down into a subchart's section (dest)."""
    dg = dest.get(GLOBAL_KEY, {})
    if not isinstance(dg, dict):
        _warn(f"warning: skipping globals because destination {GLOBAL_KEY} is not a table.")
        return
    sg = src.get(GLOBAL_KEY, {})
    if not isinstance(sg, dict):
        _warn(f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
        return
    for key, val in sg.items():
        if isinstance(val, dict):
            # a shallow copy, as helm's copyMap: nested maps stay shared with the parent
            vv = dict(val)
            if key not in dg:
                dg[key] = vv
            elif not isinstance(dg[key], dict):
                _warn(f"Conflict: cannot merge map onto non-map for {key!r}. Skipping.")
            else:
                # the parent's global wins over what the subchart section already had
                coalesce_tables(vv, dg[key], _join(prefix, key), merge=True)
                dg[key] = vv
        elif isinstance(dg.get(key), dict):
            _warn(f"key {key} is table. Skipping")
        else:
            dg[key] = val
    dest[GLOBAL_KEY] = dg


def _coalesce_chart_defaults(chart: Chart, v: Values, prefix: str, merge: bool) -> None:
    """Fill `v` (values for this chart) from the chart's own defaults; `v` wins.

    helm 4.1.4 copies chart-default nulls through (later helm drops them; not this one).
    """
    sub_prefix = _join(prefix, chart.name)
    dep_names = {d.name for d in chart.dependencies}
    for key, default in deep_copy(chart.values).items():
        if key not in v:
            v[key] = default
            continue
        value = v[key]
        if value is None and not merge:
            del v[key]  # the user's null deletes the default
        elif isinstance(value, dict):
            if not isinstance(default, dict):
                if default is not None:
                    _warn(f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
                continue
            # a subchart's section keeps its nulls until the subchart itself coalesces
            sub_merge = merge or key in dep_names
            coalesce_tables(value, default, _join(sub_prefix, key), sub_merge)


def coalesce_tables(dst: Values | None, src: Values | None, prefix: str = "", merge: bool = False) -> Any:
    """coalesceTablesFullKey: merge src into dst (dst wins); returns dst.

    Like helm this mutates both maps: dst gains src's keys, and src gains
    nulls for dst's null keys. When not merging, a null in dst over a non-null
    src value deletes the key.
    """
    if src is None:
        return dst
    if dst is None:
        return src
    src_non_nil = {k for k, x in src.items() if x is not None}
    for key, x in dst.items():
        if x is None:
            src[key] = None
    for key, val in src.items():
        full = _join(prefix, key)
        if key not in dst:
            dst[key] = val
            continue
        dv = dst[key]
        if not merge and dv is None and key in src_non_nil:
            del dst[key]
        elif isinstance(val, dict):
            if isinstance(dv, dict):
                coalesce_tables(dv, val, full, merge)
            else:
                _warn(sprintf("warning: cannot overwrite table with non table for %s (%v)", full, val))
        elif isinstance(dv, dict) and val is not None:
            _warn(
                sprintf("warning: destination for %s is a table. Ignoring non-table value (%v)", full, val)
            )
    return dst


def merge_tables(dst: Values | None, src: Values | None) -> Any:
    """util.MergeTables: coalesce_tables keeping nulls."""
    return coalesce_tables(dst, src, "", merge=True)
