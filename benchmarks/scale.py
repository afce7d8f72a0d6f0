"""Synthetic inputs (synth.py) -> scaling figures against fixed targets, as a table.

usage:
    python benchmarks/scale.py [-n 3] [--only render,values,index,load,merge] [--json FILE]
        [--keep DIR] [--strict]

What is measured (median of N runs; every command a fresh process):
  render   `minihelm template` of a chart with 200 templates and of one with
           2,000 (cold: a fresh template cache per run; warm: a filled one).
           Target: 2,000 templates take at most 12x the time of 200.
  values   a chart whose values.yaml has 50,000 keys (ranged over and dumped
           whole with toYaml), warm cache; helm alongside for reference.
  index    `minihelm repo index` over 2,000 archives with an empty cache
           folder (target < 10 s), then again after one new archive is
           added (target < 2 s; entries are memoised by digest).
  load     `python -c 'from minihelm.dist.repo import load_index; ...'` on a
           20 MB index.yaml (targets < 2 s and < 500 MiB peak RSS).
  merge    `minihelm repo index DIR --merge` of that index into a folder of 20
           archives: once with an empty cache folder, then N times (targets
           < 2 s and < 500 MiB); helm alongside.
helm's own figures are given where helm has the same command.  --strict
exits 1 when a target is missed.  Inputs are generated in a temporary
folder (kept with --keep DIR).  Runs `python -m compileall -q src` first
(PYTHONDONTWRITEBYTECODE is set here; `pip install .` writes .pyc files).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth
from bench import Run, compile_sources, machine_notes, minihelm_command, timed

MIB = 1024


class Results:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, what: str, value: float, unit: str, target: float | None = None,
            helm: float | None = None, note: str = "") -> None:
        ok = None if target is None else value <= target
        self.rows.append({"what": what, "value": value, "unit": unit, "target": target,
                          "ok": ok, "helm": helm, "note": note})
        print(f"  {what}: {value:.3f} {unit}" + ("" if ok is None else (" ok" if ok else " MISSED")),
              file=sys.stderr)

    def table(self) -> str:
        out = ["| measurement | minihelm | target | met | helm | note |", "|---|---|---|---|---|---|"]
        for r in self.rows:
            tgt = "-" if r["target"] is None else f"<= {r['target']:g} {r['unit']}"
            met = {None: "-", True: "yes", False: "**NO**"}[r["ok"]]
            helm = "-" if r["helm"] is None else f"{r['helm']:.3f} {r['unit']}"
            out.append(f"| {r['what']} | {r['value']:.3f} {r['unit']} | {tgt} | {met} | {helm} "
                       f"| {r['note']} |")
        return "\n".join(out)


def median_runs(cmd: list[str], n: int, env_for: Any = None, cwd: Path | None = None) -> list[Run]:
    runs = []
    for i in range(n):
        runs.append(timed(cmd, env=env_for(i) if env_for else None, cwd=cwd))
    return runs


def med(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def peak_mib(runs: list[Run]) -> float:
    return max(r.rss_kib for r in runs) / MIB


def cache_env(folder: Path) -> dict[str, str]:
    return {**os.environ, "MINIHELM_CACHE_DIR": str(folder)}


def scale_render(work: Path, mh: list[str], helm: str | None, n: int, res: Results) -> None:
    times: dict[tuple[int, str], float] = {}
    for count in (200, 2000):
        chart = synth.make_chart(work / f"chart{count}", count)
        args = ["template", "release-name", str(chart)]
        cold = median_runs(mh + args, n, lambda i, c=count: cache_env(work / f"cold{c}-{i}"))
        warm_dir = work / f"warm{count}"
        timed(mh + args, env=cache_env(warm_dir))  # fill
        warm = median_runs(mh + args, n, lambda i, d=warm_dir: cache_env(d))
        hs = med(median_runs([helm, *args], n)) if helm else None
        times[(count, "cold")], times[(count, "warm")] = med(cold), med(warm)
        res.add(f"render {count} templates, cold cache", med(cold), "s", helm=hs,
                note=f"peak RSS {peak_mib(cold):.0f} MiB")
        res.add(f"render {count} templates, warm cache", med(warm), "s", helm=hs,
                note=f"peak RSS {peak_mib(warm):.0f} MiB")
        for i in range(n):
            shutil.rmtree(work / f"cold{count}-{i}", ignore_errors=True)
    for mode in ("cold", "warm"):
        res.add(f"render 2000 / 200 templates, {mode}", times[(2000, mode)] / times[(200, mode)],
                "x", target=12)


def scale_values(work: Path, mh: list[str], helm: str | None, n: int, res: Results) -> None:
    chart = synth.make_values_chart(work / "bigvalues", 50_000)
    args = ["template", "release-name", str(chart)]
    cache = work / "values-cache"
    timed(mh + args, env=cache_env(cache))
    runs = median_runs(mh + args, n, lambda i: cache_env(cache))
    hruns = median_runs([helm, *args], n) if helm else None
    res.add("render 50,000-key values (toYaml of all), warm", med(runs), "s",
            helm=med(hruns) if hruns else None,
            note=f"peak RSS {peak_mib(runs):.0f} MiB"
                 + (f" (helm {peak_mib(hruns):.0f} MiB)" if hruns else ""))


def scale_index(work: Path, mh: list[str], helm: str | None, n: int, res: Results) -> None:
    repo = synth.make_archives(work / "repo", 2000)
    env = cache_env(work / "index-cache")  # fresh: the first run loads every archive
    first = timed(mh + ["repo", "index", str(repo)], env=env)
    hs = None
    if helm:
        hrepo = work / "helm-repo"
        shutil.copytree(repo, hrepo, ignore=shutil.ignore_patterns("index.yaml", ".*"))
        hs = timed([helm, "repo", "index", str(hrepo)]).seconds
    res.add("repo index, 2,000 archives", first.seconds, "s", target=10, helm=hs,
            note=f"peak RSS {first.rss_kib / MIB:.0f} MiB")
    synth.make_archive(repo, "newchart", "0.1.0")
    again = timed(mh + ["repo", "index", str(repo)], env=env)
    res.add("repo index again after 1 new archive", again.seconds, "s", target=2)
    same = timed(mh + ["repo", "index", str(repo)], env=env)
    res.add("repo index again, nothing new", same.seconds, "s")


LOAD = ("import sys; from minihelm.dist.repo import load_index; "
        "d = load_index(sys.argv[1]); print(sum(len(v) for v in d['entries'].values()))")


def scale_load(work: Path, n: int, res: Results) -> None:
    idx = synth.make_index(work / "big-index" / "index.yaml", 20.0)
    size = idx.stat().st_size / (1 << 20)
    runs = median_runs([sys.executable, "-c", LOAD, str(idx)], n)
    res.add(f"load a {size:.0f} MiB index.yaml (subprocess, with imports)", med(runs), "s",
            target=2)
    res.add("load 20 MiB index.yaml: peak RSS", peak_mib(runs), "MiB", target=500)


def scale_merge(work: Path, mh: list[str], helm: str | None, n: int, res: Results) -> None:
    """`repo index DIR --merge` of a 20 MB index into a folder of 20 archives: the first run
    with an empty cache folder parses the index; later runs read its compact form."""
    idx = synth.make_index(work / "merge-index" / "index.yaml", 20.0)
    src = synth.make_archives(work / "merge-src", 20, versions_per_chart=2)
    env = cache_env(work / "merge-cache")

    def run(tool: list[str], e: dict[str, str] | None) -> Run:
        folder = work / "merge-run"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(src, folder, ignore=shutil.ignore_patterns("index.yaml", ".*"))
        return timed(tool + ["repo", "index", str(folder), "--merge", str(idx)], env=e)

    cold = run(mh, env)
    warm = [run(mh, env) for _ in range(n)]
    hs = statistics.median(run([helm], None).seconds for _ in range(n)) if helm else None
    res.add("repo index --merge 20 MB index, empty cache", cold.seconds, "s", target=None,
            note=f"peak RSS {cold.rss_kib / MIB:.0f} MiB")
    res.add("repo index --merge 20 MB index", med(warm), "s", target=2, helm=hs)
    res.add("repo index --merge 20 MB index: peak RSS", peak_mib(warm + [cold]), "MiB",
            target=500)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--only", default="render,values,index,load,merge")
    ap.add_argument("--json")
    ap.add_argument("--keep", help="generate inputs here and keep them")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--minihelm")
    ap.add_argument("--no-helm", action="store_true")
    a = ap.parse_args(argv)
    print(compile_sources())
    helm = None if a.no_helm else shutil.which("helm")
    mh = minihelm_command(a.minihelm)
    notes = machine_notes(helm)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in notes.items()))
    only = set(a.only.split(","))
    res = Results()
    with tempfile.TemporaryDirectory(prefix="mh-scale-") as tmp:
        work = Path(a.keep) if a.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if "render" in only:
            scale_render(work, mh, helm, a.runs, res)
        if "values" in only:
            scale_values(work, mh, helm, a.runs, res)
        if "index" in only:
            scale_index(work, mh, helm, a.runs, res)
        if "load" in only:
            scale_load(work, a.runs, res)
        if "merge" in only:
            scale_merge(work, mh, helm, a.runs, res)
    print()
    print(res.table())
    if a.json:
        Path(a.json).write_text(json.dumps({"machine": notes, "rows": res.rows}, indent=1))
    if a.strict and any(r["ok"] is False for r in res.rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
