"""A chart -> where an edit re-render's time goes, stage by stage (docs/performance.md quotes it).

usage:
    python benchmarks/editprofile.py [CHART ...] [-n 5]

An "edit" is `minihelm template edit-N CHART` with the compiled-template
cache warm and a release name never used before, so nothing is replayed
whole (benchmarks/bench.py --edit times the same thing against helm).
Process start and imports are timed as subprocesses (median of N); the
stages inside the process come from cProfile's cumulative times of the
pipeline's own functions (profiling inflates Python-heavy stages, so the
shares matter more than the milliseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (label, module file suffix, function name): cumulative time of each
STAGES = [
    ("values files and --set", "minihelm/api.py", "user_values"),
    ("chart load", "minihelm/render/pipeline.py", "load"),
    ("dependencies and coalescing", "minihelm/render/pipeline.py", "prepare"),
    ("compiled templates: parse or recall, prefill", "minihelm/engine/tplparallel.py", "prefill"),
    ("compiled templates: add to the engine", "minihelm/engine/run.py", "add"),
    ("compiled templates: precompile", "minihelm/engine/tplparallel.py", "precompile"),
    ("execution", "minihelm/engine/run.py", "_execute_all"),
    ("output parsing and sorting", "minihelm/render/manifests.py", "sort_rendered"),
    ("stream formatting", "minihelm/render/manifests.py", "format_stream"),
    ("template cache flush", "minihelm/engine/tplcache.py", "flush"),
]


def wall(cmd: list[str], n: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def profile_edit(chart: str, release: str) -> tuple[float, pstats.Stats]:
    """The library call the CLI makes for this argv (the console script leaves with os._exit)."""
    from minihelm.api import TemplateRequest, template
    from minihelm.engine import run as engine

    prof, deep = cProfile.Profile(), cProfile.Profile()
    run_deep = engine.run_deep

    def profiled_deep(fn: Any) -> Any:  # templates run on a big-stack thread: profile it too
        return run_deep(lambda: deep.runcall(fn))

    engine.run_deep = profiled_deep  # type: ignore[assignment]
    t = time.perf_counter()
    prof.enable()
    try:
        template(TemplateRequest(chart, release_name=release, namespace="default"))
    finally:
        prof.disable()
        engine.run_deep = run_deep  # type: ignore[assignment]
    took = time.perf_counter() - t
    stats = pstats.Stats(prof)
    if deep.getstats():
        stats.add(deep)
    return took, stats


def cumulative(stats: pstats.Stats, suffix: str, func: str) -> float:
    total = 0.0
    for (path, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name == func and path.endswith(suffix):
            total += row[3]
    return total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("charts", nargs="*")
    ap.add_argument("-n", "--runs", type=int, default=5)
    a = ap.parse_args(argv)
    charts = a.charts or [str(ROOT / "charts" / "demo")]
    with tempfile.TemporaryDirectory(prefix="mh-editprof-") as tmp:
        os.environ["MINIHELM_CACHE_DIR"] = tmp
        env = dict(os.environ)
        py = sys.executable
        bare = wall([py, "-c", "pass"], a.runs, env)
        imports = wall([py, "-c", "import minihelm.cli.launch, minihelm.api, minihelm.engine.run"],
                       a.runs, env) - bare
        print(f"interpreter start: {bare * 1000:.0f} ms; minihelm's render imports: "
              f"{imports * 1000:.0f} ms")
        for chart in charts:
            cmd = [py, "-m", "minihelm", "template", "warm", chart, "--namespace", "default"]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=False)  # fill caches
            edit = statistics.median(
                wall([*cmd[:3], "template", f"edit-{i}", *cmd[5:]], 1, env)
                for i in range(a.runs))
            took, stats = profile_edit(chart, "edit-profiled")
            print(f"\n{chart}: edit {edit * 1000:.0f} ms wall (subprocess median); "
                  f"profiled in-process {took * 1000:.0f} ms")
            print("| stage | ms (profiled) | share |\n|---|---|---|")
            for label, suffix, func in STAGES:
                ms = cumulative(stats, suffix, func) * 1000
                print(f"| {label} | {ms:.1f} | {ms / (took * 1000):.0%} |")


if __name__ == "__main__":
    main()
