"""Template AST (nodes.py) -> Jinja2 source that calls runtime.py, with a node table for errors.

Each Go tree becomes one Jinja2 template.  The generated code sees these names:

    D  dot            R  `$` (the data the tree was executed with)
    V  variable slots (a list; Go variables are resolved to slots here, statically)
    X  the runtime.Exec (engine, tree, node table) used for calls and error positions
    T  text constants that Jinja2 must not read (they contain `{%`, `{#` or CR)

Go's scoping is resolved at generation time: a `:=` takes a fresh slot and an
`=` writes to the slot of the nearest enclosing declaration, so assignments
reach enclosing scopes as in Go, whatever Jinja2's own block scoping does.
`and`/`or` compile to Python's `and`/`or`, which short-circuit and return the
deciding operand; Python's truth agrees with Go's for every value in gotypes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import nodes as n
from .runtime import ARG_FIELD, ARG_PIPE

_INLINE_TEXT_MAX = 200
_UNSAFE_TEXT = ("{{", "{%", "{#", "\r")
_ANY_TYPES = ("interface {}", "any", "reflect.Value")


@dataclass(frozen=True)
class CallSite:
    """A function call in the node table: Go reports each kind of failure at its own node."""

    cmd: n.Node  # "error calling X" is reported here
    ident: n.Node  # argument-count errors, and a bad piped-in final value
    args: tuple[n.Node, ...]  # a bad argument is reported at the argument
    kinds: tuple[int, ...]


@dataclass
class Generated:
    source: str
    nodes: list[Any]
    texts: list[str]
    nslots: int


@dataclass
class _Gen:
    params: Mapping[str, tuple[tuple[str, ...], bool]]
    nodes: list[Any] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scopes: list[dict[str, int]] = field(default_factory=lambda: [{}])
    nslots: int = 0
    ntemps: int = 0
    # Slots set by range hold Go's typed elements; others hold pipeline results,
    # where a nil is an invalid reflect.Value (quiet field access, "invalid value").
    range_slots: set[int] = field(default_factory=set)

    # --- bookkeeping -------------------------------------------------------------

    def nid(self, node: Any) -> int:
        self.nodes.append(node)
        return len(self.nodes) - 1

    def declare(self, name: str) -> int:
        slot = self.nslots
        self.nslots += 1
        self.scopes[-1][name] = slot
        return slot

    def lookup(self, name: str) -> int:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        raise KeyError(name)  # the parser already rejects undefined variables

    # --- statements ----------------------------------------------------------------

    def list(self, node: n.ListNode | None) -> str:
        if node is None:
            return ""
        return "".join(self.stmt(c) for c in node.nodes)

    def stmt(self, node: n.Node) -> str:
        if isinstance(node, n.TextNode):
            return self.text(node.text)
        if isinstance(node, n.ActionNode):
            return self.action(node)
        if isinstance(node, n.IfNode):
            return self.if_(node)
        if isinstance(node, n.RangeNode):
            return self.range_(node)
        if isinstance(node, n.WithNode):
            return self.with_(node)
        if isinstance(node, n.TemplateNode):
            dot = self.pipe(node.pipe)[0] if node.pipe is not None else "None"
            return f"{{{{TM(X,{self.nid(node)},{node.name!r},{dot})}}}}"
        if isinstance(node, n.BreakNode):
            return "{% break %}"
        if isinstance(node, n.ContinueNode):
            return "{% continue %}"
        if isinstance(node, n.CommentNode):
            return ""
        raise TypeError(f"unknown node {type(node).__name__}")

    def text(self, text: str) -> str:
        if not text:
            return ""
        # A text ending in "{" would fuse with the "{{"/"{%" emitted next, so it
        # goes through a constant too; so does a long text, which Jinja2's lexer
        # would otherwise scan with its regexes (seconds for a chart of CRDs).
        if (len(text) > _INLINE_TEXT_MAX or text[-1] == "{" or text[0] == "}"
                or any(u in text for u in _UNSAFE_TEXT)):
            self.texts.append(text)
            return f"{{{{T[{len(self.texts) - 1}]}}}}"
        return text

    def action(self, node: n.ActionNode) -> str:
        pipe = node.pipe
        value, _ = self.pipe_value(pipe)
        if pipe.decl:
            return f"{{{{SV(V,{self.bind(pipe)},{value})}}}}"
        return f"{{{{P({value})}}}}"

    def bind(self, pipe: n.PipeNode) -> int:
        """The slot a one-variable pipeline writes: a new one for :=, the old one for =."""
        name = pipe.decl[0].ident[0]
        return self.lookup(name) if pipe.is_assign else self.declare(name)

    def if_(self, node: n.IfNode) -> str:
        self.scopes.append({})
        test = self.test(node.pipe)
        body = self.list(node.list)
        other = self.list(node.else_list)
        self.scopes.pop()
        if node.else_list is None:
            return f"{{% if {test} %}}{body}{{% endif %}}"
        return f"{{% if {test} %}}{body}{{% else %}}{other}{{% endif %}}"

    def test(self, pipe: n.PipeNode) -> str:
        value, _ = self.pipe_value(pipe)
        if pipe.decl:
            return f"SVV(V,{self.bind(pipe)},{value})"
        return value

    def with_(self, node: n.WithNode) -> str:
        self.scopes.append({})
        temp = f"W{self.ntemps}"
        self.ntemps += 1
        value = self.test(node.pipe)
        body = self.list(node.list)
        other = self.list(node.else_list)
        self.scopes.pop()
        s = f"{{% with {temp} = {value} %}}{{% if {temp} %}}{{% with D = {temp} %}}{body}{{% endwith %}}"
        if node.else_list is not None:
            s += f"{{% else %}}{other}"
        return s + "{% endif %}{% endwith %}"

    def range_(self, node: n.RangeNode) -> str:
        self.scopes.append({})
        pipe = node.pipe
        value, _ = self.pipe_value(pipe)
        nid = self.nid(pipe)
        sets = ""
        if len(pipe.decl) == 1:
            v = self.declare(pipe.decl[0].ident[0])
            self.range_slots.add(v)
            sets = f"{{{{S(V,{v},D)}}}}"
        elif len(pipe.decl) == 2:
            k = self.declare(pipe.decl[0].ident[0])
            v = self.declare(pipe.decl[1].ident[0])
            self.range_slots.update((k, v))
            sets = f"{{{{S(V,{k},K)}}}}{{{{S(V,{v},D)}}}}"
        body = self.list(node.list)
        self.scopes.pop()
        other = self.list(node.else_list)
        s = f"{{% for K,D in RG(X,{nid},{value}) %}}{sets}{body}"
        if node.else_list is not None:
            s += f"{{% else %}}{other}"
        return s + "{% endfor %}"

    # --- expressions ----------------------------------------------------------------

    def pipe(self, pipe: n.PipeNode) -> tuple[str, int]:
        if pipe.decl:  # `(... $x := y ...)` in an argument: declare and pass on the value
            value, _ = self.pipe_value(pipe)
            return f"SVV(V,{self.bind(pipe)},{value})", ARG_PIPE
        return self.pipe_value(pipe)

    def pipe_value(self, pipe: n.PipeNode) -> tuple[str, int]:
        value: str | None = None
        kind = ARG_PIPE
        for cmd in pipe.cmds:
            value, kind = self.command(cmd, value)
        # Go turns an interface-typed nil coming out of a pipeline into an invalid value.
        return value or "None", kind if len(pipe.cmds) == 1 else ARG_PIPE

    def command(self, cmd: n.CommandNode, final: str | None) -> tuple[str, int]:
        first = cmd.args[0]
        rest = cmd.args[1:]
        if isinstance(first, n.FieldNode):
            return self.field_call("D", first.ident, first, rest, final, "True"), ARG_FIELD
        if isinstance(first, n.ChainNode):
            base, _ = self.operand(first.node)
            valid = "False" if isinstance(first.node, n.PipeNode) else "True"
            return self.field_call(base, first.fields, first, rest, final, valid), ARG_FIELD
        if isinstance(first, n.VariableNode) and len(first.ident) > 1:
            base = self.var(first.ident[0])
            valid = "True" if self.var_kind(first.ident[0]) == ARG_FIELD else "False"
            return self.field_call(base, first.ident[1:], first, rest, final, valid), ARG_FIELD
        if isinstance(first, n.IdentifierNode):
            return self.func_call(first, cmd, rest, final), ARG_PIPE
        if rest or final is not None:
            return f"NF(X,{self.nid(first)})", ARG_PIPE
        if isinstance(first, n.NilNode):
            return f"NC(X,{self.nid(first)})", ARG_PIPE
        return self.operand(first)

    def field_call(self, base: str, names: tuple[str, ...], node: n.Node, rest: tuple[Any, ...],
                   final: str | None, valid: str) -> str:
        # Field paths travel as one dotted string (Go names never hold a dot): one
        # token for Jinja2's lexer instead of a tuple's many.
        nid, path = self.nid(node), repr(".".join(names))
        args = ",".join(self.arg(a, "interface {}")[0] for a in rest)
        args = f"({args},)" if rest else "()"
        if final is None:
            if not rest and valid == "True":
                return f"FL(X,{nid},{base},{path})"
            return f"F(X,{nid},{base},{path},{args},None,False,{valid})"
        return f"F(X,{nid},{base},{path},{args},{final},True,{valid})"

    def func_call(self, ident: n.IdentifierNode, cmd: n.CommandNode, rest: tuple[Any, ...],
                  final: str | None) -> str:
        name = ident.ident
        if name in ("and", "or"):
            vals = [self.arg(a, "interface {}")[0] for a in rest]
            if final is not None:
                vals.append(final)
            if not vals:
                return f"WN(X,{self.nid(ident)},{name!r},0)"
            return "(" + f" {name} ".join(vals) + ")"
        params, variadic = self.params.get(name, ((), True))
        vals, kinds = [], []
        for i, a in enumerate(rest):
            typ = params[i] if i < len(params) else (params[-1] if variadic and params else "")
            if variadic and i >= len(params) - 1 and params:
                typ = params[-1]
            v, k = self.arg(a, typ)
            vals.append(v)
            kinds.append(k)
        if final is not None:
            vals.append(final)
            kinds.append(ARG_PIPE)
        site = CallSite(cmd, ident, tuple(rest), tuple(kinds))
        # Bit i of the mask marks argument i as read straight from a field or
        # variable (Go's typed nil); the arguments follow as plain call arguments.
        mask = sum(1 << i for i, k in enumerate(kinds) if k == ARG_FIELD)
        return f"C(X,{self.nid(site)},{name!r},{mask}" + "".join("," + v for v in vals) + ")"

    def arg(self, node: Any, typ: str) -> tuple[str, int]:
        """Go's evalArg: constants are converted for the parameter type here, once."""
        if isinstance(node, (n.NumberNode, n.StringNode, n.BoolNode, n.NilNode)):
            return self.constant(node, typ), 0
        if isinstance(node, n.PipeNode):
            return self.pipe(node)[0], ARG_PIPE
        if isinstance(node, (n.FieldNode, n.ChainNode)) or (
            isinstance(node, n.VariableNode) and len(node.ident) > 1
        ):
            return self.command(n.CommandNode(node.pos, (node,)), None)
        if isinstance(node, n.VariableNode):
            return self.var(node.ident[0]), self.var_kind(node.ident[0])
        if isinstance(node, n.IdentifierNode):
            return self.func_call(node, n.CommandNode(node.pos, (node,)), (), None), ARG_PIPE
        return self.operand(node)

    def constant(self, node: Any, typ: str) -> str:
        bad = None
        if isinstance(node, n.NilNode):
            if typ and not typ.startswith(("[]", "map[", "*", "interface", "any", "reflect", "func")):
                bad = f"cannot assign nil to {typ}"
            else:
                return "None"
        elif typ == "string":
            if isinstance(node, n.StringNode):
                return repr(node.text)
            bad = f"expected string; found {node}"
        elif typ == "bool":
            if isinstance(node, n.BoolNode):
                return repr(node.value)
            bad = f"expected bool; found {node}"
        elif typ in ("int", "int64", "int32"):
            if isinstance(node, n.NumberNode) and node.is_int:
                return repr(node.int_value) if typ == "int" else f"I64({node.int_value})"
            bad = f"expected integer; found {node}"
        elif typ in ("uint", "uint64", "uint32", "uint8"):
            if isinstance(node, n.NumberNode) and node.is_uint:
                return repr(node.uint_value)
            bad = f"expected unsigned integer; found {node}"
        elif typ in ("float64", "float32"):
            if isinstance(node, n.NumberNode) and node.is_float:
                return repr(float(node.float_value))
            bad = f"expected float; found {node}"
        elif typ in _ANY_TYPES or not typ:
            return self.ideal(node)
        else:
            bad = f"can't handle {node} for arg of type {typ}"
        return f"ERR(X,{self.nid(node)},{bad!r})"

    def ideal(self, node: Any) -> str:
        """text/template's idealConstant (and plain constants for interface {} parameters)."""
        if isinstance(node, n.StringNode):
            return repr(node.text)
        if isinstance(node, n.BoolNode):
            return repr(node.value)
        if isinstance(node, n.NilNode):
            return "None"
        t = node.text
        is_hex_int = t[:2].lower() == "0x" and not any(c in t for c in ".pP")
        if node.is_float and not is_hex_int and not t.startswith("'") and any(c in t for c in ".eEpP"):
            return repr(float(node.float_value))
        if node.is_int:
            if not -(2**63) <= node.int_value < 2**63:
                return f"ERR(X,{self.nid(node)},{t + ' overflows int'!r})"
            return repr(node.int_value)
        if node.is_uint:
            return f"ERR(X,{self.nid(node)},{t + ' overflows int'!r})"
        return repr(float(node.float_value))

    def operand(self, node: Any) -> tuple[str, int]:
        if isinstance(node, n.DotNode):
            return "D", ARG_FIELD
        if isinstance(node, n.VariableNode):
            if len(node.ident) == 1:
                return self.var(node.ident[0]), self.var_kind(node.ident[0])
            return self.command(n.CommandNode(node.pos, (node,)), None)
        if isinstance(node, n.PipeNode):
            return self.pipe(node)[0], ARG_PIPE
        if isinstance(node, (n.NumberNode, n.StringNode, n.BoolNode, n.NilNode)):
            return self.ideal(node), 0
        if isinstance(node, (n.FieldNode, n.ChainNode)):
            return self.command(n.CommandNode(node.pos, (node,)), None)
        if isinstance(node, n.IdentifierNode):
            return self.func_call(node, n.CommandNode(node.pos, (node,)), (), None), ARG_PIPE
        raise TypeError(f"unknown operand {type(node).__name__}")

    def var_kind(self, name: str) -> int:
        if name == "$" or self.lookup(name) in self.range_slots:
            return ARG_FIELD
        return ARG_PIPE

    def var(self, name: str) -> str:
        if name == "$":
            return "R"
        return f"V[{self.lookup(name)}]"


def generate(tree: n.Tree, params: Mapping[str, tuple[tuple[str, ...], bool]]) -> Generated:
    """Translate one tree; `params` maps function names to (Go parameter types, variadic)."""
    g = _Gen(params)
    source = g.list(tree.root)
    return Generated(source, g.nodes, g.texts, g.nslots)
