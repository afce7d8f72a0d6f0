"""Parsed trees (gotemplate) -> compiled Jinja2 templates, cached in memory and on disk.

A tree is translated (codegen) and compiled once per process; the compiled
Python code is also kept on disk, keyed by a hash of the template source, the
tree's name and minihelm's version, so a second run of a chart neither
translates nor compiles again.  The folder is `$MINIHELM_CACHE_DIR`, else
`$XDG_CACHE_HOME/minihelm`, else `~/.cache/minihelm`; entries are written
atomically, and an unreadable entry is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2

from .gotemplate import codegen
from .gotemplate import nodes as n

CACHE_FORMAT = "1"


@dataclass
class Compiled:
    template: jinja2.Template
    nodes: list[n.Node]
    texts: list[str]
    nslots: int


def default_cache_dir() -> Path:
    explicit = os.environ.get("MINIHELM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "minihelm"


class TemplateCache:
    """Compiled templates by tree; `directory=None` keeps them in memory only."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._mem: dict[int, tuple[n.Tree, Compiled]] = {}

    def get(self, tree: n.Tree, params: Mapping[str, tuple[tuple[str, ...], bool]],
            env: jinja2.Environment) -> Compiled:
        hit = self._mem.get(id(tree))
        if hit is not None and hit[0] is tree:
            return hit[1]
        compiled = self._build(tree, params, env)
        self._mem[id(tree)] = (tree, compiled)
        return compiled

    def _build(self, tree: n.Tree, params: Mapping[str, tuple[tuple[str, ...], bool]],
               env: jinja2.Environment) -> Compiled:
        gen = codegen.generate(tree, params)
        key = self._key(tree, gen.source)
        code = self._load(key) if self.directory is not None else None
        if code is None:
            source = env.compile(gen.source, name=tree.name, raw=True)
            code = compile(source, f"<template {tree.name}>", "exec")
            if self.directory is not None:
                self._store(key, code)
        template = jinja2.Template.from_code(env, code, env.globals)
        return Compiled(template, gen.nodes, gen.texts, gen.nslots)

    @staticmethod
    def _key(tree: n.Tree, jinja_source: str) -> str:
        from . import __version__

        h = hashlib.sha256()
        for part in (CACHE_FORMAT, __version__, sys.version, jinja2.__version__, jinja_source):
            h.update(part.encode("utf-8", "surrogateescape"))
            h.update(b"\0")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}.code"

    def _load(self, key: str) -> Any:
        try:
            return marshal.loads(self._path(key).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None  # missing or corrupt: rebuild it

    def _store(self, key: str, code: Any) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(code))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full cache folder only costs speed
