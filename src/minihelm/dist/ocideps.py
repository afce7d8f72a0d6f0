"""A Chart.yaml dependency with `repository: oci://…` -> its locked version and its archive; feeds deps (dependency update/build).

helm 4.1.4's resolver asks the registry for the tags of
``<repository>/<name>`` and locks the newest one the constraint admits
(tags read with ``_`` as ``+``, newest first).  When none is admitted it
locks the constraint text itself and the download then fails, as helm's
does, with "could not locate a version matching ...".  Downloads are
pulls of ``<repository>/<name>`` at the locked version; helm does not skip
a second dependency on the same chart (no "Already downloaded" for OCI).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import MinihelmError, RepoError
from ..golang.semver import Constraint, parse_version
from .oci import Registry, helm_reference
from .ocichart import PulledChart, pull_chart, sorted_versions

__all__ = ["fetch_dependency", "lock_version"]

Out = Callable[[str], None]


def lock_version(registry_for: Callable[[str], Registry], repository: str, name: str,
                 constraint: Constraint, version: str) -> str:
    """The version helm writes into Chart.lock for one OCI dependency."""
    try:
        ref = helm_reference(f"{repository.rstrip('/')}/{name}")
        tags = sorted_versions(registry_for(ref.registry).tags(ref.repository))
    except RepoError as e:
        raise RepoError(f"could not retrieve list of tags for repository {repository}: "
                        f"{e.message}") from None
    for tag in tags:
        try:
            if constraint.check(parse_version(tag)):
                return tag
        except MinihelmError:
            continue
    return version


def fetch_dependency(registry_for: Callable[[str], Registry], repository: str, name: str,
                     version: str, err: Out) -> PulledChart:
    """Pull `<repository>/<name>` at `version` (digests checked), in helm's error words."""
    url = f"{repository}/{name}"
    try:
        return pull_chart(registry_for, url, version, err)
    except RepoError as e:
        raise RepoError(f"could not download {url}: {e.message}") from None
