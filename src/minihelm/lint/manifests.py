"""One rendered template file -> helm lint's per-manifest findings (template.go's checks, deprecations.go).

Mirrors the per-document loop of helm v4.1.4's rules.Templates: the
k8sYamlStruct decode (apiVersion, kind, metadata.name) with encoding/json's
error texts, the top-indent check, Kubernetes' name validators per kind,
the matchLabels/matchExpressions text search, List annotations, and the
deprecated-API table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import YAMLError
from ..golang.jsonio import go_json_kind
from ..goyaml.yamlio import go_number_string, go_quote, load_yaml, load_yaml_v2, split_documents
from .rules import ERROR, WARNING, Findings, add_finding


@dataclass(frozen=True)
class K8sHead:
    """helm's k8sYamlStruct: the three fields lint reads from each document."""

    api_version: str
    kind: str
    name: str


_HEAD_FIELDS = {"apiVersion": "apiVersion", "kind": "Kind", "metadata": "Metadata"}


def _json_kind(v: Any) -> str:
    return str(go_json_kind(v))


def _as_string(v: Any, where: str) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    coerced = go_number_string(v) if isinstance(v, (bool, int, float)) else None
    if coerced is None:
        raise ValueError(f"json: cannot unmarshal {_json_kind(v)} into Go struct field "
                         f"{where} of type string")
    return coerced


def decode_head(doc: Any) -> K8sHead | None:
    """sigs.k8s.io/yaml into *k8sYamlStruct: None for an empty document, ValueError with Go's text.

    encoding/json matches keys case-insensitively and reads them in sorted
    order (sigs.k8s.io/yaml writes sorted JSON), keeping the first type error.
    """
    if doc is None:
        return None
    if not isinstance(doc, dict):
        raise ValueError(  # noqa: TRY004  carries Go's decode error text, caught below
            f"json: cannot unmarshal {_json_kind(doc)} into Go value of type rules.k8sYamlStruct")
    got: dict[str, Any] = {}
    for key in sorted(doc, key=str):
        for fname, gname in _HEAD_FIELDS.items():
            if str(key).casefold() == fname.casefold():
                got[gname] = doc[key]
    api = _as_string(got.get("apiVersion"), "k8sYamlStruct.apiVersion")
    kind = _as_string(got.get("Kind"), "k8sYamlStruct.Kind")
    meta = got.get("Metadata")
    name = ""
    if meta is not None:
        if not isinstance(meta, dict):
            raise ValueError(f"json: cannot unmarshal {_json_kind(meta)} into Go struct field "
                             "k8sYamlStruct.Metadata of type rules.k8sYamlMetadata")
        fields = {str(k).casefold(): meta[k] for k in sorted(meta, key=str)}
        name = _as_string(fields.get("name"), "k8sYamlMetadata.Metadata.Name")
        _as_string(fields.get("namespace"), "k8sYamlMetadata.Metadata.Namespace")
    return K8sHead(api, kind, name)


def iter_heads(content: str) -> Iterator[tuple[Any, K8sHead | None, str | None]]:
    """NewYAMLOrJSONDecoder over one rendered file: (document, head, error text) per document.

    Stops after the first error, as the decoder cannot resynchronise.
    """

    try:
        for _, doc in split_documents(content, "manifest"):
            try:
                value = load_yaml_v2(doc.encode("utf-8", "surrogateescape"), "manifest")
                yield value, decode_head(value), None
            except ValueError as e:
                yield None, None, f"error unmarshaling JSON: while decoding JSON: {e}"
                return
    except YAMLError as e:
        yield None, None, e.message


def top_indent_problem(content: str) -> str | None:
    """validateTopIndentLevel: the first non-blank line must not be indented."""
    # deferred: only top_indent_problem() needs it: 2 modules this one does not otherwise load
    from ..golang.gofmt import sprintf

    for line in content.splitlines():
        if not line.strip():
            continue
        if line.startswith((" ", "\t")):
            return f"document starts with an illegal indent: {sprintf('%q', line)}, which may cause parsing problems"
        return None
    return None


# k8s.io/apimachinery's name validators and their messages.
_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = _DNS1123_LABEL + r"(\." + _DNS1123_LABEL + r")*"
_DNS1035_LABEL = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric character "
                  "(e.g. 'example.com', regex used for validation is '" + _DNS1123_SUBDOMAIN + "')")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
              "'123-abc', regex used for validation is '" + _DNS1123_LABEL + "')")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character "
                "(e.g. 'my-name',  or 'abc-123', regex used for validation is '"
                + _DNS1035_LABEL + "')")


def _regex_check(name: str, max_len: int, rx: str, msg: str) -> list[str]:
    errs = []
    if len(name) > max_len:
        errs.append(f"must be no more than {max_len} characters")
    if not re.fullmatch(rx, name):
        errs.append(msg)
    return errs


def _path_segment(name: str) -> list[str]:
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def _name_errors(kind: str, name: str) -> list[str]:
    """validateMetadataNameFunc: the validator Kubernetes uses for this kind's names."""
    k = kind.lower()
    if k == "service":
        return _regex_check(name, 63, _DNS1035_LABEL, _DNS1035_MSG)
    if k == "namespace":
        return _regex_check(name, 63, _DNS1123_LABEL, _LABEL_MSG)
    if k == "certificatesigningrequest":
        return []
    if k in ("role", "clusterrole", "rolebinding", "clusterrolebinding"):
        return _path_segment(name)
    return _regex_check(name, 253, _DNS1123_SUBDOMAIN, _SUBDOMAIN_MSG)


def metadata_name_problem(head: K8sHead) -> str | None:
    """validateMetadataName, with field.ErrorList's aggregate formatting."""
    errs = [f"metadata.name: Invalid value: {go_quote(head.name)}: {m}"
            for m in _name_errors(head.kind, head.name)]
    if not errs:
        return None
    agg = errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"
    return f"object name does not conform to Kubernetes naming requirements: {go_quote(head.name)}: {agg}"


def match_selector_problem(head: K8sHead, content: str) -> str | None:
    """validateMatchSelector: a plain text search of the whole rendered file, as helm does."""
    workload = head.kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")
    if workload and "matchLabels" not in content and "matchExpressions" not in content:
        return (f"a {head.kind} must contain matchLabels or matchExpressions, "
                f"and {go_quote(head.name)} does not")
    return None


def list_annotation_problem(head: K8sHead, content: str) -> str | None:
    """validateListAnnotations: helm reads only the file's first document for the items."""
    if head.kind != "List":
        return None

    try:
        first = load_yaml(content, "manifest")
    except YAMLError as e:
        return f"unable to parse YAML: {e.message}"
    items = first.get("items") if isinstance(first, dict) else None
    for item in items if isinstance(items, list) else []:
        meta = item.get("metadata") if isinstance(item, dict) else None
        ann = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(ann, dict) and "helm.sh/resource-policy" in ann:
            return "annotation 'helm.sh/resource-policy' within List objects are ignored"
    return None


# Deprecated APIs as k8s.io/api v0.35.1 (helm 4.1.4's client-go scheme) declares them in
# its prerelease-lifecycle tags: group/version kind deprecated removed [replacement].
# Every row was checked against `helm lint --kube-version 1.99` (tests/lint/test_lint.py).
_DEPRECATIONS = """
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy 1.35 1.38 -
admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBinding 1.35 1.38 -
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy 1.29 1.32 -
admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding 1.29 1.32 -
admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy 1.37 1.40 -
admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicyBinding 1.37 1.40 -
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1 MutatingWebhookConfiguration
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy 1.31 1.34 -
admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding 1.31 1.34 -
admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration 1.16 1.22 admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration
apps/v1beta1 ControllerRevision 1.8 1.16 apps/v1 ControllerRevision
apps/v1beta1 Deployment 1.8 1.16 apps/v1 Deployment
apps/v1beta1 DeploymentRollback 1.8 1.16 apps/v1 DeploymentRollback
apps/v1beta1 Scale 1.8 1.16 autoscaling/v1 Scale
apps/v1beta1 StatefulSet 1.8 1.16 apps/v1 StatefulSet
apps/v1beta2 ControllerRevision 1.9 1.16 apps/v1 ControllerRevision
apps/v1beta2 DaemonSet 1.9 1.16 apps/v1 DaemonSet
apps/v1beta2 Deployment 1.9 1.16 apps/v1 Deployment
apps/v1beta2 ReplicaSet 1.9 1.16 apps/v1 ReplicaSet
apps/v1beta2 Scale 1.9 1.16 autoscaling/v1 Scale
apps/v1beta2 StatefulSet 1.9 1.16 apps/v1 StatefulSet
authentication.k8s.io/v1alpha1 SelfSubjectReview 1.29 1.32 -
authentication.k8s.io/v1beta1 SelfSubjectReview 1.30 1.33 -
authentication.k8s.io/v1beta1 TokenReview 1.19 1.22 authentication.k8s.io/v1 TokenReview
authorization.k8s.io/v1beta1 LocalSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 LocalSubjectAccessReview
authorization.k8s.io/v1beta1 SelfSubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 SelfSubjectAccessReview
authorization.k8s.io/v1beta1 SelfSubjectRulesReview 1.19 1.22 authorization.k8s.io/v1 SelfSubjectRulesReview
authorization.k8s.io/v1beta1 SubjectAccessReview 1.19 1.22 authorization.k8s.io/v1 SubjectAccessReview
autoscaling/v2beta1 HorizontalPodAutoscaler 1.22 1.25 autoscaling/v2 HorizontalPodAutoscaler
autoscaling/v2beta2 HorizontalPodAutoscaler 1.23 1.26 autoscaling/v2 HorizontalPodAutoscaler
batch/v1beta1 CronJob 1.21 1.25 batch/v1 CronJob
certificates.k8s.io/v1alpha1 ClusterTrustBundle 1.34 1.37 -
certificates.k8s.io/v1beta1 CertificateSigningRequest 1.19 1.22 certificates.k8s.io/v1 CertificateSigningRequest
certificates.k8s.io/v1beta1 ClusterTrustBundle 1.36 1.39 -
certificates.k8s.io/v1beta1 PodCertificateRequest 1.38 1.41 -
coordination.k8s.io/v1alpha2 LeaseCandidate 1.35 1.38 -
coordination.k8s.io/v1beta1 Lease 1.19 1.22 coordination.k8s.io/v1 Lease
coordination.k8s.io/v1beta1 LeaseCandidate 1.36 1.39 -
discovery.k8s.io/v1beta1 EndpointSlice 1.21 1.25 discovery.k8s.io/v1 EndpointSlice
events.k8s.io/v1beta1 Event 1.22 1.25 -
extensions/v1beta1 DaemonSet 1.8 1.16 apps/v1 DaemonSet
extensions/v1beta1 Deployment 1.8 1.16 apps/v1 Deployment
extensions/v1beta1 DeploymentRollback 1.8 1.16 -
extensions/v1beta1 Ingress 1.14 1.22 networking.k8s.io/v1 Ingress
extensions/v1beta1 NetworkPolicy 1.9 1.16 networking.k8s.io/v1 NetworkPolicy
extensions/v1beta1 ReplicaSet 1.8 1.16 apps/v1 ReplicaSet
extensions/v1beta1 Scale 1.2 1.16 -
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema
flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration 1.23 1.26 flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration
flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema
flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration 1.26 1.29 flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration
flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema 1.29 1.32 flowcontrol.apiserver.k8s.io/v1 FlowSchema
flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration 1.29 1.32 flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration
networking.k8s.io/v1beta1 IPAddress 1.34 1.37 -
networking.k8s.io/v1beta1 Ingress 1.19 1.22 networking.k8s.io/v1 Ingress
networking.k8s.io/v1beta1 IngressClass 1.19 1.22 networking.k8s.io/v1 IngressClassList
networking.k8s.io/v1beta1 ServiceCIDR 1.34 1.37 -
node.k8s.io/v1beta1 RuntimeClass 1.22 1.25 -
policy/v1beta1 Eviction 1.22 1.25 -
policy/v1beta1 PodDisruptionBudget 1.21 1.25 policy/v1 PodDisruptionBudget
rbac.authorization.k8s.io/v1beta1 ClusterRole 1.17 1.22 rbac.authorization.k8s.io/v1 ClusterRole
rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 ClusterRoleBinding
rbac.authorization.k8s.io/v1beta1 Role 1.17 1.22 rbac.authorization.k8s.io/v1 Role
rbac.authorization.k8s.io/v1beta1 RoleBinding 1.17 1.22 rbac.authorization.k8s.io/v1 RoleBinding
resource.k8s.io/v1alpha3 DeviceTaintRule 1.36 1.39 -
resource.k8s.io/v1beta1 DeviceClass 1.35 1.38 -
resource.k8s.io/v1beta1 ResourceClaim 1.35 1.38 -
resource.k8s.io/v1beta1 ResourceClaimTemplate 1.35 1.38 -
resource.k8s.io/v1beta1 ResourceSlice 1.35 1.38 -
resource.k8s.io/v1beta2 DeviceClass 1.36 1.39 -
resource.k8s.io/v1beta2 ResourceClaim 1.36 1.39 -
resource.k8s.io/v1beta2 ResourceClaimTemplate 1.36 1.39 -
resource.k8s.io/v1beta2 ResourceSlice 1.36 1.39 -
scheduling.k8s.io/v1beta1 PriorityClass 1.14 1.22 scheduling.k8s.io/v1 PriorityClass
storage.k8s.io/v1alpha1 CSIStorageCapacity 1.21 1.24 storage.k8s.io/v1beta1 CSIStorageCapacity
storage.k8s.io/v1alpha1 VolumeAttachment 1.21 1.24 storage.k8s.io/v1 VolumeAttachment
storage.k8s.io/v1alpha1 VolumeAttributesClass 1.32 1.35 storage.k8s.io/v1 VolumeAttributesClass
storage.k8s.io/v1beta1 CSIDriver 1.19 1.22 storage.k8s.io/v1 CSIDriver
storage.k8s.io/v1beta1 CSINode 1.17 1.22 storage.k8s.io/v1 CSINode
storage.k8s.io/v1beta1 CSIStorageCapacity 1.24 1.27 storage.k8s.io/v1 CSIStorageCapacity
storage.k8s.io/v1beta1 StorageClass 1.19 1.22 storage.k8s.io/v1 StorageClass
storage.k8s.io/v1beta1 VolumeAttachment 1.19 1.22 storage.k8s.io/v1 VolumeAttachment
storage.k8s.io/v1beta1 VolumeAttributesClass 1.34 1.37 storage.k8s.io/v1 VolumeAttributesClass
storagemigration.k8s.io/v1beta1 StorageVersionMigration 1.38 1.41 -
"""


def _deprecation_table() -> dict[tuple[str, str], tuple[tuple[int, int], str]]:
    table = {}
    for line in _DEPRECATIONS.strip().splitlines():
        gv, kind, dep, removed, *rep = line.split()
        major, minor = (int(x) for x in dep.split("."))
        msg = f"{gv} {kind} is deprecated in v{dep}+, unavailable in v{removed}+"
        if rep != ["-"]:
            msg += f"; use {rep[0]} {rep[1]}"
        table[(gv, kind)] = ((major, minor), msg)
    return table


_DEPRECATED = _deprecation_table()


def deprecation_problem(head: K8sHead, kube_major: int, kube_minor: int) -> str | None:
    """validateNoDeprecations: deprecated from its deprecation release on (k8s IsDeprecated)."""
    if not head.api_version or not head.kind:
        return None
    entry = _DEPRECATED.get((head.api_version, head.kind))
    if entry is None or (kube_major, kube_minor) < entry[0]:
        return None
    return entry[1]


def manifest_findings(file_name: str, content: str, kube: tuple[int, int]) -> Findings:
    """The per-file checks of rules.Templates for one rendered .yaml/.yml template."""
    out: Findings = []
    if not content.strip():
        return out
    add_finding(out, WARNING, file_name, top_indent_problem(content))
    for _, head, err in iter_heads(content):
        if err is not None:
            add_finding(out, ERROR, file_name, f"unable to parse YAML: {err}")
            return out
        if head is None:
            continue
        add_finding(out, WARNING, file_name, metadata_name_problem(head))
        add_finding(out, WARNING, file_name, deprecation_problem(head, *kube))
        add_finding(out, ERROR, file_name, match_selector_problem(head, content))
        add_finding(out, ERROR, file_name, list_annotation_problem(head, content))
    return out


def extension_problem(file_name: str) -> str | None:
    ext = os.path.splitext(file_name)[1]
    if ext in (".yaml", ".yml", ".tpl", ".txt"):
        return None
    return (f"file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt")


def crd_findings(chart_dir: str, chart: Any, load_error: str | None) -> Findings:
    """rules.Crds: crds/ files (of the chart and its subcharts) are plain CRD manifests."""
    out: Findings = []
    crds_path = os.path.join(chart_dir, "crds")
    if not os.path.exists(crds_path):
        return out
    if not os.path.isdir(crds_path):
        add_finding(out, ERROR, "crds/", "not a directory")
        return out
    if not add_finding(out, ERROR, "crds/", load_error):
        return out
    for name, data in _crd_files(chart):
        for _, head, err in iter_heads(data.decode("utf-8", "surrogateescape")):
            if err is not None:
                add_finding(out, ERROR, name, f"unable to parse YAML: {err}")
                return out
            if head is None:
                continue
            if not head.api_version.startswith("apiextensions.k8s.io"):
                add_finding(out, ERROR, name, "apiVersion is not in 'apiextensions.k8s.io'")
            if head.kind != "CustomResourceDefinition":
                add_finding(out, ERROR, name, "object kind is not 'CustomResourceDefinition'")
    return out


def _crd_files(chart: Any) -> list[tuple[str, bytes]]:
    out = [(f.name, f.data) for f in chart.crds if f.name.endswith((".yaml", ".yml", ".json"))]
    for dep in chart.dependencies:
        out += _crd_files(dep)
    return out
