"""Chart paths -> wall time and peak RSS of `minihelm template` against `helm template`, as a table.

usage:
    python benchmarks/bench.py [CHART ...] [-n 7] [--standard] [--json FILE]
        [--modes replay,edit,solo,cold,engine] [--replay] [--edit] [--cold]
        [--minihelm CMD] [--no-helm] [-- EXTRA TEMPLATE ARGS]

Every chart is rendered as `template release-name CHART --namespace default`
(plus the extra arguments).  charts/demo is always measured; --standard adds
the local corpus charts the performance notes quote (kube-prometheus-stack,
bitnami redis, and the corpus's largest output, prometheus-operator-crds)
when /work/corpus exists.

Runs ALTERNATE (helm, minihelm, helm, minihelm, ...) so that a burst of load
on a shared machine hits both tools alike; N runs of each.  Reported per
chart and cache mode: the median wall time of each tool, the median of the
pairwise ratios minihelm/helm, and the peak RSS of each (ru_maxrss of that
very child, from os.wait4).  Cache modes
(default replay,edit,cold; --replay/--edit/--cold pick modes too):
  replay  MINIHELM_CACHE_DIR filled by one untimed run first, the same command
        again (an identical hermetic run is replayed, see src/minihelm/cli/replay.py;
        "warm" is the old name)
  edit  as replay, but every run (helm's too) gets a new release name, so
        nothing can be replayed whole: what a user who changed an input waits
        (the first timed run starts the cache folder's render server, which
        the later ones use: src/minihelm/cli/renderserver.py)
  solo  as edit, with MINIHELM_SERVER=0: every run renders in its own process
  engine  as warm, with MINIHELM_REPLAY=0 and MINIHELM_SERVER=0: the compiled-template
        cache alone
  cold  a fresh, empty MINIHELM_CACHE_DIR for every minihelm run (the detached child
        that compiles its templates afterwards is waited for, untimed, before the next
        helm run)
Both tools' stdout goes to /dev/null.  Each chart is rendered once first and
the two outputs compared (the "same" column: "yes" for byte-identical stdout,
"yes*" when the only differing lines also differ between two helm runs).

The environment sets PYTHONDONTWRITEBYTECODE=1, so without .pyc files every
start would recompile minihelm's modules; this script runs
`python -m compileall -q src` first (as `pip install .` would have), and
says so in its output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/corpus/charts")
STANDARD = [
    "prometheus-community_helm-charts__kube-prometheus-stack",
    "bitnami_charts__redis",
    "prometheus-community_helm-charts__prometheus-operator-crds",
]


@dataclass
class Run:
    seconds: float
    rss_kib: int
    rc: int


@dataclass
class Row:
    chart: str
    mode: str
    runs: int
    helm_s: float | None
    minihelm_s: float
    ratio: float | None
    helm_rss_mib: float | None
    minihelm_rss_mib: float
    same_output: str
    output_kib: float
    helm_all: list[float] = field(default_factory=list)
    minihelm_all: list[float] = field(default_factory=list)


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run cmd with stdout discarded -> wall seconds, peak RSS (KiB) of that child, exit code."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            sys.stderr.write(f"! {shlex.join(cmd)} exited {p.returncode}: "
                             f"{err.read().decode(errors='replace')[-300:]}\n")
    return Run(dt, usage.ru_maxrss, p.returncode)


def settle(cache_dir: str, seconds: float = 120.0) -> None:
    """Wait (untimed, bounded) for the niced child a cold run leaves compiling its templates
    (src/minihelm/cli/later.py): the next helm run must not share the machine with it."""
    mark = f"MINIHELM_CACHE_DIR={cache_dir}".encode()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                environ = (stat.parent / "environ").read_bytes()
            except OSError:
                continue
            # field 19 of /proc/PID/stat is the nice value; the render server runs at 0
            if fields[16] == "19" and mark in environ.split(b"\0"):
                busy = True
                break
        if not busy:
            return
        time.sleep(0.05)


def minihelm_command(given: str | None) -> list[str]:
    """The console script beside this interpreter (no pyenv shim in between), else PATH's."""
    if given:
        return shlex.split(given)
    beside = Path(sys.executable).parent / "minihelm"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("minihelm")
    if not found:
        sys.exit("minihelm is not installed (pip install -e .)")
    return [found]


def compile_sources() -> str:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    return "ran `python -m compileall -q src` first (PYTHONDONTWRITEBYTECODE is set here)"


def machine_notes(helm: str | None) -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    notes = {"python": platform.python_version(), "platform": platform.platform(),
             "cpu": cpu, "cores": str(os.cpu_count()),
             "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    if helm:
        out = subprocess.run([helm, "version", "--short"], check=False, capture_output=True, text=True)
        notes["helm"] = out.stdout.strip()
    return notes


def same_output(helm: str | None, mh: list[str], args: list[str], env: dict[str, str]) -> tuple[
        str, int]:
    """-> ("yes" | "yes*" | "NO" | "-", minihelm's output size).  "yes*": only lines that differ
    between two helm runs too (random secrets, certificates, dates) differ, as corpus-compare."""
    m = subprocess.run(mh + args, check=False, capture_output=True, env=env)
    if helm is None:
        return "-", len(m.stdout)
    h1 = subprocess.run([helm, *args], check=False, capture_output=True)
    if h1.returncode != 0 or m.returncode != 0:
        return "NO", len(m.stdout)
    if h1.stdout == m.stdout:
        return "yes", len(m.stdout)
    h2 = subprocess.run([helm, *args], check=False, capture_output=True).stdout.splitlines()
    e, g = h1.stdout.splitlines(), m.stdout.splitlines()
    volatile_only = len(e) == len(g) == len(h2) and all(
        ge == ee or ee != ae for ee, ae, ge in zip(e, h2, g))
    return ("yes*" if volatile_only else "NO"), len(m.stdout)


def bench_chart(chart: str, mode: str, n: int, helm: str | None, mh: list[str],
                extra: list[str]) -> Row:
    def args_for(run: int) -> list[str]:
        release = f"edit-{run}" if mode in ("edit", "solo") else "release-name"
        return ["template", release, chart, "--namespace", "default", *extra]

    args = args_for(-1)
    base = dict(os.environ)
    # ignore_cleanup_errors: a render server's worker may still be writing its cache entries
    with tempfile.TemporaryDirectory(prefix="mh-bench-", ignore_cleanup_errors=True) as tmp:
        warm_env = {**base, "MINIHELM_CACHE_DIR": str(Path(tmp) / "warm")}
        same, size = same_output(helm, mh, args, warm_env)  # also fills the warm cache
        h_runs: list[Run] = []
        m_runs: list[Run] = []
        for i in range(n):
            if helm is not None:
                h_runs.append(timed([helm, *args_for(i)]))
            env = warm_env
            if mode == "engine":
                env = {**warm_env, "MINIHELM_REPLAY": "0", "MINIHELM_SERVER": "0"}
            if mode == "solo":
                env = {**warm_env, "MINIHELM_SERVER": "0"}
            if mode == "cold":
                env = {**base, "MINIHELM_CACHE_DIR": str(Path(tmp) / f"cold{i}")}
            m_runs.append(timed(mh + args_for(i), env=env))
            if mode == "cold":
                settle(env["MINIHELM_CACHE_DIR"])
                shutil.rmtree(Path(tmp) / f"cold{i}", ignore_errors=True)
        stop_server(warm_env)
    med = statistics.median
    ratio = med(m.seconds / h.seconds for h, m in zip(h_runs, m_runs)) if h_runs else None
    return Row(
        chart=chart, mode=mode, runs=n,
        helm_s=med(r.seconds for r in h_runs) if h_runs else None,
        minihelm_s=med(r.seconds for r in m_runs), ratio=ratio,
        helm_rss_mib=max(r.rss_kib for r in h_runs) / 1024 if h_runs else None,
        minihelm_rss_mib=max(r.rss_kib for r in m_runs) / 1024,
        same_output=same, output_kib=size / 1024,
        helm_all=[round(r.seconds, 4) for r in h_runs],
        minihelm_all=[round(r.seconds, 4) for r in m_runs])


def stop_server(env: dict[str, str]) -> None:
    """End the render server this cache folder started (src/minihelm/cli/renderserver.py),
    and give its last worker a moment to write its entries, so that nothing outlives the run."""
    subprocess.run([sys.executable, "-c", "from minihelm.cli.renderserver import stop; stop()"],
                   env=env, check=False, timeout=30)
    time.sleep(0.3)


def short(chart: str) -> str:
    p = Path(chart)
    return p.name if p.is_absolute() else chart


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def table(rows: list[Row]) -> str:
    out = [("| chart | cache | runs | helm median s | minihelm median s | ratio (median of pairs) "
            "| helm peak RSS MiB | minihelm peak RSS MiB | output KiB | same output |"),
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        same = r.same_output
        out.append(f"| {short(r.chart)} | {r.mode} | {r.runs} | {fmt(r.helm_s, '.3f')} "
                   f"| {r.minihelm_s:.3f} | {fmt(r.ratio, '.2f')}x | {fmt(r.helm_rss_mib, '.0f')} "
                   f"| {r.minihelm_rss_mib:.0f} | {r.output_kib:.0f} | {same} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("charts", nargs="*", help="chart folders or archives (charts/demo is added)")
    ap.add_argument("-n", "--runs", type=int, default=7)
    ap.add_argument("--modes", default="")
    for m in ("replay", "edit", "solo", "cold"):
        ap.add_argument(f"--{m}", action="append_const", const=m, dest="picked",
                        help=f"measure the {m} mode (with the others given)")
    ap.add_argument("--standard", action="store_true", help="add the corpus charts quoted in docs")
    ap.add_argument("--minihelm", help="command to run instead of the installed console script")
    ap.add_argument("--no-helm", action="store_true")
    ap.add_argument("--json", help="write rows and machine notes here")
    a = ap.parse_args(argv)
    charts = [str(ROOT / "charts" / "demo"), *a.charts]
    if a.standard:
        charts += [str(CORPUS / c) for c in STANDARD if (CORPUS / c).is_dir()]
    helm = None if a.no_helm else shutil.which("helm")
    mh = minihelm_command(a.minihelm)
    print(compile_sources())
    notes = machine_notes(helm)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in notes.items()))
    if helm is None:
        print("helm not found: minihelm only")
    rows: list[Row] = []
    modes = [m.replace("warm", "replay") for m in a.modes.split(",") if m] + (a.picked or [])
    for chart in charts:
        for mode in modes or ["replay", "edit", "cold"]:
            row = bench_chart(chart, mode, a.runs, helm, mh, extra)
            rows.append(row)
            print(f"  {short(chart)} [{mode}]: helm {fmt(row.helm_s, '.3f')} s, "
                  f"minihelm {row.minihelm_s:.3f} s", file=sys.stderr)
    print()
    print(table(rows))
    if a.json:
        Path(a.json).write_text(json.dumps({"machine": notes, "rows": [asdict(r) for r in rows]},
                                           indent=1))


if __name__ == "__main__":
    main()
