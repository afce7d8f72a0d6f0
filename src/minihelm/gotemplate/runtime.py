"""Helpers the generated Jinja2 code calls: Go's field lookup, calls, ranges and errors.

The code generator (codegen.py) turns every Go construct into a call of one of
the short-named helpers below, passing `X` (the `Exec` of the template being
run) and the index of the AST node the call stands for, so that an error can
name the template, line, column and node exactly as text/template does:

    template: NAME:LINE:COL: executing "TEMPLATE" at <NODE>: MESSAGE
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .._core.limits import (
    MAX_OUTPUT_BYTES,
    MAX_RANGE_STEPS,
    check_output_size,
    range_steps_exceeded,
)
from ..errors import ExecLink, GoFuncError, TemplateRenderError
from ..golang.gotypes import GoBytes, GoStruct, Int64, go_type_name

if TYPE_CHECKING:  # the AST is needed only when an error is reported
    from . import nodes as n
    from .codegen import CallSite

# Marks where an argument came from, which changes Go's complaint about nil:
# a nil read straight from a field or variable is a typed `interface {}` nil,
# while a nil out of a (sub)pipeline is an invalid reflect.Value.
ARG_FIELD = 1
ARG_PIPE = 2


class Exec:
    """One execution of one compiled template: what errors and nested calls need.

    `tc` is the tplcache.TreeCode being run; its node table is rebuilt from
    source only when an error asks for it.
    """

    __slots__ = ("engine", "tc")

    def __init__(self, engine: Any, tc: Any) -> None:
        self.engine = engine
        self.tc = tc

    @property
    def nodes(self) -> Sequence[Any]:
        return self.engine.node_table(self.tc)  # type: ignore[no-any-return]

    def error(self, nid: int, message: str, wrapped: BaseException | None = None) -> TemplateRenderError:
        """Go's state.errorf at node `nid`: the full text, with the chain helm walks."""
        return self.error_at(self.nodes[nid], message, wrapped)

    def error_at(self, node: n.Node, message: str,
                 wrapped: BaseException | None = None) -> TemplateRenderError:
        pos = self.tc.position(node.pos)
        name = self.tc.name
        text = f'template: {pos}: executing "{name}" at <{node}>: {message}'
        chain: tuple[ExecLink, ...] = (ExecLink(text, str(pos), name, str(node), message),)
        if wrapped is not None:
            chain += error_chain(wrapped)
        return TemplateRenderError(text, pos, chain)


def error_chain(err: BaseException) -> tuple[ExecLink, ...]:
    """The links of Go's errors.Unwrap chain from `err` down."""
    if isinstance(err, TemplateRenderError):
        return err.chain
    if isinstance(err, GoFuncError):
        inner = error_chain(err.wrapped) if err.wrapped is not None else ()
        return (ExecLink(err.message),) + inner
    return (ExecLink(str(err)),)


# --- field access -----------------------------------------------------------------


def field(X: Exec, nid: int, recv: Any, path: str, args: tuple[Any, ...] = (),
          final: Any = None, has_final: bool = False, recv_valid: bool = True) -> Any:
    """Evaluate `recv.A.B.C` (path "A.B.C"); only the last name may take arguments.

    `recv_valid` is False when the receiver came out of a pipeline as nil: Go
    then has an invalid reflect.Value and the lookup quietly yields nil.
    """
    names = path.split(".")
    last = len(names) - 1
    for i, name in enumerate(names):
        if recv is None and not recv_valid:
            return None
        if i == last:
            return _field_one(X, nid, recv, name, args, final, has_final)
        recv = _field_one(X, nid, recv, name, (), None, False)
        recv_valid = True
    return recv


def lookup(X: Exec, nid: int, recv: Any, path: str) -> Any:
    """`recv.A.B.C` (path "A.B.C") with no arguments on a valid receiver: the common case.

    A plain dict (map[string]interface {}) has no methods, so its fields are
    its keys; anything else takes the general path.
    """
    for name in path.split("."):
        if type(recv) is dict:
            recv = recv.get(name)
        else:
            recv = _field_one(X, nid, recv, name, (), None, False)
    return recv


def _field_one(X: Exec, nid: int, recv: Any, name: str, args: tuple[Any, ...],
               final: Any, has_final: bool) -> Any:
    if recv is None:
        raise X.error(nid, f"nil pointer evaluating interface {{}}.{name}")
    method = _method(recv, name)
    if method is not None:
        return call_method(X, nid, method, name, args, final, has_final)
    if isinstance(recv, dict):
        if args or has_final:
            raise X.error(nid, f"{name} is not a method but has arguments")
        return recv.get(name)
    if isinstance(recv, GoStruct) and name[:1].isupper() and hasattr(recv, name):
        if args or has_final:
            raise X.error(nid, f"{name} has arguments but cannot be invoked as function")
        return getattr(recv, name)
    raise X.error(nid, f"can't evaluate field {name} in type {go_type_name(recv)}")


def _method(recv: Any, name: str) -> Callable[..., Any] | None:
    methods = getattr(type(recv), "go_methods", None)
    if methods and name in methods:
        return getattr(recv, name)  # type: ignore[no-any-return]
    return None


def call_method(X: Exec, nid: int, fn: Callable[..., Any], name: str, args: tuple[Any, ...],
                final: Any, has_final: bool) -> Any:
    argv = args + ((final,) if has_final else ())
    try:
        return fn(*argv)
    except GoFuncError as e:
        raise X.error(nid, f"error calling {name}: {e.message}", e) from None
    except TypeError as e:
        raise X.error(nid, f"wrong number of args for {name}: {e}") from None


# --- function calls ---------------------------------------------------------------


def call(X: Exec, sid: int, name: str, field_mask: int, *args: Any) -> Any:
    """Call template function `name`; args are already evaluated (constants pre-converted).

    Bit i of `field_mask` is set when argument i was read straight from a field
    or variable, which decides Go's complaint about a nil there.
    """
    fn = X.engine.funcs[name]
    argv = check_args(X, sid, name, fn, args, field_mask)
    try:
        result = fn.fn(*argv)
        if type(result) is str and len(result) > MAX_OUTPUT_BYTES:
            check_output_size(len(result))  # a value growing without bound (e.g. doubling)
        return result
    except (GoFuncError, TemplateRenderError) as e:
        raise X.error_at(_site(X, sid).cmd, f"error calling {name}: {e.message}", e) from None
    except RecursionError:
        raise X.error_at(_site(X, sid).cmd,
                         f"error calling {name}: exceeded maximum template depth") from None


def _site(X: Exec, sid: int) -> CallSite:
    return X.nodes[sid]  # type: ignore[no-any-return]


def check_args(X: Exec, sid: int, name: str, fn: Any, args: tuple[Any, ...],
               field_mask: int) -> list[Any]:
    """text/template's evalCall argument checks: count, then each value against its Go type."""
    params, variadic = fn.params, fn.variadic
    if variadic and len(params) == 1 and params[0] in _ANY:
        return list(args)  # ...interface {}: nothing to count or check
    nfixed = len(params) - 1 if variadic else len(params)
    if variadic and len(args) < nfixed:
        raise X.error_at(_site(X, sid).ident, f"wrong number of args for {name}: want at least "
                                              f"{nfixed} got {len(_site(X, sid).args)}")
    if not variadic and len(args) != nfixed:
        raise X.error_at(_site(X, sid).ident,
                         f"wrong number of args for {name}: want {nfixed} got {len(args)}")
    if not params:
        return list(args)
    out = []
    for i, a in enumerate(args):
        typ = params[i] if i < nfixed else params[-1]
        if typ in _ANY or a is not None and _assignable(a, typ):
            out.append(a)
        else:
            kind = ARG_FIELD if field_mask >> i & 1 else ARG_PIPE
            out.append(check_type(X, _node_of_arg(X, sid, i), a, typ, kind))
    return out


_ANY = frozenset(("interface {}", "any", "reflect.Value", ""))


def _node_of_arg(X: Exec, sid: int, i: int) -> Callable[[], n.Node]:
    return lambda: _arg_node(X, sid, i)


def _arg_node(X: Exec, sid: int, i: int) -> n.Node:
    # The piped-in final value is checked where the last argument (or the name) was.
    site = _site(X, sid)
    if i < len(site.args):
        return site.args[i]
    return site.args[-1] if site.args else site.ident


_INTS = ("int", "int64", "int32", "uint", "uint64", "uint32", "uint8")


def check_type(X: Exec, where: Callable[[], n.Node], v: Any, typ: str, kind: int) -> Any:
    """Go's validateType, for the parameter types the function library declares.

    `where` gives the node an error is reported at: the node table is rebuilt
    from source (parse + codegen) only when one is raised, not for a nil that
    a slice parameter accepts.
    """
    if typ in ("interface {}", "any", "reflect.Value") or not typ:
        return v
    if v is None:
        # A nil read straight from a map is a typed interface {} nil, which fits no
        # other type; a nil out of a pipeline is invalid, which nilable types accept.
        if kind == ARG_FIELD:
            raise X.error_at(where(), f"wrong type for value; expected {typ}; got interface {{}}")
        if typ.startswith(("[]", "map[", "*", "func")):
            return None
        raise X.error_at(where(), f"invalid value; expected {typ}")
    if _assignable(v, typ):
        return v
    raise X.error_at(where(), f"wrong type for value; expected {typ}; got {go_type_name(v)}")


def _assignable(v: Any, typ: str) -> bool:
    if typ == "string":
        return isinstance(v, str)
    if typ == "bool":
        return isinstance(v, bool)
    if typ in _INTS:
        if isinstance(v, bool) or not isinstance(v, int):
            return False
        # An int64 never fits an `int` parameter; plain ints we accept for both.
        return not (typ == "int" and isinstance(v, Int64))
    if typ in ("float64", "float32"):
        return isinstance(v, float)
    if typ.startswith("[]"):
        if typ == "[]uint8" or typ == "[]byte":
            return isinstance(v, (bytes, GoBytes))
        return isinstance(v, list) and (typ == "[]interface {}" or getattr(v, "go_type", typ) == typ)
    if typ.startswith("map["):
        return isinstance(v, dict)
    # Any other Go type (time.Time, *semver.Version, sprig.certificate, ...) must match exactly.
    return go_type_name(v) == typ


# --- statements -------------------------------------------------------------------


def range_items(X: Exec, nid: int, v: Any) -> Iterator[tuple[Any, Any]]:
    """Go's range: (index or key, element); maps in sorted key order; an int n gives 0..n-1.

    Each loop's length is charged to the render's step budget before it starts,
    so nested runaway loops stop without a per-iteration cost.
    """
    if isinstance(v, (list, tuple, dict, int, bytes)) and not isinstance(v, bool):
        shared = X.engine.shared
        shared.range_steps += len(v) if not isinstance(v, int) else max(v, 0)
        if shared.range_steps > MAX_RANGE_STEPS:
            raise X.error(nid, range_steps_exceeded(shared.range_steps))
    if v is None:
        return iter(())
    if isinstance(v, dict):
        return ((k, v[k]) for k in sorted(v))
    if isinstance(v, (list, tuple)):
        return enumerate(v)
    if isinstance(v, bool):
        raise X.error(nid, f"range can't iterate over {go_value_text(v)}")
    if isinstance(v, int):
        if v < 0:
            return iter(())
        return ((i, i) for i in range(v))
    if isinstance(v, (bytes, GoBytes)):
        return enumerate(v)
    raise X.error(nid, f"range can't iterate over {go_value_text(v)}")


def range_or_else(X: Exec, nid: int, v: Any) -> tuple[Iterator[tuple[Any, Any]], bool]:
    """A range with an else branch: its passes, and whether Go takes the else branch.

    Go decides before the first pass, by the value's length (walkRange), so a
    body that breaks out of its first pass, or changes the map it ranges over,
    does not change the decision.
    """
    items = range_items(X, nid, v)
    if v is None:
        return items, True
    if isinstance(v, int):
        return items, v <= 0
    return items, len(v) == 0


def go_value_text(v: Any) -> str:
    # deferred: only go_value_text() needs it: 2 modules this one does not otherwise load
    from ..golang.gofmt import format_value

    return format_value(v)


def set_var(frame: list[Any], slot: int, value: Any) -> str:
    """`$x := v` / `$x = v` inside an action: store and print nothing."""
    frame[slot] = value
    return ""


def set_var_value(frame: list[Any], slot: int, value: Any) -> Any:
    """`if $x := v`: store and hand the value on to the test."""
    frame[slot] = value
    return value


def exec_template(X: Exec, nid: int, name: str, dot: Any) -> str:
    """`{{template "name" dot}}`."""
    return X.engine.execute(name, dot, X, nid)  # type: ignore[no-any-return]
