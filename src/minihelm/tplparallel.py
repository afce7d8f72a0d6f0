"""Many uncached template files or trees -> parsed and compiled on every core.

A cold render of a large chart spends most of its time parsing templates and
in Jinja2's code generator, one at a time.  When the machine has more than
one core, forked children take shares of the work and send back what a disk
cache entry holds (marshal); the parent does its own share meanwhile:

    prefill     whole files the cache lacks: parse, translate, compile
    precompile  trees parsed but not compiled yet (whatever prefill left)

Whatever goes wrong in a child only means the parent does that work itself
later, as it would without this module: a file that fails to parse is parsed
again in order by the engine, which reports helm's error.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Container, Iterable
from typing import Any

from .tplcache import Params, TemplateCache, TreeCode, compile_tree

# Below this many trees (or template bytes) a fork costs more than it saves.
MIN_TREES = 40
MIN_PREFILL_BYTES = 64 * 1024


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def prefill(cache: TemplateCache, files: list[tuple[str, str]], funcs: Container[str],
            params: Params, fp: str) -> None:
    """Parse and compile every tree of the files the cache lacks, over the machine's cores."""
    todo = [(name, src) for name, src in files if not cache.known(name, src, fp)]
    cores = _cores()
    if (cores < 2 or sum(len(src) for _, src in todo) < MIN_PREFILL_BYTES
            or not hasattr(os, "fork")):
        return
    shares = _balanced(todo, cores)
    children = _spawn(_prefill_child, shares[1:], (cache, funcs, params, fp))
    _compile_files(cache, shares[0], funcs, params, fp)
    for proc, recv, share in children:
        try:
            rows = marshal.loads(recv.recv_bytes())
        except (EOFError, OSError, ValueError):
            rows = []  # the child failed: the engine parses these files itself
        finally:
            recv.close()
        for (name, src), file_rows in zip(share, rows):
            if file_rows is not None:
                cache.adopt(name, src, fp, file_rows)
        proc.join()


def _balanced(files: list[tuple[str, str]], n: int) -> list[list[tuple[str, str]]]:
    """n shares of about equal source size, biggest files dealt first."""
    shares: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    sizes = [0] * n
    for item in sorted(files, key=lambda f: -len(f[1])):
        i = sizes.index(min(sizes))
        shares[i].append(item)
        sizes[i] += len(item[1])
    return shares


def _compile_files(cache: TemplateCache, files: list[tuple[str, str]], funcs: Container[str],
                   params: Params, fp: str) -> list[Any]:
    """Each file's stored rows, or None where it does not parse (the engine reports it)."""
    from .errors import MinihelmError

    out: list[Any] = []
    for name, src in files:
        try:
            trees = cache.compile_file(name, src, funcs, params, fp)
        except (MinihelmError, RecursionError):
            out.append(None)
            continue
        for tc in trees.values():
            if not tc.compiled and not tc.empty:
                cache.code_for(tc, funcs, params)
        out.append(cache.rows(name, src, fp))
    return out


def _prefill_child(share: list[tuple[str, str]], cache: TemplateCache, funcs: Container[str],
                   params: Params, fp: str, send: Any) -> None:
    """In the forked child: parse and compile the share, send its rows."""
    _run_child(send, lambda: _compile_files(cache, share, funcs, params, fp))


def _run_child(send: Any, work: Callable[[], Any]) -> None:
    """The body of a forked child: send what `work` returns, then leave without cleanup.

    Any failure sends nothing, and the parent does that share itself.
    """
    status = 1
    try:
        send.send_bytes(marshal.dumps(work()))
        status = 0
    except BaseException:  # noqa: BLE001, S110 - the parent falls back on its own
        pass
    finally:
        os._exit(status)


def _spawn(target: Any, shares: list[Any], args: tuple[Any, ...]) -> list[tuple[Any, Any, Any]]:
    """A forked child per share running target(share, *args, send); (process, pipe, share)."""
    import multiprocessing

    from .jinjacompile import environment

    environment()  # jinja2 imported once, in the parent, rather than in every child
    ctx = multiprocessing.get_context("fork")
    sys.stdout.flush()  # a child must not inherit (and later write) buffered output
    sys.stderr.flush()
    children = []
    for share in shares:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=target, args=(share, *args, send), daemon=True)
        proc.start()
        send.close()
        children.append((proc, recv, share))
    return children


def precompile(cache: TemplateCache, trees: Iterable[TreeCode], funcs: Container[str],
               params: Params) -> None:
    """Compile every tree that has none yet, spread over the machine's cores."""
    todo = [tc for tc in trees if tc.code is None and tc.tree is not None and not tc.empty]
    cores = _cores()
    if cores < 2 or len(todo) < MIN_TREES or not hasattr(os, "fork"):
        return
    shares = [todo[i::cores] for i in range(cores)]
    children = _spawn(_child, shares[1:], (params,))
    for tc in shares[0]:
        cache.code_for(tc, funcs, params)
    for proc, recv, share in children:
        _collect(cache, recv, share)
        proc.join()


def _collect(cache: TemplateCache, recv: Any, share: list[TreeCode]) -> None:
    try:
        rows = marshal.loads(recv.recv_bytes())
    except (EOFError, OSError, ValueError):
        return  # the child failed: these trees compile on first use
    finally:
        recv.close()
    for tc, (code, nslots) in zip(share, rows):
        if tc.code is None:
            tc.code, tc.nslots = code, nslots
            cache.mark_dirty(tc)


def _child(share: list[TreeCode], params: Params, send: Any) -> None:
    """In the forked child: compile the share's trees and send (code, slots) for each."""
    def compile_share() -> list[tuple[Any, int]]:
        rows = []
        for tc in share:
            code, gen = compile_tree(tc.name, tc.tree, params)
            rows.append((code, gen.nslots))
        return rows

    _run_child(send, compile_share)
