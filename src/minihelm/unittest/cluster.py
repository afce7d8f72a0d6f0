"""kubernetesProvider objects and scheme -> what `lookup` answers in a chart test (helm-unittest's fake client).

helm-unittest hands helm a fake dynamic client per `lookup` call, built
from the objects and the scheme entry `<apiVersion>/<kind>`:

- objects are stored under the resource Kubernetes guesses from their kind
  (Pod -> pods, Ingress -> ingresses, Policy -> policies) and their own
  metadata.namespace;
- the lookup reads the scheme entry's `gvr` and reads the namespace only
  when the entry says `namespaced: true`.

So a kind without a scheme entry, or whose `gvr` differs from the guessed
resource, finds nothing.  With a name, `lookup` returns the object or an
empty map.  With an empty name it returns a `<Kind>List` of the matches,
sorted by namespace and name as the fake object tracker lists them.
"""

from __future__ import annotations

from typing import Any


class FakeCluster:
    """The objects a test's `lookup` calls can find."""

    def __init__(self, objects: list[Any], scheme: dict[str, Any] | None = None) -> None:
        self.objects = [o for o in objects if isinstance(o, dict)]
        self.scheme = scheme or {}

    def __call__(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        entry = self.scheme.get(f"{api_version}/{kind}".strip("/"))
        props: dict[str, Any] = entry if isinstance(entry, dict) else {}
        raw = props.get("gvr")
        gvr: dict[str, Any] = raw if isinstance(raw, dict) else {}
        want = (_text(gvr.get("group")), _text(gvr.get("version")), _text(gvr.get("resource")))
        ns = namespace if props.get("namespaced") is True else ""
        found = [o for o in self.objects if _guess_gvr(o) == want
                 and (not ns or _meta(o, "namespace") == ns)
                 and (not name or _meta(o, "name") == name)]
        if name:
            if ns == "":
                found = [o for o in found if _meta(o, "namespace") == ""]
            return dict(found[0]) if found else {}
        found.sort(key=lambda o: (_meta(o, "namespace"), _meta(o, "name")))
        return {"apiVersion": api_version, "items": [dict(o) for o in found],
                "kind": f"{kind}List", "metadata": {"continue": "", "resourceVersion": ""}}


def _guess_gvr(o: dict[str, Any]) -> tuple[str, str, str]:
    """meta.UnsafeGuessKindToResource over the object's apiVersion and kind."""
    api, kind = _text(o.get("apiVersion")), _text(o.get("kind"))
    group, _, version = api.rpartition("/")
    low = kind.lower()
    if not low:
        plural = ""
    elif low.endswith("s"):
        plural = low + "es"
    elif low.endswith("y"):
        plural = low[:-1] + "ies"
    else:
        plural = low + "s"
    return group, version, plural


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


def _meta(o: dict[str, Any], field: str) -> str:
    md = o.get("metadata")
    return _text(md.get(field)) if isinstance(md, dict) else ""
