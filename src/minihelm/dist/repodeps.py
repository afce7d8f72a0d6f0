"""Chart.yaml dependencies + repositories.yaml + the index cache -> which cached index each dependency resolves against, and where its archive comes from; deps (dependency update/build) calls it.

helm's downloader.Manager, in the parts that concern named repositories:

* resolveRepoNames: ``@NAME`` and ``alias:NAME`` become that repository's
  URL (and the lock records the URL); a URL equal to a configured one
  (urlutil.Equal) uses that repository; any other URL is "unmanaged";
  anything else is ``no repository definition for ...``.  The map is keyed
  by *dependency name*, so a second dependency of the same name follows the
  first one's repository (a helm quirk kept on purpose).
* ensureMissingRepos: each unmanaged URL gets the cache name
  ``helm-manager-<sha256 of the URL>`` and its index is fetched into the
  cache ("Getting updates for unmanaged Helm repositories..."); a failure is
  reported and the run goes on (resolution then fails on the missing cache).
* UpdateRepositories: every configured repository is refreshed ("Hang tight
  while we grab the latest ..."), failures reported, not fatal.
* resolution reads the cached index; downloads from a configured repository
  carry its credentials and certificates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..chart.model import Dependency
from ..errors import RepoError
from .repofile import RepoEntry, RepoFile, cache_dir, config_path, load_or_empty
from .repoindex import cache_index_file, load_index_file, urls_equal
from .repos import update_entries

__all__ = ["NamedRepos"]

Out = Callable[[str], None]
MANAGER_PREFIX = "helm-manager-"


def _is_request_uri(s: str) -> bool:
    """url.ParseRequestURI succeeds: an absolute URL (scheme:...) or an absolute path."""
    import re

    if s.startswith("/"):
        return True
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", s) is not None


@dataclass
class NamedRepos:
    """repositories.yaml and the cache as one dependency run sees them."""

    config: Path
    cache: Path
    file: RepoFile
    names: dict[str, str] = field(default_factory=dict)  # dependency name -> cache name
    skip_refresh: bool = False  # --skip-refresh: read the cache as it is

    @classmethod
    def from_env(cls) -> NamedRepos:
        config = config_path()
        return cls(config, cache_dir(), load_or_empty(config))

    # ------------------------------------------------------------ names

    def resolve_names(self, reqs: Sequence[Dependency], chart_dir: Path,
                      local_path: Callable[[str, Path], Path]) -> list[Dependency]:
        """resolveRepoNames -> the dependencies with @NAME / alias:NAME replaced by URLs."""
        out: list[Dependency] = []
        missing: list[str] = []
        for d in reqs:
            r = d.repository
            if not r:
                out.append(d)
                continue
            if r.startswith("file://"):
                local_path(r, chart_dir)
                self.names[d.name] = r
                out.append(d)
                continue
            if r.startswith("oci://"):
                self.names[d.name] = r
                out.append(d)
                continue
            for e in self.file.repositories:
                named = r.removeprefix("@") if r.startswith("@") else (
                    r.removeprefix("alias:") if r.startswith("alias:") else None)
                if named is not None and named == e.name:
                    d = _with_repository(d, e.url)
                    self.names[d.name] = e.name
                    break
                if urls_equal(e.url, r):
                    self.names[d.name] = e.name
                    break
            else:
                if not _is_request_uri(r):
                    missing.append(r)
            out.append(d)
        if missing:
            msg = (f"no repository definition for {', '.join(missing)}. Please add them via "
                   "'helm repo add'")
            if any("//" not in m and not m.startswith(("@", "alias:")) for m in missing):
                msg += ('\nNote that repositories must be URLs or aliases. For example, to '
                        'refer to the "example"\nrepository, use "https://charts.example.com/" '
                        'or "@example" instead of\n"example". Don\'t forget to add the repo, '
                        "too ('helm repo add').")
            raise RepoError(msg)
        return out

    # ------------------------------------------------------------ refresh

    def ensure_missing(self, reqs: Sequence[Dependency], out: Out) -> None:
        """ensureMissingRepos: unmanaged repositories fetched into the cache as helm-manager-*."""
        todo: list[RepoEntry] = []
        for d in reqs:
            if not d.repository or d.name in self.names:
                continue
            name = MANAGER_PREFIX + hashlib.sha256(d.repository.encode()).hexdigest()
            self.names[d.name] = name
            todo.append(RepoEntry(name=name, url=d.repository))
        if todo and not self.skip_refresh:
            out("Getting updates for unmanaged Helm repositories...")
            update_entries(_dedupe(todo), self.cache, _lines(out), unmanaged=True)

    def update_all(self, out: Out) -> None:
        """UpdateRepositories: every configured repository's index refreshed (failures reported)."""
        if self.file.repositories and not self.skip_refresh:
            lines = _lines(out)
            update_entries(_dedupe(self.file.repositories), self.cache, lines)
            out("Update Complete. \u2388Happy Helming!\u2388")

    def load_all(self) -> None:
        """loadChartRepositories: every configured repository's cached index must load."""
        for e in self.file.repositories:
            load_index_file(self.cache / cache_index_file(e.name))

    def check_all_known(self, locked: Sequence[dict[str, Any]]) -> None:
        """hasAllRepos (dependency build): every http repository of the lock must be configured."""
        missing = [str(d.get("repository")) for d in locked
                   if d.get("repository")
                   and not str(d["repository"]).startswith(("file://", "oci://"))
                   and not any(urls_equal(e.url, str(d["repository"]).removesuffix("/"))
                               for e in self.file.repositories)]
        if missing:
            raise RepoError(f"no repository definition for {', '.join(missing)}. Please add the "
                            "missing repos via 'helm repo add'")

    # ------------------------------------------------------------ repositories

    def index_name(self, d: Dependency) -> str | None:
        """The cache name of the index the resolver reads for `d` (None: not an index repository)."""
        name = self.names.get(d.name)
        if not name or name.startswith(("file://", "oci://")):
            return None
        return name

    def configured(self, url: str) -> RepoEntry | None:
        """findChartURL's first loop: the configured repository whose URL equals `url`."""
        return next((e for e in self.file.repositories if urls_equal(url, e.url)), None)

    def cached_index(self, cache_name: str) -> dict[str, Any]:
        """The resolver's read of a cached index, with helm's error when it is missing or bad."""
        try:
            return load_index_file(self.cache / cache_index_file(cache_name))
        except RepoError as e:
            raise RepoError(f"no cached repository for {cache_name} found. (try 'helm repo "
                            f"update'): {e.message}") from None


def _with_repository(d: Dependency, url: str) -> Dependency:
    return Dependency(d.name, d.version, url, d.condition, d.tags, d.enabled, d.import_values,
                      d.alias)


def _dedupe(entries: Sequence[RepoEntry]) -> list[RepoEntry]:
    """dedupeRepos: one entry per URL (trailing slash ignored), the last one kept."""
    seen: dict[str, RepoEntry] = {}
    for e in entries:
        seen[e.url.removesuffix("/")] = e
    return list(seen.values())


def _lines(out: Out) -> Out:
    """update_entries writes text with newlines; deps' out takes one line at a time."""
    def write(text: str) -> None:
        out(text.removesuffix("\n"))
    return write

