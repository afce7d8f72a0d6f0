"""Two minihelm commands (say, two checkouts) -> the median of their pairwise time ratios, per mode.

usage:
    python benchmarks/ab.py --before CMD --after CMD [-n 11] CHART ...

For a change that must not cost speed (a refactoring): both commands render
`template release-name CHART --namespace default` alternately (which one goes
first alternates too), each with its own cache folder, in bench.py's modes:
replay (the same command again), engine (MINIHELM_REPLAY=0, compiled
templates cached) and cold (an empty cache folder every run).  The first
round only fills the caches.  A CMD is split like a shell word list, e.g.
`env PYTHONPATH=../old/src python3 -m minihelm`.  Where PYTHONDONTWRITEBYTECODE is set,
run `python -m compileall -q` on both source trees first, or a tree without .pyc files
recompiles every module on every start (bench.py does this for its own tree).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time


def run(cmd: list[str], chart: str, cache: str, mode: str) -> float:
    env = dict(os.environ, MINIHELM_CACHE_DIR=tempfile.mkdtemp() if mode == "cold" else cache)
    if mode == "engine":
        env["MINIHELM_REPLAY"] = "0"
    start = time.perf_counter()
    subprocess.run([*cmd, "template", "release-name", chart, "--namespace", "default"],
                   stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("charts", nargs="+")
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("-n", "--runs", type=int, default=11)
    a = ap.parse_args()
    cmds = {"before": shlex.split(a.before), "after": shlex.split(a.after)}
    print("| chart | mode | before s | after s | after/before (median of pairs) |")
    print("|---|---|---|---|---|")
    for chart in a.charts:
        for mode in ("replay", "engine", "cold"):
            caches = {k: tempfile.mkdtemp() for k in cmds}
            times: dict[str, list[float]] = {k: [] for k in cmds}
            ratios = []
            for i in range(a.runs + 1):
                order = ("before", "after") if i % 2 else ("after", "before")
                t = {k: run(cmds[k], chart, caches[k], mode) for k in order}
                if i:
                    ratios.append(t["after"] / t["before"])
                    for k in cmds:
                        times[k].append(t[k])
            print(f"| {os.path.basename(chart.rstrip('/'))} | {mode} "
                  f"| {statistics.median(times['before']):.3f} "
                  f"| {statistics.median(times['after']):.3f} "
                  f"| {statistics.median(ratios):.3f} |", flush=True)


if __name__ == "__main__":
    main()
