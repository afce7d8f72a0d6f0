"""Rendered manifests + a Kubernetes version -> schema findings, offline, from kubernetes-validate's OpenAPI schemas.

New compared with helm (which never looks inside objects).  The schemas come
from the `kubernetes-validate` package (the optional extra
``minihelm[validate]``), imported only when a check is asked for.  We use its
"strict" schemas, where unknown fields are errors, as `kubectl apply` treats
them by default.  Findings read ``Deployment/demo spec.replicas: 'two' is not
of type 'integer'``.  Objects whose kind the schemas do not know (custom
resources) are skipped with a notice.

The OpenAPI schemas say nothing about port ranges, so `port_problems` adds
the API server's rule: ports are 1-65535.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ManifestError, MinihelmError, UsageError

INSTALL_HINT = "pip install 'minihelm[validate]'"
Notice = Callable[[str], None]


class KubeSchemaError(ManifestError):
    """Rendered objects do not match the Kubernetes schemas (the message lists every finding)."""


def _schemas_root() -> Path:
    try:
        import kubernetes_validate
    except ImportError:
        raise MinihelmError(
            "Kubernetes schema checks need the kubernetes-validate package: "
            f"{INSTALL_HINT}") from None
    return Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"


def available_versions() -> list[tuple[int, int]]:
    """The Kubernetes minor versions the installed package has schemas for, oldest first."""
    found = set()
    for d in _schemas_root().iterdir():
        m = re.fullmatch(r"v(\d+)\.(\d+)\.\d+-local-strict", d.name)
        if m:
            found.add((int(m.group(1)), int(m.group(2))))
    return sorted(found)


def _major_minor(kube_version: str | None) -> tuple[int, int]:
    # deferred: only _major_minor() needs it: 6 modules this one does not otherwise load
    from ..engine.objects import capabilities

    try:
        kv = capabilities(kube_version).KubeVersion
    except UsageError as e:
        raise MinihelmError(e.message) from None
    return int(kv.Major), int(kv.Minor)


def schema_folder(kube_version: str | None) -> Path:
    """The strict schema folder for that version's major.minor, or an error naming the range."""
    mm = _major_minor(kube_version)
    have = available_versions()
    if mm not in have:
        rng = f"{have[0][0]}.{have[0][1]} to {have[-1][0]}.{have[-1][1]}" if have else "none"
        raise MinihelmError(f"no Kubernetes {mm[0]}.{mm[1]} schemas in the installed "
                            f"kubernetes-validate (it has {rng})")
    return _schemas_root() / f"v{mm[0]}.{mm[1]}.0-local-strict"


class SchemaSet:
    """The schemas of one Kubernetes version: finds an object's schema and validates against it."""

    def __init__(self, folder: Path) -> None:
        import jsonschema
        from referencing import Registry, Resource

        self.folder = folder
        defs = json.loads((folder / "_definitions.json").read_text())
        self._registry = Registry().with_resource(defs["$id"], Resource.from_contents(defs))
        self._cls = jsonschema.Draft202012Validator
        self._formats = _format_checker()
        self._validators: dict[str, Any] = {}

    def validator_for(self, api_version: str, kind: str) -> Any | None:
        """The validator for this apiVersion/kind, or None when the schemas do not know it."""
        # kubernetes-validate's file naming: group's first label, version, kind in lower case.
        stem = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
        fname = f"{kind.lower()}-{stem}.json"
        key = f"{api_version} {kind}"
        if key not in self._validators:
            self._validators[key] = self._load(fname, api_version, kind)
        return self._validators[key]

    def _load(self, fname: str, api_version: str, kind: str) -> Any | None:
        path = self.folder / fname
        if "/" in fname or not path.is_file():
            return None
        schema = json.loads(path.read_text())
        group, _, version = api_version.rpartition("/")
        gvks = schema.get("x-kubernetes-group-version-kind") or []
        # "apps.example.com/v1" also maps to deployment-apps-v1.json: it is not apps/v1.
        if not any(g.get("group", "") == group and g.get("version") == version
                   and g.get("kind") == kind for g in gvks):
            return None
        from referencing import Resource

        registry = self._registry.with_resource(schema["$id"], Resource.from_contents(schema))
        return self._cls(schema, registry=registry, format_checker=self._formats)

    def check(self, obj: dict[str, Any]) -> list[str] | None:
        """Findings for one object (None when its kind has no schema)."""
        api, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api, str) or not isinstance(kind, str):
            return None
        v = self.validator_for(api, kind)
        if v is None:
            return None
        errors = sorted(v.iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path])
        found = [(field_path(e.absolute_path), _message(e)) for e in errors]
        found += port_problems(obj)
        return [f"{object_label(obj)}{' ' + p if p else ''}: {m}" for p, m in found]


def _message(e: Any) -> str:
    """jsonschema's message, without the "null" every optional field's type allows."""
    types = e.validator_value if e.validator == "type" else None
    if isinstance(types, list) and "null" in types and len(types) > 1:
        shown = ", ".join(repr(t) for t in types if t != "null")
        return f"{e.instance!r} is not of type {shown}"
    return str(e.message)


def _format_checker() -> Any:
    """OpenAPI's int32/int64 formats as range checks (jsonschema leaves them unchecked)."""
    import jsonschema

    fc = jsonschema.FormatChecker()
    for name, bits in (("int32", 32), ("int64", 64)):
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

        def check(v: Any, lo: int = lo, hi: int = hi) -> bool:
            return not isinstance(v, int) or isinstance(v, bool) or lo <= v <= hi

        fc.checks(name)(check)
    return fc


def field_path(parts: Iterable[Any]) -> str:
    """spec.template.spec.containers[0].ports[1].containerPort"""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out


def object_label(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return f"{obj.get('kind')}/{name if name not in (None, '') else '<unnamed>'}"


def _port_check(value: Any, path: str, allow_zero: bool) -> list[tuple[str, str]]:
    if not isinstance(value, int) or isinstance(value, bool):
        return []  # a name (targetPort: http) or a type the schema already reported
    if (allow_zero and value == 0) or 1 <= value <= 65535:
        return []
    return [(path, f"{value} must be between 1 and 65535, inclusive")]


def port_problems(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """The API server's port range rule for Service ports and container ports."""
    out: list[tuple[str, str]] = []
    spec = obj.get("spec")
    if obj.get("kind") == "Service" and isinstance(spec, dict):
        for i, p in enumerate(spec.get("ports") or []):
            if isinstance(p, dict):
                base = f"spec.ports[{i}]"
                out += _port_check(p.get("port"), f"{base}.port", False)
                out += _port_check(p.get("targetPort"), f"{base}.targetPort", False)
                out += _port_check(p.get("nodePort"), f"{base}.nodePort", True)
    _container_ports(obj, "", out)
    return out


def _container_ports(node: Any, path: str, out: list[tuple[str, str]]) -> None:
    if isinstance(node, list):
        for i, x in enumerate(node):
            _container_ports(x, f"{path}[{i}]", out)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        sub = f"{path}.{key}" if path else str(key)
        if key in ("containers", "initContainers", "ephemeralContainers") and isinstance(value, list):
            for i, c in enumerate(value):
                for j, p in enumerate(c.get("ports") or [] if isinstance(c, dict) else []):
                    if isinstance(p, dict):
                        base = f"{sub}[{i}].ports[{j}]"
                        out += _port_check(p.get("containerPort"), f"{base}.containerPort", False)
                        out += _port_check(p.get("hostPort"), f"{base}.hostPort", True)
        else:
            _container_ports(value, sub, out)


@lru_cache(maxsize=8)
def schema_set(kube_version: str | None) -> SchemaSet:
    return SchemaSet(schema_folder(kube_version))


def documents(content: str) -> list[Any]:
    """The objects of one rendered file (YAML as Kubernetes reads it; empty documents dropped)."""
    # deferred: only documents() needs it, and it brings yaml
    from ..goyaml.yamlio import load_yaml_v2, split_documents

    out = []
    for _, doc in split_documents(content, "manifest"):
        # go-yaml's own types (an int stays an int), as the API server's decoder sees them.
        v = load_yaml_v2(doc, "manifest")
        if v is not None:
            out.append(v)
    return out


def check_objects(objs: Iterable[Any], kube_version: str | None,
                  notice: Notice | None = None) -> list[str]:
    """Findings for these objects; unknown kinds are reported to `notice` and skipped."""
    schemas = schema_set(kube_version)
    out: list[str] = []
    for obj in objs:
        if not isinstance(obj, dict):
            continue
        if obj.get("kind") == "List" and isinstance(obj.get("items"), list):
            out += check_objects(obj["items"], kube_version, notice)
            continue
        found = schemas.check(obj)
        if found is None:
            if notice is not None:
                notice(f"kube-schema: no schema for {obj.get('apiVersion')} {obj.get('kind')} "
                       f"({object_label(obj)}): skipped")
            continue
        out += found
    return out


def file_checker(kube_version: str | None, notice: Notice | None = None
                 ) -> Callable[[str], list[str]] | None:
    """For lint: a check of one rendered file, or None (after a notice) when the version has no schemas.

    A missing kubernetes-validate package is an error, not a notice.
    """
    _schemas_root()
    try:
        schema_set(kube_version)
    except MinihelmError as e:
        if notice is not None:
            notice(f"kube-schema: {e.message}: schema checks skipped")
        return None

    def check(content: str) -> list[str]:
        try:
            objs = documents(content)
        except MinihelmError:
            return []  # lint has already reported the YAML error
        return check_objects(objs, kube_version, notice)

    return check


def validate_rendered(files: list[tuple[str, str]], kube_version: str | None,
                      notice: Notice | None = None) -> None:
    """For `template --validate-schema`: raise KubeSchemaError listing every finding by file."""
    problems: list[str] = []
    for name, content in files:
        try:
            objs = documents(content)
        except MinihelmError as e:
            problems.append(f"{name}: {e.message}")
            continue
        problems += [f"{name}: {p}" for p in check_objects(objs, kube_version, notice)]
    if problems:
        mm = _major_minor(kube_version)
        raise KubeSchemaError(f"rendered objects do not match the Kubernetes {mm[0]}.{mm[1]} "
                              "schemas:\n  " + "\n  ".join(problems))
