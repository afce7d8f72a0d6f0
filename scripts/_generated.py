"""A generated file's path and new text -> written, or with --check compared: the tail of every
scripts/gen_*.py (docs/cli.md, docs/functions.md, src/minihelm/funcs/catalog.py)."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(target: Path, text: str, script: str, check: bool) -> int:
    """Exit status: with `check`, 1 when `target` is not `text`; else `target` is (re)written."""
    root = Path(__file__).resolve().parent.parent
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target.relative_to(root)} is stale: run python scripts/{script}",
                  file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(root)}")
    return 0
