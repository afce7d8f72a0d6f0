"""The text/template AST: the parser builds it, the code generator walks it.

One frozen dataclass per construct of Go's text/template/parse package.  Every
node carries `pos`, the character offset of the node in its template source;
`Tree.position(pos)` turns it into Go's `name:line:col` (col is Go's 0-based
byte column).  `str(node)` reproduces Go's `Node.String()`, which helm shows
in execution errors as `at <...>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SourcePos
from .literals import go_quote


@dataclass(frozen=True)
class Node:
    pos: int


@dataclass(frozen=True)
class TextNode(Node):
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CommentNode(Node):
    text: str

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


@dataclass(frozen=True)
class DotNode(Node):
    def __str__(self) -> str:
        return "."


@dataclass(frozen=True)
class NilNode(Node):
    def __str__(self) -> str:
        return "nil"


@dataclass(frozen=True)
class BoolNode(Node):
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class NumberNode(Node):
    """A numeric constant, with Go's ideal-constant flags.

    `text` is the source spelling; the flags and values follow parse.NumberNode:
    a character constant such as 'a' is int 97 (and also a float 97.0).
    """

    text: str
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    int_value: int = 0
    uint_value: int = 0
    float_value: float = 0.0
    is_complex: bool = False  # 1+2i, 2i: Go's complex constants
    complex_value: complex = 0j

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class StringNode(Node):
    quoted: str  # the original source text with quotes
    text: str  # the unquoted value

    def __str__(self) -> str:
        return self.quoted


@dataclass(frozen=True)
class IdentifierNode(Node):
    """A function name."""

    ident: str

    def __str__(self) -> str:
        return self.ident


@dataclass(frozen=True)
class VariableNode(Node):
    """`$x.Field1.Field2`: ident[0] is the variable name (with `$`), the rest field names."""

    ident: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass(frozen=True)
class FieldNode(Node):
    """`.Field1.Field2` on dot."""

    ident: tuple[str, ...]

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


@dataclass(frozen=True)
class ChainNode(Node):
    """`(pipeline).Field1.Field2` or `$x.F` forms where the operand is not a plain field."""

    node: Operand
    fields: tuple[str, ...]

    def __str__(self) -> str:
        inner = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return inner + "".join("." + f for f in self.fields)


@dataclass(frozen=True)
class CommandNode(Node):
    """One command of a pipeline: an operand followed by arguments."""

    args: tuple[Operand, ...]

    def __str__(self) -> str:
        parts = []
        for a in self.args:
            parts.append(f"({a})" if isinstance(a, PipeNode) else str(a))
        return " ".join(parts)


@dataclass(frozen=True)
class PipeNode(Node):
    """`$x, $y := cmd1 | cmd2`; `is_assign` is true for `=`."""

    line: int
    is_assign: bool
    decl: tuple[VariableNode, ...]
    cmds: tuple[CommandNode, ...]

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


@dataclass(frozen=True)
class ListNode(Node):
    nodes: tuple[Node, ...] = ()

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


@dataclass(frozen=True)
class ActionNode(Node):
    """`{{pipeline}}`: evaluate and print (unless it only declares variables)."""

    line: int
    pipe: PipeNode

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


@dataclass(frozen=True)
class BranchNode(Node):
    line: int
    pipe: PipeNode
    list: ListNode
    else_list: ListNode | None = None

    keyword = ""

    def __str__(self) -> str:
        s = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            s += "{{else}}" + str(self.else_list)
        return s + "{{end}}"


@dataclass(frozen=True)
class IfNode(BranchNode):
    keyword = "if"


@dataclass(frozen=True)
class RangeNode(BranchNode):
    keyword = "range"


@dataclass(frozen=True)
class WithNode(BranchNode):
    keyword = "with"


@dataclass(frozen=True)
class BreakNode(Node):
    line: int

    def __str__(self) -> str:
        return "{{break}}"


@dataclass(frozen=True)
class ContinueNode(Node):
    line: int

    def __str__(self) -> str:
        return "{{continue}}"


@dataclass(frozen=True)
class TemplateNode(Node):
    """`{{template "name" pipeline}}` (also what `{{block}}` leaves in place)."""

    line: int
    name: str
    pipe: PipeNode | None

    def __str__(self) -> str:
        # Go writes the name with strconv.Quote.
        if self.pipe is None:
            return "{{template " + go_quote(self.name) + "}}"
        return "{{template " + go_quote(self.name) + " " + str(self.pipe) + "}}"


@dataclass(frozen=True)
class Tree:
    """A parsed template.

    `name` is the template's name; `parse_name` the file it was parsed from
    (they differ for `define`d templates).  `source` is the text the offsets
    refer to.  Parsing one file yields its own Tree plus one Tree per
    `define`/`block` it contains.
    """

    name: str
    parse_name: str
    source: str
    root: ListNode
    _line_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def position(self, pos: int) -> SourcePos:
        return source_position(self.source, self.parse_name, pos)


def source_position(source: str, name: str, pos: int) -> SourcePos:
    """Go's ErrorContext location: line is 1-based, col the 0-based byte column."""
    before = source[:pos]
    line = before.count("\n") + 1
    nl = before.rfind("\n")
    tail = before[nl + 1:] if nl >= 0 else before
    return SourcePos(name, line, len(tail.encode("utf-8", "surrogateescape")))
