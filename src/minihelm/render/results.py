"""Sorted manifests (manifests.Rendered) -> plain, read-only results for Python callers.

`RenderResult` is a sequence of `Resource`s in the order `helm template`
prints them, with `.get(kind, name)`; a resource's parsed object reads by
attribute (`res.spec.replicas`) through `ObjectView`, which never allows writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from .manifests import Manifest, Rendered, format_stream, split_documents


class ObjectView:
    """A read-only view of parsed YAML: map keys read as attributes or items.

    Maps give `view.key` and `view["key"]` (use the item form for keys such as
    `app.kubernetes.io/name`); lists give `view[0]`; scalars come back as they
    are. A view equals the plain data it wraps. `view._data` is that data.
    """

    __slots__ = ("_data", "_where")

    def __init__(self, data: Any, where: str = "") -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_where", where)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        if not isinstance(self._data, dict):
            raise AttributeError(  # noqa: TRY004 (attribute lookup must raise AttributeError)
                f"{self._where or 'value'} is a list, not a map: use [index]")
        if key not in self._data:
            raise AttributeError(f"no {key!r} in {self._where or 'the object'} "
                                 f"(keys: {', '.join(map(str, self._data)) or 'none'})")
        return wrap(self._data[key], f"{self._where}.{key}")

    def __getitem__(self, key: Any) -> Any:
        try:
            value = self._data[key]
        except (KeyError, IndexError, TypeError):
            raise KeyError(f"no {key!r} in {self._where or 'the object'}") from None
        return wrap(value, f"{self._where}[{key!r}]")

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("rendered objects are read-only")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("rendered objects are read-only")

    def __contains__(self, key: Any) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self._data, dict):
            return iter(self._data)
        return (wrap(v, f"{self._where}[{i}]") for i, v in enumerate(self._data))

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        return bool(self._data == (other._data if isinstance(other, ObjectView) else other))

    __hash__ = None  # type: ignore[assignment]  # views of maps and lists are unhashable

    def __repr__(self) -> str:
        return f"ObjectView({self._data!r})"


def wrap(value: Any, where: str = "") -> Any:
    """Maps and lists become ObjectViews; scalars stay themselves."""
    return ObjectView(value, where) if isinstance(value, (dict, list)) else value


@dataclass(frozen=True)
class Resource:
    """One rendered document: where it came from, its head, its text and its parsed object.

    Attributes that are not fields read from the object, so
    `res.spec.replicas` works; `res["metadata"]` does too.
    """

    path: str
    kind: str
    name: str
    api_version: str
    namespace: str
    text: str
    obj: Any
    hook_events: tuple[str, ...] = ()
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """`kind/name`, as kubectl names a resource."""
        return f"{self.kind}/{self.name}"

    @property
    def is_hook(self) -> bool:
        return bool(self.hook_events)

    def __getattr__(self, key: str) -> Any:
        # Only reached for names that are not fields: the object's top-level keys.
        if key.startswith("__"):
            raise AttributeError(key)
        return getattr(ObjectView(self.obj if isinstance(self.obj, dict) else {}, self.ref), key)

    def __getitem__(self, key: str) -> Any:
        return ObjectView(self.obj if isinstance(self.obj, dict) else {}, self.ref)[key]


class RenderResult(Sequence[Resource]):
    """Everything a rendering produced, as `helm template` prints it: CRDs, manifests, hooks.

    It is a sequence of Resources; `.text` is the exact stream helm prints
    and `.notes` the rendered NOTES.txt.
    """

    def __init__(self, resources: Sequence[Resource], text: str, notes: str) -> None:
        self._items = tuple(resources)
        self.text = text
        self.notes = notes

    @overload
    def __getitem__(self, i: int) -> Resource: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Resource]: ...

    def __getitem__(self, i: int | slice) -> Resource | Sequence[Resource]:
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"RenderResult([{', '.join(r.ref for r in self._items)}])"

    @property
    def hooks(self) -> list[Resource]:
        return [r for r in self._items if r.is_hook]

    def find(self, kind: str, name: str, namespace: str | None = None) -> Resource | None:
        """The first resource of that kind and name (and namespace, if given), else None."""
        for r in self._items:
            if r.kind == kind and r.name == name and namespace in (None, r.namespace):
                return r
        return None

    def get(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        """The resource of that kind and name; a KeyError listing what exists if there is none."""
        r = self.find(kind, name, namespace)
        if r is None:
            have = ", ".join(x.ref for x in self._items) or "nothing"
            raise KeyError(f"no {kind}/{name} in the rendering (it has: {have})")
        return r

    def of_kind(self, kind: str) -> list[Resource]:
        """Every resource of one kind, in output order."""
        return [r for r in self._items if r.kind == kind]


def from_rendered(r: Rendered, *, no_hooks: bool = False, skip_tests: bool = False) -> RenderResult:
    """The pipeline's sorted manifests -> a RenderResult (same order and filtering as the stream)."""
    # deferred: only from_rendered() needs it: 1 module this one does not otherwise load
    from ..goyaml.yamlio import load_yaml

    items: list[Resource] = []
    for path, content in r.crds:
        # A CRD file may hold several documents; helm prints the file whole.
        for doc in split_documents(content):
            obj = load_yaml(doc, path)
            items.append(_resource(Manifest(path, doc, parsed=obj), obj))
    items += [_resource(m, m.obj) for m in r.manifests]
    if not no_hooks:
        items += [_resource(h, h.obj) for h in r.hooks if not (skip_tests and h.is_test)]
    text = format_stream(r, no_hooks=no_hooks, skip_tests=skip_tests)
    return RenderResult(items, text, r.notes)


def plain(v: Any) -> Any:
    """helm's parse (sigs.k8s.io/yaml: every number a float64) -> Python data: whole numbers as int."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, float) and v.is_integer() and abs(v) <= 2**53:
        return int(v)
    return v


def _resource(m: Manifest, obj: Any) -> Resource:
    obj = plain(obj)
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    if isinstance(obj, dict) and not m.kind:
        m.kind = str(obj.get("kind") or "")
        m.api_version = str(obj.get("apiVersion") or "")
        m.name = str(meta.get("name") or "") if isinstance(meta, dict) else ""
    ns = meta.get("namespace") if isinstance(meta, dict) else None
    return Resource(path=m.path, kind=m.kind, name=m.name, api_version=m.api_version,
                    namespace=str(ns) if ns is not None else "", text=m.content, obj=obj,
                    hook_events=tuple(m.hook_events), annotations=dict(m.annotations))
