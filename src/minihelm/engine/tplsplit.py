"""A cold CLI render's template files (run.py) -> the last templates of the run order, rendered by a forked helper while this process parses and renders the rest.

With first runs evaluated from their trees (tplcache.first_run), a cold render
is parsing and evaluating, both in proportion to the templates' text, on one
core.  Helm runs the top-level templates one after another, in parse order,
and a template sees what earlier ones changed in shared maps (`set` on
.Values).  So the work splits at a point of that order:

    helper   parses every file that defines something (an underscore name, or
             `define`/`block` in its text) and the files of a suffix B,
             then renders B from the scope as it is before any template ran,
             and sends each text back (marshal)
    here     parses the defining files and the rest, renders the prefix A;
             B's files are left unparsed (run.py parses one if A asks for it
             by name, as an `include` of `$.Template.BasePath` does)

B's texts are the ones a serial run prints exactly when A changed no shared
map (the replay recorder watches every `set`, `merge` and `unset`).  When it
did, or when the helper fails in any way (a parse or execution error, a
stored text to reuse), this process parses and renders B itself, in order,
as it would without this module, so output and errors are always the serial
ones.  What the helper's templates told the recorder (volatile calls, changes
to shared maps) is told again here, in order, with each text.
"""

from __future__ import annotations

import os
import posixpath
import random
import re
from typing import TYPE_CHECKING, NamedTuple

from .._core.recorder import recorder
from . import tplparallel

if TYPE_CHECKING:
    from .run import Engine, Renderable

# Less cold template text than this, and a fork costs more than it saves.
MIN_SPLIT_BYTES = 256 * 1024
# A superset of the ways a file can define a template: `{{define`, `{{- block`, ...
_DEFINES = re.compile(r"\{\{-?\s*(?:define|block)\b")
# `set .Values.global.redis "password" ...`, `mergeOverwrite $.Values ...`: a chart that
# changes its values in place (bitnami keeps generated passwords there) makes the
# helper's texts unusable, so it is not worth a fork.  A guess from the text only
# (literal-led patterns, a few ms on 4 MB): the check after A is what decides.
_CHANGES_VALUES = (re.compile(r"set +\(?\$?[\w.]*?\.Values\b"),
                   re.compile(r"erge\w* +\(?\$?[\w.]*?\.Values\b"))


class Split(NamedTuple):
    """Which files each process parses, and which templates the helper renders."""

    later: list[str]  # B: the helper renders these, a suffix of the run order
    helper_files: list[str]  # what the helper parses, in parse order
    own_files: list[str]  # what this process parses: all but B's files that define nothing
    # B's files are only compiled by the helper (files, in parse order), and rendered here
    compile_only: bool = False


# A compile split's B: about this share of the cold text.  The helper parses and compiles
# it (4.5 times the cost of parsing it, tplparallel.COMPILE_COST_OVER_PARSE, or more)
# while this process parses the rest and renders A, whose first runs translate only the
# branches that run (codegen.Deferred): bitnami airflow waits least for the helper at 0.2
# (0.3 waited 0.12 s of a 0.66 s render, 0.15 parsed more here than it saved).
COMPILE_SHARE = 0.2


def plan(files: list[tuple[str, str]], run_order: list[str], unknown_bytes: int) -> Split | None:
    """Split when there is enough cold text and a second core.

    Both processes parse the defining files; B, taken from the end of the run
    order, holds about half of the text of the others (a defining file in B is
    run by the helper and only parsed here).
    """
    if unknown_bytes < MIN_SPLIT_BYTES or tplparallel.cores() < 2 or not hasattr(os, "fork"):
        return None
    defining = {name for name, src in files
                if posixpath.basename(name).startswith("_") or _DEFINES.search(src)}
    size = {name: len(src) for name, src in files}
    if any(p.search(src) for _, src in files for p in _CHANGES_VALUES):
        return _compile_plan(files, run_order, defining, size, unknown_bytes)
    later = _suffix(run_order, defining, size,
                    sum(size[n] for n in run_order if n not in defining) / 2)
    if later is None:
        return None
    b = set(later)
    helper_files = [name for name, _ in files if name in defining or name in b]
    own_files = [name for name, _ in files if name in defining or name not in b]
    return Split(later, helper_files, own_files)


def _compile_plan(files: list[tuple[str, str]], run_order: list[str], defining: set[str],
                  size: dict[str, int], unknown_bytes: int) -> Split | None:
    """A chart that changes its values in place renders in order, here; the helper only
    parses and compiles the files of B (a suffix of the run order) that define nothing, so
    this process renders them compiled instead of parsing and evaluating them."""
    later = _suffix(run_order, defining, size, COMPILE_SHARE * unknown_bytes)
    if later is None:
        return None
    b = {name for name in later if name not in defining}
    helper_files = [name for name, _ in files if name in b]
    own_files = [name for name, _ in files if name not in b]
    return Split(later, helper_files, own_files, compile_only=True)


def _suffix(run_order: list[str], defining: set[str], size: dict[str, int],
            budget: float) -> list[str] | None:
    """B: the shortest suffix of the run order whose files that define nothing hold
    `budget` bytes; None when that is too little to be worth a fork, or all of it."""
    later: list[str] = []
    taken = 0
    for name in reversed(run_order):
        if taken >= budget:
            break
        later.append(name)
        taken += 0 if name in defining else size[name]
    if taken < MIN_SPLIT_BYTES / 4 or len(later) == len(run_order):
        return None
    later.reverse()
    return later


Rows = list[tuple[str, str, int, bool]]  # B's (template, text, volatile calls, shared changed)


def start(engine: Engine, tpls: dict[str, Renderable], split: Split) -> tplparallel.Child:
    """Fork the helper that renders B (tplparallel's fork and pipe)."""
    (child,) = tplparallel.spawn(_helper, [split], (engine, tpls))
    return child


def rows(helper: tplparallel.Child) -> Rows | None:
    """The helper's rows, or None if it failed; it is reaped either way."""
    reply = helper.receive()
    return reply if isinstance(reply, list) else None


def _helper(split: Split, engine: Engine, tpls: dict[str, Renderable], send: int) -> None:
    tplparallel.run_child(send, lambda: _render_later(engine, tpls, split))


def _render_later(engine: Engine, tpls: dict[str, Renderable], split: Split) -> Rows:
    """In the helper: parse, render B.  Any failure raises, and sends nothing."""
    random.seed()  # not the parent's sequence: generated passwords must differ
    for name in split.helper_files:
        engine.add(name, tpls[name].source)
    rec = recorder()
    out: Rows = []
    for name in split.later:
        r = tpls[name]
        r.prepare()
        if rec.reused(name) is not None:
            raise LookupError(name)  # a replay's stored text: the parent asks itself
        before = rec.volatile_count()
        text = engine.run(name, r.scope).replace("<no value>", "")
        out.append((name, text, rec.volatile_count() - before, rec.changed_shared()))
    return out


def adopt(got: Rows, tpls: dict[str, Renderable], rendered: dict[str, str]) -> None:
    """Take B's texts as if they had rendered here, telling the recorder what they did."""
    rec = recorder()
    for name, text, volatile_calls, changed in got:
        r = tpls[name]
        r.prepare()
        before = rec.volatile_count()
        for _ in range(volatile_calls):
            rec.volatile()
        if changed and not rec.changed_shared():
            rec.mutating(r.scope["Values"])  # the helper's template changed a shared map
        rendered[name] = text
        rec.template_done(name, text, before)
