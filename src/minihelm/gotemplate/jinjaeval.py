"""codegen's Jinja2 node trees (codegen.py) -> a render function that evaluates them directly.

A tree's first run need not wait for Jinja2's code generator and `compile`
(jinjacompile.py), two fifths of a cold render: the node tree codegen built
is evaluated here as it stands, and the engine compiles it later for the
cache.  The evaluation is the Python Jinja2 writes for the same nodes, step
for step (tests/gotemplate/test_jinjaeval.py runs every probe both ways):

    Output    each child in order: its text, or str() of its value
    If        Python's truth of the test; elif_ is never written
    With      values evaluated in the outer scope, then bound; unbound after
    For       (K, D) bound per item; the else branch runs unless one pass
              finished its body (Jinja2's iteration flag is cleared at the end
              of the body, so a pass left by break or continue does not count)
    And/Or    Python's, short-circuiting and returning the deciding operand
    Call, Getitem, Tuple, Name, Const, Neg   as Python evaluates them

Only the nodes codegen writes are known; any other is a TypeError when its
statement list is first run, which the engine never meets (codegen writes
nothing else).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jinja2 import nodes as J

from .codegen import Deferred

Scope = dict[str, Any]
Expr = Callable[[Scope], Any]
Stmt = Callable[[Scope], Iterator[str]]
_UNBOUND = object()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def render_function(template: J.Template, names: Mapping[str, Any]) -> Callable[[Scope], Iterator[str]]:
    """jinjaexec.bind's counterpart: own names (D, R, V, X) -> the output pieces."""
    body = _block(template.body)

    def render(own: Scope) -> Iterator[str]:
        # Jinja2's context resolves the call's own names before the globals.
        return body({**names, **own})

    return render


def _block(nodes: list[J.Node]) -> Stmt:
    """A statement list, translated when it first runs: most of a chart's branches
    (features switched off) never do."""
    stmts: list[Stmt] | None = None

    def run(sc: Scope) -> Iterator[str]:
        nonlocal stmts
        if stmts is None:
            if nodes and type(nodes[0]) is Deferred:  # a lazy generate's list: written now
                grow(sc["V"], nodes[0].expand())
            stmts = [_stmt(node) for node in nodes]
        for stmt in stmts:
            yield from stmt(sc)

    return run


def grow(slots: list[Any], needed: int) -> None:
    """Variable slots for what a lazy generate has given out so far (Deferred.expand)."""
    if len(slots) < needed:
        slots.extend([None] * (needed - len(slots)))


def _stmt(node: J.Node) -> Stmt:
    kind = type(node)
    if kind is J.Output:
        return _output(node)  # type: ignore[arg-type]
    if kind is J.If:
        return _if(node)  # type: ignore[arg-type]
    if kind is J.With:
        return _with(node)  # type: ignore[arg-type]
    if kind is J.For:
        return _for(node)  # type: ignore[arg-type]
    if kind is J.Break:
        return _raise(_Break)
    if kind is J.Continue:
        return _raise(_Continue)
    raise TypeError(f"jinjaeval: no statement {kind.__name__}")


def _raise(exc: type[Exception]) -> Stmt:
    def run(sc: Scope) -> Iterator[str]:
        raise exc
        yield ""  # a generator, like every statement

    return run


def _output(node: J.Output) -> Stmt:
    parts: list[tuple[bool, Any]] = [
        (True, child.data) if type(child) is J.TemplateData else (False, _expr(child))
        for child in node.nodes]

    def run(sc: Scope) -> Iterator[str]:
        for is_text, part in parts:
            yield part if is_text else str(part(sc))

    return run


def _if(node: J.If) -> Stmt:
    if node.elif_:
        raise TypeError("jinjaeval: codegen writes no elif")
    test, body, other = _expr(node.test), _block(node.body), _block(node.else_)

    def run(sc: Scope) -> Iterator[str]:
        yield from body(sc) if test(sc) else other(sc)

    return run


def _with(node: J.With) -> Stmt:
    targets = [t.name for t in node.targets]  # type: ignore[attr-defined]
    values = [_expr(v) for v in node.values]
    body = _block(node.body)

    def run(sc: Scope) -> Iterator[str]:
        bound = [v(sc) for v in values]
        saved = [sc.get(t, _UNBOUND) for t in targets]
        sc.update(zip(targets, bound))
        try:
            yield from body(sc)
        finally:
            _restore(sc, targets, saved)

    return run


def _restore(sc: Scope, targets: list[str], saved: list[Any]) -> None:
    for t, old in zip(targets, saved):
        if old is _UNBOUND:
            sc.pop(t, None)
        else:
            sc[t] = old


def _for(node: J.For) -> Stmt:
    if node.recursive or node.test is not None:
        raise TypeError("jinjaeval: codegen writes no loop filter or recursion")
    targets = [t.name for t in node.target.items]  # type: ignore[attr-defined]
    source, body = _expr(node.iter), _block(node.body)
    other = _block(node.else_) if node.else_ else None

    def run(sc: Scope) -> Iterator[str]:
        items = source(sc)
        saved = [sc.get(t, _UNBOUND) for t in targets]
        finished_one = False
        try:
            for item in items:
                sc.update(zip(targets, item))
                try:
                    yield from body(sc)
                except _Continue:
                    continue
                except _Break:
                    break
                finished_one = True
        finally:
            _restore(sc, targets, saved)
        if other is not None and not finished_one:
            yield from other(sc)

    return run


def _expr(node: J.Node) -> Expr:
    kind = type(node)
    if kind is J.Name:
        name = node.name  # type: ignore[attr-defined]
        return lambda sc: sc[name]
    if kind is J.Const:
        value = node.value  # type: ignore[attr-defined]
        return lambda sc: value
    if kind is J.Call:
        return _call(node)  # type: ignore[arg-type]
    if kind is J.Getitem:
        obj, key = _expr(node.node), _expr(node.arg)  # type: ignore[attr-defined]
        return lambda sc: obj(sc)[key(sc)]
    if kind is J.Tuple:
        items = [_expr(i) for i in node.items]  # type: ignore[attr-defined]
        return lambda sc: tuple([i(sc) for i in items])
    if kind is J.Neg:
        inner = _expr(node.node)  # type: ignore[attr-defined]
        return lambda sc: -inner(sc)
    if kind is J.And:
        left, right = _expr(node.left), _expr(node.right)  # type: ignore[attr-defined]
        return lambda sc: left(sc) and right(sc)
    if kind is J.Or:
        left, right = _expr(node.left), _expr(node.right)  # type: ignore[attr-defined]
        return lambda sc: left(sc) or right(sc)
    raise TypeError(f"jinjaeval: no expression {kind.__name__}")


def _call(node: J.Call) -> Expr:
    if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
        raise TypeError("jinjaeval: codegen writes positional calls only")
    fn = _expr(node.node)
    args = [_expr(a) for a in node.args]
    consts = [a.value for a in node.args if type(a) is J.Const]  # type: ignore[attr-defined]
    if type(node.node) is J.Name and len(consts) == len(args):
        # A helper with constant arguments (ERR, WN, I64): no per-argument closures to run.
        name = node.node.name
        return lambda sc: sc[name](*consts)
    return lambda sc: fn(sc)(*[a(sc) for a in args])
