"""Rendered template texts (engine) -> helm's sorted manifest stream, hooks and output files.

This mirrors helm's releaseutil (SplitManifests, SortManifests, the kind
install order) and the printing of `helm template` (pkg/cmd/template.go):
every document is written as `---\\n# Source: <path>\\n<document>\\n`.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from pathlib import Path
from typing import Any

from .._core.recorder import recorder
from ..errors import ManifestError, MinihelmError, UsageError
from ..golang.jsonio import go_json_kind
from ..goyaml.yamlescapes import needs_go_escapes
from ..goyaml.yamlimport import yaml
from ..records import Record
from .manifesthead import read_head


class _HeadLoader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # type: ignore[misc]
    """libyaml with no typing except null: scalars stay the strings the head fields want."""


_HeadLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_HeadLoader.add_constructor("tag:yaml.org,2002:null", lambda loader, node: None)
_HEAD_LOADER = _HeadLoader

INSTALL_ORDER = (
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
)
_ORDER = {k: i for i, k in enumerate(INSTALL_ORDER)}

HOOK_EVENTS = {
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
    "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success",
}

# helm 4.1.4's separator `(?:^|\s*\n)---\s*`: three dashes after a newline (or at the
# start), swallowing the white space around them; a `---` right after another
# separator's swallowed newline stays in the document.
_SEP = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


_UNPARSED: Any = object()


class Manifest(Record):
    """One rendered document: the template path it came from, its text and its head."""

    __slots__ = ("annotations", "api_version", "content", "kind", "name", "parsed", "path")
    _fields = ("path", "content", "kind", "api_version", "name", "annotations", "parsed")

    def __init__(self, path: str, content: str, kind: str = "", api_version: str = "",
                 name: str = "", annotations: dict[str, str] | None = None,
                 parsed: Any = _UNPARSED) -> None:
        self.path, self.content, self.kind, self.api_version = path, content, kind, api_version
        self.name = name
        self.annotations = {} if annotations is None else annotations
        self.parsed = parsed

    @property
    def obj(self) -> Any:
        """The document parsed as helm reads YAML (parsed on first use)."""
        if self.parsed is _UNPARSED:
            from ..goyaml.yamlio import load_yaml

            self.parsed = load_yaml(self.content, self.path)
        return self.parsed

    @property
    def hook_events(self) -> list[str]:
        raw = self.annotations.get("helm.sh/hook")
        if raw is None:
            return []
        return [e.strip().lower() for e in raw.split(",")]

    @property
    def is_test(self) -> bool:
        return any(e in ("test", "test-success") for e in self.hook_events)


class Rendered(Record):
    """The sorted result: CRDs (when asked for), plain manifests and hooks."""

    __slots__ = ("crds", "hooks", "manifests", "notes")
    _fields = ("crds", "manifests", "hooks", "notes")

    def __init__(self, crds: list[tuple[str, str]], manifests: list[Manifest],
                 hooks: list[Manifest], notes: str = "") -> None:
        self.crds, self.manifests, self.hooks, self.notes = crds, manifests, hooks, notes


def split_documents(text: str) -> list[str]:
    """helm 4.1.4's SplitManifests: trim, split on separators, drop empty pieces, trim each."""
    docs = split_on_separators(text.strip(_GO_SPACE))
    return [d.strip(_GO_SPACE) for d in docs if d]


def split_on_separators(text: str) -> list[str]:
    """`_SEP.split(text)`, by finding each "\\n---" instead of trying the regex at every offset.

    The regex costs a tenth of a second on megabytes of CRDs.  Its leftmost
    match always ends at the first "\\n---" not yet consumed and starts where
    the run of white space before that newline starts (never inside an
    earlier match, which ends with all the white space after its dashes).
    """
    pieces: list[str] = []
    start = search = 0
    if text.startswith("---"):
        pieces.append("")
        start = search = _skip_space(text, 3)
    while (nl := text.find("\n---", search)) >= 0:
        begin = nl
        while begin > search and text[begin - 1] in _SEP_SPACE:
            begin -= 1
        pieces.append(text[start:begin])
        start = search = _skip_space(text, nl + 4)
    pieces.append(text[start:])
    return pieces


_SEP_SPACE = frozenset("\t\n\f\r ")


def _skip_space(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _SEP_SPACE:
        i += 1
    return i


# unicode.IsSpace for the ASCII range and the Latin-1 spaces Go trims.
_GO_SPACE = " \t\n\v\f\r\x85\xa0"


def sort_rendered(files: dict[str, str], crds: list[tuple[str, str]]) -> Rendered:
    """helm's SortManifests with the install order; hooks are split off by annotation."""
    manifests: list[Manifest] = []
    hooks: list[Manifest] = []
    for path in sorted(files):
        content = files[path]
        if Path(path).name.startswith("_") or not content.strip():
            continue
        for m in _file_heads(path, content):
            events = m.hook_events
            if not events:
                manifests.append(m)
            elif all(e in HOOK_EVENTS for e in events):
                hooks.append(m)
            # helm skips documents whose hook types it does not know
    return Rendered(crds, _by_kind(manifests), _by_kind(hooks))


# libyaml reads a small document's head in ~40 us; a memo entry costs a file read
# (~40 us) when found and a file write (0.1-0.7 ms) when not, so only large
# outputs (CRDs, big config maps) are remembered.
_MEMO_HEADS_FROM = 4096


def _file_heads(path: str, content: str) -> list[Manifest]:
    """The documents of one rendered file with their heads (remembered by content)."""
    docs = split_documents(content)

    def heads() -> list[tuple[str, str, str, dict[str, str]]]:
        out = []
        for doc in docs:
            m = _head(path, doc)
            out.append((m.api_version, m.kind, m.name, m.annotations))
        return out

    rows = recorder().heads_of(path)  # a replay reusing this very output keeps its heads
    if rows is None:
        if len(content) < _MEMO_HEADS_FROM:
            rows = heads()
        else:
            from .._core.memo import remember

            rows = remember("heads:" + path, content.encode("utf-8", "surrogateescape"), heads)
        recorder().note_heads(path, rows)
    return [Manifest(path, doc, kind=k, api_version=a, name=n, annotations=dict(ann))
            for doc, (a, k, n, ann) in zip(docs, rows)]


def _by_kind(ms: list[Manifest]) -> list[Manifest]:
    # helm's lessByKind: known kinds in install order, then unknown kinds alphabetically.
    n = len(INSTALL_ORDER)
    return sorted(ms, key=lambda m: (_ORDER.get(m.kind, n), "" if m.kind in _ORDER else m.kind))


_META_TYPE = ('struct { Name string "json:\\"name\\""; '
              'Annotations map[string]string "json:\\"annotations\\"" }')


def _head(path: str, doc: str) -> Manifest:
    """Decode a document's SimpleHead (apiVersion, kind, metadata.name/annotations) as helm does.

    sigs.k8s.io/yaml converts YAML scalars to strings where the target field is
    a string, so only a list or map in such a field is an error.  The head is
    read with libyaml's untyped loader (scalars stay strings, which is what the
    head wants); a document it rejects is read again the exact, slower way for
    helm's error text.
    """
    m = Manifest(path, doc)
    # libyaml alone misreads go-yaml's `\'` and `\/` escapes: the exact reader handles them
    fast = not needs_go_escapes(doc)
    try:
        obj: Any = read_head(doc, _HEAD_LOADER) if fast else None
    except UnicodeEncodeError:  # not UTF-8 (lone surrogates): the exact reader says so
        obj, fast = None, False
    if obj is None and fast:
        try:
            obj = yaml.load(doc, Loader=_HEAD_LOADER)
        except yaml.YAMLError:
            obj = None
    if not isinstance(obj, dict):
        # Not a plain mapping (or not readable): let the exact reader decide.
        from ..goyaml.yamlio import load_yaml

        try:
            obj = m.parsed = load_yaml(doc, path)
        except MinihelmError as e:
            raise ManifestError(f"YAML parse error on {path}: {e.message}", e.pos) from None
    if obj is None:
        return m
    if not isinstance(obj, dict):
        raise _unmarshal(path, obj, "Go value of type util.SimpleHead")
    m.api_version = _str_field(path, obj.get("apiVersion"), "SimpleHead.apiVersion")
    m.kind = _str_field(path, obj.get("kind"), "SimpleHead.kind")
    meta = obj.get("metadata")
    if meta is None:
        return m
    if not isinstance(meta, dict):
        raise _unmarshal(path, meta, f"Go struct field SimpleHead.metadata of type {_META_TYPE}")
    m.name = _str_field(path, meta.get("name"), ".metadata.name")
    ann = meta.get("annotations")
    if isinstance(ann, dict):
        for k, v in ann.items():
            m.annotations[k] = _str_field(path, v, ".metadata.annotations")
    elif ann is not None:
        raise _unmarshal(path, ann, "Go struct field .metadata.annotations of type map[string]string")
    return m


def _str_field(path: str, v: Any, where: str) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        raise _unmarshal(path, v, f"Go struct field {where} of type string")
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else str(v)


def _unmarshal(path: str, v: Any, where: str) -> ManifestError:
    return ManifestError(
        f"YAML parse error on {path}: error unmarshaling JSON: while decoding JSON: "
        f"json: cannot unmarshal {go_json_kind(v)} into {where}"
    )


def format_stream(r: Rendered, *, no_hooks: bool = False, skip_tests: bool = False) -> str:
    """What `helm template` prints: CRDs and manifests (trimmed), then hooks."""
    body = "".join(f"---\n# Source: {p}\n{c}\n" for p, c in r.crds)
    body += "".join(f"---\n# Source: {m.path}\n{m.content}\n" for m in r.manifests)
    out = body.strip() + "\n"
    if not no_hooks:
        for h in r.hooks:
            if skip_tests and h.is_test:
                continue
            out += f"---\n# Source: {h.path}\n{h.content}\n"
    return out


def show_only(stream: str, patterns: list[str]) -> str:
    """`--show-only`: keep the documents whose template path matches a pattern, in stream order."""
    docs = split_documents(stream)
    picked: list[str] = []
    for pat in patterns:
        pat = pat.replace("\\", "/")
        found = False
        for d in docs:
            m = re.search(r"# Source: [^/]+/(.+)", d)
            if m and _path_match(pat, m.group(1)):
                picked.append(d)
                found = True
        if not found:
            raise UsageError(f"could not find template {pat} in chart", None)
    return "".join(f"---\n{d}\n" for d in picked)


def _path_match(pattern: str, name: str) -> bool:
    """Go's filepath.Match: `*` and `?` never cross a `/`."""
    if pattern.count("/") != name.count("/"):
        return False
    return all(fnmatch.fnmatchcase(n, p) for p, n in zip(pattern.split("/"), name.split("/")))


def _go_reason(e: OSError) -> str:
    """Go's lower-case errno text ("no such file or directory")."""
    text = e.strerror or str(e)
    return text[:1].lower() + text[1:]


def _unresolve(path: str | None, root: Path, shown: Path) -> str:
    """A resolved path under `root`, written the way the user gave the folder."""
    if not path:
        return str(shown)
    p = Path(path)
    return str(shown / p.relative_to(root)) if p == root or root in p.parents else path


def write_output_dir(out_dir: Path, r: Rendered, *, no_hooks: bool = False,
                     skip_tests: bool = False) -> list[str]:
    """`--output-dir`: one file per template path, documents appended, each behind a header.

    Returns one path per document written (crds, manifests, then hooks), as
    helm prints a "wrote <dir>/<path>" line for each document, not each file.
    """
    # deferred: only write_output_dir() needs it, and it brings tempfile, filelock
    from .._core.fsutil import atomic_write_text

    grouped: dict[str, list[str]] = {}
    order: list[str] = []
    for p, c in r.crds:
        grouped.setdefault(p, []).append(c)
        order.append(p)
    for m in r.manifests:
        grouped.setdefault(m.path, []).append(m.content)
        order.append(m.path)
    if not no_hooks:
        for h in r.hooks:
            if not (skip_tests and h.is_test):
                grouped.setdefault(h.path, []).append(h.content)
                order.append(h.path)
    root = out_dir.resolve()
    for rel, contents in grouped.items():
        target = (root / rel).resolve()
        if root not in target.parents:
            raise ManifestError(f"refusing to write outside the output directory: {rel}")
        text = "".join(f"---\n# Source: {rel}\n{c}\n" for c in contents)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except NotADirectoryError:
            # helm: "stat <dir>: not a directory"
            raise ManifestError(f"stat {out_dir / posixpath.dirname(rel)}: not a directory") from None
        except OSError as e:
            # Go's MkdirAll names the first folder it could not make
            raise ManifestError(f"mkdir {_unresolve(e.filename, root, out_dir)}: "
                                f"{_go_reason(e)}") from None
        try:
            atomic_write_text(target, text)
        except OSError as e:
            raise ManifestError(f"open {out_dir / rel}: {_go_reason(e)}") from None
    return order
