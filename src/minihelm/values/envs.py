"""A chart folder's file names -> its environments and the values file `--env NAME` layers.

helm has no environments; minihelm adds them by convention only: a values
file next to values.yaml named after one of ENV_PATTERNS is the file of that
environment, so `--env production` is exactly `-f <chart>/production_values.yaml`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import UsageError

ENV_PATTERNS = ("{env}-values.yaml", "{env}_values.yaml", "values-{env}.yaml", "values.{env}.yaml")

_RX = tuple(re.compile("^" + re.escape(p).replace(r"\{env\}", "(.+)") + "$") for p in ENV_PATTERNS)


def _chart_dir(chart_dir: str | os.PathLike[str]) -> Path:
    """The folder to look in; an archive or a missing path is a usage error, not a traceback."""
    p = Path(chart_dir)
    if p.is_dir():
        return p
    if p.exists():
        # Deliberate: environments come from a chart *folder*; inside a packaged chart
        # the files are only .Files, and `-f` works for archives as it does in helm.
        raise UsageError(f"--env needs a chart folder, and {chart_dir} is not one; "
                         "pass the values file with -f instead")
    raise UsageError(f'path "{chart_dir}" not found')


def environment_files(chart_dir: str | os.PathLike[str]) -> dict[str, list[Path]]:
    """Every environment of a chart folder with all files naming it (sorted by name).

    An environment with two files (production_values.yaml and
    values-production.yaml) is ambiguous: `--env` refuses it.
    """
    found: dict[str, list[Path]] = {}
    for f in sorted(_chart_dir(chart_dir).iterdir()):
        if not f.is_file():
            continue
        for rx in _RX:
            m = rx.match(f.name)
            if m and f not in found.get(m.group(1), []):
                found.setdefault(m.group(1), []).append(f)
    return dict(sorted(found.items()))


def environments(chart_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """The environments a chart folder defines by its values-file names -> the (first) file."""
    return {env: files[0] for env, files in environment_files(chart_dir).items()}


def env_values_file(chart_dir: str | os.PathLike[str], env: str) -> Path:
    """The one values file of environment `env`, or a UsageError listing the known ones."""
    all_files = environment_files(chart_dir)
    hits = all_files.get(env, [])
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(all_files) or "none"
    if not hits:
        expected = ", ".join(p.format(env=env) for p in ENV_PATTERNS)
        raise UsageError(f'environment "{env}" not found in {chart_dir} '
                         f"(environments: {known}; looked for {expected})")
    names = ", ".join(h.name for h in hits)
    raise UsageError(f'environment "{env}" is ambiguous in {chart_dir}: {names} both name it; '
                     f"remove or rename one (environments: {known})")
