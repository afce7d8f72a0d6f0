"""The template parser: Go's trees, Node.String(), positions, tree sets and parse errors.

Expected String() forms and number flags are Go's (text/template/parse
parse_test.go); every error in HELM_RECORDED was produced by running
`helm template` (v4.1.4) on a chart whose templates/t.yaml is the source.
"""

from __future__ import annotations

import pytest

from minihelm.errors import TemplateSyntaxError
from minihelm.gotemplate.nodes import (
    ActionNode,
    BreakNode,
    ChainNode,
    CommandNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from minihelm.gotemplate.parser import is_empty_tree, parse

FUNCS = frozenset(
    ["and", "or", "not", "len", "index", "print", "printf", "println", "html", "js", "urlquery", "slice", "call", "eq", "ne", "lt", "le", "gt", "ge", "include", "tpl", "required", "quote", "default", "toYaml", "nindent", "indent", "list", "dict", "contains"]
)
NAME = "c/templates/t.yaml"


def root_str(src: str, funcs: frozenset[str] = FUNCS) -> str:
    return str(parse(src, NAME, funcs)[NAME].root)


def error_of(src: str, funcs: frozenset[str] = FUNCS) -> TemplateSyntaxError:
    with pytest.raises(TemplateSyntaxError) as info:
        parse(src, NAME, funcs)
    return info.value


def helm_form(err: TemplateSyntaxError) -> str:
    """What helm prints for a parse error (engine.cleanupParseError keeps the last part)."""
    parts = err.message.split(": ")
    return f"Error: parse error at ({parts[1]}): {parts[-1]}"


# (template source, helm v4.1.4's first stderr line)
HELM_RECORDED = [
    ('{{ if }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): missing value for if'),
    ('{{ if .X }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected EOF'),
    ('a\n{{ end }}',
     'Error: parse error at (c/templates/t.yaml:2): unexpected {{end}}'),
    ('{{ .X',
     'Error: parse error at (c/templates/t.yaml:1): unclosed action'),
    ('a\n{{ .X \n\n',
     'Error: parse error at (c/templates/t.yaml:4): unclosed action started at c/templates/t.yaml:2'),
    ('{{ 1 }',
     'Error: parse error at (c/templates/t.yaml:1): unexpected "}" in operand'),
    ('{{ $x }}',
     'Error: parse error at (c/templates/t.yaml:1): undefined variable "$x"'),
    ('{{ break }}',
     'Error: parse error at (c/templates/t.yaml:1): {{break}} outside {{range}}'),
    ('{{ continue }}',
     'Error: parse error at (c/templates/t.yaml:1): {{continue}} outside {{range}}'),
    ('{{ "abc }}',
     'Error: parse error at (c/templates/t.yaml:1): unterminated quoted string'),
    ('{{ `abc }}',
     'Error: parse error at (c/templates/t.yaml:1): unterminated raw quoted string'),
    ("{{ 'a }}",
     'Error: parse error at (c/templates/t.yaml:1): unterminated character constant'),
    ('{{ 1x }}',
     'Error: parse error at (c/templates/t.yaml:1): "1x"'),
    ('{{ .X# }}',
     "Error: parse error at (c/templates/t.yaml:1): bad character U+0023 '#'"),
    ('{{ nope }}',
     'Error: parse error at (c/templates/t.yaml:1): function "nope" not defined'),
    ('{{ template . }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected <.> in template clause'),
    ('{{ else }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected {{else}}'),
    ('{{/* a */ }}',
     'Error: parse error at (c/templates/t.yaml:1): comment ends before closing delimiter'),
    ('{{/* a\nb }}',
     'Error: parse error at (c/templates/t.yaml:1): unclosed comment'),
    ('{{ .X | 1 }}',
     'Error: parse error at (c/templates/t.yaml:1): non executable command in pipeline stage 2'),
    ('{{ "a".B }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected . after term "\\"a\\""'),
    ("{{ 'ab' }}",
     "Error: parse error at (c/templates/t.yaml:1): 'ab'"),
    ("{{ '' }}",
     'Error: parse error at (c/templates/t.yaml:1): invalid syntax'),
    ('{{ 08 }}',
     'Error: parse error at (c/templates/t.yaml:1): "08"'),
    ('{{ 99999999999999999999 }}',
     'Error: parse error at (c/templates/t.yaml:1): "99999999999999999999"'),
    ('{{ 1e400 }}',
     'Error: parse error at (c/templates/t.yaml:1): "1e400"'),
    ('{{ "\\q" }}',
     'Error: parse error at (c/templates/t.yaml:1): invalid syntax'),
    ('{{ ) }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected right paren'),
    ('{{ (1 }}',
     'Error: parse error at (c/templates/t.yaml:1): unclosed left paren'),
    ('{{ ( ) }}',
     'Error: parse error at (c/templates/t.yaml:1): missing value for parenthesized pipeline'),
    ('{{ $x, $y := 1 }}',
     'Error: parse error at (c/templates/t.yaml:1): too many declarations in command'),
    ('{{ range $a, $b, $c := . }}{{end}}',
     'Error: parse error at (c/templates/t.yaml:1): too many declarations in range'),
    ('{{ range $a, 1 }}{{end}}',
     'Error: parse error at (c/templates/t.yaml:1): range can only initialize variables'),
    ('{{ define "x" }}a{{ else }}b{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected {{else}} in define clause'),
    ('{{ block "x" . }}\n\na{{ else }}b{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected {{else}} in block clause'),
    ('{{ if 1 }}a{{ else }}b{{ else }}c{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): expected end; found {{else}}'),
    ('{{ define x }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected "x" in define clause'),
    ('{{ define "a" }}x{{ end }}\n{{ define "a" }}y{{ end }}',
     'Error: parse error at (c/templates/t.yaml:2): multiple definition of template "a"'),
    ('{{ : }}',
     'Error: parse error at (c/templates/t.yaml:1): expected :='),
    ('{{ € }}',
     "Error: parse error at (c/templates/t.yaml:1): U+20AC '€'"),
    ('{{ \x01 }}',
     'Error: parse error at (c/templates/t.yaml:1): U+0001'),
    ('{{ nil.X }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected . after term "nil"'),
    ('{{ range . }}{{ else }}{{ break }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): {{break}} outside {{range}}'),
    ('{{ if 1 }}{{ else with 2 }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected <with> in input'),
    ('{{ end 1 }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected "1" in end'),
    ('{{ if .X }}\n{{/* unclosed\n',
     'Error: parse error at (c/templates/t.yaml:2): unclosed comment in action started at c/templates/t.yaml:1'),
    ('{{ .X\n| nope }}',
     'Error: parse error at (c/templates/t.yaml:2): function "nope" not defined'),
    ('x\n{{- 1 -}}\n\n{{ nope }}',
     'Error: parse error at (c/templates/t.yaml:4): function "nope" not defined'),
    ('{{ `a\nb` }}{{ nope }}',
     'Error: parse error at (c/templates/t.yaml:2): function "nope" not defined'),
    ('{{ if 1 }}\n{{ else if (1\n\n',
     'Error: parse error at (c/templates/t.yaml:4): unclosed action'),
    ('{{ range . }}{{ block "z" . }}{{ break }}{{ end }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): {{break}} outside {{range}}'),
    ('{{ $x := 1 }}{{ define "d" }}{{ $x }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): undefined variable "$x"'),
    ('{{ if $x := 1 }}{{ end }}{{ $x }}',
     'Error: parse error at (c/templates/t.yaml:1): undefined variable "$x"'),
    ('{{ (1)2 }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected "2" in operand'),
    ('{{ .X(1) }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected "(" in operand'),
    ('{{ $x=1 }}',
     "Error: parse error at (c/templates/t.yaml:1): bad character U+003D '='"),
    ('{{ 1 2 | 3 }}',
     'Error: parse error at (c/templates/t.yaml:1): non executable command in pipeline stage 2'),
    ('{{ block "a" }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): missing value for block clause'),
    ('{{ -i }}',
     'Error: parse error at (c/templates/t.yaml:1): "-i"'),
    ('{{ .5.X }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected . after term ".5"'),
    ('{{ $x := 1 }}{{ $x.Y := 2 }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected ":=" in operand'),
    ('{{ with $v, $u := 3 }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): too many declarations in with'),
    ('{{\n\n\n',
     'Error: parse error at (c/templates/t.yaml:4): unclosed action started at c/templates/t.yaml:1'),
    ('{{-/* x */}}',
     'Error: parse error at (c/templates/t.yaml:1): "-"'),
    ('{{ 0x1p }}',
     'Error: parse error at (c/templates/t.yaml:1): "0x1p"'),
    ('{{ template "\\q" }}',
     'Error: parse error at (c/templates/t.yaml:1): invalid syntax'),
    ('{{ define "\\q" }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): invalid syntax'),
    ('{{ range $k, 123 := . }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): range can only initialize variables'),
    ('{{ define "x"\n\n',
     'Error: parse error at (c/templates/t.yaml:3): unclosed action'),
    ('{{ block "x" (1\n\n',
     'Error: parse error at (c/templates/t.yaml:3): unclosed action started at c/templates/t.yaml:1'),
    ('a\n{{ if 1 }}{{ else if (1\n\n',
     'Error: parse error at (c/templates/t.yaml:4): unclosed action'),
    ('{{ template "x" (1\n\n',
     'Error: parse error at (c/templates/t.yaml:3): unclosed action started at c/templates/t.yaml:1'),
    ('{{ range .\n}}{{ else\n}}{{ break }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:3): {{break}} outside {{range}}'),
    ('{{ with 1 }}\n{{ else with 2 }}\n{{ else }}\n{{ else }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:4): expected end; found {{else}}'),
    ('{{ if 1 }}{{ define "x" }}{{ end }}{{ end }}',
     'Error: parse error at (c/templates/t.yaml:1): unexpected <define> in command'),
    ('{{ .X.Y \n| \n nope }}',
     'Error: parse error at (c/templates/t.yaml:3): function "nope" not defined'),
]


@pytest.mark.parametrize(("src", "helm_says"), HELM_RECORDED)
def test_errors_match_helm(src: str, helm_says: str) -> None:
    err = error_of(src)
    assert helm_form(err) == helm_says
    assert err.message.startswith(f"template: {NAME}:")
    assert err.pos is not None and err.pos.name == NAME
    assert helm_says.startswith(f"Error: parse error at ({NAME}:{err.pos.line})")


@pytest.mark.parametrize(("src", "message"), [
    # helm keeps only the text after the last ": "; Go's whole message is this
    # (wording from Go's lex.go / parse.go / node.go, tails checked with helm above).
    ("{{ 1x }}", 'template: c/templates/t.yaml:1: bad number syntax: "1x"'),
    ("{{ 'ab' }}", "template: c/templates/t.yaml:1: malformed character constant: 'ab'"),
    ("{{ 08 }}", 'template: c/templates/t.yaml:1: integer overflow: "08"'),
    ("{{ 99999999999999999999 }}",
     'template: c/templates/t.yaml:1: integer overflow: "99999999999999999999"'),
    ("{{ 1e400 }}", 'template: c/templates/t.yaml:1: illegal number syntax: "1e400"'),
    ("{{ -i }}", 'template: c/templates/t.yaml:1: illegal number syntax: "-i"'),
    ("{{ \u20ac }}",
     "template: c/templates/t.yaml:1: unrecognized character in action: U+20AC '\u20ac'"),
    ('{{ define "a" }}x{{ end }}\n{{ define "a" }}y{{ end }}',
     'template: c/templates/t.yaml:2: template: multiple definition of template "a"'),
    ("a\n{{ .X \n\n",
     "template: c/templates/t.yaml:4: unclosed action started at c/templates/t.yaml:2"),
    ("{{ if .X }}\n{{/* x\n",
     "template: c/templates/t.yaml:2: unclosed comment in action started at c/templates/t.yaml:1"),
])
def test_full_go_messages(src: str, message: str) -> None:
    assert error_of(src).message == message


@pytest.mark.parametrize(("src", "expected"), [
    # Go's parse_test.go table (TextNode printed with %s instead of the test's %q).
    ("", ""),
    ("{{/*\n\n\n*/}}", ""),
    ("some text", "some text"),
    ("{{.X}}", "{{.X}}"),
    ("{{printf}}", "{{printf}}"),
    ("{{$}}", "{{$}}"),
    ("{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
    ("{{$.I}}", "{{$.I}}"),
    ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
    ("{{.X|.Y}}", "{{.X | .Y}}"),
    ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
    ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
    ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
    ("{{if .X}}true{{else if .Y}}false{{end}}", "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}"),
    ("+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
     "+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+"),
    ("{{range .X|.M}}true{{else}}false{{end}}", "{{range .X | .M}}true{{else}}false{{end}}"),
    ("{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
    ("{{range .SI}}{{.}}{{ break }}{{ continue }}{{end}}",
     "{{range .SI}}{{.}}{{break}}{{continue}}{{end}}"),
    ("{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
     "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"),
    ("{{template `x`}}", '{{template "x"}}'),
    ("{{template `x` .Y}}", '{{template "x" .Y}}'),
    ("{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}",
     "{{with .X}}X{{else}}{{with .Y}}Y{{else}}{{with .Z}}Z{{end}}{{end}}{{end}}"),
    ("x \r\n\t{{- 3}}", "x{{3}}"),
    ("{{3 -}}\n\n\ty", "{{3}}y"),
    ("x\n{{-  3   -}}\ny", "x{{3}}y"),
    ("x \r\n\t{{- /* */ -}}\n\n\ty", "xy"),
    ('{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'),
    ("{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
    ('{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'),
    ("{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
    ("{{range $x = 0}}{{$x}}{{end}}", "{{range $x = 0}}{{$x}}{{end}}"),
    ("{{ if ((( true ))) }}YES{{ end }}", "{{if (((true)))}}YES{{end}}"),
    ("{{ template \"a\\tb\" }}", '{{template "a\\tb"}}'),
])
def test_string_form_is_gos(src: str, expected: str) -> None:
    assert root_str(src) == expected


def test_action_structure_and_positions() -> None:
    src = "x\n  {{ .A.B | printf \"%s\" $ }}"
    tree = parse(src, NAME, FUNCS)[NAME]
    text, action = tree.root.nodes
    assert text == TextNode(0, "x\n  ")
    assert isinstance(action, ActionNode)
    assert (action.pos, action.line) == (7, 2)  # first token after "{{ "
    pipe = action.pipe
    assert isinstance(pipe, PipeNode) and pipe.decl == () and not pipe.is_assign
    first, second = pipe.cmds
    assert isinstance(first, CommandNode) and len(first.args) == 1
    field = first.args[0]
    # Go builds .A.B as a chain on .A, so the node sits at the position of ".B"
    assert field == FieldNode(9, ("A", "B"))
    assert str(tree.position(field.pos)) == f"{NAME}:2:7"
    assert [type(a).__name__ for a in second.args] == [
        "IdentifierNode", "StringNode", "VariableNode",
    ]
    assert second.args[1] == StringNode(21, '"%s"', "%s")


def test_field_chain_position_matches_helm_error_column() -> None:
    # helm v4.1.4 on "a: {{ .Values.a.b.c }}" with no values fails at
    # "c/templates/t.yaml:1:13" -- the column of ".a", where Go's FieldNode sits.
    tree = parse("a: {{ .Values.a.b.c }}", NAME, FUNCS)[NAME]
    action = tree.root.nodes[1]
    assert isinstance(action, ActionNode)
    field = action.pipe.cmds[0].args[0]
    assert str(field) == ".Values.a.b.c"
    assert str(tree.position(field.pos)) == f"{NAME}:1:13"


def test_chains_on_other_operands() -> None:
    tree = parse("{{ $x := 1 }}{{ $x.A.B }}{{ (index . 1).C }}{{ $.D }}", NAME, FUNCS)[NAME]
    var = tree.root.nodes[1].pipe.cmds[0].args[0]  # type: ignore[attr-defined]
    assert var == VariableNode(18, ("$x", "A", "B"))  # at ".A", as Go
    chain = tree.root.nodes[2].pipe.cmds[0].args[0]  # type: ignore[attr-defined]
    assert isinstance(chain, ChainNode) and chain.fields == ("C",)
    assert isinstance(chain.node, PipeNode) and str(chain) == "(index . 1).C"
    assert str(tree.root.nodes[3]) == "{{$.D}}"
    assert isinstance(tree.root.nodes[3].pipe.cmds[0].args[0], VariableNode)  # type: ignore[attr-defined]


def test_identifier_chain_is_a_chain_node() -> None:
    node = parse("{{ list.X }}", NAME, FUNCS)[NAME].root.nodes[0]
    arg = node.pipe.cmds[0].args[0]  # type: ignore[attr-defined]
    assert isinstance(arg, ChainNode) and isinstance(arg.node, IdentifierNode)


def test_control_structures() -> None:
    src = "{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}{{ range $i, $v := .L }}{{ $i }}{{ end }}"
    trees = parse(src, NAME, FUNCS)
    if_node, range_node = trees[NAME].root.nodes
    assert isinstance(if_node, IfNode)
    assert str(if_node.list) == "a"
    assert if_node.else_list is not None and len(if_node.else_list.nodes) == 1
    inner = if_node.else_list.nodes[0]
    assert isinstance(inner, IfNode) and str(inner.pipe) == ".B"
    assert inner.else_list is not None and str(inner.else_list) == "c"
    assert isinstance(range_node, RangeNode)
    assert [str(v) for v in range_node.pipe.decl] == ["$i", "$v"]
    assert range_node.else_list is None


def test_with_else_with_and_break() -> None:
    (w,) = parse("{{ with .A }}{{ else with .B }}{{ end }}", NAME, FUNCS)[NAME].root.nodes
    assert isinstance(w, WithNode)
    assert w.else_list is not None and isinstance(w.else_list.nodes[0], WithNode)
    (r,) = parse("{{ range . }}{{ if . }}{{ break }}{{ end }}{{ end }}", NAME, FUNCS)[NAME].root.nodes
    assert isinstance(r, RangeNode)
    inner_if = r.list.nodes[0]
    assert isinstance(inner_if, IfNode) and isinstance(inner_if.list.nodes[0], BreakNode)


def test_break_and_continue_are_calls_when_defined_as_functions() -> None:
    # Go: with a "break" function, {{break 20}} is a call, not the keyword.
    assert root_str("{{range .X}}{{break 20}}{{end}}", FUNCS | {"break"}) == (
        "{{range .X}}{{break 20}}{{end}}"
    )
    err = error_of("{{range .X}}{{break 20}}{{end}}")
    assert err.message == 'template: c/templates/t.yaml:1: unexpected "20" in {{break}}'


def test_line_fields_on_later_lines() -> None:
    src = "{{printf 1234}}\n" * 3 + "{{ if\n.X }}\n{{ template \"t\" }}{{ end }}"
    nodes = parse(src, NAME, FUNCS)[NAME].root.nodes
    actions = [n for n in nodes if isinstance(n, ActionNode)]
    assert [(a.line, a.pipe.line) for a in actions] == [(1, 1), (2, 2), (3, 3)]
    if_node = nodes[-1]
    assert isinstance(if_node, IfNode) and if_node.line == 5  # the pipeline's line
    tmpl = if_node.list.nodes[1]
    assert isinstance(tmpl, TemplateNode) and tmpl.line == 6 and tmpl.pipe is None


def test_define_and_block_trees() -> None:
    src = 'a{{ define "x" }}X{{ .Y }}{{ end }}b{{ block "inner" . }}bar{{.}}baz{{ end }}c'
    trees = parse(src, NAME, FUNCS)
    assert set(trees) == {NAME, "x", "inner"}
    assert str(trees[NAME].root) == 'ab{{template "inner" .}}c'
    assert str(trees["inner"].root) == "bar{{.}}baz"
    assert str(trees["x"].root) == "X{{.Y}}"
    for t in trees.values():
        assert t.parse_name == NAME and t.source == src
    assert trees["x"].name == "x"
    # positions in a define are offsets into the whole file
    y = trees["x"].root.nodes[1]
    assert str(trees["x"].position(y.pos)) == f"{NAME}:1:21"


def test_define_has_its_own_variables() -> None:
    err = error_of('{{ $x := 1 }}{{ define "d" }}{{ $x }}{{ end }}')
    assert err.message == 'template: c/templates/t.yaml:1: undefined variable "$x"'
    assert root_str("{{ if $x := 1 }}{{ else }}{{ $x }}{{ end }}") == (
        "{{if $x := 1}}{{else}}{{$x}}{{end}}"
    )
    assert "undefined variable" in error_of("{{with $x := 4}}{{end}}{{$x}}").message


def test_redefinition_rules() -> None:
    # An empty definition never replaces a non-empty one, and may be replaced.
    trees = parse('{{define "a"}}x{{end}}{{define "a"}} {{end}}', NAME, FUNCS)
    assert str(trees["a"].root) == "x"
    trees = parse('{{define "a"}} {{end}}{{define "a"}}y{{end}}', NAME, FUNCS)
    assert str(trees["a"].root) == "y"


@pytest.mark.parametrize(("src", "empty"), [
    # Go's isEmptyTests
    ("", True),
    ("hello", False),
    (" \t\n \t\n", True),
    ("{{/* comment */}}", True),
    ('{{define "x"}}something{{end}}', True),
    ("{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n", True),
    ("{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n", False),
    ("{{define `x`}}something{{end}}{{if 3}}foo{{end}}", False),
    ("\u00a0\u3000", True),  # bytes.TrimSpace trims Unicode white space
    ("\x1c", False),  # ... but not the ASCII separators Python's str.strip() would
])
def test_is_empty_tree(src: str, empty: bool) -> None:
    trees = parse(src, NAME, FUNCS)
    assert NAME in trees  # the file's own tree is always returned
    assert is_empty_tree(trees[NAME].root) is empty


def number(src: str) -> NumberNode:
    node = parse("{{ " + src + " }}", NAME, FUNCS)[NAME].root.nodes[0]
    arg = node.pipe.cmds[0].args[0]  # type: ignore[attr-defined]
    assert isinstance(arg, NumberNode)
    return arg


@pytest.mark.parametrize(("text", "is_int", "is_uint", "is_float", "value"), [
    # Go's numberTests
    ("0", True, True, True, 0),
    ("-0", True, True, True, 0),
    ("7_3", True, True, True, 73),
    ("0b10_010_01", True, True, True, 73),
    ("073", True, True, True, 59),
    ("0o73", True, True, True, 59),
    ("0x7_3", True, True, True, 115),
    ("-73", True, False, True, -73),
    ("+73", True, False, True, 73),
    ("1e9", True, True, True, 1_000_000_000),
    ("-1.2", False, False, True, -1.2),
    ("1e19", False, True, True, 10**19),
    ("-1e19", False, False, True, -1e19),
    ("0x_1p4", True, True, True, 16),
    ("0x_1p-4", False, False, True, 1 / 16),
    ("0xef", True, True, True, 239),
    ("'a'", True, True, True, 97),
    ("'\\n'", True, True, True, 10),
    ("'\\''", True, True, True, 39),
    ("'\\xFF'", True, True, True, 255),
    ("'\u30d1'", True, True, True, 0x30D1),
    ("'\\U000030d1'", True, True, True, 0x30D1),
    ("18446744073709551615", False, True, True, 2**64 - 1),
    ("1.5", False, False, True, 1.5),
])
def test_number_flags(text: str, is_int: bool, is_uint: bool, is_float: bool, value: float) -> None:
    n = number(text)
    assert (n.is_int, n.is_uint, n.is_float, n.is_complex) == (is_int, is_uint, is_float, False)
    assert n.float_value == float(value)
    if is_int:
        assert n.int_value == value
    if is_uint:
        assert n.uint_value == value
    assert str(n) == text


def test_complex_numbers() -> None:
    n = number("4i")
    assert n.is_complex and not n.is_float and n.complex_value == 4j
    n = number("-12+0i")
    assert n.is_complex and n.is_int and n.int_value == -12 and not n.is_uint
    assert number("073i").complex_value == 73j  # not octal


def test_strings_are_unquoted_like_go() -> None:
    src = '{{ "a\\tb\\u00e9\\x41\\101" `raw\r\nx` }}'
    args = parse(src, NAME, FUNCS)[NAME].root.nodes[0].pipe.cmds[0].args  # type: ignore[attr-defined]
    assert [a.text for a in args] == ["a\tb\u00e9AA", "raw\nx"]  # raw strings drop \r


def test_deep_parentheses_do_not_recurse() -> None:
    # helm v4.1.4: 10000 nested parentheses parse; 10001 fail with Go's maxStackDepth error.
    deep = "{{" + "(" * 10000 + "1" + ")" * 10000 + "}}"
    node = parse(deep, NAME, FUNCS)[NAME].root.nodes[0]
    assert isinstance(node, ActionNode)
    err = error_of("{{" + "(" * 10001 + "1" + ")" * 10001 + "}}")
    assert err.message == "template: c/templates/t.yaml:1: max expression depth exceeded"
    err = error_of("{{" + "(" * 10000)  # helm: the lexer's error comes first
    assert err.message == "template: c/templates/t.yaml:1: unclosed action"


def test_deep_control_nesting_does_not_recurse() -> None:
    # helm v4.1.4 parses 5000 nested ifs, and reports the missing {{end}} as EOF.
    src = "{{ if 1 }}" * 5000 + "x" + "{{ end }}" * 5000
    (node,) = parse(src, NAME, FUNCS)[NAME].root.nodes
    assert isinstance(node, IfNode)
    err = error_of("{{ if 1 }}" * 5000 + "x" + "{{ end }}" * 4999)
    assert err.message == "template: c/templates/t.yaml:1: unexpected EOF"
    chain = "{{ if 1 }}{{ else if 2 }}" * 2000 + "{{ end }}" * 2000
    assert isinstance(parse(chain, NAME, FUNCS)[NAME].root.nodes[0], IfNode)


def test_list_positions() -> None:
    tree = parse("  {{- if .X }}\n  a{{ end }}", NAME, FUNCS)[NAME]
    assert tree.root.pos == 2  # Go: the first token's position
    (if_node,) = tree.root.nodes
    assert isinstance(if_node, IfNode) and isinstance(if_node.list, ListNode)
    assert if_node.list.pos == 14
