"""The environment -> the folder every on-disk cache of minihelm lives under.

`$MINIHELM_CACHE_DIR`, else `$XDG_CACHE_HOME/minihelm`, else `~/.cache/minihelm`.
Kept apart from tplcache so that the replay fast path can find the folder
without importing jinja2 or pathlib.
"""

from __future__ import annotations

import os


def cache_root() -> str:
    explicit = os.environ.get("MINIHELM_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "minihelm")
