"""The first-run evaluator (gotemplate/jinjaeval.py) against the compiled path and helm.

Every helm-recorded probe runs with first runs evaluated from codegen's
nodes: it must print exactly what helm printed (or fail with helm's line),
as the compiled path does in tests/test_probes.py.  The corpus is checked
the same way by benchmarks and corpus-compare (docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_probes import PROBES, check_probe

from minihelm._core.recorder import Recorder, install
from minihelm.engine.run import Engine
from minihelm.engine.tplcache import TemplateCache
from minihelm.errors import MinihelmError
from minihelm.gotemplate import codegen, jinjaeval
from minihelm.gotemplate.parser import parse


class _Deferring(Recorder):
    """A listener that lets first runs skip compiling, and compiles at once after."""

    def __init__(self) -> None:
        self.handed: list[Any] = []

    def defer_compiling(self) -> bool:
        return True

    def compile_later(self, work: Any) -> None:
        self.handed.append(work)
        work()


@pytest.fixture
def deferring() -> Any:
    rec = _Deferring()
    install(rec)
    yield rec
    install(None)


@pytest.mark.parametrize("probe", [p for _, p in PROBES], ids=[i for i, _ in PROBES])
def test_probe_evaluated_from_tree(probe: dict, tmp_path: Path, deferring: _Deferring) -> None:
    if probe.get("xfail"):
        pytest.xfail(probe["xfail"])
    check_probe(probe, tmp_path)


def _both(source: str, dot: Any = None, cache_dir: Path | None = None,
          errors: bool = False) -> tuple[str, str]:
    """(evaluated from the tree, compiled) output of one template; with `errors`, a
    failure's text in place of its output."""
    outs = []
    for defer in (True, False):
        install(_Deferring() if defer else None)
        try:
            engine = Engine(cache=TemplateCache(cache_dir))
            engine.add("t", source)
            outs.append(engine.run("t", dot if dot is not None else {}))
        except MinihelmError as e:
            if not errors:
                raise
            outs.append(f"error: {e}")
        finally:
            install(None)
    return outs[0], outs[1]


@pytest.mark.parametrize("source", [
    "{{ range $i, $v := .l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $v }}{{ end }}",
    "{{ range .l }}{{ range . }}{{ break }}{{ end }}{{ . }}{{ end }}",
    "{{ range .l }}{{ break }}{{ else }}E{{ end }}|{{ range .none }}x{{ else }}{{ .l }}{{ end }}",
    "{{ with .m }}{{ .a }}{{ with .b }}{{ . }}{{ end }}{{ . }}{{ else }}no{{ end }}{{ . }}",
    "{{ $x := 1 }}{{ range .l }}{{ $x = . }}{{ end }}{{ $x }}{{ if $y := .m }}{{ $y.a }}{{ end }}",
    "{{ and 0 (fail \"not reached\") }}{{ or 1 (fail \"not reached\") }}{{ or 0 \"\" .l }}",
    "{{ -3 }} {{ 1.5 }} {{ \"s\" | printf \"%s-%d\" | quote }} {{ (dict \"k\" \"v\").k }}",
    "{{ define \"d\" }}[{{ . }}]{{ end }}{{ template \"d\" .l }}{{ include \"d\" 2 }}",
])
def test_evaluated_matches_compiled(source: str) -> None:
    dot = {"l": [1, [2, 3], 4], "m": {"a": "A", "b": 0}}
    evaluated, compiled = _both(source, dot)
    assert evaluated == compiled
    assert evaluated  # every case prints something


def test_errors_name_the_same_node() -> None:
    """Node ids are codegen's, so an error names the same line, column and node."""
    source = "a\n  {{ .x.y.z }}"
    msgs = []
    for defer in (True, False):
        install(_Deferring() if defer else None)
        try:
            engine = Engine(cache=TemplateCache(None))
            engine.add("t", source)
            with pytest.raises(Exception) as e:
                engine.run("t", {"x": {"y": 1}})
            msgs.append(str(e.value))
        finally:
            install(None)
    assert msgs[0] == msgs[1]
    assert msgs[0].startswith('template: t:2:7: executing "t" at <.x.y.z>: ')


def test_first_run_is_compiled_and_stored_after(tmp_path: Path) -> None:
    rec = _Deferring()
    rec.compile_later = rec.handed.append  # type: ignore[method-assign]  # held, not run
    install(rec)
    try:
        cache = TemplateCache(tmp_path)
        engine = Engine(cache=cache)
        engine.add("t", "{{ .a }}")
        assert engine.run("t", {"a": 1}) == "1"
        tc = engine.trees["t"]
        assert tc.code is None and [p[0] for p in cache.pending] == [tc]
        cache.flush()
        assert list(tmp_path.iterdir()) == []  # its file waits for the code
        cache.compile_pending()
    finally:
        install(None)
    assert tc.code is not None and tc.render is None and cache.pending == []
    assert len(list(tmp_path.iterdir())) == 1
    again = Engine(cache=TemplateCache(tmp_path))
    again.add("t", "{{ .a }}")
    assert again.trees["t"].packed is not None  # read back compiled
    assert again.run("t", {"a": 2}) == "2"


def test_unknown_nodes_are_refused() -> None:
    from jinja2 import nodes as J

    with pytest.raises(TypeError):
        list(jinjaeval.render_function(J.Template([J.Scope([], lineno=1)], lineno=1), {})({}))
    with pytest.raises(TypeError):
        list(jinjaeval.render_function(
            J.Template([J.Output([J.Filter(J.Const(1), "x", [], [], None, None)])]), {})({}))


def test_jinja2_for_else_semantics_are_kept() -> None:
    """A For with an else branch runs it unless a pass finished its body, as Jinja2's
    code does (codegen no longer writes one for Go's range, but the evaluator mirrors
    the code for any node tree it is given)."""
    from jinja2 import nodes as J

    def loop(body: list[Any]) -> str:
        target = J.Tuple([J.Name("K", "store"), J.Name("D", "store")], "store")
        node = J.For(target, J.Name("L", "load"), body, [J.Output([J.TemplateData("E")])],
                     None, False)
        render = jinjaeval.render_function(J.Template([node]), {})
        return "".join(render({"L": [(0, "a"), (1, "b")], "D": "outer"}))

    assert loop([J.Output([J.Name("D", "load")])]) == "ab"
    assert loop([J.Break()]) == "E"
    assert loop([J.Continue()]) == "E"


def test_a_branch_is_translated_when_it_first_runs() -> None:
    """first_run's lazy generate: a branch gets its node ids and slots when it first runs;
    the code compiled afterwards, and its node table, come from the eager translation."""
    rec = _Deferring()
    rec.compile_later = rec.handed.append  # type: ignore[method-assign]  # held, not run
    install(rec)
    try:
        cache = TemplateCache(None)
        engine = Engine(cache=cache)
        engine.add("t", "{{ if .a }}{{ $v := .b | quote }}{{ $v }}{{ end }}")
        tc = engine.trees["t"]

        def shown(nodes: list[Any]) -> list[str]:
            return [str(n.cmd if isinstance(n, codegen.CallSite) else n) for n in nodes]

        assert engine.run("t", {"a": False}) == ""
        assert shown(tc.nodes or []) == [".a"] and tc.nslots == 0  # the branch: not yet
        assert engine.run("t", {"a": True, "b": "x"}) == '"x"'
        assert shown(tc.nodes or []) == [".a", ".b", "quote"]
        cache.compile_pending()
    finally:
        install(None)
    expect = codegen.generate(parse(tc.source, "t", Engine().funcs)["t"], Engine().shared.params)
    assert shown(tc.nodes or []) == shown(expect.nodes) and tc.nslots == expect.nslots == 1
    assert tc.code is not None and engine.run("t", {"a": True, "b": "y"}) == '"y"'


@pytest.mark.parametrize("source", [
    # a variable declared again after a branch: the branch keeps the earlier one
    "{{ $x := 1 }}{{ if .a }}{{ $x }}{{ end }}{{ $x := 2 }}{{ if .a }}{{ $x }}{{ end }}{{ $x }}",
    # an else branch sees what its body declared (Go's parser); both translated together
    "{{ if .no }}{{ $y := 1 }}{{ else }}[{{ $y }}]{{ end }}",
    "{{ with .no }}{{ print ($z := 3) }}{{ else }}[{{ $z }}]{{ end }}",
    # assignments from inside branches reach the enclosing variable
    "{{ $x := 1 }}{{ with .m }}{{ $x = 5 }}{{ range .l }}{{ $x = . }}{{ end }}{{ end }}{{ $x }}",
    # nested branches, range variables, an else after a range
    "{{ range $i, $v := .l }}{{ if $i }}{{ with $v }}<{{ $i }}:{{ . }}>{{ end }}{{ end }}"
    "{{ else }}none{{ end }}{{ range .none }}x{{ else }}{{ if .a }}A{{ end }}{{ end }}",
    # a define whose branches first run in its later calls: slots grow between runs
    "{{ define \"d\" }}{{ if . }}{{ $a := 1 }}{{ $a }}{{ end }}{{ with . }}{{ $b := 2 }}"
    "{{ $b }}{{ $c := . }}{{ $c }}{{ end }}{{ end }}"
    "{{ include \"d\" 0 }}|{{ include \"d\" 7 }}|{{ include \"d\" 0 }}|{{ include \"d\" 8 }}",
    # an error inside a branch translated late names its node
    "{{ if .a }}{{ if .m }}{{ index .m.a 3 }}{{ end }}{{ end }}",
])
def test_lazily_translated_branches_run_as_compiled(source: str) -> None:
    dot = {"a": True, "l": [0, 1, 2], "m": {"a": "A", "b": 0}}
    evaluated, compiled = _both(source, dot, errors=True)
    assert evaluated == compiled
