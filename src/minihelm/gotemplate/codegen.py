"""Template AST (nodes.py) -> a Jinja2 template AST that calls runtime.py, with a node table for errors.

Each Go tree becomes one Jinja2 template, built directly as jinja2.nodes
(exactly the tree Jinja2's parser would build from the equivalent source, such
as `{% if FL(X,0,D,'Values.on') %}...{% endif %}`), so a cold render skips
Jinja2's lexer and parser.  The generated code sees these names:

    D  dot            R  `$` (the data the tree was executed with)
    V  variable slots (a list; Go variables are resolved to slots here, statically)
    X  the runtime.Exec (engine, tree, node table) used for calls and error positions

Go's scoping is resolved at generation time: a `:=` takes a fresh slot and an
`=` writes to the slot of the nearest enclosing declaration, so assignments
reach enclosing scopes as in Go, whatever Jinja2's own block scoping does.
`and`/`or` compile to Python's `and`/`or`, which short-circuit and return the
deciding operand; Python's truth agrees with Go's for every value in gotypes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from jinja2 import nodes as J

from . import nodes as n
from .runtime import ARG_FIELD, ARG_PIPE

_ANY_TYPES = ("interface {}", "any", "reflect.Value")


# Plain classes, not dataclasses: creating dataclasses costs every cold start (nodes.Node).

class CallSite:
    """A function call in the node table: Go reports each kind of failure at its own node."""

    __slots__ = ("args", "cmd", "ident", "kinds")

    def __init__(self, cmd: n.Node, ident: n.Node, args: tuple[n.Node, ...],
                 kinds: tuple[int, ...]) -> None:
        self.cmd = cmd  # "error calling X" is reported here
        self.ident = ident  # argument-count errors, and a bad piped-in final value
        self.args = args  # a bad argument is reported at the argument
        self.kinds = kinds


class Generated:
    """One tree's Jinja2 template node, its node table and its number of variable slots.

    A lazy generate (first runs, jinjaeval.py) leaves statement lists as Deferred:
    its node table and slot count grow as they are expanded (`slots()` is current).
    """

    __slots__ = ("_gen", "nodes", "nslots", "template")

    def __init__(self, template: J.Template, nodes: list[Any], nslots: int,
                 gen: _Gen | None = None) -> None:
        self.template, self.nodes, self.nslots = template, nodes, nslots
        self._gen = gen

    def slots(self) -> int:
        return self._gen.nslots if self._gen is not None else self.nslots


class Deferred:
    """A statement list a lazy generate translates only when it first runs: three quarters
    of a chart's template text sits in branches its values switch off (bitnami airflow).

    It stands alone in the list it will fill (`owner`), with the variable scopes as they
    were where the eager translation would have written it; expand() writes the same
    nodes in its place (only node ids and slot numbers are given out in another order,
    and the compiled code comes from an eager generate: tplcache.compile_pending).
    """

    __slots__ = ("gen", "node", "owner", "prefix", "scopes")

    def __init__(self, gen: _Gen, node: n.ListNode, prefix: Items, owner: list[Any]) -> None:
        self.gen, self.node, self.prefix, self.owner = gen, node, prefix, owner
        self.scopes = [dict(scope) for scope in gen.scopes]

    def expand(self) -> int:
        """Fill the owner list (once); the tree's slot count after it."""
        gen = self.gen
        if self.owner and self.owner[0] is self:
            saved, gen.scopes = gen.scopes, self.scopes
            try:
                items = gen.list(self.node)
            finally:
                gen.scopes = saved
            self.owner[:] = _body(self.prefix + items)
        return gen.nslots


def _declares(node: n.ListNode | None) -> bool:
    """Does a statement of this list itself declare a variable (`:=`, in its pipeline or
    a parenthesized one of its arguments)?  Then an else branch, translated after it in
    the same scope, sees the name (Go's parser does), so both are translated together."""
    if node is None:
        return False
    pipes = [c.pipe for c in node.nodes
             if isinstance(c, (n.ActionNode, n.TemplateNode)) and c.pipe is not None]
    while pipes:
        pipe = pipes.pop()
        if pipe.decl and not pipe.is_assign:
            return True
        for cmd in pipe.cmds:
            for arg in cmd.args:
                inner = arg.node if isinstance(arg, n.ChainNode) else arg
                if isinstance(inner, n.PipeNode):
                    pipes.append(inner)
    return False


def _generates_nothing(node: n.ListNode | None) -> bool:
    """Would self.list(node) be empty (no node, or only comments and empty text)?"""
    return node is None or all(
        isinstance(c, n.CommentNode) or (isinstance(c, n.TextNode) and not c.text)
        for c in node.nodes)


# --- Jinja2 node builders (lineno 1: Jinja2's code generator wants a line) -------------

Items = list[J.Node]  # statements, and expressions/TemplateData to output, in order


# The names generated code reads from the render context: the runtime helpers the
# engine binds (engine._runtime_names), and the per-execution D, R, V, X.
CONTEXT_NAMES = frozenset({
    "D", "R", "V", "X", "P", "S", "SV", "SVV", "F", "FL", "C", "RG", "RE", "TM", "NF", "NC",
    "ERR", "WN", "I64",
})


def _template(body: list[J.Node], loads: set[str]) -> J.Template:
    """The root node: `{% with C=C, D=D, ... %}body{% endwith %}`, with two speed-ups.

    Jinja2 cannot know that a context name is always defined, so every read of
    one compiles to `(undefined(name='X') if l_0_X is missing else l_0_X)`.
    Binding the names once as with-parameters makes every read inside a plain
    local: half the Python to compile, and faster to run.

    And Jinja2's code generator walks the whole tree for extends, blocks and
    imports before writing anything (CodeGenerator.visit_Template); the answer
    is always "none", and the three walks cost a tenth of a cold compile.
    Jinja2 forbids node subclasses, so the root's own find_all says so.  It
    walks it once more to learn whether the template reads `self`, which
    codegen never writes: the with-node, which holds the whole body, tells
    generic walks it has no children (a fifth of Jinja2's time).  The code
    generator and the symbol tracker read a with-node's fields by name, so
    they still see everything; tests/gotemplate/test_codegen.py checks that
    the Python written is stock Jinja2's.
    """
    names = sorted(loads & CONTEXT_NAMES)
    if names:
        scope = J.With([_name(n, "param") for n in names], [_name(n) for n in names], body,
                       lineno=1)
        scope.iter_child_nodes = _no_children  # type: ignore[method-assign]
        body = [scope]
    root = J.Template(body, lineno=1)
    search = root.find_all

    def find_all(node_type: Any) -> Any:
        return iter(()) if node_type in _NEVER_WRITTEN else search(node_type)

    root.find_all = find_all  # type: ignore[method-assign]
    return root


_NEVER_WRITTEN = (J.Extends, J.Block, J.ImportedName)


def _no_children(exclude: Any = None, only: Any = None) -> Any:
    return iter(())


# Names, constants and calls are two thirds of the nodes codegen builds.  Node.__init__
# checks its arguments generically (0.6 us a node); these set the same attributes in
# the same order (fields, then lineno and environment), so the node is equal and its
# __dict__ keeps the key-sharing layout (tests/gotemplate/test_codegen.py).
_new = object.__new__


def _name(name: str, ctx: str = "load") -> J.Name:
    node: J.Name = _new(J.Name)
    node.name, node.ctx, node.lineno, node.environment = name, ctx, 1, None
    return node


def _plain_const(value: Any) -> J.Const:
    node: J.Const = _new(J.Const)
    node.value, node.lineno, node.environment = value, 1, None
    return node


def _call(fn: J.Expr, args: list[Any]) -> J.Call:
    node: J.Call = _new(J.Call)
    node.node, node.args, node.kwargs, node.dyn_args, node.dyn_kwargs = fn, args, [], None, None
    node.lineno, node.environment = 1, None
    return node


def _const(value: Any) -> J.Expr:
    """A constant as Jinja2 parses its repr: a negative number is a negation."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.copysign(1, value) < 0:
        return J.Neg(_plain_const(-value), lineno=1)
    return _plain_const(value)


def _body(items: Items) -> list[J.Node]:
    """Jinja2's subparse: runs of text and output expressions become one Output node."""
    out: list[J.Node] = []
    run: list[J.Node] = []
    for it in items:
        if isinstance(it, J.Stmt):
            if run:
                out.append(J.Output(run, lineno=1))
                run = []
            out.append(it)
        elif isinstance(it, J.TemplateData) and run and isinstance(run[-1], J.TemplateData):
            run[-1] = J.TemplateData(run[-1].data + it.data, lineno=1)  # one data token
        else:
            run.append(it)
    if run:
        out.append(J.Output(run, lineno=1))
    return out


class _Gen:
    def __init__(self, params: Mapping[str, tuple[tuple[str, ...], bool]],
                 lazy: bool = False) -> None:
        self.params = params
        self.lazy = lazy
        self.nodes: list[Any] = []
        self.scopes: list[dict[str, int]] = [{}]
        self.nslots = 0
        self.ntemps = 0
        # Slots set by range hold Go's typed elements; others hold pipeline results,
        # where a nil is an invalid reflect.Value (quiet field access, "invalid value").
        self.range_slots: set[int] = set()
        # Names the tree reads from the render context (runtime helpers, D, R, V, X).
        self.loads: set[str] = set()

    # --- bookkeeping -------------------------------------------------------------

    def name(self, name: str, ctx: str = "load") -> J.Name:
        if ctx == "load":
            self.loads.add(name)
        return _name(name, ctx)

    def call(self, fn: str, *args: Any) -> J.Call:
        """fn(args...); plain Python values become constants."""
        return _call(self.name(fn), [a if isinstance(a, J.Node) else _const(a) for a in args])

    def item(self, base: str, index: int) -> J.Getitem:
        return J.Getitem(self.name(base), _plain_const(index), "load", lineno=1)


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

    def list(self, node: n.ListNode | None) -> Items:
        if node is None:
            return []
        return [item for c in node.nodes for item in self.stmt(c)]

    def body_of(self, node: n.ListNode | None, prefix: Items | None = None,
                eager: bool = False) -> Items:
        """_body(prefix + self.list(node)), or a list holding its Deferred (a lazy generate)."""
        if self.lazy and not eager and not _generates_nothing(node):
            owner: Items = []
            owner.append(Deferred(self, node, prefix or [], owner))  # type: ignore[arg-type]
            return owner
        return _body((prefix or []) + self.list(node))

    def stmt(self, node: n.Node) -> Items:
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
            dot = self.pipe(node.pipe)[0] if node.pipe is not None else None
            return [self.call("TM", self.name("X"), self.nid(node), node.name, dot)]
        if isinstance(node, n.BreakNode):
            return [J.Break(lineno=1)]
        if isinstance(node, n.ContinueNode):
            return [J.Continue(lineno=1)]
        if isinstance(node, n.CommentNode):
            return []
        raise TypeError(f"unknown node {type(node).__name__}")

    def text(self, text: str) -> Items:
        # Any text is safe as a node: no Jinja2 lexer reads it ("{{", "{%", CR).
        return [J.TemplateData(text, lineno=1)] if text else []

    def action(self, node: n.ActionNode) -> Items:
        pipe = node.pipe
        value, _ = self.pipe_value(pipe)
        if pipe.decl:
            return [self.call("SV", self.name("V"), self.bind(pipe), value)]
        return [self.call("P", value)]

    def bind(self, pipe: n.PipeNode) -> int:
        """The slot a one-variable pipeline writes: a new one for :=, the old one for =."""
        name = pipe.decl[0].ident[0]
        return self.lookup(name) if pipe.is_assign else self.declare(name)

    def if_(self, node: n.IfNode) -> Items:
        """{% if test %}body{% else %}other{% endif %}"""
        self.scopes.append({})
        test = self.test(node.pipe)
        together = node.else_list is not None and _declares(node.list)
        body = self.body_of(node.list, eager=together)
        other = self.body_of(node.else_list, eager=together)
        self.scopes.pop()
        return [J.If(test, body, [], other, lineno=1)]

    def test(self, pipe: n.PipeNode) -> J.Expr:
        value, _ = self.pipe_value(pipe)
        if pipe.decl:
            return self.call("SVV", self.name("V"), self.bind(pipe), value)
        return value

    def with_(self, node: n.WithNode) -> Items:
        """{% with W = value %}{% if W %}{% with D = W %}body{% endwith %}{% else %}other{% endif %}{% endwith %}"""
        self.scopes.append({})
        temp = f"W{self.ntemps}"
        self.ntemps += 1
        value = self.test(node.pipe)
        together = node.else_list is not None and _declares(node.list)
        body = self.body_of(node.list, eager=together)
        other = self.body_of(node.else_list, eager=together)
        self.scopes.pop()
        inner = J.With([self.name("D", "param")], [self.name(temp)], body, lineno=1)
        test = J.If(self.name(temp), [inner], [], other, lineno=1)
        return [J.With([self.name(temp, "param")], [value], [test], lineno=1)]

    def range_(self, node: n.RangeNode) -> Items:
        """{% for K,D in RG(X,nid,value) %}sets body{% endfor %}, or with an else branch as below."""
        self.scopes.append({})
        pipe = node.pipe
        value, _ = self.pipe_value(pipe)
        nid = self.nid(pipe)
        sets: Items = []
        if len(pipe.decl) == 1:
            v = self.declare(pipe.decl[0].ident[0])
            self.range_slots.add(v)
            sets = [self.call("S", self.name("V"), v, self.name("D"))]
        elif len(pipe.decl) == 2:
            k = self.declare(pipe.decl[0].ident[0])
            v = self.declare(pipe.decl[1].ident[0])
            self.range_slots.update((k, v))
            sets = [self.call("S", self.name("V"), k, self.name("K")), self.call("S", self.name("V"), v, self.name("D"))]
        body = self.body_of(node.list, sets)
        self.scopes.pop()
        has_other = not _generates_nothing(node.else_list)
        other = self.body_of(node.else_list)
        target = J.Tuple([self.name("K", "store"), self.name("D", "store")], "store", lineno=1)
        if not has_other:
            loop = J.For(target, self.call("RG", self.name("X"), nid, value), body,
                         [], None, False, lineno=1)
            # visit_For walks the body for `loop` and blocks, which codegen never writes
            # (nested ranges were walked once per level); see _template.
            loop.iter_child_nodes = _no_children  # type: ignore[method-assign]
            return [loop]
        # Not Jinja2's for-else: it runs the else branch unless a pass reached the end of
        # its body, so a first pass left by break or continue ran both.  Go decides by the
        # value's length before the first pass (text/template walkRange):
        # {% with W = RE(X,nid,value) %}{% for K,D in W[0] %}...{% endfor %}
        # {% if W[1] %}other{% endif %}{% endwith %}
        temp = f"W{self.ntemps}"
        self.ntemps += 1
        loop = J.For(target, self.item(temp, 0), body, [], None, False, lineno=1)
        loop.iter_child_nodes = _no_children  # type: ignore[method-assign]
        test = J.If(self.item(temp, 1), other, [], [], lineno=1)
        value = self.call("RE", self.name("X"), nid, value)
        return [J.With([self.name(temp, "param")], [value], [loop, test], lineno=1)]

    # --- expressions ----------------------------------------------------------------

    def pipe(self, pipe: n.PipeNode) -> tuple[J.Expr, int]:
        if pipe.decl:  # `(... $x := y ...)` in an argument: declare and pass on the value
            value, _ = self.pipe_value(pipe)
            return self.call("SVV", self.name("V"), self.bind(pipe), value), ARG_PIPE
        return self.pipe_value(pipe)

    def pipe_value(self, pipe: n.PipeNode) -> tuple[J.Expr, int]:
        value: J.Expr | None = None
        kind = ARG_PIPE
        for cmd in pipe.cmds:
            value, kind = self.command(cmd, value)
        # Go turns an interface-typed nil coming out of a pipeline into an invalid value.
        if value is None:
            return _const(None), ARG_PIPE
        return value, kind if len(pipe.cmds) == 1 else ARG_PIPE

    def command(self, cmd: n.CommandNode, final: J.Expr | None) -> tuple[J.Expr, int]:
        first = cmd.args[0]
        rest = cmd.args[1:]
        if isinstance(first, n.FieldNode):
            return self.field_call(self.name("D"), first.ident, first, rest, final, True), ARG_FIELD
        if isinstance(first, n.ChainNode):
            base, _ = self.operand(first.node)
            valid = not isinstance(first.node, n.PipeNode)
            return self.field_call(base, first.fields, first, rest, final, valid), ARG_FIELD
        if isinstance(first, n.VariableNode) and len(first.ident) > 1:
            base = self.var(first.ident[0])
            valid = self.var_kind(first.ident[0]) == ARG_FIELD
            return self.field_call(base, first.ident[1:], first, rest, final, valid), ARG_FIELD
        if isinstance(first, n.IdentifierNode):
            return self.func_call(first, cmd, rest, final), ARG_PIPE
        if rest or final is not None:
            return self.call("NF", self.name("X"), self.nid(first)), ARG_PIPE
        if isinstance(first, n.NilNode):
            return self.call("NC", self.name("X"), self.nid(first)), ARG_PIPE
        return self.operand(first)

    def field_call(self, base: J.Expr, names: tuple[str, ...], node: n.Node,
                   rest: tuple[Any, ...], final: J.Expr | None, valid: bool) -> J.Expr:
        # A field path travels as one dotted string (Go names never hold a dot).
        nid, path = self.nid(node), ".".join(names)
        args = J.Tuple([self.arg(a, "interface {}")[0] for a in rest], "load", lineno=1)
        if final is None:
            if not rest and valid:
                return self.call("FL", self.name("X"), nid, base, path)
            return self.call("F", self.name("X"), nid, base, path, args, None, False, valid)
        return self.call("F", self.name("X"), nid, base, path, args, final, True, valid)

    def func_call(self, ident: n.IdentifierNode, cmd: n.CommandNode, rest: tuple[Any, ...],
                  final: J.Expr | None) -> J.Expr:
        name = ident.ident
        if name in ("and", "or"):
            return self.and_or(ident, rest, final)
        params, variadic = self.params.get(name, ((), True))
        vals: list[J.Expr] = []
        kinds: list[int] = []
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
        return self.call("C", self.name("X"), self.nid(site), name, mask, *vals)

    def and_or(self, ident: n.IdentifierNode, rest: tuple[Any, ...],
               final: J.Expr | None) -> J.Expr:
        """Python's and/or: they short-circuit and return the deciding operand, as Go's do."""
        vals = [self.arg(a, "interface {}")[0] for a in rest]
        if final is not None:
            vals.append(final)
        if not vals:
            return self.call("WN", self.name("X"), self.nid(ident), ident.ident, 0)
        op = J.And if ident.ident == "and" else J.Or
        out = vals[0]
        for v in vals[1:]:
            out = op(out, v, lineno=1)
        return out

    def arg(self, node: Any, typ: str) -> tuple[J.Expr, int]:
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

    def constant(self, node: Any, typ: str) -> J.Expr:
        bad = None
        if isinstance(node, n.NilNode):
            if typ and not typ.startswith(("[]", "map[", "*", "interface", "any", "reflect", "func")):
                bad = f"cannot assign nil to {typ}"
            else:
                return _const(None)
        elif typ == "string":
            if isinstance(node, n.StringNode):
                return _const(node.text)
            bad = f"expected string; found {node}"
        elif typ == "bool":
            if isinstance(node, n.BoolNode):
                return _const(node.value)
            bad = f"expected bool; found {node}"
        elif typ in ("int", "int64", "int32"):
            if isinstance(node, n.NumberNode) and node.is_int:
                return _const(node.int_value) if typ == "int" else self.call("I64", node.int_value)
            bad = f"expected integer; found {node}"
        elif typ in ("uint", "uint64", "uint32", "uint8"):
            if isinstance(node, n.NumberNode) and node.is_uint:
                return _const(node.uint_value)
            bad = f"expected unsigned integer; found {node}"
        elif typ in ("float64", "float32"):
            if isinstance(node, n.NumberNode) and node.is_float:
                return _const(float(node.float_value))
            bad = f"expected float; found {node}"
        elif typ in _ANY_TYPES or not typ:
            return self.ideal(node)
        else:
            bad = f"can't handle {node} for arg of type {typ}"
        return self.call("ERR", self.name("X"), self.nid(node), bad)

    def ideal(self, node: Any) -> J.Expr:
        """text/template's idealConstant (and plain constants for interface {} parameters)."""
        if isinstance(node, n.StringNode):
            return _const(node.text)
        if isinstance(node, n.BoolNode):
            return _const(node.value)
        if isinstance(node, n.NilNode):
            return _const(None)
        t = node.text
        is_hex_int = t[:2].lower() == "0x" and not any(c in t for c in ".pP")
        if node.is_float and not is_hex_int and not t.startswith("'") and any(c in t for c in ".eEpP"):
            return _const(float(node.float_value))
        if node.is_int:
            if not -(2**63) <= node.int_value < 2**63:
                return self.call("ERR", self.name("X"), self.nid(node), t + " overflows int")
            return _const(node.int_value)
        if node.is_uint:
            return self.call("ERR", self.name("X"), self.nid(node), t + " overflows int")
        return _const(float(node.float_value))

    def operand(self, node: Any) -> tuple[J.Expr, int]:
        if isinstance(node, n.DotNode):
            return self.name("D"), ARG_FIELD
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

    def var(self, name: str) -> J.Expr:
        if name == "$":
            return self.name("R")
        return self.item("V", self.lookup(name))


def generate(tree: n.Tree, params: Mapping[str, tuple[tuple[str, ...], bool]],
             lazy: bool = False) -> Generated:
    """Translate one tree; `params` maps function names to (Go parameter types, variadic).

    lazy: leave the lists of if/with/range as Deferred, for jinjaeval only (a lazy
    template is never compiled, and its root binds only the names read so far).
    """
    g = _Gen(params, lazy)
    template = _template(_body(g.list(tree.root)), g.loads)
    return Generated(template, g.nodes, g.nslots, g if lazy else None)
