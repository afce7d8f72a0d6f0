"""repositories.yaml bytes <-> RepoFile (helm's repo.File), its paths and its lock; feeds the repo commands, search, pull and dependency update.

The file, as helm v4 writes it (sigs.k8s.io/yaml: keys sorted, every field
written, `generated` as RFC 3339 and the zero time when helm never set it)::

    apiVersion: ""
    generated: "0001-01-01T00:00:00Z"
    repositories:
    - caFile: ""
      certFile: ""
      insecure_skip_tls_verify: false
      keyFile: ""
      name: NAME
      pass_credentials_all: false
      password: ""
      url: URL
      username: ""

Where it lives: $HELM_REPOSITORY_CONFIG, else <helm config home>/repositories.yaml;
the index cache: $HELM_REPOSITORY_CACHE, else <helm cache home>/repository.
Writers hold helm's lock, a flock(2) on the file's name with ``.lock`` for its
extension (``repositories.lock``), so helm and minihelm never interleave.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..errors import MinihelmError, RepoError
from ..goyaml.yamlemit import dump_yaml
from ..goyaml.yamlio import load_yaml_v2
from .credentials import helm_config_home
from .gostruct import BOOL, STRING, TIME, decode_partial, lst, struct

__all__ = ["RepoEntry", "RepoFile", "RepoFileMissing", "cache_dir", "config_path",
           "load_repo_file", "parse_repo_file", "repo_file_lock"]

ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True)
class RepoEntry:
    """repo.Entry: one named repository.  `json` metadata is the key helm writes."""

    name: str = field(default="", metadata={"json": "name"})
    url: str = field(default="", metadata={"json": "url"})
    username: str = field(default="", metadata={"json": "username"})
    password: str = field(default="", metadata={"json": "password"})
    cert_file: str = field(default="", metadata={"json": "certFile"})
    key_file: str = field(default="", metadata={"json": "keyFile"})
    ca_file: str = field(default="", metadata={"json": "caFile"})
    insecure_skip_tls_verify: bool = field(default=False,
                                           metadata={"json": "insecure_skip_tls_verify"})
    pass_credentials_all: bool = field(default=False, metadata={"json": "pass_credentials_all"})

    def doc(self) -> dict[str, Any]:
        return {f.metadata["json"]: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> RepoEntry:
        kw = {f.name: doc[f.metadata["json"]] for f in fields(cls)
              if doc.get(f.metadata["json"]) is not None}
        return cls(**kw)


_ENTRY_T = struct("repo.Entry", *((f.metadata["json"], BOOL if f.type == "bool" else STRING)
                                   for f in fields(RepoEntry)))
_FILE_T = struct("repo.File", ("apiVersion", STRING), ("generated", TIME),
                 ("repositories", lst(_ENTRY_T, "[]*repo.Entry")))


class RepoFileMissing(RepoError):
    """repositories.yaml does not exist (helm treats this as "no repositories")."""


@dataclass
class RepoFile:
    """repo.File: the API version and generated time helm read (kept as they were) and the entries."""

    api_version: str = ""
    generated: str = ZERO_TIME
    repositories: list[RepoEntry] = field(default_factory=list)

    def get(self, name: str) -> RepoEntry | None:
        return next((e for e in self.repositories if e.name == name), None)

    def update(self, entry: RepoEntry) -> None:
        """File.Update: replace the entry of that name in place, or append it."""
        for i, e in enumerate(self.repositories):
            if e.name == entry.name:
                self.repositories[i] = entry
                return
        self.repositories.append(entry)

    def remove(self, name: str) -> bool:
        before = len(self.repositories)
        self.repositories = [e for e in self.repositories if e.name != name]
        return len(self.repositories) != before

    def dump(self) -> bytes:
        doc = {"apiVersion": self.api_version, "generated": self.generated,
               "repositories": [e.doc() for e in self.repositories]}
        return dump_yaml(doc).encode()

    def write(self, path: str | os.PathLike[str]) -> None:
        """File.WriteFile(path, 0600), but atomically; an existing file keeps its mode, as os.WriteFile."""
        p = Path(path)
        try:
            mode = p.stat().st_mode & 0o777
        except OSError:
            mode = 0o600
        try:
            atomic_write(p, self.dump(), mode=mode)
        except OSError as e:
            raise RepoError(f"open {p}: {(e.strerror or str(e)).lower()}") from None


def parse_repo_file(data: bytes | str, name: str = "repositories.yaml") -> RepoFile:
    """repositories.yaml text -> RepoFile, as sigs.k8s.io/yaml.Unmarshal into repo.File.

    Grammar: one YAML document, a mapping of ``apiVersion`` (string),
    ``generated`` (RFC 3339 time) and ``repositories`` (a list of mappings of
    the RepoEntry keys); other keys are ignored, keys match case-insensitively,
    null items are dropped.  An empty document is an empty file.  Errors carry
    helm's text ("error converting YAML to JSON: ...", "error unmarshaling
    JSON: while decoding JSON: ...").
    """
    rf, problem = parse_repo_file_partial(data, name)
    if problem is not None:
        raise problem
    return rf


def parse_repo_file_partial(data: bytes | str, name: str = "repositories.yaml"
                            ) -> tuple[RepoFile, RepoError | None]:
    """parse_repo_file as repo.LoadFile leaves its result on error: what decoded, and the error.

    helm's `repo list`, `search repo` and `repo remove` go on with the entries
    that did decode (a field of the wrong type is left empty).
    """
    try:
        raw = load_yaml_v2(data, name)
    except MinihelmError as e:
        return RepoFile(), RepoError(e.message)
    except RecursionError:
        return RepoFile(), RepoError("error converting YAML to JSON: yaml: exceeded max depth")
    doc, problem = decode_partial(raw, _FILE_T)
    err = (RepoError(f"error unmarshaling JSON: while decoding JSON: {problem}")
           if problem is not None else None)
    doc = doc if isinstance(doc, dict) else {}
    entries = [RepoEntry.from_doc(e) for e in doc.get("repositories") or [] if e is not None]
    rf = RepoFile(doc.get("apiVersion") or "", doc.get("generated") or ZERO_TIME, entries)
    return rf, err


def _read_error(path: Path, e: OSError) -> RepoError:
    verb = "read" if isinstance(e, IsADirectoryError) else "open"
    return RepoError(f"{verb} {path}: {(e.strerror or str(e)).lower()}")


def load_repo_file(path: str | os.PathLike[str]) -> RepoFile:
    """repo.LoadFile minus its wrapping: RepoFileMissing when absent, RepoError when unreadable or bad."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise RepoFileMissing(f"couldn't load repositories file ({p}): open {p}: no such file "
                              "or directory") from None
    except OSError as e:
        raise _read_error(p, e) from None
    return parse_repo_file(data, str(p))


def load_lenient(path: str | os.PathLike[str]) -> RepoFile:
    """What helm's lenient readers (repo list, search, remove) see: the entries that decoded."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return RepoFile()
    return parse_repo_file_partial(data, os.fspath(path))[0]


def load_or_empty(path: str | os.PathLike[str]) -> RepoFile:
    """downloader's loadRepoConfig: a missing file is an empty one, any other problem an error."""
    try:
        return load_repo_file(path)
    except RepoFileMissing:
        return RepoFile()


def _helm_cache_home() -> Path:
    if os.environ.get("HELM_CACHE_HOME"):
        return Path(os.environ["HELM_CACHE_HOME"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "helm"


def config_path(override: str = "") -> Path:
    """--repository-config, else $HELM_REPOSITORY_CONFIG, else helm's default."""
    return Path(override or os.environ.get("HELM_REPOSITORY_CONFIG")
                or helm_config_home() / "repositories.yaml")


def cache_dir(override: str = "") -> Path:
    """--repository-cache, else $HELM_REPOSITORY_CACHE, else helm's default."""
    return Path(override or os.environ.get("HELM_REPOSITORY_CACHE")
                or _helm_cache_home() / "repository")


def lock_path(path: Path) -> Path:
    """repo add's lock: the file's extension swapped for .lock (or .lock added when it has none)."""
    s = str(path)
    ext = os.path.splitext(s)[1]
    if ext and len(ext) < len(s):
        return Path(s[: -len(ext)] + ".lock")
    return Path(s + ".lock")


@contextlib.contextmanager
def repo_file_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold helm's flock on repositories.lock (its directory made first, as helm does)."""
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RepoError(f"mkdir {path.parent}: {(e.strerror or str(e)).lower()}") from None
    try:  # the lock file stays, as helm's does (removing it would race a waiting writer)
        lock = FileLock(str(lock_path(path)), timeout=timeout, mode=0o600,
                        preserve_lock_file=True)
    except TypeError:  # filelock < 4: its Unix lock never removes the file anyway
        lock = FileLock(str(lock_path(path)), timeout=timeout, mode=0o600)
    try:
        with lock:
            yield
    except Timeout:
        raise RepoError("context deadline exceeded") from None


def same_config(a: RepoEntry, b: RepoEntry) -> bool:
    return asdict(a) == asdict(b)


def with_password(entry: RepoEntry, password: str) -> RepoEntry:
    return replace(entry, password=password)
