"""Fetched chart repositories -> a helm conformance corpus -> minihelm's conformance figure.

One command for the three steps:

  1. extract: every chosen snapshot /work/.mirror/<owner>+<repo>/repo (a bare
     git directory, as the search tool's `fetch` leaves it) is written out with
     `git archive HEAD | tar -x` into SRC/<owner>+<repo>/, one folder per
     repository (skipped when SRC/<owner>+<repo>/ already holds that commit);
  2. build:   ../shared/tools/corpus-build SRC OUT (runs real helm: slow);
  3. compare: ../shared/tools/corpus-compare OUT minihelm, whose last line,
     "conformance: N/M cases match helm (P%)", is printed again at the end.

usage:
    python scripts/corpus.py [--repos A+B,C+D | --set 1|2|all] [--src DIR] [--out DIR]
        [--skip-extract] [--skip-build] [--jobs 2] [--show 15] [--json FILE]
        [--mirror /work/.mirror] [--tools ../shared/tools] [--minihelm CMD]

examples:
    # the first corpus (bitnami, prometheus-community, helm's testdata):
    python scripts/corpus.py --set 1 --src /tmp/corpus-src --out /tmp/corpus
    # the second (argo, grafana, otel, traefik, elastic, ...):
    python scripts/corpus.py --set 2 --src /tmp/corpus-src2 --out /tmp/corpus2
    # only compare, on a corpus built before:
    python scripts/corpus.py --skip-extract --skip-build --out /work/corpus

`--set all` (the default) takes every snapshot in the mirror folder whose
tree holds a Chart.yaml.  corpus-build reads all of SRC, so use one SRC per
set (a repository extracted there earlier stays in).  Nothing is ever written inside this repository:
SRC and OUT must lie outside it (fetched charts are other people's work and
are never committed), and the defaults are under /tmp.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "1": ["bitnami+charts", "prometheus-community+helm-charts", "helm+helm"],
    "2": ["argoproj+argo-helm", "grafana+helm-charts", "open-telemetry+opentelemetry-helm-charts",
          "traefik+traefik-helm-chart", "elastic+helm-charts", "kedacore+charts",
          "fluent+helm-charts", "hashicorp+vault-helm", "kubernetes+ingress-nginx",
          "DataDog+helm-charts", "aws+eks-charts", "jenkinsci+helm-charts",
          "kubernetes-sigs+external-dns", "cert-manager+cert-manager"],
}
STAMP = ".corpus-commit"


def outside_repo(path: Path, what: str) -> Path:
    """Refuse any folder inside this repository: fetched content must never land in it."""
    p = path.resolve()
    if p == ROOT or ROOT in p.parents:
        sys.exit(f"{what} {p} is inside the repository {ROOT}; choose a folder outside it")
    return p


def git(gitdir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], check=True,
                          capture_output=True, text=True).stdout


def has_charts(gitdir: Path) -> bool:
    try:
        names = git(gitdir, "ls-tree", "-r", "--name-only", "HEAD")
    except subprocess.CalledProcessError:
        return False
    return any(n == "Chart.yaml" or n.endswith("/Chart.yaml") for n in names.splitlines())


def choose(mirror: Path, repos: str | None, which: str) -> list[str]:
    if repos:
        return [r.strip().replace("/", "+") for r in repos.split(",") if r.strip()]
    if which in SETS:
        return SETS[which]
    return sorted(d.name for d in mirror.iterdir()
                  if (d / "repo").is_dir() and has_charts(d / "repo"))


def extract(mirror: Path, names: list[str], src: Path) -> None:
    """git archive HEAD | tar -x, one folder per repository; unchanged commits are kept."""
    src.mkdir(parents=True, exist_ok=True)
    for name in names:
        gitdir = mirror / name / "repo"
        if not gitdir.is_dir():
            print(f"! {name}: no snapshot at {gitdir} (fetch it first); skipped")
            continue
        commit = git(gitdir, "rev-parse", "HEAD").strip()
        dest = src / name
        if (dest / STAMP).is_file() and (dest / STAMP).read_text().strip() == commit:
            print(f"  {name}: {commit[:10]} already extracted")
            continue
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.Popen(["git", f"--git-dir={gitdir}", "archive", "HEAD"],
                                   stdout=subprocess.PIPE)
        tar = subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=False)
        assert archive.stdout is not None
        archive.stdout.close()
        if archive.wait() != 0 or tar.returncode != 0:
            sys.exit(f"extracting {name} failed")
        (dest / STAMP).write_text(commit + "\n")
        print(f"  {name}: {commit[:10]} extracted")


def minihelm_command(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "minihelm"
    return shlex.quote(str(beside)) if beside.exists() else "minihelm"


def run_compare(tools: Path, out: Path, mh: str, jobs: int, show: int,
                json_file: str | None) -> str:
    cmd = [sys.executable, str(tools / "corpus-compare"), str(out), mh,
           "--jobs", str(jobs), "--show", str(show)]
    if json_file:
        cmd += ["--json", json_file]
    print("$ " + shlex.join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    figure = ""
    for line in proc.stdout:
        sys.stdout.write(line)
        if line.startswith("conformance:"):
            figure = line.strip()
    if proc.wait() != 0:
        sys.exit(f"corpus-compare exited {proc.returncode}")
    return figure


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--repos", help="comma-separated owner+name (or owner/name) snapshots")
    ap.add_argument("--set", default="all", choices=["1", "2", "all"])
    ap.add_argument("--src", default="/tmp/minihelm-corpus/src")
    ap.add_argument("--out", default="/tmp/minihelm-corpus/out")
    ap.add_argument("--tools", default=str(ROOT.parent / "shared" / "tools"))
    ap.add_argument("--skip-extract", action="store_true")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--minihelm", help="minihelm command line for corpus-compare")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--json", help="per-case results (corpus-compare --json)")
    a = ap.parse_args(argv)
    src = outside_repo(Path(a.src), "--src")
    out = outside_repo(Path(a.out), "--out")
    tools = Path(a.tools)
    if a.json:
        outside_repo(Path(a.json), "--json")
    if not a.skip_extract:
        names = choose(Path(a.mirror), a.repos, a.set)
        print(f"extract {len(names)} snapshots into {src}")
        extract(Path(a.mirror), names, src)
    if not a.skip_build:
        if shutil.which("helm") is None:
            sys.exit("corpus-build needs helm on PATH")
        print(f"$ corpus-build {src} {out}   (renders every case twice with helm)", flush=True)
        subprocess.run([sys.executable, str(tools / "corpus-build"), str(src), str(out)],
                       check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    figure = run_compare(tools, out, minihelm_command(a.minihelm), a.jobs, a.show, a.json)
    print()
    print(figure or "no figure: corpus-compare printed no conformance line")


if __name__ == "__main__":
    main()
