"""Template text -> tokens for the parser (Go's text/template/parse lexer).

Same tokens, positions, lines and error texts as Go's lex.go, with the
default delimiters `{{ }}` that helm uses.  Text between actions is found
with str.find; inside an action each token is one regex match or a one
character decision, so lexing stays linear.  Positions are character
offsets into the source; `line` is 1 + the newlines before the token, as
Go's item.line.  The lexer is lazy (the parser pulls one token at a time),
so a lexical error is only reported if the parser reaches it, as in Go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import IntEnum
from typing import NamedTuple

from .literals import go_quote, go_quote_prefix, go_unicode

LEFT_DELIM = "{{"
RIGHT_DELIM = "}}"
_SPACE_CHARS = " \t\r\n"  # Go's spaceChars: what a trim marker trims, and isSpace
# Skips a run of them in place: lstrip of the rest of the file copied it on every
# ` -}}`, quadratic in a large template full of trim markers.
_SPACE_RUN = re.compile(r"[ \t\r\n]*")


class T(IntEnum):
    """Go's itemType; the keywords come after KEYWORD, as in lex.go."""

    ERROR = 0
    BOOL = 1
    CHAR = 2  # printable ASCII character; grab bag for comma etc.
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6  # =
    DECLARE = 7  # :=
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


KEYWORDS = {
    ".": T.DOT, "block": T.BLOCK, "break": T.BREAK, "continue": T.CONTINUE,
    "define": T.DEFINE, "else": T.ELSE, "end": T.END, "if": T.IF, "range": T.RANGE,
    "nil": T.NIL, "template": T.TEMPLATE, "with": T.WITH,
}


class Token(NamedTuple):
    typ: T
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        """Go's item.String(), which the parser's "unexpected %s" messages show."""
        if self.typ == T.EOF:
            return "EOF"
        if self.typ == T.ERROR:
            return self.val
        if self.typ > T.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote_prefix(self.val, 10) + "..."
        return go_quote(self.val)


# Token(...) runs NamedTuple's generated __new__, a Python frame per token; the
# tuple constructor it calls builds the same Token directly.
_new_token = tuple.__new__

_SPACES = re.compile(r"[ \t\r\n]+")
_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"')
_CHAR_CONST = re.compile(r"'(?:[^'\\\n]|\\[^\n])*'")
_DIGIT_RUNS = {
    "dec": re.compile(r"[0-9_]*"),
    "hex": re.compile(r"[0-9a-fA-F_]*"),
    "oct": re.compile(r"[0-7_]*"),
    "bin": re.compile(r"[01_]*"),
}
_EXPONENT_DIGITS = _DIGIT_RUNS["dec"]


def is_alnum(ch: str) -> bool:
    """Go's isAlphaNumeric: '_', a Unicode letter or a decimal digit (Nd)."""
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def has_left_trim_marker(s: str, i: int) -> bool:
    """`- ` right after `{{`: the dash must be followed by a space character."""
    return s.startswith("-", i) and i + 1 < len(s) and s[i + 1] in _SPACE_CHARS


def has_right_trim_marker(s: str, i: int) -> bool:
    """` -` right before `}}`: the dash must be preceded by a space character."""
    return i + 1 < len(s) and s[i] in _SPACE_CHARS and s[i + 1] == "-"


class Lexer:
    """Go's lexer state machine; `next_token()` is Go's nextItem()."""

    def __init__(self, source: str, break_ok: bool = True, continue_ok: bool = True) -> None:
        self.src = source
        self.pos = 0  # current position
        self.start = 0  # start of the pending token
        self.inside_action = False
        self.paren_depth = 0
        self.break_ok = break_ok  # false when a "break" function exists
        self.continue_ok = continue_ok
        self.done = False
        self._line_pos = 0  # incremental newline counting for token lines
        self._line = 1

    # -- helpers ------------------------------------------------------------

    def _line_at(self, pos: int) -> int:
        if pos >= self._line_pos:
            self._line += self.src.count("\n", self._line_pos, pos)
        else:
            self._line -= self.src.count("\n", pos, self._line_pos)
        self._line_pos = pos
        return self._line

    def _emit(self, typ: T) -> Token:
        start = self.start
        tok = _new_token(Token, (typ, start, self.src[start:self.pos], self._line_at(start)))
        self.start = self.pos
        return tok

    def _error(self, msg: str) -> Token:
        """Go's errorf: an error token at the pending token's start; the scan ends."""
        tok = Token(T.ERROR, self.start, msg, self._line_at(self.start))
        self.done = True
        return tok

    def _at_right_delim(self) -> tuple[bool, bool]:
        """(at a right delimiter, it carries a trim marker)."""
        s, p = self.src, self.pos
        if has_right_trim_marker(s, p) and s.startswith(RIGHT_DELIM, p + 2):
            return True, True
        return s.startswith(RIGHT_DELIM, p), False

    def _at_terminator(self, p: int) -> bool:
        """May an identifier, field or variable end at p? (Go's atTerminator.)"""
        if p >= len(self.src):
            return True
        return self.src[p] in " \t\r\n.,|:)(" or self.src.startswith(RIGHT_DELIM, p)

    def _alnum_end(self, p: int) -> int:
        """End of the run of Go alphanumerics starting at p."""
        m = _WORD.match(self.src, p)
        if m is None:
            return p
        end = m.end()
        word = m.group()
        if not word.isascii():
            # Python's \w also takes numeric characters Go's isAlphaNumeric does not.
            for k, ch in enumerate(word):
                if not is_alnum(ch):
                    return p + k
        return end

    # -- states -------------------------------------------------------------

    def next_token(self) -> Token:
        if self.done:
            return Token(T.EOF, self.pos, "EOF", self._line_at(self.pos))
        if self.inside_action:
            return self._lex_inside_action()
        return self._lex_text()

    def tokens(self) -> Iterator[Token]:
        """Every token up to and including EOF or the first error."""
        while True:
            tok = self.next_token()
            yield tok
            if tok.typ in (T.EOF, T.ERROR):
                return

    def all_tokens(self) -> tuple[list[Token], Token]:
        """(every token up to and including EOF or the first error, the EOF that next_token()
        repeats after them): the tokens next_token() would give, all at once.

        The parser takes its tokens from this list: pulling them one by one cost
        four Python calls per token, over half of a cold parse.  The common
        tokens are matched here in one loop (_COMMON, with `)` and an untrimmed
        `}}` taken here too while they are no error); the
        text between actions and everything else go through the same step-by-step
        methods as next_token().  Lexing all of it first changes no result: Go's
        parser reads the same tokens in the same order, and the list ends at the
        first error, which the parser reports only if it gets that far.
        """
        s = self.src
        out: list[Token] = []
        add = out.append
        match = _COMMON.match
        types = _COMMON_TYPES
        word_type = self._word_type
        new = _new_token
        while not self.done:
            if not self.inside_action:  # _lex_text() and _lex_left_delim() for the usual case
                start = self.start
                x = s.find(LEFT_DELIM, start)
                after = x + 2
                trim = has_left_trim_marker(s, after)
                if trim:
                    after += 2
                if x < 0 or s.startswith("/*", after):
                    add(self._lex_text())  # the end of the text, or a comment
                    continue
                end = len(s[start:x].rstrip(_SPACE_CHARS)) + start if trim else x
                if end > start:
                    add(new(Token, (T.TEXT, start, s[start:end], self._line_at(start))))
                add(new(Token, (T.LEFT_DELIM, x, LEFT_DELIM, self._line_at(x))))
                self.pos = self.start = after
                self.inside_action = True
                self.paren_depth = 0
                continue
            pos = self.pos
            line = self._line_at(pos)
            depth = self.paren_depth
            m = match(s, pos)
            while m is not None:
                kind = m.lastgroup
                end = m.end()
                val = s[pos:end]
                if kind == "ident":
                    add(new(Token, (word_type(val), pos, val, line)))
                elif kind == "space":
                    add(new(Token, (T.SPACE, pos, val, line)))
                    if "\n" in val:
                        line += val.count("\n")
                elif kind == "rdelim":
                    if depth:
                        break  # "unclosed left paren", the careful way
                    add(new(Token, (T.RIGHT_DELIM, pos, val, line)))
                    pos = end
                    self.inside_action = False
                    break
                elif kind == "rparen":
                    if not depth:
                        break  # "unexpected right paren", the careful way
                    depth -= 1
                    add(new(Token, (T.RIGHT_PAREN, pos, val, line)))
                else:
                    if kind == "lparen":
                        depth += 1
                    add(new(Token, (types[kind], pos, val, line)))  # type: ignore[index]
                pos = end
                m = match(s, pos)
            self.pos = self.start = pos
            self.paren_depth = depth
            self._line_pos, self._line = pos, line  # no newline in a token that left it behind
            if self.inside_action:
                add(self._lex_inside_action_slowly())
        return out, self.next_token()

    def _lex_text(self) -> Token:
        """lexText: text up to the next `{{`, trimmed by a `{{- ` marker."""
        s = self.src
        while True:
            x = s.find(LEFT_DELIM, self.pos)
            if x < 0:
                self.pos = len(s)
                if self.pos > self.start:
                    return self._emit(T.TEXT)
                self.done = True
                return self._emit(T.EOF)
            if x > self.pos:
                end = x
                if has_left_trim_marker(s, x + 2):
                    end = len(s[self.start:x].rstrip(_SPACE_CHARS)) + self.start
                self.pos = end
                text = self._emit(T.TEXT) if end > self.start else None
                self.pos = self.start = x
                if text is not None:
                    return text
            tok = self._lex_left_delim()
            if tok is not None:
                return tok

    def _lex_left_delim(self) -> Token | None:
        """lexLeftDelim: `{{` (maybe `{{- `); a comment is skipped (None returned)."""
        s = self.src
        delim_pos = self.pos
        self.pos += len(LEFT_DELIM)
        after = 2 if has_left_trim_marker(s, self.pos) else 0
        if s.startswith("/*", self.pos + after):
            self.pos += after
            self.start = self.pos
            return self._lex_comment()
        tok = Token(T.LEFT_DELIM, delim_pos, LEFT_DELIM, self._line_at(delim_pos))
        self.inside_action = True
        self.pos += after
        self.start = self.pos
        self.paren_depth = 0
        return tok

    def _lex_comment(self) -> Token | None:
        """lexComment: `/* ... */` must be followed directly by `}}` or ` -}}`."""
        s = self.src
        x = s.find("*/", self.pos + 2)
        if x < 0:
            return self._error("unclosed comment")
        self.pos = x + 2
        delim, trim = self._at_right_delim()
        if not delim:
            return self._error("comment ends before closing delimiter")
        self.pos += (2 if trim else 0) + len(RIGHT_DELIM)
        if trim:
            self.pos = _SPACE_RUN.match(s, self.pos).end()  # type: ignore[union-attr]
        self.start = self.pos
        return None  # comments are dropped (helm does not set parse.ParseComments)

    def _lex_right_delim(self, trim: bool) -> Token:
        """lexRightDelim: `}}` (maybe ` -}}`, which trims the following spaces)."""
        if trim:
            self.pos += 2
            self.start = self.pos
        self.pos += len(RIGHT_DELIM)
        tok = self._emit(T.RIGHT_DELIM)
        if trim:
            s = self.src
            self.pos = _SPACE_RUN.match(s, self.pos).end()  # type: ignore[union-attr]
            self.start = self.pos
        self.inside_action = False
        return tok

    def _lex_inside_action(self) -> Token:
        """lexInsideAction: one token inside `{{ }}`.

        The common tokens (spaces, ASCII names, fields, variables, strings, `.`,
        plain numbers, `|`, `(`, `=`, `:=`) come from one regex match (_COMMON);
        a delimiter, `)` and anything else take the step-by-step path below,
        which they match token for token (tests/gotemplate/test_lexer.py holds
        them together).
        """
        m = _COMMON.match(self.src, self.pos)
        if m is not None:
            kind = m.lastgroup
            if kind != "rdelim" and kind != "rparen":
                self.pos = m.end()
                if kind == "ident":
                    return self._emit(self._word_type(m.group()))
                if kind == "lparen":
                    self.paren_depth += 1
                return self._emit(_COMMON_TYPES[kind])  # type: ignore[index]
        return self._lex_inside_action_slowly()

    def _lex_inside_action_slowly(self) -> Token:
        delim, trim = self._at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self._lex_right_delim(trim)
            return self._error("unclosed left paren")
        s = self.src
        if self.pos >= len(s):
            return self._error("unclosed action")
        c = s[self.pos]
        if c in _SPACE_CHARS:
            return self._lex_space()
        simple = _SIMPLE_TOKENS.get(c)
        if simple is not None:
            self.pos += 1
            return self._emit(simple)
        handler = _DISPATCH.get(c)
        if handler is not None:
            return handler(self)
        if c.isascii() and c.isdigit():
            return self._lex_number()
        if is_alnum(c):
            return self._lex_identifier()
        self.pos += 1
        if " " <= c <= "~":
            return self._emit(T.CHAR)
        return self._error(f"unrecognized character in action: {go_unicode(c)}")

    def _lex_space(self) -> Token:
        """lexSpace: a run of spaces, leaving the one before a ` -}}` marker."""
        m = _SPACES.match(self.src, self.pos)
        assert m is not None
        end = m.end()
        if self.src.startswith("-" + RIGHT_DELIM, end):
            end -= 1
            if end == self.pos:  # the single space belongs to the trim marker
                return self._lex_right_delim(True)
        self.pos = end
        return self._emit(T.SPACE)

    def _lex_colon(self) -> Token:
        self.pos += 1
        if not self.src.startswith("=", self.pos):
            if self.pos < len(self.src):
                self.pos += 1
            return self._error("expected :=")
        self.pos += 1
        return self._emit(T.DECLARE)

    def _lex_left_paren(self) -> Token:
        self.pos += 1
        self.paren_depth += 1
        return self._emit(T.LEFT_PAREN)

    def _lex_right_paren(self) -> Token:
        self.pos += 1
        self.paren_depth -= 1
        if self.paren_depth < 0:
            return self._error("unexpected right paren")
        return self._emit(T.RIGHT_PAREN)

    def _lex_quote(self) -> Token:
        m = _QUOTED.match(self.src, self.pos)
        if m is None:
            return self._error("unterminated quoted string")
        self.pos = m.end()
        return self._emit(T.STRING)

    def _lex_raw_quote(self) -> Token:
        x = self.src.find("`", self.pos + 1)
        if x < 0:
            return self._error("unterminated raw quoted string")
        self.pos = x + 1
        return self._emit(T.RAW_STRING)

    def _lex_char(self) -> Token:
        m = _CHAR_CONST.match(self.src, self.pos)
        if m is None:
            return self._error("unterminated character constant")
        self.pos = m.end()
        return self._emit(T.CHAR_CONSTANT)

    def _lex_dot(self) -> Token:
        nxt = self.src[self.pos + 1:self.pos + 2]
        if nxt and not "0" <= nxt <= "9":
            self.pos += 1
            return self._lex_field_or_variable(T.FIELD)
        return self._lex_number()  # '.' can start a number

    def _lex_variable(self) -> Token:
        self.pos += 1
        return self._lex_field_or_variable(T.VARIABLE)

    def _lex_field_or_variable(self, typ: T) -> Token:
        """`.Name` or `$name`; a lone `.` is DOT and a lone `$` a VARIABLE."""
        if self._at_terminator(self.pos):
            return self._emit(T.VARIABLE if typ == T.VARIABLE else T.DOT)
        end = self._alnum_end(self.pos)
        if not self._at_terminator(end):
            self.pos = end
            return self._error(f"bad character {go_unicode(self.src[end])}")
        self.pos = end
        return self._emit(typ)

    def _lex_identifier(self) -> Token:
        end = self._alnum_end(self.pos)
        self.pos = end
        if not self._at_terminator(end):
            return self._error(f"bad character {go_unicode(self.src[end])}")
        return self._emit(self._word_type(self.src[self.start:end]))

    def _word_type(self, word: str) -> T:
        """A keyword, a bool or an identifier (break and continue are identifiers
        when a function of that name exists)."""
        key = KEYWORDS.get(word)
        if key is not None:
            if (key == T.BREAK and not self.break_ok) or (
                key == T.CONTINUE and not self.continue_ok
            ):
                return T.IDENTIFIER
            return key
        if word in ("true", "false"):
            return T.BOOL
        return T.IDENTIFIER

    def _lex_number(self) -> Token:
        """lexNumber: a number, or a complex constant like 1+2i (syntax checked by the parser)."""
        s = self.src
        ok, end = self._scan_number(self.pos)
        if not ok:
            self.pos = end
            return self._error(f"bad number syntax: {go_quote(s[self.start:end])}")
        if s[end:end + 1] in ("+", "-") and end < len(s):
            ok, end2 = self._scan_number(end)
            self.pos = end2
            if not ok or s[end2 - 1] != "i":
                return self._error(f"bad number syntax: {go_quote(s[self.start:end2])}")
            return self._emit(T.COMPLEX)
        self.pos = end
        return self._emit(T.NUMBER)

    def _scan_number(self, p: int) -> tuple[bool, int]:
        """Go's scanNumber from p: (well formed, end).  Deliberately loose, like Go's."""
        s = self.src
        if s[p:p + 1] in ("+", "-") and p < len(s):
            p += 1
        run = _DIGIT_RUNS["dec"]
        if s.startswith("0", p):
            p += 1
            prefix = s[p:p + 1]
            if prefix and prefix in "xX":
                run, p = _DIGIT_RUNS["hex"], p + 1
            elif prefix and prefix in "oO":
                run, p = _DIGIT_RUNS["oct"], p + 1
            elif prefix and prefix in "bB":
                run, p = _DIGIT_RUNS["bin"], p + 1
        p = _match_end(run, s, p)
        if s.startswith(".", p):
            p = _match_end(run, s, p + 1)
        exp = "eE" if run is _DIGIT_RUNS["dec"] else "pP" if run is _DIGIT_RUNS["hex"] else ""
        if exp and s[p:p + 1] and s[p] in exp:
            p += 1
            if s[p:p + 1] and s[p] in "+-":
                p += 1
            p = _match_end(_EXPONENT_DIGITS, s, p)
        if s.startswith("i", p):
            p += 1
        if p < len(s) and is_alnum(s[p]):
            return False, p + 1
        return True, p


def _match_end(run: re.Pattern[str], s: str, p: int) -> int:
    m = run.match(s, p)
    return m.end() if m is not None else p


_SIMPLE_TOKENS = {"=": T.ASSIGN, "|": T.PIPE}

# Go's atTerminator after a name: space, . , | : ( ), the right delimiter, or the end.
_END_OF_NAME = r"(?=[ \t\r\n.,|:()]|\}\}|\Z)"
# One match for the tokens that make up most actions.  A space run before ` -}}`
# backs off by one, as lexSpace leaves that space to the marker; the marker's own
# single space fails to match and goes the careful way.  Names are ASCII here;
# anything else fails the lookahead and goes slowly.  `.` is DOT before a
# terminator, and a run of decimal digits that nothing could extend is a NUMBER
# (a letter, `_`, `.`, `+` or `-` after it goes to _lex_number).  `}}` and `)`
# depend on the open parentheses: next_token() takes them the careful way, and
# all_tokens() when one would be an error.
_COMMON = re.compile(
    r"(?P<rdelim>\}\})"
    r"|(?P<space>[ \t\r\n]+(?!-\}\}))"
    r"|(?P<field>\.[A-Za-z_][A-Za-z0-9_]*" + _END_OF_NAME + ")"
    r"|(?P<dot>\.(?=[ \t\r\n.,|:()]|\}\}))"
    r"|(?P<var>\$[A-Za-z0-9_]*" + _END_OF_NAME + ")"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*" + _END_OF_NAME + ")"
    r'|(?P<string>"(?:[^"\\\n]|\\[^\n])*")'
    r"|(?P<number>[0-9]+(?![\w.+\-]))"
    r"|(?P<pipe>\|)|(?P<lparen>\()|(?P<rparen>\))|(?P<declare>:=)|(?P<assign>=)"
)
_COMMON_TYPES = {
    "space": T.SPACE, "field": T.FIELD, "dot": T.DOT, "var": T.VARIABLE, "string": T.STRING,
    "number": T.NUMBER, "pipe": T.PIPE, "lparen": T.LEFT_PAREN, "declare": T.DECLARE,
    "assign": T.ASSIGN,
}
_DISPATCH = {
    ":": Lexer._lex_colon,
    '"': Lexer._lex_quote,
    "`": Lexer._lex_raw_quote,
    "$": Lexer._lex_variable,
    "'": Lexer._lex_char,
    ".": Lexer._lex_dot,
    "+": Lexer._lex_number,
    "-": Lexer._lex_number,
    "(": Lexer._lex_left_paren,
    ")": Lexer._lex_right_paren,
}


def lex(source: str) -> list[Token]:
    """All tokens of source (for tests and debugging)."""
    return list(Lexer(source).tokens())
