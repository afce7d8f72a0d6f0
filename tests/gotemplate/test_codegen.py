"""codegen builds Jinja2 ASTs: the tree Jinja2's own parser gives, and the same compiled code.

The builders replaced generated Jinja2 source; these tests hold them to that
source's meaning.  The engine's code generator skips two whole-tree walks
(filters/tests to import, extends/blocks/imports to find) whose answer is
always empty for codegen's trees: the Python it writes must not change.
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2.compiler
import pytest
from jinja2.compiler import CodeGenerator

from minihelm import funcs
from minihelm.engine import functable
from minihelm.engine import run as engine
from minihelm.gotemplate import codegen, jinjacompile
from minihelm.gotemplate.parser import parse

TEMPLATES = [
    "plain text {{ .Values.a }} and {{ .Values.b.c | quote }}\r\n{% raw %}{# x",
    "{{ if and .a (not .b) }}x{{ else if or .c .d }}y{{ else }}z{{ end }}",
    "{{ range $i, $v := .list }}{{ $i }}={{ $v }}{{ if eq $i 2 }}{{ break }}{{ end }}"
    "{{ continue }}{{ else }}none{{ end }}",
    "{{ with $x := .Values.obj }}{{ .name }}{{ $x.id }}{{ else }}-{{ end }}",
    '{{ define "d" }}[{{ . }}]{{ end }}{{ template "d" 5 }}{{ include "d" (dict "a" 1) }}',
    "{{ $a := 1 }}{{ $a = -2 }}{{ printf \"%d %v %s\" $a -1.5 nil }}{{ 0x1F }}{{ 1e3 }}",
    "{{ (.a).b.c }}{{ $.top }}{{ .x.y 1 2 }}{{ index .m \"k\" | upper | trunc 3 }}",
    "{{- /* comment */ -}} {{ true }}{{ false }}{{ 'c' }}{{ `raw\\n` }}",
]


def _tables() -> tuple[dict[str, tuple[tuple[str, ...], bool]], set[str]]:
    table = dict(functable.builtin_funcs())
    table.update(funcs.functions())
    names = set(table) | {"include", "tpl", "required", "fail", "lookup"}
    return {k: (f.params, f.variadic) for k, f in table.items()}, names


class _StockCalls(CodeGenerator):
    """Jinja2's generator with only the engine's direct calls (no skipped walks)."""

    visit_Call = jinjacompile._DirectCalls.visit_Call


@pytest.mark.parametrize("src", TEMPLATES)
def test_compiled_python_is_what_stock_jinja2_writes(src: str) -> None:
    params, names = _tables()
    env = jinjacompile.environment()
    stock = jinja2.Environment(autoescape=False, keep_trailing_newline=True, cache_size=0,
                               optimized=False)
    stock.code_generator_class = _StockCalls
    for name, tree in parse(src, "t", names).items():
        ours = codegen.generate(tree, params).template  # no set_environment, as the engine
        # plain nodes: stock Jinja2 searches the whole tree for extends/blocks/imports/self
        theirs = jinja2.nodes.Template(_plain(codegen.generate(tree, params).template.body),
                                       lineno=1)
        theirs.set_environment(stock)
        assert env.compile(ours, name=name, raw=True) == stock.compile(theirs, name=name, raw=True)


def _plain(x: Any) -> Any:
    """A copy of codegen's nodes rebuilt by their constructors, without the instance
    shortcuts (the with- and for-nodes' iter_child_nodes) stock Jinja2 never sees."""
    if isinstance(x, list):
        return [_plain(item) for item in x]
    if isinstance(x, jinja2.nodes.Node):
        return type(x)(*[_plain(getattr(x, f)) for f in x.fields], lineno=x.lineno)
    return x


def test_generic_walks_see_no_self_and_the_with_node_hides_its_body() -> None:
    params, names = _tables()
    root = codegen.generate(parse("{{ .a }}{{ range .l }}x{{ end }}", "t", names)["t"],
                            params).template
    (scope,) = root.body
    assert isinstance(scope, jinja2.nodes.With)
    assert list(scope.iter_child_nodes()) == []
    (loop,) = [n for n in scope.body if isinstance(n, jinja2.nodes.For)]
    assert list(loop.iter_child_nodes()) == []
    assert jinja2.compiler.find_undeclared(root.body, ("self",)) == set()
    assert [n.data for n in jinja2.nodes.Template(_plain(root.body), lineno=1).find_all(
        jinja2.nodes.TemplateData)] == ["x"]  # the body is still all there


@pytest.mark.parametrize("src", TEMPLATES)
def test_jinja2s_optimizer_would_change_nothing_python_keeps(src: str) -> None:
    """The engine compiles with optimized=False: at most a negative literal is then
    written `(-2)` instead of `-2`, which CPython folds to the same constant."""
    params, names = _tables()
    env = jinjacompile.environment()
    optimizing = jinja2.Environment(autoescape=False, keep_trailing_newline=True, cache_size=0)
    optimizing.code_generator_class = jinjacompile._DirectCalls
    for name, tree in parse(src, "t", names).items():
        plain = env.compile(codegen.generate(tree, params).template, name=name, raw=True)
        folded = optimizing.compile(codegen.generate(tree, params).template, name=name, raw=True)
        assert _code_shape(compile(plain, name, "exec")) == _code_shape(compile(folded, name, "exec"))


def _code_shape(code: object) -> list[object]:
    """Bytecode, constants and names of a code object and those nested in it."""
    import types

    assert isinstance(code, types.CodeType)
    out: list[object] = [code.co_code, code.co_names, code.co_varnames]
    for c in code.co_consts:
        out.extend(_code_shape(c) if isinstance(c, types.CodeType) else [repr(c)])
    return out


def test_the_tree_is_what_jinja2_parses_from_the_equivalent_source() -> None:
    params, names = _tables()
    tree = parse("{{ if .a }}{{ .b.c }}{{ else }}t{{ end }}{{ range .l }}{{ . }}{{ end }}",
                 "t", names)["t"]
    built = codegen.generate(tree, params).template
    # the context names the tree reads are bound once, as with-parameters
    source = ("{% with D=D, FL=FL, P=P, RG=RG, X=X %}"
              "{% if FL(X,0,D,'a') %}{{P(FL(X,1,D,'b.c'))}}{% else %}t{% endif %}"
              "{% for K,D in RG(X,3,FL(X,2,D,'l')) %}{{P(D)}}{% endfor %}{% endwith %}")
    env = jinja2.Environment(extensions=["jinja2.ext.loopcontrols"])
    assert built == env.parse(source)


def test_context_names_compile_to_plain_locals() -> None:
    params, names = _tables()
    env = jinjacompile.environment()
    root = codegen.generate(parse("{{ .a | quote }}{{ range .l }}{{ $.x }}{{ end }}", "t", names)["t"],
                            params).template
    root.set_environment(env)
    py = env.compile(root, name="t", raw=True)
    body = py.split("pass", 2)[2]  # after the one-time bindings
    assert "is missing" not in body and "undefined(" not in body


def test_the_root_says_there_are_no_extends_blocks_or_imports() -> None:
    params, names = _tables()
    root = codegen.generate(parse("{{ .a }}x", "t", names)["t"], params).template
    assert root.find(jinja2.nodes.Extends) is None
    assert list(root.find_all(jinja2.nodes.Block)) == []
    # other searches still search (a text-only tree reads no context name: no with-node)
    text_only = codegen.generate(parse("x", "t", names)["t"], params).template
    assert [n.data for n in text_only.find_all(jinja2.nodes.TemplateData)] == ["x"]


def test_context_names_are_the_engine_globals_and_the_execution_names() -> None:
    # a name missing here would be resolved to Jinja2's missing, and fail when called
    assert codegen.CONTEXT_NAMES == set(engine._runtime_names()) | {"D", "R", "V", "X"}


def test_fast_built_nodes_are_what_their_constructors_build() -> None:
    """codegen sets a Name's, Const's and Call's attributes itself (Node.__init__ is
    slow); each must equal the constructed node, attribute for attribute, in order."""
    fn = jinja2.nodes.Name("f", "load", lineno=1)
    pairs = [
        (codegen._name("x"), jinja2.nodes.Name("x", "load", lineno=1)),
        (codegen._name("y", "param"), jinja2.nodes.Name("y", "param", lineno=1)),
        (codegen._plain_const("s"), jinja2.nodes.Const("s", lineno=1)),
        (codegen._const(-2), jinja2.nodes.Neg(jinja2.nodes.Const(2, lineno=1), lineno=1)),
        (codegen._call(fn, [codegen._plain_const(1)]),
         jinja2.nodes.Call(fn, [jinja2.nodes.Const(1, lineno=1)], [], None, None, lineno=1)),
    ]
    for fast, built in pairs:
        assert fast == built
        assert list(vars(fast).items()) == list(vars(built).items())
