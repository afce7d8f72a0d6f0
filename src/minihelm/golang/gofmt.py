"""Go values (gotypes) -> text exactly as Go's fmt prints them (Sprint, Sprintln, Sprintf).

Mirrors src/fmt/print.go and format.go: one printer state (flags, width,
precision) is shared by an operand and everything nested inside it, bad verbs
print `%!d(type=value)`, and floats follow strconv's shortest formatting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minihelm.golang.gostrconv import (
    can_backquote,
    format_float,
    go_bytes,
    is_print,
    quote,
    quote_rune,
)
from minihelm.golang.gotypes import (
    GoBytes,
    GoList,
    GoMap,
    GoStruct,
    Int64,
    NilList,
    NilMap,
    go_type_name,
)

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_MAX_RUNE = 0x10FFFF
_UINT64 = (1 << 64) - 1


# --- the printer -------------------------------------------------------------


class _Flags:
    __slots__ = (
        "minus",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "sharp",
        "sharp_v",
        "space",
        "wid",
        "wid_present",
        "zero",
    )

    def __init__(self) -> None:
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False


class _Printer:
    """One Go `pp`: the output buffer plus the current operand's flags."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.f = _Flags()
        self.erroring = False

    def out(self) -> str:
        return "".join(self.buf)

    # padding (fmt.pad / padString / writePadding)

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.f.zero else " ") * n)

    def pad(self, s: str) -> None:
        f = self.f
        if not f.wid_present or f.wid == 0:
            self.buf.append(s)
            return
        width = f.wid - len(s)
        if f.minus:
            self.buf.append(s)
            self.write_padding(width)
        else:
            self.write_padding(width)
            self.buf.append(s)

    def pad_nozero(self, s: str) -> None:
        old, self.f.zero = self.f.zero, False
        self.pad(s)
        self.f.zero = old

    def truncate(self, s: str) -> str:
        if self.f.prec_present:
            return s[: self.f.prec]
        return s

    # basic kinds

    def fmt_integer(self, v: int, base: int, signed: bool, verb: str, digits: str) -> None:
        f = self.f
        v = int(v)  # drop Int64's repr
        if not signed:
            v &= _UINT64
        negative = v < 0
        a = -v if negative else v
        prec = 0
        if f.prec_present:
            prec = f.prec
            if prec == 0 and a == 0:  # "print nothing" but still pad
                old, f.zero = f.zero, False
                self.write_padding(f.wid)
                f.zero = old
                return
        elif f.zero and not f.minus and f.wid_present:
            prec = f.wid
            if negative or f.plus or f.space:
                prec -= 1  # leave room for the sign
        s = _to_base(a, base, digits).rjust(prec, "0")
        if f.sharp:
            if base == 2:
                s = "0b" + s
            elif base == 8 and s[0] != "0":
                s = "0" + s
            elif base == 16:
                s = "0" + digits[16] + s
        if verb == "O":
            s = "0o" + s
        if negative:
            s = "-" + s
        elif f.plus:
            s = "+" + s
        elif f.space:
            s = " " + s
        # zero padding was done above as precision (or is cancelled by it)
        self.pad_nozero(s)

    def fmt_unicode(self, u: int) -> None:
        f = self.f
        u &= _UINT64
        prec = f.prec if f.prec_present and f.prec > 4 else 4
        s = "U+" + f"{u:X}".rjust(prec, "0")
        if f.sharp and u <= _MAX_RUNE and _is_print_rune(u):
            s += " '" + chr(u) + "'"
        self.pad_nozero(s)

    def fmt_c(self, u: int) -> None:
        u &= _UINT64
        if u > _MAX_RUNE or 0xD800 <= u <= 0xDFFF:
            u = 0xFFFD
        self.pad(chr(u))

    def fmt_float(self, v: float, verb: str, prec: int) -> None:
        f = self.f
        if f.prec_present:
            prec = f.prec
        num = format_float(v, verb, prec)
        if num[0] not in "+-":
            num = "+" + num
        if f.space and num[0] == "+" and not f.plus:
            num = " " + num[1:]
        if num[1] in "IN":  # Inf and NaN are never zero padded
            if num[1] == "N" and not f.space and not f.plus:
                num = num[1:]
            self.pad_nozero(num)
            return
        if f.sharp and verb != "b":
            num = _sharp_float(num, verb, prec)
        if f.plus or num[0] != "+":
            if f.zero and not f.minus and f.wid_present and f.wid > len(num):
                self.buf.append(num[0])
                self.write_padding(f.wid - len(num))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    def fmt_s(self, s: str) -> None:
        self.pad(self.truncate(s))

    def fmt_q(self, s: str) -> None:
        s = self.truncate(s)
        if self.f.sharp and can_backquote(s):
            self.pad("`" + s + "`")
        else:
            self.pad(quote(s, self.f.plus))

    def fmt_sbx(self, b: bytes, digits: str) -> None:
        f = self.f
        length = len(b)
        if f.prec_present and f.prec < length:
            length = f.prec
        if length <= 0:
            if f.wid_present:
                self.write_padding(f.wid)
            return
        prefix = "0" + digits[16] if f.sharp else ""
        parts = [digits[c >> 4] + digits[c & 0xF] for c in b[:length]]
        if f.space:
            s = " ".join(prefix + p for p in parts)
        else:
            s = prefix + "".join(parts)
        self.pad(s)

    # dispatch by Go type (printArg / printValue)

    def bad_verb(self, verb: str, v: Any, depth: int) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if v is None:
            self.buf.append("<nil>")
        else:
            self.buf.append(go_type_name(v) + "=")
            self.print_value(v, "v", 0)
        self.buf.append(")")
        self.erroring = False

    def print_arg(self, arg: Any, verb: str) -> None:
        if arg is None:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb, None, 0)
            return
        if verb == "T":
            self.fmt_s(go_type_name(arg))
            return
        if verb == "p":
            self.fmt_pointer(arg, verb)
            return
        if verb == "w" and isinstance(arg, (list, dict, GoStruct)):
            # handleMethods: %w outside Errorf is a bad verb for the whole operand
            self.bad_verb(verb, arg, 0)
            return
        self.print_value(arg, verb, 0)

    def print_value(self, v: Any, verb: str, depth: int) -> None:
        f = self.f
        if v is None:  # a nil interface inside a container
            if f.sharp_v:
                self.buf.append("interface {}(nil)")
            elif verb == "v" or depth > 0:
                self.buf.append("<nil>")
            else:
                self.bad_verb(verb, None, depth)
        elif type(v) not in _PLAIN and self.handle_methods(v, verb):
            return
        elif isinstance(v, bool):
            if verb in "tv":
                self.pad("true" if v else "false")
            else:
                self.bad_verb(verb, v, depth)
        elif isinstance(v, int):
            self.print_int(v, verb, depth)
        elif isinstance(v, float):
            self.print_float(v, verb, depth)
        elif isinstance(v, str):
            self.print_string(v, verb, depth)
        elif isinstance(v, (bytes, bytearray)):
            self.print_bytes(bytes(v), verb, depth)
        elif isinstance(v, (list, tuple)):
            self.print_list(v, verb, depth)
        elif isinstance(v, dict):
            self.print_map(v, verb, depth)
        elif isinstance(v, GoStruct):
            self.print_struct(v, verb, depth)
        elif callable(v):
            self.fmt_pointer(v, verb)
        else:
            self.buf.append("?" + go_type_name(v) + "?")

    def print_int(self, v: int, verb: str, depth: int) -> None:
        bases = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
        if verb in bases:
            self.fmt_integer(v, bases[verb], True, verb, _UDIGITS if verb == "X" else _LDIGITS)
        elif verb == "c":
            self.fmt_c(v)
        elif verb == "q":
            self.pad(quote_rune(v if 0 <= v <= _UINT64 else 0xFFFD, self.f.plus))
        elif verb == "U":
            self.fmt_unicode(v)
        else:
            self.bad_verb(verb, v, depth)

    def print_float(self, v: float, verb: str, depth: int) -> None:
        if verb == "v":
            self.fmt_float(v, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float(v, verb, -1)
        elif verb in "feE":
            self.fmt_float(v, verb, 6)
        elif verb == "F":
            self.fmt_float(v, "f", 6)
        else:
            self.bad_verb(verb, v, depth)

    def print_string(self, v: str, verb: str, depth: int) -> None:
        if verb == "v":
            self.fmt_q(v) if self.f.sharp_v else self.fmt_s(v)
        elif verb == "s":
            self.fmt_s(v)
        elif verb in "xX":
            self.fmt_sbx(go_bytes(v), _LDIGITS if verb == "x" else _UDIGITS)
        elif verb == "q":
            self.fmt_q(v)
        else:
            self.bad_verb(verb, v, depth)

    def print_bytes(self, v: bytes, verb: str, depth: int) -> None:
        if verb in "vd":
            if self.f.sharp_v:
                # printArg's []byte case names the type "[]byte"; nested ones are "[]uint8"
                self.buf.append(("[]byte" if depth == 0 else "[]uint8") + "{")
                self.buf.append(", ".join(f"0x{c:x}" for c in v) + "}")
                return
            self.buf.append("[")
            for i, c in enumerate(v):
                if i:
                    self.buf.append(" ")
                self.fmt_integer(c, 10, False, verb, _LDIGITS)
            self.buf.append("]")
        elif verb == "s":
            self.fmt_s(v.decode("utf-8", "surrogateescape"))
        elif verb in "xX":
            self.fmt_sbx(v, _LDIGITS if verb == "x" else _UDIGITS)
        elif verb == "q":
            self.fmt_q(v.decode("utf-8", "surrogateescape"))
        else:
            self.print_list(list(v), verb, depth, "uint8")

    def print_list(self, v: Any, verb: str, depth: int, elem: str | None = None) -> None:
        if self.f.sharp_v:
            self.buf.append(go_type_name(v))
            if isinstance(v, NilList):
                self.buf.append("(nil)")
                return
            self.buf.append("{")
            for i, x in enumerate(v):
                if i:
                    self.buf.append(", ")
                self.print_elem(x, verb, depth + 1, elem)
            self.buf.append("}")
            return
        self.buf.append("[")
        for i, x in enumerate(v):
            if i:
                self.buf.append(" ")
            self.print_elem(x, verb, depth + 1, elem)
        self.buf.append("]")

    def print_elem(self, x: Any, verb: str, depth: int, elem: str | None) -> None:
        if elem == "uint8":  # a []byte under a verb fmtBytes does not handle
            if verb in "boOcU":
                self.print_int(x, verb, depth)
            else:
                self.buf.append(f"%!{verb}(uint8={x})")
            return
        self.print_value(x, verb, depth)

    def print_map(self, v: dict[Any, Any], verb: str, depth: int) -> None:
        sharp_v = self.f.sharp_v
        if sharp_v and isinstance(v, NilMap):
            self.buf.append(go_type_name(v) + "(nil)")
            return
        self.buf.append(go_type_name(v) + "{" if sharp_v else "map[")
        for i, k in enumerate(sorted(v, key=_map_key_order)):
            if i:
                self.buf.append(", " if sharp_v else " ")
            self.print_value(k, verb, depth + 1)
            self.buf.append(":")
            self.print_value(v[k], verb, depth + 1)
        self.buf.append("}" if sharp_v else "]")

    def handle_methods(self, v: Any, verb: str) -> bool:
        """fmt's Stringer handling: String() serves the verbs that accept a string."""
        if self.erroring or self.f.sharp_v or verb not in "vsxXq":
            return False
        method = stringer(v)
        if method is None:
            return False
        self.print_string(str(method()), verb, 0)
        return True

    def print_struct(self, v: GoStruct, verb: str, depth: int) -> None:
        # A struct pointer prints as &{...}, a struct value as {...}.  (Go prints
        # a pointer nested in a container as an address; we print its fields,
        # since addresses differ per run anyway.)
        pointer = go_type_name(v).startswith("*")
        if pointer:
            self.buf.append("&")
        if self.f.sharp_v:
            self.buf.append(go_type_name(v).lstrip("*"))
        self.buf.append("{")
        for i, (name, val) in enumerate(struct_fields(v)):
            if i:
                self.buf.append(", " if self.f.sharp_v else " ")
            if self.f.plus_v or self.f.sharp_v:
                self.buf.append(name + ":")
            self.print_value(val, verb, depth + 1)
        self.buf.append("}")

    def fmt_pointer(self, v: Any, verb: str) -> None:
        if not isinstance(v, (list, dict, GoStruct)) and not callable(v):
            self.bad_verb(verb, v, 0)
            return
        # Addresses are not reproducible; print a fixed, plausible one.
        if verb in "vp":
            self.pad("0xc000010000")
        else:
            self.bad_verb(verb, v, 0)


_PLAIN = frozenset({bool, int, float, str, list, dict, Int64, GoList, GoMap, GoBytes})


def stringer(v: Any) -> Callable[[], Any] | None:
    """The String method fmt would call on v, if any.

    `__go_str__` marks a String() that fmt sees (value receiver, or on a
    pointer); a GoStruct pointer type's `String` counts too.  A `String` on a
    struct value type is taken to have a pointer receiver, which fmt does not
    see (helm's common.KubeVersion), though template printing does.
    """
    method = getattr(v, "__go_str__", None)
    if callable(method):
        return method  # type: ignore[no-any-return]
    if isinstance(v, GoStruct) and go_type_name(v).startswith("*"):
        method = getattr(v, "String", None)
        if callable(method):
            return method  # type: ignore[no-any-return]
    return None


def _is_print_rune(u: int) -> bool:
    return not 0xD800 <= u <= 0xDFFF and is_print(chr(u))


def _to_base(a: int, base: int, digits: str) -> str:
    if base == 10:
        return str(a)
    if a == 0:
        return "0"
    out = []
    while a:
        a, r = divmod(a, base)
        out.append(digits[r])
    return "".join(reversed(out))


def _sharp_float(num: str, verb: str, prec: int) -> str:
    """%#e/%#f/%#g: always print a decimal point; %#g keeps trailing zeros."""
    digits = (6 if prec == -1 else prec) if verb in "gGxX" else 0
    tail = ""
    body = num
    has_point = False
    seen_nonzero = False
    for i in range(1, len(num)):
        c = num[i]
        if c == ".":
            has_point = True
        elif c in "pP" or (c in "eE" and verb not in "xX"):
            tail, body = num[i:], num[:i]
            break
        else:
            if c != "0":
                seen_nonzero = True
            if seen_nonzero:
                digits -= 1
    if not has_point:
        if len(body) == 2 and body[1] == "0":
            digits -= 1
        body += "."
    return body + "0" * max(digits, 0) + tail


def _map_key_order(k: Any) -> tuple[int, Any]:
    # internal/fmtsort: nil first, then numbers, strings, bools by value.
    if k is None:
        return (0, 0)
    if isinstance(k, bool):
        return (3, k)
    if isinstance(k, (int, float)):
        return (1, k)
    if isinstance(k, str):
        return (2, k)
    return (4, str(k))


def struct_fields(v: GoStruct) -> list[tuple[str, Any]]:
    """A GoStruct's fields in declaration order: go_fields() (names or pairs), else public attrs."""
    fields = getattr(v, "go_fields", None)
    if callable(fields):
        out: list[tuple[str, Any]] = []
        for item in fields():
            if isinstance(item, tuple):
                out.append((str(item[0]), item[1]))
            else:
                out.append((str(item), getattr(v, str(item), None)))
        return out
    return [(k, val) for k, val in vars(v).items() if k[:1].isupper()]


# --- public API --------------------------------------------------------------


def format_value(v: Any) -> str:
    """fmt.Sprint(v) of one value: the %v form."""
    p = _Printer()
    p.print_arg(v, "v")
    return p.out()


def sprint(*args: Any) -> str:
    """fmt.Sprint: a space between operands when neither is a string."""
    p = _Printer()
    prev_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(arg, "v")
        prev_string = is_string
    return p.out()


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: spaces always, and a trailing newline."""
    return " ".join(format_value(a) for a in args) + "\n"


def sprintf(fmt: str, *args: Any) -> str:
    """fmt.Sprintf."""
    p = _Printer()
    _do_printf(p, fmt, args)
    return p.out()


# --- Sprintf's format parser (print.go doPrintf) -------------------------------

_MAX_NUM = 1_000_000  # larger widths/precisions are "too large" (print.go tooLarge)


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    """Digits at s[start:end] -> (number, present, index after); overflow eats the rest."""
    num, isnum, i = 0, False, start
    while i < end and "0" <= s[i] <= "9":
        if num > _MAX_NUM:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _int_from_arg(args: tuple[Any, ...], n: int) -> tuple[int, bool, int]:
    """A '*' width/precision: (value, is int, next argument number)."""
    if n >= len(args):
        return 0, False, n
    a = args[n]
    if isinstance(a, int) and not isinstance(a, bool):
        num, ok = int(a), True
    else:
        num, ok = 0, False
    if num > _MAX_NUM or num < -_MAX_NUM:
        num, ok = 0, False
    return num, ok, n + 1


class _Cursor:
    """Position in the format and argument list, plus print.go's reordering state."""

    def __init__(self, fmt: str, nargs: int) -> None:
        self.fmt, self.nargs = fmt, nargs
        self.i = 0
        self.arg = 0
        self.reordered = False
        self.good_arg = True

    def arg_number(self) -> bool:
        """An explicit [n] index at the cursor: moves to argument n-1; True when one was found."""
        fmt, i = self.fmt, self.i
        if i >= len(fmt) or fmt[i] != "[":
            return False
        self.reordered = True
        close = fmt.find("]", i + 1)
        if len(fmt) - i < 3 or close < 0:
            self.good_arg = False
            self.i = i + 1
            return False
        num, ok, newi = _parsenum(fmt, i + 1, close)
        self.i = close + 1
        if not ok or newi != close:
            self.good_arg = False
            return False
        if 0 < num <= self.nargs:
            self.arg = num - 1
            return True
        self.good_arg = False
        return True


def _do_printf(p: _Printer, fmt: str, args: tuple[Any, ...]) -> None:
    c = _Cursor(fmt, len(args))
    end = len(fmt)
    while c.i < end:
        c.good_arg = True
        j = fmt.find("%", c.i)
        if j < 0:
            p.buf.append(fmt[c.i :])
            break
        p.buf.append(fmt[c.i : j])
        c.i = j + 1
        if not _one_verb(p, c, args):
            break
    if not c.reordered and c.arg < len(args):
        p.f = _Flags()
        p.buf.append("%!(EXTRA ")
        for k, a in enumerate(args[c.arg :]):
            if k:
                p.buf.append(", ")
            if a is None:
                p.buf.append("<nil>")
            else:
                p.buf.append(go_type_name(a) + "=")
                p.print_arg(a, "v")
        p.buf.append(")")


def _one_verb(p: _Printer, c: _Cursor, args: tuple[Any, ...]) -> bool:
    """Flags, [n], width, precision and the verb after a '%'; False at NOVERB."""
    fmt, end = c.fmt, len(c.fmt)
    f = p.f = _Flags()
    while c.i < end and fmt[c.i] in "#0+- ":
        ch = fmt[c.i]
        if ch == "#":
            f.sharp = True
        elif ch == "0":
            f.zero = not f.minus  # only pad with zeros on the left
        elif ch == "+":
            f.plus = True
        elif ch == "-":
            f.minus, f.zero = True, False
        else:
            f.space = True
        c.i += 1
    after_index = c.arg_number()
    if c.i < end and fmt[c.i] == "*":
        c.i += 1
        f.wid, f.wid_present, c.arg = _int_from_arg(args, c.arg)
        if not f.wid_present:
            p.buf.append("%!(BADWIDTH)")
        if f.wid < 0:  # a negative '*' width means left-justify
            f.wid, f.minus, f.zero = -f.wid, True, False
        after_index = False
    else:
        f.wid, f.wid_present, c.i = _parsenum(fmt, c.i, end)
        if after_index and f.wid_present:  # "%[3]2d"
            c.good_arg = False
    if c.i + 1 < end and fmt[c.i] == ".":
        c.i += 1
        if after_index:  # "%[3].2d"
            c.good_arg = False
        after_index = c.arg_number()
        if c.i < end and fmt[c.i] == "*":
            c.i += 1
            f.prec, f.prec_present, c.arg = _int_from_arg(args, c.arg)
            if f.prec < 0:
                f.prec, f.prec_present = 0, False
            if not f.prec_present:
                p.buf.append("%!(BADPREC)")
            after_index = False
        else:
            f.prec, f.prec_present, c.i = _parsenum(fmt, c.i, end)
            if not f.prec_present:
                f.prec, f.prec_present = 0, True
    if not after_index:
        after_index = c.arg_number()
    if c.i >= end:
        p.buf.append("%!(NOVERB)")
        return False
    verb = fmt[c.i]
    c.i += 1
    if verb == "%":  # takes no operand; ignores width and precision
        p.buf.append("%")
    elif not c.good_arg:
        p.buf.append(f"%!{verb}(BADINDEX)")
    elif c.arg >= len(args):
        p.buf.append(f"%!{verb}(MISSING)")
    else:
        if verb in "vw":
            f.sharp_v, f.sharp = f.sharp, False
            f.plus_v, f.plus = f.plus, False
        p.print_arg(args[c.arg], verb)
        c.arg += 1
    return True
