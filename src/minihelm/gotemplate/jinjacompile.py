"""codegen's Jinja2 node trees (gotemplate/codegen.py) -> Python code objects, for tplcache.

Only compiling needs Jinja2's environment and code generator; running the
code does not (jinjaexec.py), so this module and jinja2 are imported only
when a template must be translated: a cold render, a changed file, a fresh
`tpl` text.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes as jnodes
from jinja2.compiler import CodeGenerator


class _DirectCalls(CodeGenerator):
    """Jinja2's code generator, but calls are plain Python calls.

    Jinja2 routes every call through Context.call to support functions that
    take the context; the runtime helpers never do, so the check is pure
    overhead on the hottest path (several per template action).
    """

    def pull_dependencies(self, nodes: Iterable[jnodes.Node]) -> None:
        """Nothing to pull: codegen never writes a filter or a test.

        Jinja2 walks each whole template here to import the filters and tests
        it uses; the walk found nothing and cost a fifth of compiling.
        """

    def visit_Call(self, node: jnodes.Call, frame: Any, forward_caller: bool = False) -> None:
        self.visit(node.node, frame)
        self.write("(")
        for i, arg in enumerate(node.args):
            if i:
                self.write(", ")
            self.visit(arg, frame)
        self.write(")")


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The one environment every template is compiled with (made on first use)."""
    global _ENV
    if _ENV is None:
        # No extensions: codegen builds Break/Continue nodes itself; loopcontrols only
        # parses them from source, and importing jinja2.ext costs every render 1 ms.
        # optimized=False: Jinja2's optimizer walks every expression trying to fold
        # constants, and codegen leaves it nothing to fold but `-1` (Python folds that
        # itself): a seventh of Jinja2's time over the corpus, for the same code.
        _ENV = jinja2.Environment(autoescape=False, keep_trailing_newline=True, cache_size=0,
                                  optimized=False)
        _ENV.code_generator_class = _DirectCalls
    return _ENV


def compile_template(template: jnodes.Template, name: str) -> CodeType:
    """A Jinja2 template node tree -> the code of the module Jinja2 writes for it."""
    env = environment()
    # No template.set_environment(env): a node needs its environment only to be
    # folded without an evaluation context, and the code generator always passes
    # one; the walk over every node was another seventh of Jinja2's time.
    py = env.compile(template, name=name, raw=True)  # a node tree: no Jinja2 parsing
    return compile(py, f"<template {name}>", "exec")
