"""`repo add|list|update|remove` requests -> repositories.yaml and the index cache changed as helm changes them, and helm's messages; the CLI calls these.

Messages go to `out` (helm's stdout); errors are RepoError with helm's text.
helm updates repositories in parallel and prints in the order they finish;
here they are read one after another in the file's order, so the lines come
in that order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import RepoError
from .repofile import (
    RepoEntry,
    RepoFile,
    RepoFileMissing,
    load_lenient,
    load_repo_file,
    repo_file_lock,
)
from .repoindex import (
    RepoClient,
    cache_charts_file,
    cache_index_file,
    check_url,
    download_index,
)
from .search import encode, format_table, parse_format

__all__ = ["AddOptions", "add", "list_repos", "remove", "update"]

Out = Callable[[str], None]
Debug = Callable[[str], None]

# Repositories that have been permanently deleted (helm's deprecatedRepos)
_DEPRECATED = {
    "//kubernetes-charts.storage.googleapis.com": "https://charts.helm.sh/stable",
    "//kubernetes-charts-incubator.storage.googleapis.com": "https://charts.helm.sh/incubator",
}


@dataclass(frozen=True)
class AddOptions:
    """`helm repo add`'s flags (the entry's own fields live on RepoEntry)."""

    force_update: bool = False
    allow_deprecated_repos: bool = False
    password_stdin: bool = False
    debug: Debug | None = None  # --debug: each HTTP exchange, without secrets
    timeout: float | None = None  # --timeout, in seconds


def _read_password(entry: RepoEntry, opts: AddOptions, out: Out) -> str:
    """helm asks for a password when only a username was given: from stdin, or the terminal."""
    if opts.password_stdin:
        text = sys.stdin.read()
        return text.removesuffix("\n").removesuffix("\r")
    out("Password: ")
    if not sys.stdin.isatty():
        out("\n")
        raise RepoError("inappropriate ioctl for device")
    import getpass

    try:
        return getpass.getpass("")
    finally:
        out("\n")


def add(entry: RepoEntry, config: Path, cache: Path, opts: AddOptions, out: Out) -> None:
    """`helm repo add NAME URL`: the index is fetched and cached before the entry is written."""
    if not opts.allow_deprecated_repos:
        for old, new in _DEPRECATED.items():
            if old in entry.url:
                raise RepoError(f'repo "{entry.url}" is no longer available; try "{new}" '
                                "instead")
    with repo_file_lock(config):
        try:
            rf = load_repo_file(config)
        except RepoFileMissing:
            rf = RepoFile()
        if entry.username and not entry.password:
            from dataclasses import replace

            entry = replace(entry, password=_read_password(entry, opts, out))
        if "/" in entry.name:
            raise RepoError(f"repository name ({entry.name}) contains '/', please specify a "
                            "different name without '/'")
        existing = rf.get(entry.name)
        if not opts.force_update and existing is not None:
            if existing != entry:
                raise RepoError(f"repository name ({entry.name}) already exists, please "
                                "specify a different name")
            out(f'"{entry.name}" already exists with the same configuration, skipping\n')
            return
        check_url(entry.url)
        try:
            download_index(entry, cache, client=RepoClient(entry, debug=opts.debug,
                                                          timeout=opts.timeout))
        except RepoError as e:
            raise RepoError(f'looks like "{entry.url}" is not a valid chart repository or '
                            f"cannot be reached: {e.message}") from None
        rf.update(entry)
        rf.write(config)
    out(f'"{entry.name}" has been added to your repositories\n')


def list_repos(config: Path, fmt: str = "table", no_headers: bool = False,
               err: Out | None = None) -> str:
    """`helm repo list`: a file that is missing or unreadable lists nothing, as in helm."""
    fmt = parse_format(fmt)
    rf = load_lenient(config)
    if not rf.repositories and fmt == "table":
        (err or (lambda s: sys.stderr.write(s)))("no repositories to show\n")
        return ""
    if fmt != "table":
        return encode([{"name": e.name, "url": e.url} for e in rf.repositories], fmt)
    rows = [] if no_headers else [["NAME", "URL"]]
    rows += [[e.name, e.url] for e in rf.repositories]
    return format_table(rows)


def update(names: Sequence[str], config: Path, cache: Path, out: Out,
           debug: Debug | None = None, timeout: float | None = None) -> None:
    """`helm repo update [NAME...]`: every named (or every) repository's index fetched again."""
    try:
        rf = load_repo_file(config)
    except RepoFileMissing:
        raise RepoError("no repositories found. You must add one before updating") from None
    except RepoError as e:
        raise RepoError(f"failed loading file: {config}: {e.message}") from None
    if not rf.repositories:
        raise RepoError("no repositories found. You must add one before updating")
    known = {e.name for e in rf.repositories}
    for n in names:
        if n not in known:
            raise RepoError(f"no repositories found matching '{n}'.  Nothing will be updated")
    chosen = [e for e in rf.repositories if not names or e.name in names]
    for c in chosen:
        check_url(c.url)
    failed = update_entries(chosen, cache, out, debug=debug, timeout=timeout)
    if failed:
        raise RepoError(f"failed to update the following repositories: [{' '.join(failed)}]")
    out("Update Complete. \u2388Happy Helming!\u2388\n")


def update_entries(entries: Sequence[RepoEntry], cache: Path, out: Out,
                   unmanaged: bool = False, debug: Debug | None = None,
                   timeout: float | None = None) -> list[str]:
    """updateCharts / parallelRepoUpdate's lines for each entry -> the URLs that failed.

    `unmanaged` is dependency update's form for repositories not in
    repositories.yaml: helm names them by URL and prints no header.
    """
    if not unmanaged:
        out("Hang tight while we grab the latest from your chart repositories...\n")
    for e in entries:
        check_url(e.url)  # NewChartRepository: a bad URL stops the run before any request
    failed: list[str] = []
    for e in entries:
        label = f'"{e.url}"' if unmanaged else f'"{e.name}"'
        try:
            download_index(e, cache, client=RepoClient(e, debug=debug, timeout=timeout))
        except RepoError as err:
            where = label if unmanaged else f"{label} chart repository ({e.url})"
            if unmanaged:
                out(f"...Unable to get an update from the {label} chart repository:\n"
                    f"\t{err.message}\n")
            else:
                out(f"...Unable to get an update from the {where}:\n\t{err.message}\n")
            failed.append(e.url)
            continue
        out(f"...Successfully got an update from the {label} chart repository\n")
    return failed


def remove(names: Sequence[str], config: Path, cache: Path, out: Out) -> None:
    """`helm repo remove NAME...`: each entry dropped and its cache files deleted, one by one."""
    with repo_file_lock(config):
        rf = load_lenient(config)
        if not rf.repositories:
            raise RepoError("no repositories configured")
        for name in names:
            if not rf.remove(name):
                raise RepoError(f'no repo named "{name}" found')
            rf.write(config)
            _remove_cache(cache, name)
            out(f'"{name}" has been removed from your repositories\n')


def _remove_cache(cache: Path, name: str) -> None:
    (cache / cache_charts_file(name)).unlink(missing_ok=True)
    idx = cache / cache_index_file(name)
    try:
        idx.unlink()
    except FileNotFoundError:
        return
    except OSError as e:
        raise RepoError(f"can't remove index file {idx}: {e.strerror}") from None
