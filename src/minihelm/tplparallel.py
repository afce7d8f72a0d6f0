"""Many uncompiled template trees -> compiled on every core: forked helpers take a share.

A cold render of a large chart spends most of its time in Jinja2's compiler,
one tree at a time.  When many trees wait and the machine has more than one
core, forked children translate and compile shares of them and send the code
back (marshal); the parent compiles its own share meanwhile.  Whatever goes
wrong in a child only means its trees compile when they first run, as they
would without this module.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Container, Iterable
from typing import Any

import jinja2

from .tplcache import Params, TemplateCache, TreeCode, compile_tree

# Below this many trees a fork costs more than it saves.
MIN_TREES = 40


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def precompile(cache: TemplateCache, trees: Iterable[TreeCode], funcs: Container[str],
               params: Params, env: jinja2.Environment) -> None:
    """Compile every tree that has none yet, spread over the machine's cores."""
    todo = [tc for tc in trees if tc.code is None and tc.tree is not None and not tc.empty]
    cores = _cores()
    if cores < 2 or len(todo) < MIN_TREES or not hasattr(os, "fork"):
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    shares = [todo[i::cores] for i in range(cores)]
    sys.stdout.flush()  # a child must not inherit (and later write) buffered output
    sys.stderr.flush()
    children = []
    for share in shares[1:]:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(share, params, env, send), daemon=True)
        proc.start()
        send.close()
        children.append((proc, recv, share))
    for tc in shares[0]:
        cache.code_for(tc, funcs, params, env)
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


def _child(share: list[TreeCode], params: Params, env: jinja2.Environment, send: Any) -> None:
    """In the forked child: compile the share, send it, and leave without any cleanup."""
    status = 1
    try:
        rows = []
        for tc in share:
            code, gen = compile_tree(tc.name, tc.tree, params, env)
            rows.append((code, gen.nslots))
        send.send_bytes(marshal.dumps(rows))
        status = 0
    except BaseException:  # noqa: BLE001, S110 - the parent falls back on its own
        pass
    finally:
        os._exit(status)
