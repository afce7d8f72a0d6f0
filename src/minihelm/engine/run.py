"""Chart + render scope -> {template path: rendered text}, running the templates Jinja2 compiled.

Mirrors helm's pkg/engine: every template of the chart and its subcharts is
parsed into one namespace (deepest paths first, so the root chart's `define`s
win), then each non-partial template runs with its own chart's scope.  Trees
are translated by gotemplate.codegen and compiled once per content hash.
"""

from __future__ import annotations

import posixpath
import sys
import threading
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from .. import funcs as funcreg
from .._core.limits import MAX_EXEC_DEPTH, MAX_OUTPUT_BYTES, MAX_TPL_DEPTH, check_output_size
from .._core.recorder import recorder
from ..chart.model import Chart
from ..errors import GoFuncError, TemplateRenderError, TemplateSyntaxError
from ..golang.gotypes import Int64
from ..gotemplate import runtime
from ..gotemplate.errortext import helm_exec_message, helm_parse_message
from ..gotemplate.jinjaexec import bind
from .functable import engine_table
from .objects import ValuesMap, chart_metadata_map, files_object
from .tplcache import TemplateCache, TreeCode, fingerprint

if TYPE_CHECKING:
    from .tplparallel import Child
    from .tplsplit import Split

T = TypeVar("T")
Lookup = Callable[[str, str, str, str], Any]  # (apiVersion, kind, namespace, name) -> object

def _runtime_names() -> dict[str, Any]:
    """The names codegen.py writes (see its docstring), bound to the runtime."""
    # deferred: only _runtime_names() needs it: 3 modules this one does not otherwise load
    from ..gotemplate.builtins import print_value

    return {
        "P": print_value, "S": runtime.set_var, "SV": runtime.set_var, "SVV": runtime.set_var_value,
        "F": runtime.field, "FL": runtime.lookup, "C": runtime.call, "RG": runtime.range_items,
        "RE": runtime.range_or_else,
        "TM": runtime.exec_template, "NF": _not_a_function, "NC": _nil_command, "ERR": _error_at,
        "WN": _wrong_args, "I64": Int64,
    }


def _not_a_function(X: runtime.Exec, nid: int) -> Any:
    raise X.error(nid, f"can't give argument to non-function {X.nodes[nid]}")


def _nil_command(X: runtime.Exec, nid: int) -> Any:
    raise X.error(nid, "nil is not a command")


def _error_at(X: runtime.Exec, nid: int, message: str) -> Any:
    raise X.error(nid, message)


def _wrong_args(X: runtime.Exec, nid: int, name: str, got: int) -> Any:
    raise X.error(nid, f"wrong number of args for {name}: want at least 1 got {got}")


class _Shared:
    """State shared by an engine and the namespaces `tpl` clones from it."""

    def __init__(self, names: dict[str, Any], cache: TemplateCache, lint_mode: bool,
                 funcs: dict[str, funcreg.GoFunc], params: dict[str, tuple[tuple[str, ...], bool]],
                 fingerprint: str) -> None:
        self.names, self.cache, self.lint_mode = names, cache, lint_mode
        self.funcs, self.params, self.fingerprint = funcs, params, fingerprint
        self.included: dict[str, int] = {}
        self.tpl_depth = 0
        self.depth = 0
        self.range_steps = 0
        # A CLI run that exits after printing: first runs are evaluated from their trees
        # and compiled for the cache once the output is written (recorder.compile_later).
        self.defer_compiling = recorder().defer_compiling()
        # Files not parsed yet (a helper renders them: tplsplit.py), parsed here if a
        # template asks for one by name; and the root namespace they are parsed into.
        self.unparsed: dict[str, str] = {}
        self.root: Engine | None = None


class LateParseError(Exception):
    """A file left unparsed (tplsplit.py) failed to parse when a template asked for it: the
    render parses every file in helm's order instead, which reports helm's parse error.
    Not a MinihelmError, so that nothing on the way up takes it for a template's failure."""


class Engine:
    """One template namespace (helm's "gotpl") with its function table."""

    INCLUDE_LIMIT = 1000

    def __init__(self, *, lint_mode: bool = False, cache: TemplateCache | None = None,
                 _parent: Engine | None = None, lookup: Lookup | None = None) -> None:
        # deferred: only __init__() needs it: 1 module this one does not otherwise load
        from ..funcs.helm import bind_helm_funcs

        # What `lookup` answers: None is `helm template`'s empty map; a chart test
        # (helm-unittest's kubernetesProvider) supplies fake cluster objects.
        self.lookup_provider: Lookup | None = (
            lookup if _parent is None else _parent.lookup_provider)
        if _parent is None:
            # Functions given to a Go template override its builtins of the same name
            # (Sprig's `slice` replaces text/template's).
            cache = cache or TemplateCache()
            table, params = engine_table(bind_helm_funcs(self, lint_mode))
            self.shared = _Shared(_runtime_names(), cache, lint_mode, table, params, fingerprint(params))
            self.shared.root = self
            self.trees: MutableMapping[str, TreeCode] = {}
            self.funcs: Mapping[str, funcreg.GoFunc] = table
        else:
            # A tpl clone sees every template and rebinds include/tpl to itself.
            self.shared = _parent.shared
            self.trees = ChainMap({}, _parent.trees)
            own = {k: f for k, f in bind_helm_funcs(self, self.shared.lint_mode).items()
                   if k in ("include", "tpl")}
            self.funcs = ChainMap(own, _parent.funcs)  # type: ignore[arg-type]

    # --- parsing ----------------------------------------------------------------------

    def compile(self, name: str, source: str) -> dict[str, TreeCode]:
        sh = self.shared
        return sh.cache.compile_file(name, source, self.funcs, sh.params, sh.fingerprint)

    def add(self, name: str, source: str) -> None:
        """Parse one file into the namespace; a later non-empty definition replaces an earlier one."""
        for tname, tc in self.compile(name, source).items():
            if tc.empty and tname != name and tname in self.trees:
                continue
            self.trees[tname] = tc

    def node_table(self, tc: TreeCode) -> list[Any]:
        return self.shared.cache.node_table(tc, self.funcs, self.shared.params)

    # --- execution ----------------------------------------------------------------------

    def tree(self, name: str) -> TreeCode | None:
        """The tree called `name`, parsing its file first if it was left unparsed."""
        tc = self.trees.get(name)
        if tc is None and name in self.shared.unparsed:
            root = self.shared.root
            assert root is not None
            source = self.shared.unparsed.pop(name)
            try:
                root.add(name, source)
            except TemplateSyntaxError as e:
                raise LateParseError(name) from e
            tc = self.trees.get(name)
        return tc

    def run(self, name: str, dot: Any) -> str:
        """Execute template `name` at top level (helm's ExecuteTemplate)."""
        tc = self.tree(name)
        if tc is None:
            raise GoFuncError(f'template: no template "{name}" associated with template "gotpl"')
        return self._exec(tc, dot)

    def execute(self, name: str, dot: Any, caller: runtime.Exec, nid: int) -> str:
        """`{{template "name" dot}}` from inside a running template."""
        tc = self.tree(name)
        if tc is None:
            raise caller.error(nid, f'template "{name}" not defined')
        if self.shared.depth >= MAX_EXEC_DEPTH:
            # Go stops at 100000 nested templates; Python's frames run out sooner.
            raise caller.error(nid, f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        return self._exec(tc, dot)

    def _exec(self, tc: TreeCode, dot: Any) -> str:
        self.shared.depth += 1
        try:
            return self._exec_body(tc, dot)
        finally:
            self.shared.depth -= 1

    def _exec_body(self, tc: TreeCode, dot: Any) -> str:
        render = tc.render
        if render is None:
            sh = self.shared
            if sh.defer_compiling and not tc.compiled:
                render = tc.render = sh.cache.first_run(tc, self.funcs, sh.params, sh.names)
            else:
                render = tc.render = bind(sh.cache.code_for(tc, self.funcs, sh.params), sh.names)
        pieces = render({"D": dot, "R": dot, "V": [None] * tc.nslots, "X": runtime.Exec(self, tc)})
        # Collect the pieces while counting, so a runaway range stops at the cap
        # instead of filling memory; long runs of small pieces are joined as we go.
        chunks: list[str] = []
        parts: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT_BYTES:
                check_output_size(size)
            parts.append(piece)
            if len(parts) >= 4096:
                chunks.append("".join(parts))
                parts.clear()
        chunks.append("".join(parts))
        return "".join(chunks)

    def include(self, name: str, data: Any) -> str:
        if self.shared.depth >= MAX_EXEC_DEPTH:
            raise GoFuncError(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        included = self.shared.included
        count = included.get(name)
        if count is not None and count > self.INCLUDE_LIMIT:
            raise GoFuncError(
                f"rendering template has a nested reference name: {name}: unable to execute template")
        included[name] = (count or 0) + 1
        try:
            return self.run(name, data)
        finally:
            included[name] -= 1

    def tpl(self, text: str, data: Any) -> str:
        if self.shared.tpl_depth >= MAX_TPL_DEPTH:
            raise GoFuncError(f"tpl nested more than {MAX_TPL_DEPTH} deep "
                              "(raise MINIHELM_MAX_TPL_DEPTH to allow it)")
        self.shared.tpl_depth += 1
        try:
            return self._tpl(text, data)
        finally:
            self.shared.tpl_depth -= 1

    def _tpl(self, text: str, data: Any) -> str:
        if "{{" not in text:
            # No action, so text/template parses it to one text node that prints
            # itself.  Charts pass generated secrets through tpl; parsing and
            # compiling (and caching) each fresh random text would cost a compile.
            return text.replace("<no value>", "")
        child = Engine(_parent=self)
        try:
            trees = child.compile("gotpl", text)
        except TemplateSyntaxError as e:
            raise GoFuncError(f"cannot parse template {_go_quote(text)}: {e.message}") from None
        for tname, tc in trees.items():
            if tname != "gotpl" and not (tc.empty and tname in child.trees):
                child.trees[tname] = tc
        try:
            out = child._exec(trees["gotpl"], data)
        except (TemplateRenderError, GoFuncError) as e:
            raise GoFuncError(
                f"error during tpl function execution for {_go_quote(text)}: {e}", e) from None
        return out.replace("<no value>", "")


def _go_quote(s: str) -> str:
    # deferred: only _go_quote() needs it: 2 modules this one does not otherwise load
    from ..golang.gofmt import sprintf

    return sprintf("%q", s)


# --- a whole chart -------------------------------------------------------------------


class Renderable:
    """One template to run: its name, text, the scope of its chart, and that chart's template folder."""

    __slots__ = ("base_path", "name", "scope", "source")

    def __init__(self, name: str, source: str, scope: dict[str, Any], base_path: str) -> None:
        self.name, self.source, self.scope, self.base_path = name, source, scope, base_path

    def prepare(self) -> dict[str, Any]:
        """The scope to run this template with: its .Template set, its .Values current."""
        self.scope["Template"] = {"Name": self.name, "BasePath": self.base_path}
        values = self.scope["Values"]
        if isinstance(values, ValuesMap):
            values.resync()
        return self.scope


def collect_templates(chart: Chart, top: dict[str, Any]) -> list[Renderable]:
    """helm's recAllTpls: every template with the scope of the chart it belongs to."""
    out: list[Renderable] = []
    _collect(chart, top, chart.name, True, out)
    return out


def _collect(chart: Chart, parent: dict[str, Any], full_path: str, is_root: bool,
             out: list[Renderable]) -> dict[str, Any]:
    subcharts: dict[str, Any] = {}
    scope: dict[str, Any] = {
        "Chart": chart_metadata_map(chart, is_root),
        "Files": files_object(chart.files),
        "Release": parent["Release"],
        "Capabilities": parent["Capabilities"],
        "Values": {},
        "Subcharts": subcharts,
    }
    # Every chart sees its values as common.Values; a subchart's is its parent's
    # map under its name (the same entries, as Values.Table returns them), which
    # stays a plain map for the parent (index, dig, typeOf there).
    if is_root:
        scope["Values"] = ValuesMap(parent["Values"])
    else:
        pv = parent["Values"]
        sub = pv.get(chart.name) if isinstance(pv, dict) else None
        if isinstance(sub, dict):
            scope["Values"] = ValuesMap(sub, mirror=sub)
        else:
            scope["Values"] = ValuesMap()
    for child in chart.dependencies:
        subcharts[child.name] = _collect(
            child, scope, f"{full_path}/charts/{child.name}", False, out)
    for t in chart.templates:
        if chart.is_library and not posixpath.basename(t.name).startswith("_"):
            continue
        out.append(Renderable(f"{full_path}/{t.name}", t.data.decode("utf-8", "surrogateescape"),
                              scope, f"{full_path}/templates"))
    return scope


def _parse_order(names: Iterable[str]) -> list[str]:
    """helm's sortTemplates: most path segments first, then reverse lexical order."""
    return sorted(names, key=lambda p: (p.count("/"), p), reverse=True)


def render_templates(chart: Chart, top: dict[str, Any], *, lint_mode: bool = False,
                     cache: TemplateCache | None = None,
                     lookup: Lookup | None = None) -> dict[str, str]:
    """Render every non-partial template of `chart` (and subcharts) with the `top` scope.

    Runs on a thread with a large stack: helm allows 1000 nested includes, and
    each costs Python several frames.
    """
    return run_deep(lambda: _render_templates(chart, top, lint_mode, cache, lookup))


_STACK_BYTES = 512 << 20
_RECURSION = 120_000


def run_deep(fn: Callable[[], T]) -> T:
    """Run `fn` on a thread with a big stack and recursion limit; re-raise what it raises.

    Already on such a thread (a chart-test run renders many times), `fn` just runs.
    """
    if threading.current_thread().name == "minihelm-render":
        return fn()
    result: list[Any] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed back to the caller's thread
            error.append(e)

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(_STACK_BYTES)
    sys.setrecursionlimit(max(old_limit, _RECURSION))
    try:
        t = threading.Thread(target=target, name="minihelm-render")
        t.start()
        t.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if error:
        raise error[0]
    return result[0]  # type: ignore[no-any-return]


def _render_templates(chart: Chart, top: dict[str, Any], lint_mode: bool,
                      cache: TemplateCache | None, lookup: Lookup | None = None) -> dict[str, str]:
    engine = Engine(lint_mode=lint_mode, cache=cache, lookup=lookup)
    tpls = {r.name: r for r in collect_templates(chart, top)}
    order = _parse_order(tpls)
    sh = engine.shared
    files = [(name, tpls[name].source) for name in order]
    run_order = [name for name in order if not posixpath.basename(name).startswith("_")]
    split = None
    if sh.defer_compiling and not lint_mode and recorder().watching():
        # deferred: only a cold CLI render needs it
        from . import tplsplit

        cold = sum(len(src) for name, src in files if not sh.cache.known(name, src, sh.fingerprint))
        split = tplsplit.plan(files, run_order, cold)
    try:
        if split is None:
            return _render_whole(engine, tpls, order, run_order, files)
        if split.compile_only:
            return _render_compiled_later(engine, tpls, order, run_order, split)
        return _render_split(engine, tpls, order, run_order, split)
    finally:
        cache = engine.shared.cache
        cache.flush()  # keep what was compiled, even when a template failed
        if (cache.pending or cache.unparsed) and cache.lasting:  # not for --no-cache
            recorder().compile_later(lambda: run_deep(cache.compile_pending))


def _render_whole(engine: Engine, tpls: dict[str, Renderable], order: list[str],
                  run_order: list[str], files: list[tuple[str, str]]) -> dict[str, str]:
    # deferred: only _render_whole() needs it: 1 module this one does not otherwise load
    from .tplparallel import LikelyUsed, precompile, prefill

    sh = engine.shared
    wanted = LikelyUsed(files)
    prefill(sh.cache, files, engine.funcs, sh.params, sh.fingerprint, wanted,
            evaluating=sh.defer_compiling)
    _add_files(engine, tpls, order)
    if not sh.defer_compiling:
        precompile(sh.cache, list(engine.trees.values()), engine.funcs, sh.params, wanted)
    if recorder().watching():
        recorder().watch_shared([r.scope for r in tpls.values()])
    return _execute_all(engine, tpls, run_order)


def _render_split(engine: Engine, tpls: dict[str, Renderable], order: list[str],
                  run_order: list[str], split: Split) -> dict[str, str]:
    """tplsplit.py: the suffix `split.later` of the run order renders in a forked helper."""
    # deferred: only _render_split() needs it (tplsplit imports nothing of this module)
    from .tplsplit import adopt, rows, start

    sh = engine.shared
    recorder().watch_shared([r.scope for r in tpls.values()])
    # Each process parses what it is not given only if a template asks for it by name.
    helper_files, own_files = set(split.helper_files), set(split.own_files)
    sh.unparsed = {n: tpls[n].source for n in order if n not in helper_files}
    helper = start(engine, tpls, split)
    sh.unparsed = {n: tpls[n].source for n in order if n not in own_files}
    try:
        rendered = _render_prefix(engine, tpls, order, run_order, split, helper)
        got = rows(helper)
        if got is not None and not recorder().changed_shared():
            adopt(got, tpls, rendered)
            sh.cache.unparsed.extend((n, src, engine.funcs, sh.params, sh.fingerprint)
                                     for n, src in sh.unparsed.items())
        else:  # what a serial render does from here: B parsed, then run in order
            sh.unparsed = {}
            _add_files(engine, tpls, order)
            rendered.update(_execute_all(engine, tpls, split.later))
        sh.unparsed = {}
        return rendered
    finally:
        helper.stop()


def _render_compiled_later(engine: Engine, tpls: dict[str, Renderable], order: list[str],
                           run_order: list[str], split: Split) -> dict[str, str]:
    """tplsplit.py's compile split: a forked helper parses and compiles B's files while this
    process parses the others and renders A; B then renders here, in order, compiled."""
    # deferred: only _render_compiled_later() needs it
    from .tplparallel import adopt_compiled, spawn_compiler

    sh = engine.shared
    recorder().watch_shared([r.scope for r in tpls.values()])
    helper = spawn_compiler(sh.cache, [(n, tpls[n].source) for n in split.helper_files],
                            engine.funcs, sh.params, sh.fingerprint, set(split.helper_files))
    # A template of A that asks for a file of B by name gets it parsed here.
    sh.unparsed = {n: tpls[n].source for n in split.helper_files}
    try:
        rendered = _render_prefix(engine, tpls, order, run_order, split, helper)
        adopt_compiled(sh.cache, helper, sh.fingerprint)
        sh.unparsed = {}
        # from the cache's memory; a file the helper could not parse fails here, the first
        # in parse order, as every other file has parsed
        _add_files(engine, tpls, split.helper_files)
        rendered.update(_execute_all(engine, tpls, split.later))
        return rendered
    finally:
        helper.stop()


def _render_prefix(engine: Engine, tpls: dict[str, Renderable], order: list[str],
                   run_order: list[str], split: Split, helper: Child) -> dict[str, str]:
    """A split's own part: parse this process's files, render A (the run order without B)."""
    later = set(split.later)
    try:
        _add_files(engine, tpls, split.own_files)
        return _execute_all(engine, tpls, [n for n in run_order if n not in later])
    except (TemplateSyntaxError, TemplateRenderError, LateParseError):
        # helm parses every file before running any: a parse error anywhere comes
        # first, the first in parse order; only then the template's own error
        helper.stop()
        engine.shared.unparsed = {}
        _add_files(engine, tpls, order)
        raise


def _add_files(engine: Engine, tpls: dict[str, Renderable], names: list[str]) -> None:
    """Parse each file into the namespace, in order; a failure is helm's parse error."""
    for name in names:
        try:
            engine.add(name, tpls[name].source)
        except TemplateSyntaxError as e:
            raise TemplateSyntaxError(helm_parse_message(name, e), e.pos) from None


def _execute_all(engine: Engine, tpls: dict[str, Renderable], order: list[str]) -> dict[str, str]:
    rendered: dict[str, str] = {}
    for name in order:
        if posixpath.basename(name).startswith("_"):
            continue
        r = tpls[name]
        r.prepare()
        stored = recorder().reused(name)  # replaying a volatile run: its hermetic outputs
        if stored is not None:
            rendered[name] = stored
            continue
        before = recorder().volatile_count()
        try:
            text = engine.run(name, r.scope)
        except TemplateRenderError as e:
            raise TemplateRenderError(helm_exec_message(e), e.pos, e.chain) from None
        except GoFuncError as e:
            raise TemplateRenderError(str(e)) from None
        rendered[name] = text.replace("<no value>", "")
        recorder().template_done(name, rendered[name], before)
    return rendered
