"""Chart, release and cluster facts -> the built-in objects templates see (.Chart, .Files, .Capabilities).

Helm 4 hands templates `.Chart` and `.Release` as plain maps (Go field names as
keys), `.Files` as a map type with methods, and `.Capabilities` as a struct
pointer; these classes give each the Go type name and methods that typeOf,
printing and field access expect.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from ..chart.model import Chart, File
from ..errors import UsageError
from ..golang.gotypes import GoBytes, GoList, GoMap, GoStruct, MirrorMap, NilMap
from ..records import Frozen

HELM_VERSION = "v4.1.4"
HELM_GIT_COMMIT = "05fa37973dc9e42b76e1d2883494c87174b6074f"
GO_VERSION = "go1.25.9"
DEFAULT_KUBE_VERSION = "v1.35.0"

# helm 4.1.4's default Capabilities.APIVersions, in helm's order (allKnownVersions).
DEFAULT_API_VERSIONS = ["v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1beta1", "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1"]


class ValuesMap(MirrorMap):
    """common.Values: the type of `.Values` in every chart (its nested maps stay plain).

    A subchart's `.Values` is its parent's map under the subchart's name, seen
    as common.Values (helm's Values.Table converts the type, not the map): the
    parent still sees a plain map[string]interface {} there, so the subchart's
    ValuesMap mirrors the parent's map (gotypes.MirrorMap).
    """

    go_methods = frozenset({"AsMap", "YAML"})

    def __init__(self, items: Any = (), mirror: dict[str, Any] | None = None) -> None:
        super().__init__(items, "common.Values", mirror)

    def AsMap(self) -> dict[str, Any]:
        return dict(self)

    def YAML(self) -> str:
        # deferred: only YAML() needs it: 4 modules this one does not otherwise load
        from ..goyaml.yamlemit import dump_yaml

        return dump_yaml(dict(self))


class VersionSet(GoList):
    """common.VersionSet: a []string with Has."""

    go_methods = frozenset({"Has"})

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items, "common.VersionSet")

    def Has(self, api_version: str) -> bool:
        return api_version in self


class KubeVersion(GoStruct):
    """common.KubeVersion; prints as its normalised version (it has a String method)."""

    go_type = "common.KubeVersion"
    go_methods = frozenset({"String", "GitVersion"})

    def __init__(self, version: str, normalized: str, major: str, minor: str) -> None:
        self.Version = version
        self.Major = major
        self.Minor = minor
        self._normalized = normalized

    def String(self) -> str:
        return self._normalized or self.Version

    def GitVersion(self) -> str:
        return self.Version

    def go_fields(self) -> list[tuple[str, Any]]:
        return [("Version", self.Version), ("normalizedVersion", self._normalized),
                ("Major", self.Major), ("Minor", self.Minor)]


class BuildInfo(GoStruct):
    go_type = "version.BuildInfo"

    def __init__(self) -> None:
        self.Version = HELM_VERSION
        self.GitCommit = HELM_GIT_COMMIT
        self.GitTreeState = "clean"
        self.GoVersion = GO_VERSION
        self.KubeClientVersion = "v1.35"

    def go_fields(self) -> list[tuple[str, Any]]:
        return [(k, getattr(self, k)) for k in
                ("Version", "GitCommit", "GitTreeState", "GoVersion", "KubeClientVersion")]


class Capabilities(GoStruct):
    go_type = "*common.Capabilities"

    def __init__(self, kube: KubeVersion, api_versions: VersionSet) -> None:
        self.KubeVersion = kube
        self.APIVersions = api_versions
        self.HelmVersion = BuildInfo()

    def go_fields(self) -> list[tuple[str, Any]]:
        return [("KubeVersion", self.KubeVersion), ("APIVersions", self.APIVersions),
                ("HelmVersion", self.HelmVersion)]


# k8s.io/apimachinery/pkg/util/version: numbers, then any uninterpreted tail (kept
# in .Version, dropped from the normalized String()).
_KUBE_RE = re.compile(r"^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$", re.DOTALL)
_UINT64_MAX = (1 << 64) - 1


def parse_kube_version(version: str) -> KubeVersion:
    """helm's ParseKubeVersion over k8s ParseGeneric.

    At least major.minor; the first field has no leading zero; each field a
    uint64. String() (the normalized form) is "v" + the fields as given, so
    "1.28" stays v1.28 and "1.28.3-gke.1" becomes v1.28.3.
    """
    def bad(why: str) -> UsageError:
        return UsageError(f"invalid kube version '{version}': {why}")

    m = _KUBE_RE.match(version)
    if not m:
        raise bad(f'could not parse "{version}" as version')
    comps = m.group(1).split(".")
    if len(comps) < 2:
        raise bad(f'illegal version string "{version}"')
    if comps[0].startswith("0") and comps[0] != "0":
        raise bad(f'illegal zero-prefixed version component "{comps[0]}" in "{version}"')
    for c in comps:
        if int(c) > _UINT64_MAX:
            raise bad(f'illegal non-numeric version component "{c}" in "{version}": '
                      f'strconv.ParseUint: parsing "{c}": value out of range')
    git = version if version.startswith("v") else "v" + version
    normalized = "v" + ".".join(str(int(c)) for c in comps)
    return KubeVersion(git, normalized, str(int(comps[0])), str(int(comps[1])))


def capabilities(kube_version: str | None = None, api_versions: list[str] | None = None) -> Capabilities:
    """Helm's default capabilities, with `--kube-version` and `--api-versions` applied."""
    if kube_version:
        kube = parse_kube_version(kube_version)
    else:
        kube = KubeVersion(DEFAULT_KUBE_VERSION, DEFAULT_KUBE_VERSION, "1", "35")
    return Capabilities(kube, VersionSet(list(DEFAULT_API_VERSIONS) + list(api_versions or ())))


class Files(GoMap):
    """engine.files: the chart's non-template files, by path, as []byte."""

    go_methods = frozenset({"Get", "GetBytes", "Glob", "AsConfig", "AsSecrets", "Lines"})

    def __init__(self, files: Any = ()) -> None:
        super().__init__(files, "engine.files")

    def GetBytes(self, name: str) -> GoBytes:
        return GoBytes(self.get(name, b""))

    def Get(self, name: str) -> str:
        return bytes(self.get(name, b"")).decode("utf-8", "surrogateescape")

    def Glob(self, pattern: str) -> Files:
        rx = _glob_regex(pattern)
        return Files((k, v) for k, v in self.items() if rx.match(k))

    def AsConfig(self) -> str:
        return _to_yaml({k.rsplit("/", 1)[-1]: bytes(v).decode("utf-8", "surrogateescape")
                         for k, v in self.items()})

    def AsSecrets(self) -> str:
        return _to_yaml({k.rsplit("/", 1)[-1]: base64.b64encode(bytes(v)).decode()
                         for k, v in self.items()})

    def Lines(self, path: str) -> GoList:
        data = bytes(self.get(path, b""))
        if not data:
            return GoList([], "[]string")
        s = data.decode("utf-8", "surrogateescape")
        s = s.removesuffix("\n")
        return GoList(s.split("\n"), "[]string")


def _to_yaml(m: dict[str, str]) -> str:
    # deferred: only _to_yaml() needs it: 4 modules this one does not otherwise load
    from ..goyaml.yamlemit import dump_yaml

    # helm's Files are never nil, so an empty set (an unmatched Glob) is the YAML of
    # an empty map, "{}"
    return dump_yaml(m).removesuffix("\n")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """gobwas/glob with '/' as separator: `*` stays within a segment, `**` crosses them."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        elif c == "{":
            j = pattern.find("}", i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                alts = pattern[i + 1:j].split(",")
                out.append("(?:" + "|".join(_glob_regex(a).pattern[:-2] for a in alts) + ")")
                i = j
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def chart_metadata_map(chart: Chart, is_root: bool) -> dict[str, Any]:
    """helm 4's structToMap of Chart.yaml's Metadata, plus IsRoot: Go field names as keys.

    structToMap turns every slice, even a nil one, into a []interface {}, and
    leaves Annotations a map[string]string.
    """
    md = chart.metadata
    deps = [
        {"Name": d.name, "Version": d.version, "Repository": d.repository,
         "Condition": d.condition, "Tags": list(d.tags), "Enabled": d.enabled,
         "ImportValues": list(d.import_values), "Alias": d.alias}
        for d in md.dependencies
    ]
    maint = [{"Name": m.get("name", ""), "Email": m.get("email", ""), "URL": m.get("url", "")}
             for m in md.maintainers]
    return {
        "Name": md.name, "Home": md.home, "Sources": list(md.sources),
        "Version": md.version, "Description": md.description,
        "Keywords": list(md.keywords), "Maintainers": maint, "Icon": md.icon,
        "APIVersion": md.api_version, "Condition": md.condition, "Tags": md.tags,
        "AppVersion": md.app_version, "Deprecated": md.deprecated,
        # a Chart.yaml without annotations leaves Go's map nil (toYaml: null)
        "Annotations": (GoMap(md.annotations, "map[string]string") if md.annotations
                        else NilMap("map[string]string")),
        "KubeVersion": md.kube_version, "Dependencies": deps, "Type": md.type,
        "IsRoot": is_root,
    }


class ReleaseOptions(Frozen):
    __slots__ = ("is_upgrade", "name", "namespace", "revision")
    _fields = ("name", "namespace", "revision", "is_upgrade")

    def __init__(self, name: str = "release-name", namespace: str = "default", revision: int = 1,
                 is_upgrade: bool = False) -> None:
        self.name, self.namespace, self.revision, self.is_upgrade = (
            name, namespace, revision, is_upgrade)

    def as_map(self) -> dict[str, Any]:
        return {"Name": self.name, "Namespace": self.namespace, "IsUpgrade": self.is_upgrade,
                "IsInstall": not self.is_upgrade, "Revision": self.revision, "Service": "Helm"}


def files_object(files: tuple[File, ...]) -> Files:
    return Files((f.name, GoBytes(f.data)) for f in files)
