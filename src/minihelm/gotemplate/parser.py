"""Tokens -> template trees (Go's text/template/parse parser) for the code generator.

`parse(source, name, funcs)` returns what Go's parse.Parse returns for one
template file: the file's own Tree plus one Tree per {{define}}/{{block}}.
Errors are Go's, word for word: `template: NAME:LINE: MSG`, where LINE is the
line of the newest token read from the lexer when Go's parser gave up.

Go's parser is recursive descent.  Here the nesting of control structures
(if/range/with/define/block) and of parenthesized pipelines is kept on
explicit stacks instead of the Python call stack, so deep templates (Go
allows 10000 nested parentheses) cannot exhaust Python's recursion limit.
The token look-ahead (next/peek/backup of up to three tokens) is Go's, so
errors are reported at the same line Go reports.
"""

from __future__ import annotations

from collections.abc import Container
from itertools import chain, repeat

from ..errors import SourcePos, TemplateSyntaxError
from .lexer import Lexer, T, Token
from .literals import LiteralError, go_quote, number_fields, unquote
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    Operand,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
    WithNode,
)

# Go's parse.maxStackDepth: nesting limit of parenthesized pipelines.
MAX_STACK_DEPTH = 10000

_OPERAND_START = frozenset({
    T.BOOL, T.CHAR_CONSTANT, T.COMPLEX, T.DOT, T.FIELD, T.IDENTIFIER, T.NUMBER, T.NIL,
    T.RAW_STRING, T.STRING, T.VARIABLE, T.LEFT_PAREN,
})
# Operands that cannot start a pipeline stage after the first (checkPipeline).
_NON_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
_BRANCHES: dict[str, type[BranchNode]] = {"if": IfNode, "range": RangeNode, "with": WithNode}


class _Else:
    """Go's elseNode: ends a list; never part of a tree."""

    __slots__ = ("line", "pos")

    def __init__(self, pos: int, line: int) -> None:
        self.pos, self.line = pos, line

    def __str__(self) -> str:
        return "{{else}}"


class _End:
    """Go's endNode: ends a list; never part of a tree."""

    __slots__ = ("pos",)

    def __init__(self, pos: int) -> None:
        self.pos = pos

    def __str__(self) -> str:
        return "{{end}}"


# The builders below are plain classes, like the nodes (see nodes.Node): a cold
# render makes one per action, and creating dataclasses costs every start.

class _TreeState:
    """The per-Tree parsing state of Go's parser (a define or block gets a fresh one)."""

    __slots__ = ("action_line", "name", "range_depth", "vars")

    def __init__(self, name: str) -> None:
        self.name = name
        self.vars = ["$"]
        self.range_depth = 0
        self.action_line = 0  # line of the {{ of the action being parsed; 0 between actions


class _Frame:
    """An open list: the file's root, a define/block body, or an if/range/with branch."""

    __slots__ = ("chained", "else_list", "header_line", "in_else", "kind", "list", "list_pos",
                 "name_token", "nodes", "pipe", "tree", "vars_mark")

    def __init__(self, kind: str, tree: _TreeState, list_pos: int, pipe: PipeNode | None = None,
                 vars_mark: int = 0) -> None:
        self.kind = kind  # "root", "define", "block", "if", "range" or "with"
        self.tree = tree
        self.list_pos = list_pos
        self.nodes: list[Node] = []
        # if/range/with
        self.pipe = pipe
        self.vars_mark = vars_mark
        self.in_else = False
        self.list: ListNode | None = None
        self.else_list: ListNode | None = None
        self.chained = False  # opened by {{else if}} / {{else with}}: closes with its parent
        # block
        self.name_token: Token | None = None
        self.header_line = 0  # line Go's enclosing tree blames for a bad block ending


class _PipeBuild:
    """A pipeline under construction (one per open parenthesis level)."""

    __slots__ = ("args", "cmd_pos", "cmds", "context", "decl", "end", "is_assign", "line", "pos")

    def __init__(self, pos: int, line: int, context: str, end: T) -> None:
        self.pos, self.line, self.context, self.end = pos, line, context, end
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []
        self.cmd_pos = 0
        self.args: list[Operand] = []


_Result = Node | _Else | _End | _Frame

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_empty_tree(node: Node | None) -> bool:
    """Go's parse.IsEmptyTree: nothing but white space and comments."""
    if node is None or isinstance(node, CommentNode):
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return node.text.strip(_GO_SPACE) == ""  # bytes.TrimSpace: Unicode white space
    return False


def parse(source: str, name: str, funcs: Container[str]) -> dict[str, Tree]:
    """Parse one template file: {name: its Tree, define/block name: Tree, ...}.

    Raises TemplateSyntaxError with Go's message `template: NAME:LINE: MSG`.
    """
    return _Parser(source, name, funcs).parse()


_SPACE = T.SPACE
_FIELD = T.FIELD
# _pipeline's states
_PIPE, _TERM, _OPERAND = "pipe", "term", "operand"


class _Parser:
    def __init__(self, source: str, name: str, funcs: Container[str]) -> None:
        self.source = source
        self.name = name
        self.funcs = funcs
        tokens, after = Lexer(
            source, break_ok="break" not in funcs, continue_ok="continue" not in funcs
        ).all_tokens()
        # Go's l.nextItem(): the tokens in order, then EOF for ever
        self.next_token = chain(tokens, repeat(after)).__next__
        self.token: list[Token] = [Token(T.EOF, 0, "", 0)] * 3  # Go's 3-token look-ahead
        self.peek_count = 0
        self.stack_depth = 0
        self.trees: dict[str, Tree] = {}

    # -- token stream (Go's next/backup/peek) --------------------------------

    def next(self) -> Token:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.next_token()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Token) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Token, t1: Token) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Token:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.next_token()
        return self.token[0]

    def next_non_space(self) -> Token:
        # next() inlined: this runs for most tokens of a template
        while True:
            if self.peek_count > 0:
                self.peek_count -= 1
                tok = self.token[self.peek_count]
            else:
                tok = self.token[0] = self.next_token()
            if tok.typ != _SPACE:
                return tok

    def peek_non_space(self) -> Token:
        tok = self.next_non_space()
        self.peek_count += 1  # backup()
        return tok

    # -- errors --------------------------------------------------------------

    def errorf(self, msg: str, line: int | None = None) -> TemplateSyntaxError:
        """Go's Tree.errorf; the line is the newest token's unless given."""
        if line is None:
            line = self.token[0].line
        raise TemplateSyntaxError(
            f"template: {self.name}:{line}: {msg}", SourcePos(self.name, line)
        )

    def unexpected(self, tok: Token, context: str, tree: _TreeState) -> TemplateSyntaxError:
        """Go's Tree.unexpected; a lexical error is shown as itself."""
        if tok.typ == T.ERROR:
            extra = ""
            if tree.action_line != 0 and tree.action_line != tok.line:
                extra = f" in action started at {self.name}:{tree.action_line}"
                if tok.val.endswith(" action"):
                    extra = extra[len(" in action"):]  # avoid "action in action"
            raise self.errorf(f"{tok}{extra}")
        raise self.errorf(f"unexpected {tok} in {context}")

    def expect(self, typ: T, context: str, tree: _TreeState) -> Token:
        tok = self.next_non_space()
        if tok.typ != typ:
            raise self.unexpected(tok, context, tree)
        return tok

    # -- trees ---------------------------------------------------------------

    def add(self, tree: Tree) -> None:
        """Go's Tree.add: a non-empty definition may not replace another non-empty one."""
        old = self.trees.get(tree.name)
        if old is None or is_empty_tree(old.root):
            self.trees[tree.name] = tree
            return
        if not is_empty_tree(tree.root):
            raise self.errorf(
                f"template: multiple definition of template {go_quote(tree.name)}"
            )

    def _tree(self, name: str, root: ListNode) -> Tree:
        return Tree(name=name, parse_name=self.name, source=self.source, root=root)

    # -- structure -------------------------------------------------------------

    def parse(self) -> dict[str, Tree]:
        """parse: (text | action | define)* EOF, run with an explicit stack of open lists.

        Inside a define, block or branch the list is Go's itemList:
        textOrAction* ending at {{end}} or {{else}}.
        """
        root_state = _TreeState(self.name)
        stack = [_Frame("root", root_state, self.peek().pos)]
        while True:
            frame = stack[-1]
            if frame.kind == "root":
                tok = self.peek()
                if tok.typ == T.EOF:
                    break
                if tok.typ == T.LEFT_DELIM:
                    delim = self.next()
                    if self.next_non_space().typ == T.DEFINE:
                        stack.append(self._define_header())
                        continue
                    self.backup2(delim)
            elif self.peek_non_space().typ == T.EOF:
                raise self.errorf("unexpected EOF")
            result = self._text_or_action(frame)
            if isinstance(result, _Frame):
                stack.append(result)
            elif isinstance(result, (_Else, _End)):
                self._close(stack, result)
            else:
                frame.nodes.append(result)
        root = stack[0]
        self.add(self._tree(self.name, ListNode(root.list_pos, tuple(root.nodes))))
        return self.trees

    def _text_or_action(self, frame: _Frame) -> _Result:
        """textOrAction: text | action."""
        tok = self.next_non_space()
        if tok.typ == T.TEXT:
            return TextNode(tok.pos, tok.val)
        if tok.typ == T.LEFT_DELIM:
            frame.tree.action_line = tok.line
            result = self._action(frame)
            if not isinstance(result, _Frame):
                frame.tree.action_line = 0  # Go clears it when action() returns
            return result
        raise self.unexpected(tok, "input", frame.tree)

    def _action(self, frame: _Frame) -> _Result:
        """action: control | pipeline.  The left delimiter is past."""
        tree = frame.tree
        tok = self.next_non_space()
        typ = tok.typ
        if typ == T.BLOCK:
            return self._block_header(tree)
        if typ in (T.BREAK, T.CONTINUE):
            return self._break_or_continue(tok, tree)
        if typ == T.ELSE:
            return self._else_control(tree)
        if typ == T.END:
            return _End(self.expect(T.RIGHT_DELIM, "end", tree).pos)
        if typ in (T.IF, T.RANGE, T.WITH):
            return self._control_header(tree, tok.val)
        if typ == T.TEMPLATE:
            return self._template_control(tree)
        self.backup()
        tok = self.peek()
        return ActionNode(tok.pos, tok.line, self._pipeline(tree, "command"))

    def _break_or_continue(self, keyword: Token, tree: _TreeState) -> Node:
        """{{break}} | {{continue}}: only inside the list of a {{range}}."""
        word = "{{" + keyword.val + "}}"
        tok = self.next_non_space()
        if tok.typ != T.RIGHT_DELIM:
            raise self.unexpected(tok, word, tree)
        if tree.range_depth == 0:
            raise self.errorf(f"{word} outside {{{{range}}}}")
        cls = BreakNode if keyword.typ == T.BREAK else ContinueNode
        return cls(keyword.pos, keyword.line)

    def _else_control(self, tree: _TreeState) -> _Else:
        """{{else}}, or the start of {{else if ...}} / {{else with ...}} (keyword left pending)."""
        peek = self.peek_non_space()
        if peek.typ in (T.IF, T.WITH):
            return _Else(peek.pos, peek.line)
        tok = self.expect(T.RIGHT_DELIM, "else", tree)
        return _Else(tok.pos, tok.line)

    def _control_header(self, tree: _TreeState, context: str, chained: bool = False) -> _Frame:
        """{{if|range|with pipeline}} itemList ({{else}} itemList)? {{end}}: the header part."""
        mark = len(tree.vars)
        pipe = self._pipeline(tree, context)
        if context == "range":
            tree.range_depth += 1
        frame = _Frame(context, tree, self.peek_non_space().pos, pipe=pipe, vars_mark=mark)
        frame.chained = chained
        return frame

    def _template_name(self, tok: Token, context: str, tree: _TreeState) -> str:
        if tok.typ not in (T.STRING, T.RAW_STRING):
            raise self.unexpected(tok, context, tree)
        try:
            return unquote(tok.val)
        except LiteralError as e:
            raise self.errorf(str(e)) from None

    def _template_control(self, tree: _TreeState) -> TemplateNode:
        """{{template stringValue pipeline?}}."""
        context = "template clause"
        tok = self.next_non_space()
        name = self._template_name(tok, context, tree)
        pipe = None
        if self.next_non_space().typ != T.RIGHT_DELIM:
            self.backup()
            pipe = self._pipeline(tree, context)
        return TemplateNode(tok.pos, tok.line, name, pipe)

    def _block_header(self, tree: _TreeState) -> _Frame:
        """{{block stringValue pipeline}} itemList {{end}}: a define plus a template call."""
        context = "block clause"
        tok = self.next_non_space()
        name = self._template_name(tok, context, tree)
        pipe = self._pipeline(tree, context)
        header_line = self.token[0].line
        state = _TreeState(name)
        frame = _Frame("block", state, self.peek_non_space().pos, pipe=pipe)
        frame.name_token = tok
        frame.header_line = header_line
        return frame

    def _define_header(self) -> _Frame:
        """{{define stringValue}} itemList {{end}}: the header part (define keyword past)."""
        context = "define clause"
        state = _TreeState("definition")
        tok = self.next_non_space()
        if tok.typ not in (T.STRING, T.RAW_STRING):
            raise self.unexpected(tok, context, state)
        try:
            state.name = unquote(tok.val)
        except LiteralError as e:
            raise self.errorf(str(e)) from None
        self.expect(T.RIGHT_DELIM, context, state)
        return _Frame("define", state, self.peek_non_space().pos)

    def _close(self, stack: list[_Frame], marker: _Else | _End) -> None:
        """An {{end}} or {{else}} ends the innermost open list."""
        frame = stack[-1]
        kind = frame.kind
        is_end = isinstance(marker, _End)
        if kind == "root":
            raise self.errorf(f"unexpected {marker}")
        body = ListNode(frame.list_pos, tuple(frame.nodes))
        if kind == "define":
            if not is_end:
                raise self.errorf(f"unexpected {marker} in define clause")
            self.add(self._tree(frame.tree.name, body))
            stack.pop()
            return
        if kind == "block":
            if not is_end:
                raise self.errorf(f"unexpected {marker} in block clause", frame.header_line)
            self.add(self._tree(frame.tree.name, body))
            stack.pop()
            parent = stack[-1]
            tok = frame.name_token
            assert tok is not None and frame.pipe is not None
            parent.nodes.append(TemplateNode(tok.pos, tok.line, frame.tree.name, frame.pipe))
            parent.tree.action_line = 0
            return
        if frame.in_else:
            if not is_end:
                raise self.errorf(f"expected end; found {marker}")
            frame.else_list = body
            self._finish_branch(stack)
            return
        if kind == "range":
            frame.tree.range_depth -= 1
        frame.list = body
        if is_end:
            self._finish_branch(stack)
            return
        frame.in_else = True
        frame.nodes = []
        keyword = {"if": T.IF, "with": T.WITH}.get(kind)
        if keyword is not None and self.peek().typ == keyword:
            # {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}
            self.next()
            frame.list_pos = marker.pos
            stack.append(self._control_header(frame.tree, kind, chained=True))
            return
        frame.list_pos = self.peek_non_space().pos

    def _finish_branch(self, stack: list[_Frame]) -> None:
        """Build the if/range/with node; an else-if chain closes with its last {{end}}."""
        while True:
            frame = stack.pop()
            del frame.tree.vars[frame.vars_mark:]  # variables live until {{end}}
            frame.tree.action_line = 0
            pipe = frame.pipe
            assert pipe is not None and frame.list is not None
            node = _BRANCHES[frame.kind](
                pipe.pos, pipe.line, pipe, frame.list, frame.else_list
            )
            parent = stack[-1]
            if not frame.chained:
                parent.nodes.append(node)
                return
            parent.else_list = ListNode(parent.list_pos, (node,))

    # -- pipelines -------------------------------------------------------------

    def _pipeline(self, tree: _TreeState, context: str) -> PipeNode:
        """pipeline: declarations? command ('|' command)*, up to the right delimiter.

        command: operand (space operand)*
        operand: term .Field*
        term:    literal | function | . | .Field | $var | '(' pipeline ')'

        A '(' opens a nested pipeline on `stack` rather than recursing.
        """
        stack: list[_PipeBuild] = []
        cur = self._pipeline_start(tree, context, T.RIGHT_DELIM)
        node: Operand | None = None
        # The token that starts the next operand when the "pipe" state has read it
        # already: Go peeks at it there and reads it again in operand(), and both
        # leave the look-ahead as one read does, so it is read once here.
        first: Token | None = None
        state = _PIPE
        while True:
            if state is _PIPE:  # pipeline: the next command, or the end
                tok = self.next_non_space()
                if tok.typ == cur.end:
                    pipe = self._check_pipeline(cur)
                    if not stack:
                        return pipe
                    self.stack_depth -= 1
                    cur = stack.pop()
                    node, state = pipe, _OPERAND
                elif tok.typ in _OPERAND_START:
                    cur.cmd_pos = tok.pos
                    cur.args = []
                    first, state = tok, _TERM
                else:
                    raise self.unexpected(tok, cur.context, tree)
            elif state is _TERM:  # command: the next operand
                if first is None:
                    tok = self.next_non_space()
                else:
                    tok, first = first, None
                if tok.typ == T.LEFT_PAREN:
                    if self.stack_depth >= MAX_STACK_DEPTH:
                        raise self.errorf("max expression depth exceeded")
                    self.stack_depth += 1
                    stack.append(cur)
                    cur = self._pipeline_start(tree, "parenthesized pipeline", T.RIGHT_PAREN)
                    state = _PIPE
                else:
                    node, state = self._term(tok, tree), _OPERAND
            else:  # operand complete: what follows it in the command
                if node is not None:
                    cur.args.append(self._field_chain(node))
                # next(), inlined
                if self.peek_count > 0:
                    self.peek_count -= 1
                    tok = self.token[self.peek_count]
                else:
                    tok = self.token[0] = self.next_token()
                typ = tok.typ
                if typ == _SPACE:
                    state = _TERM
                    continue
                if typ == T.RIGHT_DELIM or typ == T.RIGHT_PAREN:
                    self.peek_count += 1  # backup()
                elif typ != T.PIPE:
                    raise self.unexpected(tok, "operand", tree)
                if not cur.args:
                    raise self.errorf("empty command")
                cur.cmds.append(CommandNode(cur.cmd_pos, tuple(cur.args)))
                state = _PIPE

    def _pipeline_start(self, tree: _TreeState, context: str, end: T) -> _PipeBuild:
        """declarations: $x := | $x = | $i, $v := (range only), before the commands."""
        tok = self.peek_non_space()
        pb = _PipeBuild(tok.pos, tok.line, context, end)
        while True:
            v = self.peek_non_space()
            if v.typ != T.VARIABLE:
                return pb
            self.next()
            # "$x foo" needs three tokens of look-ahead to see $x is not declared.
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (T.ASSIGN, T.DECLARE):
                pb.is_assign = nxt.typ == T.ASSIGN
                self.next_non_space()
                pb.decl.append(VariableNode(v.pos, tuple(v.val.split("."))))
                tree.vars.append(v.val)
                return pb
            if nxt.typ == T.CHAR and nxt.val == ",":
                self.next_non_space()
                pb.decl.append(VariableNode(v.pos, tuple(v.val.split("."))))
                tree.vars.append(v.val)
                if context == "range" and len(pb.decl) < 2:
                    if self.peek_non_space().typ in (T.VARIABLE, T.RIGHT_DELIM, T.RIGHT_PAREN):
                        continue  # the second variable of a range
                    raise self.errorf("range can only initialize variables")
                raise self.errorf(f"too many declarations in {context}")
            if after.typ == T.SPACE:
                self.backup3(v, after)
            else:
                self.backup2(v)
            return pb

    def _check_pipeline(self, pb: _PipeBuild) -> PipeNode:
        if not pb.cmds:
            raise self.errorf(f"missing value for {pb.context}")
        for i, cmd in enumerate(pb.cmds[1:]):
            if isinstance(cmd.args[0], _NON_EXECUTABLE):
                raise self.errorf(f"non executable command in pipeline stage {i + 2}")
        return PipeNode(pb.pos, pb.line, pb.is_assign, tuple(pb.decl), tuple(pb.cmds))

    def _term(self, tok: Token, tree: _TreeState) -> Operand | None:
        """term (other than a parenthesized pipeline); None if tok starts no term."""
        typ = tok.typ
        if typ == _FIELD:  # the commonest first
            return FieldNode(tok.pos, tuple(tok.val[1:].split(".")))
        if typ == T.IDENTIFIER:
            if tok.val not in self.funcs:
                raise self.errorf(f"function {go_quote(tok.val)} not defined")
            return IdentifierNode(tok.pos, tok.val)
        if typ == T.VARIABLE:
            if tok.val not in tree.vars:
                raise self.errorf(f"undefined variable {go_quote(tok.val)}")
            return VariableNode(tok.pos, (tok.val,))
        if typ == T.DOT:
            return DotNode(tok.pos)
        if typ == T.NIL:
            return NilNode(tok.pos)
        if typ == T.BOOL:
            return BoolNode(tok.pos, tok.val == "true")
        if typ in (T.NUMBER, T.CHAR_CONSTANT, T.COMPLEX):
            try:
                fields = number_fields(tok.val, typ == T.CHAR_CONSTANT, typ == T.COMPLEX)
                return NumberNode(tok.pos, tok.val, **fields)  # type: ignore[arg-type]
            except LiteralError as e:
                raise self.errorf(str(e)) from None
        if typ in (T.STRING, T.RAW_STRING):
            try:
                return StringNode(tok.pos, tok.val, unquote(tok.val))
            except LiteralError as e:
                raise self.errorf(str(e)) from None
        self.backup()
        return None

    def _field_chain(self, node: Operand) -> Operand:
        """operand: term .Field*; fields on a field or variable extend it (Go's compatibility rule)."""
        if self.peek_count > 0:  # peek(), inlined: most operands have no field after them
            nxt = self.token[self.peek_count - 1]
        else:
            self.peek_count = 1
            nxt = self.token[0] = self.next_token()
        if nxt.typ != _FIELD:
            return node
        pos = nxt.pos
        fields: list[str] = []
        while self.peek().typ == T.FIELD:
            fields.append(self.next().val[1:])
        if isinstance(node, FieldNode):
            return FieldNode(pos, node.ident + tuple(fields))
        if isinstance(node, VariableNode):
            return VariableNode(pos, node.ident + tuple(fields))
        if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
            raise self.errorf(f"unexpected . after term {go_quote(str(node))}")
        return ChainNode(pos, node, tuple(fields))
