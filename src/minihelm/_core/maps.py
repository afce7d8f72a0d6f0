"""Two value maps -> one: helm's loader.MergeMaps, done by deepmerge.

The later map wins; nested maps merge recursively; lists and scalars are
replaced whole; a null is kept (it deletes a chart default later, during
coalescing).  Neither input is changed: the earlier map's nested maps are
copied before deepmerge merges into them.
"""

from __future__ import annotations

from typing import Any

from deepmerge import Merger

# Maps merge, everything else (lists, scalars, a type clash) is overridden by
# the later value, exactly as MergeMaps' `out[k] = v`.
_HELM_MERGE = Merger([(dict, ["merge"])], ["override"], ["override"])


def _copy_maps(m: dict[str, Any]) -> dict[str, Any]:
    return {k: _copy_maps(v) if type(v) is dict else v for k, v in m.items()}


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """A new map: `b` over `a` by helm's MergeMaps rules."""
    return _HELM_MERGE.merge(_copy_maps(a), b)  # type: ignore[no-any-return]
