"""Many uncached template files or trees -> parsed and compiled on every core.

A cold render of a large chart spends most of its time parsing templates and
in Jinja2's code generator, one at a time.  When the machine has more than
one core, forked children take shares of the work and send back what a disk
cache entry holds (marshal); the parent does its own share meanwhile:

    prefill     whole files the cache lacks: parse, translate, compile
    precompile  trees parsed but not compiled yet (whatever prefill left)

Both compile only the trees a render will likely run (likely_used): the
chart's own templates and the defines their text names, transitively.  A
library such as bitnami's common defines a hundred helpers of which a chart
calls a third; one it does call by a computed name is compiled on first use,
as everything was before this module.

Whatever goes wrong in a child only means the parent does that work itself
later, as it would without this module: a file that fails to parse is parsed
again in order by the engine, which reports helm's error.
"""

from __future__ import annotations

import marshal
import os
import posixpath
import re
import sys
from collections.abc import Callable, Container, Iterable
from typing import Any

from .tplcache import Params, TemplateCache, TreeCode, compile_tree

# Below this many trees (or template bytes) a fork costs more than it saves.
MIN_TREES = 40
MIN_PREFILL_BYTES = 64 * 1024


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# Compiled on first use (re caches them): a warm render never asks.
# `{{ define "name"` or `{{ block "name"`: where a define's text starts (defines do not nest)
_DEFINE = r"""\{\{-?\s*(?:define|block)\s+(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)"""
# every string literal, the names `include` and `template` take among them
_LITERAL = r""""((?:[^"\\\n]|\\.)*)"|`([^`]*)`"""


def likely_used(files: list[tuple[str, str]]) -> set[str]:
    """The names of the trees a render probably runs, read from the template text alone.

    A file that is not a partial runs; a define runs if a string literal in the
    text of something that runs names it.  A define's text is taken to reach
    the next define of its file: an over-estimate, which only compiles more.
    A name computed at run time is missed: that tree compiles on first use.
    """
    bodies: dict[str, list[str]] = {}
    todo: list[str] = []
    out: set[str] = set()
    for name, src in files:
        marks = list(re.finditer(_DEFINE, src))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(src)
            bodies.setdefault(m.group(1) or m.group(2) or "", []).append(src[m.end():end])
        if not posixpath.basename(name).startswith("_"):
            out.add(name)
            todo.append(src)
    while todo:
        for m in re.finditer(_LITERAL, todo.pop()):
            ref = m.group(1) or m.group(2) or ""
            if ref in bodies and ref not in out:
                out.add(ref)
                todo.extend(bodies[ref])
    return out


class LikelyUsed:
    """likely_used(files), worked out at the first question: a warm render asks none."""

    def __init__(self, files: list[tuple[str, str]]) -> None:
        self._files = files
        self._names: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            self._names = likely_used(self._files)
        return name in self._names


# A cold CLI run evaluates its own share's first runs from the trees (tplcache.first_run)
# and only parses it here, while a child parses and compiles its share.  Parsing and
# compiling a byte costs about this many times parsing it (kube-prometheus-stack), so
# a child's share is that much smaller than the parent's, and both finish together.
COMPILE_COST_OVER_PARSE = 4.5


def prefill(cache: TemplateCache, files: list[tuple[str, str]], funcs: Container[str],
            params: Params, fp: str, wanted: Container[str], evaluating: bool = False) -> None:
    """Parse the files the cache lacks and compile their `wanted` trees, over the machine's cores.

    evaluating: the engine evaluates first runs without code (the CLI): this process
    only parses its share, and the children's shares are smaller.
    """
    todo = [(name, src) for name, src in files if not cache.known(name, src, fp)]
    ncores = cores()
    if (ncores < 2 or sum(len(src) for _, src in todo) < MIN_PREFILL_BYTES
            or not hasattr(os, "fork")):
        return
    child = 1.0 / COMPILE_COST_OVER_PARSE if evaluating else 1.0
    shares = _balanced(todo, [1.0] + [child] * (ncores - 1))
    children = spawn(_prefill_child, shares[1:], (cache, funcs, params, fp, wanted))

    def own_share_then_theirs() -> None:
        if evaluating:
            _parse_files(cache, shares[0], funcs, params, fp)
        else:
            _compile_files(cache, shares[0], funcs, params, fp, wanted)
        for child in children:
            adopt_compiled(cache, child, fp)

    _reaping(children, own_share_then_theirs)


def spawn_compiler(cache: TemplateCache, share: list[tuple[str, str]], funcs: Container[str],
                   params: Params, fp: str, wanted: Container[str]) -> Child:
    """A forked child that parses and compiles the files of `share` (tplsplit.py's compile
    split); adopt_compiled takes its answer."""
    (child,) = spawn(_prefill_child, [share], (cache, funcs, params, fp, wanted))
    return child


def adopt_compiled(cache: TemplateCache, child: Child, fp: str) -> None:
    """Wait for a compiling child, and put the files it compiled in the cache's memory
    (a file it could not parse, or all of them if it failed: the engine parses them)."""
    rows = child.receive() or []
    for (name, src), file_rows in zip(child.share, rows):
        if file_rows is not None:
            cache.adopt(name, src, fp, file_rows)


def _balanced(files: list[tuple[str, str]], weights: list[float]) -> list[list[tuple[str, str]]]:
    """A share per weight, of source sizes in about those proportions, biggest files dealt first.

    Each file goes to the share that stays smallest for its weight once it holds it.
    """
    n = len(weights)
    shares: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    sizes = [0] * n
    for item in sorted(files, key=lambda f: -len(f[1])):
        i = min(range(n), key=lambda k: (sizes[k] + len(item[1])) / weights[k])
        shares[i].append(item)
        sizes[i] += len(item[1])
    return shares


def _parse_files(cache: TemplateCache, files: list[tuple[str, str]], funcs: Container[str],
                 params: Params, fp: str) -> None:
    """Parse each file into the cache's memory; one that fails is left for the engine to report."""
    # deferred: only _parse_files() needs it: 1 module this one does not otherwise load
    from ..errors import MinihelmError

    for name, src in files:
        try:
            cache.compile_file(name, src, funcs, params, fp)
        except (MinihelmError, RecursionError):
            pass


def _compile_files(cache: TemplateCache, files: list[tuple[str, str]], funcs: Container[str],
                   params: Params, fp: str, wanted: Container[str]) -> list[Any]:
    """Each file's stored rows, or None where it does not parse (the engine reports it)."""
    # deferred: only _compile_files() needs it: 1 module this one does not otherwise load
    from ..errors import MinihelmError

    out: list[Any] = []
    for name, src in files:
        try:
            trees = cache.compile_file(name, src, funcs, params, fp)
        except (MinihelmError, RecursionError):
            out.append(None)
            continue
        for tc in trees.values():
            if not tc.compiled and not tc.empty and tc.name in wanted:
                cache.code_for(tc, funcs, params)
        out.append(cache.rows(name, src, fp))
    return out


def _prefill_child(share: list[tuple[str, str]], cache: TemplateCache, funcs: Container[str],
                   params: Params, fp: str, wanted: Container[str], send: int) -> None:
    """In the forked child: parse and compile the share, send its rows."""
    run_child(send, lambda: _compile_files(cache, share, funcs, params, fp, wanted))


def run_child(send: int, work: Callable[[], Any]) -> None:
    """The body of a forked child: write what `work` returns to the pipe `send`
    (marshal), then leave without cleanup.

    Any failure sends nothing, and the parent does that share itself.
    """
    status = 1
    try:
        with os.fdopen(send, "wb") as out:
            out.write(marshal.dumps(work()))
        status = 0
    except BaseException:  # noqa: BLE001, S110 - the parent falls back on its own
        pass
    finally:
        os._exit(status)


class Child:
    """A forked helper: its pid, the read end of its pipe, and the share it works on
    (spawn; tplsplit.py forks its render helper with it too)."""

    def __init__(self, pid: int, fd: int, share: Any) -> None:
        self.pid, self.fd, self.share = pid, fd, share

    def receive(self) -> Any:
        """What the child sent, or None if it failed; the child is reaped either way."""
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                return marshal.loads(pipe.read())
        except (EOFError, OSError, ValueError, TypeError):
            return None
        finally:
            self.fd = -1
            os.waitpid(self.pid, 0)

    def stop(self) -> None:
        """Its answer is not wanted (the parent is failing, or does the work itself): end it."""
        import signal

        if self.fd >= 0:
            os.close(self.fd)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.fd = -1


def _reaping(children: list[Child], work: Callable[[], None]) -> None:
    """work(); if it fails (a Ctrl-C), no helper outlives the parent."""
    try:
        work()
    except BaseException:
        for child in children:
            child.stop()
        raise


def spawn(target: Any, shares: list[Any], args: tuple[Any, ...]) -> list[Child]:
    """A forked child per share running target(share, *args, send_fd).

    os.fork and a pipe, not multiprocessing: importing and starting that cost a
    cold render 7 ms, for a child that only writes one marshalled reply.
    """
    # deferred: only spawn() needs it, and it brings jinja2
    from ..gotemplate.jinjacompile import environment

    environment()  # jinja2 imported once, in the parent, rather than in every child
    sys.stdout.flush()  # a child must not inherit (and later write) buffered output
    sys.stderr.flush()
    children = []
    for share in shares:
        recv, send = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(recv)
                target(share, *args, send)
            finally:
                os._exit(1)
        os.close(send)
        children.append(Child(pid, recv, share))
    return children


def precompile(cache: TemplateCache, trees: Iterable[TreeCode], funcs: Container[str],
               params: Params, wanted: Container[str]) -> None:
    """Compile every `wanted` tree that has no code yet, spread over the machine's cores."""
    todo = [tc for tc in trees
            if tc.code is None and tc.tree is not None and not tc.empty and tc.name in wanted]
    ncores = cores()
    if ncores < 2 or len(todo) < MIN_TREES or not hasattr(os, "fork"):
        return
    shares = [todo[i::ncores] for i in range(ncores)]
    children = spawn(_child, shares[1:], (params,))

    def own_share_then_theirs() -> None:
        for tc in shares[0]:
            cache.code_for(tc, funcs, params)
        for child in children:
            _collect(cache, child.receive() or [], child.share)

    _reaping(children, own_share_then_theirs)


def _collect(cache: TemplateCache, rows: list[Any], share: list[TreeCode]) -> None:
    """Take the code a child compiled (none when it failed: those compile on first use)."""
    for tc, (code, nslots) in zip(share, rows):
        if tc.code is None:
            tc.code, tc.nslots = code, nslots
            cache.mark_dirty(tc)


def _child(share: list[TreeCode], params: Params, send: int) -> None:
    """In the forked child: compile the share's trees and send (code, slots) for each."""
    def compile_share() -> list[tuple[Any, int]]:
        rows = []
        for tc in share:
            code, gen = compile_tree(tc.name, tc.tree, params)
            rows.append((code, gen.nslots))
        return rows

    run_child(send, compile_share)
