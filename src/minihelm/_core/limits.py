"""Resource limits every stage consults, so hostile charts end with an error instead of eating memory.

Helm has no such caps (Go would allocate whatever `repeat` asks for); these are
additions on top of helm's behaviour, set far above what real charts need.
Each can be raised through an environment variable.
"""

from __future__ import annotations

import os

from ..errors import GoFuncError


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Bytes of text one template (or one string-building function) may produce.
MAX_OUTPUT_BYTES = _env_int("MINIHELM_MAX_OUTPUT_BYTES", 32 << 20)
# Iterations all `range` loops of one render may make together.
MAX_RANGE_STEPS = _env_int("MINIHELM_MAX_RANGE_STEPS", 5_000_000)
# Elements a list-building function (until, untilStep, seq) may produce.
MAX_LIST_ITEMS = _env_int("MINIHELM_MAX_LIST_ITEMS", 5_000_000)
# Nested template executions (template actions and includes together).
MAX_EXEC_DEPTH = _env_int("MINIHELM_MAX_EXEC_DEPTH", 10_000)
# Nesting of tpl inside tpl (helm bounds include only; tpl recursion is unbounded there).
MAX_TPL_DEPTH = _env_int("MINIHELM_MAX_TPL_DEPTH", 200)


def check_output_size(size: int) -> None:
    """Raise the template-function error for text larger than MAX_OUTPUT_BYTES."""
    if size > MAX_OUTPUT_BYTES:
        raise GoFuncError(
            f"output of {size} bytes exceeds minihelm's limit of {MAX_OUTPUT_BYTES} bytes "
            "(raise MINIHELM_MAX_OUTPUT_BYTES to allow it)")


def range_steps_exceeded(steps: int) -> str:
    return (f"range loops made more than {MAX_RANGE_STEPS} iterations "
            "(raise MINIHELM_MAX_RANGE_STEPS to allow it)")


def check_list_size(count: int) -> None:
    if count > MAX_LIST_ITEMS:
        raise GoFuncError(
            f"a list of {count} items exceeds minihelm's limit of {MAX_LIST_ITEMS} "
            "(raise MINIHELM_MAX_LIST_ITEMS to allow it)")
