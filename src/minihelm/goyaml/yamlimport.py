"""The PyYAML package -> every module that loads or dumps YAML (import `yaml` from here).

PyYAML's `yaml.reader` compiles one regular expression when it is imported,
a negated class over most of Unicode.  CPython's sre fills a class's charset
one code point at a time, so that single compile is 3 ms of every process
that imports PyYAML -- 5% of a warm render, and minihelm never uses that
reader (it loads and dumps through libyaml).  Before PyYAML is imported we
put the same set of code points, written as its small complement, into the
`re` module's cache under PyYAML's pattern text, and `yaml.reader` gets it
from there.  If either side ever changes (a new PyYAML pattern, a new `re`
cache), PyYAML simply compiles its own pattern as before;
tests/goyaml/test_yamlimport.py checks that the two patterns match the same code points.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator

# yaml/reader.py, Reader.NON_PRINTABLE (PyYAML 5.1 to 6.0.x)
PYYAML_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
# the same code points, listed instead of excluded
NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _prefill() -> None:
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, PYYAML_NON_PRINTABLE, 0), re.compile(NON_PRINTABLE))


_prefill()

import yaml  # after the prefill: the point of this module

__all__ = ["paused_gc", "yaml"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector while a big YAML tree is built or emitted.

    Loading or dumping a 20 MB index makes about a million objects and no
    cycles; the collector's repeated passes over the growing tree cost more
    than making it.  The previous state is restored, so nesting is harmless.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
