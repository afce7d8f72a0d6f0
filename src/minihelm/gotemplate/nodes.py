"""The text/template AST: the parser builds it, the code generator walks it.

One class per construct of Go's text/template/parse package, immutable by
convention (nothing assigns to a node after the parser built it).  Every
node carries `pos`, the character offset of the node in its template source;
`Tree.position(pos)` turns it into Go's `name:line:col` (col is Go's 0-based
byte column).  `str(node)` reproduces Go's `Node.String()`, which helm shows
in execution errors as `at <...>`.
"""

from __future__ import annotations

from typing import ClassVar

from ..errors import SourcePos
from ..records import Frozen
from .literals import go_quote


class Node(Frozen):
    """The base of every node (plain classes, not dataclasses: see records.py)."""

    __slots__ = ("pos",)
    _fields: ClassVar[tuple[str, ...]] = ("pos",)

    def __init__(self, pos: int) -> None:
        self.pos = pos


class TextNode(Node):
    __slots__ = ("text",)
    _fields = ("pos", "text")

    def __init__(self, pos: int, text: str) -> None:
        self.pos, self.text = pos, text

    def __str__(self) -> str:
        return self.text


class CommentNode(Node):
    __slots__ = ("text",)
    _fields = ("pos", "text")

    def __init__(self, pos: int, text: str) -> None:
        self.pos, self.text = pos, text

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


class DotNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "nil"


class BoolNode(Node):
    __slots__ = ("value",)
    _fields = ("pos", "value")

    def __init__(self, pos: int, value: bool) -> None:
        self.pos, self.value = pos, value

    def __str__(self) -> str:
        return "true" if self.value else "false"


class NumberNode(Node):
    """A numeric constant, with Go's ideal-constant flags.

    `text` is the source spelling; the flags and values follow parse.NumberNode:
    a character constant such as 'a' is int 97 (and also a float 97.0).
    `is_complex`/`complex_value`: Go's complex constants (1+2i, 2i).
    """

    __slots__ = ("complex_value", "float_value", "int_value", "is_complex", "is_float", "is_int",
                 "is_uint", "text", "uint_value")
    _fields = ("pos", "text", "is_int", "is_uint", "is_float", "int_value", "uint_value",
               "float_value", "is_complex", "complex_value")

    def __init__(self, pos: int, text: str, is_int: bool = False, is_uint: bool = False,
                 is_float: bool = False, int_value: int = 0, uint_value: int = 0,
                 float_value: float = 0.0, is_complex: bool = False,
                 complex_value: complex = 0j) -> None:
        self.pos, self.text = pos, text
        self.is_int, self.is_uint, self.is_float = is_int, is_uint, is_float
        self.int_value, self.uint_value, self.float_value = int_value, uint_value, float_value
        self.is_complex, self.complex_value = is_complex, complex_value

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")  # the source text with its quotes; the unquoted value
    _fields = ("pos", "quoted", "text")

    def __init__(self, pos: int, quoted: str, text: str) -> None:
        self.pos, self.quoted, self.text = pos, quoted, text

    def __str__(self) -> str:
        return self.quoted


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("ident",)
    _fields = ("pos", "ident")

    def __init__(self, pos: int, ident: str) -> None:
        self.pos, self.ident = pos, ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    """`$x.Field1.Field2`: ident[0] is the variable name (with `$`), the rest field names."""

    __slots__ = ("ident",)
    _fields = ("pos", "ident")

    def __init__(self, pos: int, ident: tuple[str, ...]) -> None:
        self.pos, self.ident = pos, ident

    def __str__(self) -> str:
        return ".".join(self.ident)


class FieldNode(Node):
    """`.Field1.Field2` on dot."""

    __slots__ = ("ident",)
    _fields = ("pos", "ident")

    def __init__(self, pos: int, ident: tuple[str, ...]) -> None:
        self.pos, self.ident = pos, ident

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    """`(pipeline).Field1.Field2` or `$x.F` forms where the operand is not a plain field."""

    __slots__ = ("fields", "node")
    _fields = ("pos", "node", "fields")

    def __init__(self, pos: int, node: Operand, fields: tuple[str, ...]) -> None:
        self.pos, self.node, self.fields = pos, node, fields

    def __str__(self) -> str:
        inner = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return inner + "".join("." + f for f in self.fields)


class CommandNode(Node):
    """One command of a pipeline: an operand followed by arguments."""

    __slots__ = ("args",)
    _fields = ("pos", "args")

    def __init__(self, pos: int, args: tuple[Operand, ...]) -> None:
        self.pos, self.args = pos, args

    def __str__(self) -> str:
        parts = []
        for a in self.args:
            parts.append(f"({a})" if isinstance(a, PipeNode) else str(a))
        return " ".join(parts)


class PipeNode(Node):
    """`$x, $y := cmd1 | cmd2`; `is_assign` is true for `=`."""

    __slots__ = ("cmds", "decl", "is_assign", "line")
    _fields = ("pos", "line", "is_assign", "decl", "cmds")

    def __init__(self, pos: int, line: int, is_assign: bool, decl: tuple[VariableNode, ...],
                 cmds: tuple[CommandNode, ...]) -> None:
        self.pos, self.line, self.is_assign, self.decl, self.cmds = pos, line, is_assign, decl, cmds

    def __str__(self) -> str:
        s = ""
        if self.decl:
            s = ", ".join(str(v) for v in self.decl)
            s += " = " if self.is_assign else " := "
        return s + " | ".join(str(c) for c in self.cmds)


Operand = (
    BoolNode | ChainNode | DotNode | FieldNode | IdentifierNode | NilNode | NumberNode
    | PipeNode | StringNode | VariableNode
)


class ListNode(Node):
    __slots__ = ("nodes",)
    _fields = ("pos", "nodes")

    def __init__(self, pos: int, nodes: tuple[Node, ...] = ()) -> None:
        self.pos, self.nodes = pos, nodes

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


class ActionNode(Node):
    """`{{pipeline}}`: evaluate and print (unless it only declares variables)."""

    __slots__ = ("line", "pipe")
    _fields = ("pos", "line", "pipe")

    def __init__(self, pos: int, line: int, pipe: PipeNode) -> None:
        self.pos, self.line, self.pipe = pos, line, pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class BranchNode(Node):
    __slots__ = ("else_list", "line", "list", "pipe")
    _fields = ("pos", "line", "pipe", "list", "else_list")

    keyword = ""

    def __init__(self, pos: int, line: int, pipe: PipeNode, list: ListNode,
                 else_list: ListNode | None = None) -> None:
        self.pos, self.line, self.pipe, self.list, self.else_list = pos, line, pipe, list, else_list

    def __str__(self) -> str:
        s = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            s += "{{else}}" + str(self.else_list)
        return s + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)
    _fields = ("pos", "line")

    def __init__(self, pos: int, line: int) -> None:
        self.pos, self.line = pos, line

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    __slots__ = ("line",)
    _fields = ("pos", "line")

    def __init__(self, pos: int, line: int) -> None:
        self.pos, self.line = pos, line

    def __str__(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    """`{{template "name" pipeline}}` (also what `{{block}}` leaves in place)."""

    __slots__ = ("line", "name", "pipe")
    _fields = ("pos", "line", "name", "pipe")

    def __init__(self, pos: int, line: int, name: str, pipe: PipeNode | None) -> None:
        self.pos, self.line, self.name, self.pipe = pos, line, name, pipe

    def __str__(self) -> str:
        # Go writes the name with strconv.Quote.
        if self.pipe is None:
            return "{{template " + go_quote(self.name) + "}}"
        return "{{template " + go_quote(self.name) + " " + str(self.pipe) + "}}"


class Tree(Frozen):
    """A parsed template.

    `name` is the template's name; `parse_name` the file it was parsed from
    (they differ for `define`d templates).  `source` is the text the offsets
    refer to.  Parsing one file yields its own Tree plus one Tree per
    `define`/`block` it contains.
    """

    __slots__ = ("name", "parse_name", "root", "source")
    _fields = ("name", "parse_name", "source", "root")

    def __init__(self, name: str, parse_name: str, source: str, root: ListNode) -> None:
        self.name, self.parse_name, self.source, self.root = name, parse_name, source, root

    def position(self, pos: int) -> SourcePos:
        return source_position(self.source, self.parse_name, pos)


def source_position(source: str, name: str, pos: int) -> SourcePos:
    """Go's ErrorContext location: line is 1-based, col the 0-based byte column."""
    before = source[:pos]
    line = before.count("\n") + 1
    nl = before.rfind("\n")
    tail = before[nl + 1:] if nl >= 0 else before
    return SourcePos(name, line, len(tail.encode("utf-8", "surrogateescape")))
