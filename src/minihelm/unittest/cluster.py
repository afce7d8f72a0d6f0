"""kubernetesProvider objects -> what `lookup` answers in a chart test (helm-unittest's fake client).

A `lookup` with a name returns the matching object or an empty map; with an
empty name it returns a `<Kind>List` of the matches, sorted by namespace and
name as Kubernetes' fake object tracker lists them.  An empty namespace
matches objects in any namespace.
"""

from __future__ import annotations

from typing import Any


class FakeCluster:
    """The objects a test's `lookup` calls can find."""

    def __init__(self, objects: list[Any]) -> None:
        self.objects = [o for o in objects if isinstance(o, dict)]

    def __call__(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        found = [o for o in self.objects
                 if o.get("apiVersion") == api_version and o.get("kind") == kind
                 and (not namespace or _meta(o, "namespace") == namespace)
                 and (not name or _meta(o, "name") == name)]
        if name:
            return dict(found[0]) if found else {}
        found.sort(key=lambda o: (_meta(o, "namespace"), _meta(o, "name")))
        return {"apiVersion": api_version, "items": [dict(o) for o in found],
                "kind": f"{kind}List", "metadata": {"continue": "", "resourceVersion": ""}}


def _meta(o: dict[str, Any], field: str) -> str:
    md = o.get("metadata")
    v = md.get(field) if isinstance(md, dict) else None
    return v if isinstance(v, str) else ""
