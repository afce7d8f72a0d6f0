"""Chart.yaml dependencies + repositories -> charts/*.tgz and Chart.lock (`dependency update|build|list`), as helm's downloader.Manager.

`repository:` forms:

* ``""``: the chart already sits in charts/<name> (only its version is checked);
* ``file://<path>`` naming a chart folder (relative to the chart): packaged
  into charts/, as helm does;
* ``file://<path>`` naming a repository folder (index.yaml, no Chart.yaml):
  resolved against that index like an http repository (a minihelm addition;
  helm would try to load the folder as a chart);
* ``http(s)://...``: a chart repository, index.yaml fetched directly (helm
  calls these "unmanaged" repositories and caches their index);
* ``@NAME`` / ``alias:NAME``, or a URL equal to a configured one: a repository
  from repositories.yaml, resolved against its cached index (dist/repodeps.py).

The lock digest is helm's resolver.HashReq: sha256 of Go's json.Marshal of
``[Chart.yaml dependencies, locked dependencies]``.  Archives land in charts/
by atomic rename only after every download succeeded and was checked
(digest against the index, archive loads as a chart).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..chart.archive import read_archive
from ..chart.loader import load_chart, load_files
from ..chart.model import Chart, Dependency
from ..errors import ChartError, MinihelmError, RepoError
from ..golang.jsonio import dumps_go
from ..golang.semver import Constraint, is_strict, parse_version
from ..goyaml.yamlemit import dump_yaml
from .ocideps import fetch_dependency, lock_version
from .package import build_archive
from .provenance import verify_archive
from .pull import Repository, is_url, open_repository
from .repo import INDEX, _now
from .repodeps import NamedRepos
from .repofile import RepoEntry
from .repoindex import RepoClient
from .session import RegistryOptions, stderr_line

__all__ = ["build", "hash_req", "list_dependencies", "update", "update_if_missing"]

Out = Callable[[str], None]

_FIELDS = ("name", "version", "repository", "condition", "tags", "enabled", "import-values",
           "alias")
_ALWAYS = ("name", "repository")  # the struct fields without omitempty


# ---------------------------------------------------------------- digest


def dependency_doc(d: Dependency | dict[str, Any]) -> dict[str, Any]:
    """helm's chart.Dependency as encoding/json writes it: struct field order, omitempty."""
    if isinstance(d, Dependency):
        raw: dict[str, Any] = {
            "name": d.name, "version": d.version, "repository": d.repository,
            "condition": d.condition, "tags": list(d.tags), "enabled": d.enabled,
            "import-values": list(d.import_values), "alias": d.alias}
    else:
        raw = d
    return {k: raw.get(k, "") for k in _FIELDS if k in _ALWAYS or raw.get(k)}


def _struct_json(d: Dependency | dict[str, Any]) -> str:
    """A Dependency as encoding/json writes a struct: fields in declaration order, not sorted."""
    doc = dependency_doc(d)
    return "{" + ",".join(f"{dumps_go(k)}:{dumps_go(v)}" for k, v in doc.items()) + "}"


def _list_json(deps: Sequence[Dependency | dict[str, Any]]) -> str:
    return "[" + ",".join(_struct_json(d) for d in deps) + "]"


def hash_req(reqs: Sequence[Dependency | dict[str, Any]],
             locked: Sequence[Dependency | dict[str, Any]]) -> str:
    """resolver.HashReq: "sha256:" + sha256(json.Marshal([2][]*Dependency{reqs, locked}))."""
    text = f"[{_list_json(reqs)},{_list_json(locked)}]"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _hash_v2_req(reqs: Sequence[Dependency]) -> str:
    """resolver.HashV2Req: helm 2's requirements.lock digest."""
    text = '{"dependencies":' + _list_json(reqs) + "}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- repositories


def local_path(repository: str, chart_dir: Path) -> Path:
    """resolver.GetLocalPath: file://<abs> or file://<relative to the chart>, which must exist."""
    p = repository.removeprefix("file://")
    path = Path(os.path.abspath(p)) if p.startswith("/") else Path(os.path.normpath(chart_dir / p))
    if not path.exists():
        raise ChartError(f"directory {path} not found")
    return path


def _is_repo_folder(path: Path) -> bool:
    return path.is_dir() and (path / INDEX).is_file() and not (path / "Chart.yaml").exists()


@dataclass
class _Session:
    """One update/build run: the chart folder, its output and the repositories read so far."""

    chart_dir: Path
    out: Out
    repos: dict[str, Repository] = field(default_factory=dict)
    named: NamedRepos = field(default_factory=NamedRepos.from_env)
    keyring: str | os.PathLike[str] | None = None  # --verify: check each download's .prov
    verify_always: bool = True  # update: a missing .prov fails; build: only warns (helm)
    registry: RegistryOptions = field(default_factory=RegistryOptions)  # oci:// dependencies

    def repo(self, repository: str) -> Repository:
        key = repository.rstrip("/")
        if key not in self.repos:
            if is_url(repository):
                self.repos[key] = open_repository(repository)
            else:
                self.repos[key] = open_repository(str(local_path(repository, self.chart_dir)))
        return self.repos[key]

    def is_index_repo(self, repository: str) -> bool:
        if is_url(repository):
            return True
        return repository.startswith("file://") and _is_repo_folder(
            local_path(repository, self.chart_dir))


@dataclass
class _CachedRepository(Repository):
    """A named or unmanaged repository read from its cached index; downloads carry its settings."""

    named: NamedRepos | None = None
    cache_name: str = ""
    entry: RepoEntry | None = None

    def _load_index(self) -> dict[str, Any]:
        assert self.named is not None
        return self.named.cached_index(self.cache_name)

    def _read_archive(self, url: str) -> bytes:
        return RepoClient(self.entry or RepoEntry(url=self.location)).get(url)


def _check_repositories(s: _Session, reqs: Sequence[Dependency]) -> list[Dependency]:
    """resolveRepoNames: every repository must be "", file://, a URL or a configured name.

    Returns the dependencies with ``@NAME`` / ``alias:NAME`` replaced by the
    repository's URL, as helm rewrites them (the lock and its digest use these).
    """
    return s.named.resolve_names(reqs, s.chart_dir, local_path)


def _refresh_http(s: _Session, reqs: Sequence[Dependency]) -> None:
    """ensureMissingRepos + UpdateRepositories: unmanaged indexes, then every configured one, cached."""
    s.named.ensure_missing(reqs, s.out)
    s.named.update_all(s.out)


# ---------------------------------------------------------------- resolve


def _constraint(d: Dependency) -> Constraint:
    try:
        return Constraint(d.version)
    except MinihelmError as e:
        raise ChartError(
            f'dependency "{d.name}" has an invalid version/constraint format: {e.message}'
        ) from None


def _resolve(s: _Session, reqs: Sequence[Dependency]) -> list[dict[str, Any]]:
    """resolver.Resolve: each dependency -> {name, repository, version} with an exact version."""
    locked: list[dict[str, Any]] = []
    missing: list[str] = []
    for d in reqs:
        constraint = _constraint(d)
        entry = {"name": d.name, "repository": d.repository, "version": d.version}
        name = s.named.index_name(d) if not d.repository.startswith("file://") else None
        cached = _CachedRepository(d.repository, named=s.named, cache_name=name) if name else None
        if not d.repository:
            local_path(os.path.join("charts", d.name), s.chart_dir)
        elif d.repository.startswith("oci://"):
            entry["version"] = lock_version(s.registry.registry, d.repository, d.name,
                                            constraint, d.version)
        elif cached is not None or s.is_index_repo(d.repository):
            version = _pick(cached or s.repo(d.repository), d, constraint)
            if version is None:
                missing.append(_missing_text(d))
            entry["version"] = version or d.version
        else:
            chart = load_chart(local_path(d.repository, s.chart_dir))
            try:
                ok = constraint.check(parse_version(chart.metadata.version))
            except MinihelmError:
                ok = False
            if not ok:
                missing.append(_missing_text(d))
            entry["version"] = chart.metadata.version
        locked.append(entry)
    if missing:
        raise ChartError(
            f"can't get a valid version for {len(missing)} subchart(s): {', '.join(missing)}. "
            "Make sure a matching chart version exists in the repo, or change the version "
            "constraint in Chart.yaml")
    return locked


def _missing_text(d: Dependency) -> str:
    return f'"{d.name}" (repository "{d.repository}", version "{d.version}")'


def _pick(repo: Repository, d: Dependency, constraint: Constraint) -> str | None:
    """The newest index version with URLs satisfying the constraint (its original text)."""
    versions = repo.versions(d.name)
    if versions is None:
        raise RepoError(f"{d.name} chart not found in repo {d.repository}")
    for e in versions:
        try:
            v = parse_version(str(e.get("version")))
        except MinihelmError:
            continue
        if e.get("urls") and constraint.check(v):
            return str(e.get("version"))
    return None


# ---------------------------------------------------------------- download


def _locate(s: _Session, dep: dict[str, Any]) -> tuple[Repository, dict[str, Any]]:
    """findChartURL: a configured repository's cached index, else the index fetched (FindChartInRepoURL)."""
    repo_entry = s.named.configured(dep["repository"])
    if repo_entry is not None:
        configured = _CachedRepository(dep["repository"], named=s.named,
                                       cache_name=repo_entry.name, entry=repo_entry)
        versions = configured.index()["entries"].get(dep["name"])
        if versions is None:
            raise RepoError("could not find : entry not found")
        cv = next((e for e in versions if e.get("urls")
                   and _same_version(str(dep["version"] or ""), str(e.get("version")))), None)
        if cv is None:
            raise RepoError("could not find : no matching version")
        return configured, cv
    repo = s.repo(dep["repository"])
    try:
        return repo, repo.get(dep["name"], dep["version"] or None)
    except RepoError as e:
        # helm: fmt.Errorf("could not find %s: %w", churl, err) with churl empty on failure
        raise RepoError(f"could not find : chart {dep['name']} not found in "
                        f"{dep['repository']}: {e.message}") from None


def _fetch(s: _Session, repo: Repository, entry: dict[str, Any]
           ) -> tuple[str, bytes, bytes | None]:
    """The digest-checked download of a located chart (helm: "could not download URL: ...");
    with --verify also the archive's .prov, checked (build: only when the repository has one)."""
    url = repo.archive_url(entry)
    try:
        fname, data = repo.download(entry)
    except RepoError as e:
        raise RepoError(f"could not download {url}: {e.message}") from None
    if s.keyring is None:
        return fname, data, None
    try:
        prov = repo.download_prov(entry)
    except RepoError as e:
        if s.verify_always:
            raise RepoError(f'could not download {url}: failed to fetch provenance '
                            f'"{url}.prov"') from None
        s.out(f"WARNING: Verification not found for {url}: {e.message}")
        return fname, data, None
    try:
        verify_archive(fname, prov, s.keyring, archive=data)
    except MinihelmError as e:
        raise RepoError(f"could not download {url}: {e.message}") from None
    return fname, data, prov


def _same_version(want: str, have: str) -> bool:
    """versionEquals: equal SemVer, or equal text when `want` does not parse ("" matches all)."""
    if not want:
        return True
    try:
        w = parse_version(want)
    except MinihelmError:
        return want == have
    try:
        return not (w < parse_version(have) or parse_version(have) < w)
    except MinihelmError:
        return False


def _check_loads(name: str, data: bytes) -> Chart:
    try:
        return load_files(read_archive(io.BytesIO(data)))
    except MinihelmError as e:
        raise RepoError(f"could not verify {name}: {e.message}") from None


def _local_chart(s: _Session, dep: dict[str, Any]) -> None:
    """A dependency without a repository must already be in charts/<name> at a matching version."""
    path = s.chart_dir / "charts" / dep["name"]
    try:
        chart = load_chart(path)
    except MinihelmError as e:
        raise ChartError(f"unable to load chart '{path}': {e.message}") from None
    try:
        constraint = Constraint(dep["version"])
    except MinihelmError as e:
        raise ChartError(f"dependency {dep['name']} has an invalid version/constraint format: "
                         f"{e.message}") from None
    try:
        v = parse_version(chart.metadata.version)
    except MinihelmError as e:
        raise ChartError(f"invalid version {dep['version']} for dependency {dep['name']}: "
                         f"{e.message}") from None
    if not constraint.check(v):
        raise ChartError(f"dependency {dep['name']} at version {chart.metadata.version} does not "
                         f"satisfy the constraint {dep['version']}")


def _pack_local(s: _Session, dep: dict[str, Any]) -> tuple[str, bytes]:
    """tarFromLocalDir: package a file:// chart folder whose version satisfies dep's."""
    chart = load_chart(local_path(dep["repository"], s.chart_dir))
    try:
        constraint = Constraint(dep["version"])
    except MinihelmError as e:
        raise ChartError(f"dependency {dep['name']} has an invalid version/constraint format: "
                         f"{e.message}") from None
    try:
        ok = constraint.check(parse_version(chart.metadata.version))
    except MinihelmError as e:
        raise ChartError(e.message) from None
    if not ok:
        raise ChartError(f"can't get a valid version for dependency {dep['name']}")
    dep["version"] = chart.metadata.version
    return f"{chart.name}-{chart.metadata.version}.tgz", build_archive(chart)


def _download_all(s: _Session, locked: list[dict[str, Any]]) -> None:
    """downloadAll + safeMoveDeps: fetch everything first, then swap charts/ contents."""
    s.named.load_all()  # loadChartRepositories comes first, before charts/ is made
    dest = s.chart_dir / "charts"
    if dest.exists() and not dest.is_dir():
        raise ChartError(f'"{dest}" is not a directory')
    dest.mkdir(parents=True, exist_ok=True)
    s.out(f"Saving {len(locked)} charts")
    fetched: dict[str, bytes] = {}
    seen_urls: set[str] = set()
    try:
        for dep in locked:
            if not dep["repository"]:
                s.out(f"Dependency {dep['name']} did not declare a repository. Assuming it "
                      "exists in the charts directory")
                _local_chart(s, dep)
            elif dep["repository"].startswith("oci://"):
                s.out(f"Downloading {dep['name']} from repo {dep['repository']}")
                pulled = fetch_dependency(s.registry.registry, dep["repository"], dep["name"],
                                          dep["version"], stderr_line)
                _check_loads(pulled.filename, pulled.chart)
                fetched[pulled.filename] = pulled.chart
            elif s.is_index_repo(dep["repository"]):
                repo, entry = _locate(s, dep)
                key = repo.archive_url(entry)  # helm skips a chart URL it already fetched
                if key in seen_urls:
                    s.out(f"Already downloaded {dep['name']} from repo {dep['repository']}")
                    continue
                s.out(f"Downloading {dep['name']} from repo {dep['repository']}")
                fname, data, prov = _fetch(s, repo, entry)
                _check_loads(fname, data)
                fetched[fname] = data
                if prov is not None:
                    fetched[fname + ".prov"] = prov  # kept beside the verified archive
                seen_urls.add(key)
            else:
                fname, data = _pack_local(s, dep)
                fetched[fname] = data
    except MinihelmError as e:
        s.out(f"Save error occurred:  {e.message}")
        raise
    before = sorted(p for p in dest.iterdir() if not p.is_dir())
    for fname, data in fetched.items():
        atomic_write(dest / fname, data)
    _delete_outdated(s, before, set(fetched), {d["name"] for d in locked if not d["repository"]})


def _delete_outdated(s: _Session, before: list[Path], new: set[str], local: set[str]) -> None:
    """Every other chart archive in charts/ goes, except charts of repository-less dependencies."""
    s.out("Deleting outdated charts")
    for path in before:
        if path.name in new or not path.exists():  # (a .prov may have gone with its archive)
            continue
        try:
            chart = load_chart(path)
        except MinihelmError as e:
            s.out(f"Could not verify {path} for deletion: {e.message} (Skipping)")
            continue
        if chart.name in local:
            continue
        try:
            path.unlink()
        except OSError as e:
            s.out(f"Could not delete {path}: {e.strerror} (Skipping)")
            continue
        with contextlib.suppress(OSError):
            path.with_name(path.name + ".prov").unlink()  # its provenance goes with it


# ---------------------------------------------------------------- lock file


def _write_lock(chart_dir: Path, locked: list[dict[str, Any]], digest: str, v1: bool) -> Path:
    name = "requirements.lock" if v1 else "Chart.lock"
    dest = chart_dir / name
    if dest.is_symlink():
        raise ChartError(f'the {name} file is a symlink to "{os.readlink(dest)}"')
    deps = [{k: v for k, v in d.items() if k != "version" or v} for d in locked]
    doc = {"dependencies": deps, "digest": digest, "generated": _now()}
    return atomic_write(dest, dump_yaml(doc).encode())


def _load_dir(chart_dir: str | os.PathLike[str]) -> tuple[Path, Chart]:
    path = Path(chart_dir)
    if not path.exists():
        raise ChartError(f"could not find {os.fspath(chart_dir)}: stat {os.fspath(chart_dir)}: "
                         "no such file or directory")
    if not path.is_dir():
        raise ChartError("only unpacked charts can be updated")
    return path, load_chart(path)


def _has_dependencies(chart: Chart) -> bool:
    """Go's `req == nil`: no dependencies key at all (an empty list still counts)."""
    return bool(chart.metadata.dependencies) or chart.metadata.raw.get("dependencies") is not None


def update(chart_dir: str | os.PathLike[str], out: Out = print,
           keyring: str | os.PathLike[str] | None = None,
           registry: RegistryOptions | None = None, skip_refresh: bool = False) -> None:
    """`helm dependency update`: resolve ranges, refill charts/, write Chart.lock if it changed.

    With `keyring` (--verify) every repository download must come with a .prov that verifies.
    """
    path, chart = _load_dir(chart_dir)
    if not _has_dependencies(chart):
        return
    s = _Session(path, out, keyring=keyring, registry=registry or RegistryOptions())
    s.named.skip_refresh = skip_refresh
    reqs = _check_repositories(s, chart.metadata.dependencies)
    _refresh_http(s, reqs)
    locked = _resolve(s, reqs)
    _download_all(s, locked)
    digest = hash_req(reqs, locked)
    if chart.lock is not None and chart.lock.get("digest") == digest:
        return
    _write_lock(path, locked, digest, chart.metadata.api_version == "v1")


def build(chart_dir: str | os.PathLike[str], out: Out = print,
          keyring: str | os.PathLike[str] | None = None,
          registry: RegistryOptions | None = None, skip_refresh: bool = False) -> None:
    """`helm dependency build`: refill charts/ with exactly what the lock file names.

    With `keyring` (--verify) a download with a .prov must verify; one without only gets
    helm's warning (its VerifyIfPossible).
    """
    path, chart = _load_dir(chart_dir)
    if chart.lock is None:
        update(path, out, keyring, registry, skip_refresh)
        return
    reqs = chart.metadata.dependencies
    v1 = chart.metadata.api_version == "v1"
    locked = [{"name": str(d.get("name") or ""), "repository": str(d.get("repository") or ""),
               "version": str(d.get("version") or "")}
              for d in chart.lock.get("dependencies") or [] if isinstance(d, dict)]
    raw_locked = [d for d in chart.lock.get("dependencies") or [] if isinstance(d, dict)]
    s = _Session(path, out, keyring=keyring, verify_always=False,
                 registry=registry or RegistryOptions())
    s.named.skip_refresh = skip_refresh
    named_reqs = _check_repositories(s, reqs)
    digest = chart.lock.get("digest")
    # helm 2 wrote requirements.lock digests another way; v1 charts may carry either
    if hash_req(named_reqs, raw_locked) != digest and (not v1 or _hash_v2_req(reqs) != digest):
        files = ("requirements.lock", "requirements.yaml") if v1 else ("Chart.lock", "Chart.yaml")
        raise ChartError(f"the lock file ({files[0]}) is out of sync with the dependencies "
                         f"file ({files[1]}). Please update the dependencies")
    s.named.check_all_known(locked)
    s.named.update_all(out)
    _download_all(s, locked)


def update_if_missing(chart_dir: str | os.PathLike[str], out: Out = print,
                      registry: RegistryOptions | None = None) -> bool:
    """`--dependency-update` of template/install: run update only when charts/ lacks a dependency."""
    path = Path(chart_dir)
    if not path.is_dir():
        return False
    chart = load_chart(path)
    have = {d.name for d in chart.dependencies}
    if all(d.name in have for d in chart.metadata.dependencies):
        return False
    update(path, out, registry=registry)
    return True


# ---------------------------------------------------------------- list


def _status_of_archive(archive: str, dep: Dependency) -> str:
    """statArchiveForStatus."""
    try:
        c = load_chart(archive)
    except MinihelmError:
        return "corrupt"
    if c.name != dep.name:
        return "misnamed"
    return _version_status(c.metadata.version, dep.version) or "ok"


def _version_status(have: str, want: str) -> str:
    if have == want:
        return ""
    try:
        constraint = Constraint(want)
        v = parse_version(have)
    except MinihelmError:
        return "invalid version"
    return "" if constraint.check(v) else "wrong version"


def _dependency_status(chart_path: str, dep: Dependency, parent: Chart) -> str:
    """action.Dependency.dependencyStatus."""
    pattern = os.path.join(glob.escape(chart_path), "charts", glob.escape(dep.name) + "-*.tgz")
    archives = sorted(glob.glob(pattern))
    if len(archives) > 1:
        found = [a for a in archives if _strict_version(
            os.path.basename(a)[: -len(".tgz")][len(dep.name) + 1:])]
        if len(found) == 1:
            return _status_of_archive(found[0], dep)
        if len(found) > 1:
            return "too many matches"
    elif len(archives) == 1:
        return _status_of_archive(archives[0], dep)
    sub = next((c for c in reversed(parent.dependencies) if c.name == dep.name), None)
    if sub is None:
        return "missing"
    return _version_status(sub.metadata.version, dep.version) or "unpacked"


def _strict_version(s: str) -> bool:
    return is_strict(s)


def _width(s: str) -> int:
    """go-runewidth's StringWidth, near enough: wide East Asian runes 2, combining marks 0."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _cell(s: str, width: int) -> str:
    """uitable's strutil.Resize: pad right, or cut to width-3 bytes + "..."."""
    n = _width(s)
    if n == width:
        return s
    if n < width:
        return s + " " * (width - n)
    return s.encode()[: max(width - 3, 0)].decode(errors="ignore") + "..."


def format_table(rows: list[list[str]], max_width: int = 80) -> str:
    """gosuri/uitable as helm uses it: every cell padded to its column, tab-separated."""
    widths = [0] * max(len(r) for r in rows)
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], min(max((_width(x) for x in c.split("\n")), default=0),
                                           max_width))
    lines: list[str] = []
    for r in rows:
        parts = [c.split("\n") for c in r]
        for x in range(max(len(p) for p in parts)):
            lines.append("\t".join(_cell(p[x] if x < len(p) else "", widths[i])
                                   for i, p in enumerate(parts)))
    return "\n".join(lines)


def list_dependencies(chart_path: str) -> str:
    """`helm dependency list`: the status table, then warnings about stray charts/ content."""
    chart_path = os.path.normpath(chart_path)
    chart = load_chart(chart_path)
    if not _has_dependencies(chart):
        return f"WARNING: no dependencies at {os.path.join(chart_path, 'charts')}\n"
    rows = [["NAME", "VERSION", "REPOSITORY", "STATUS"]]
    for d in chart.metadata.dependencies:
        rows.append([d.name, d.version, d.repository, _dependency_status(chart_path, d, chart)])
    out = format_table(rows) + "\n\n"
    names = {d.name for d in chart.metadata.dependencies}
    for f in sorted(glob.glob(os.path.join(glob.escape(chart_path), "charts", "*"))):
        if not os.path.isdir(f) and not f.endswith(".tgz"):
            continue
        try:
            c = load_chart(f)
        except MinihelmError:
            out += f'WARNING: "{f}" is not a chart.\n'
            continue
        if c.name not in names:
            out += f'WARNING: "{f}" is not in Chart.yaml.\n'
    return out
