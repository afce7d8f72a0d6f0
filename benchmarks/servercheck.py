"""Corpus cases -> does the render server's worker, reusing the chart its warm-up kept, print
byte for byte what helm printed?  (The proof docs/performance.md quotes for that path.)

usage:
    python benchmarks/servercheck.py [CORPUS]      (default /work/corpus, from corpus-build)

For each case, in a fresh cache folder, this process does what the server does
(src/minihelm/cli/renderserver.py) without the socket: its warm-up render of the
case's chart under another release name (renderserver._warm_up: the loaded chart
kept by replay.keep_charts, the compiled templates in memory by
tplcache.keep_in_memory), then a forked worker that runs the case's own argv with
launch.run_template, its stdout and stderr in files.  A case passes when the
worker took the kept chart (the keeper is empty afterwards), exited as helm
did, and printed helm's golden stdout -- for a volatile case (random
passwords), every line but those that differ between helm's two runs.  The
socket plumbing itself is tested in tests/cli/test_renderserver.py.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def _lines_match(got: str, out: str, alt: str | None) -> bool:
    """got == helm's out; for a volatile case, but where helm's two runs differ."""
    if alt is None:
        return got == out
    g, o, a = got.splitlines(), out.splitlines(), alt.splitlines()
    if len(o) == len(a):  # the same lines, some with other random values
        return len(g) == len(o) and all(x == y or y != z for x, y, z in zip(g, o, a))
    volatile = set(o) ^ set(a)
    return [x for x in g if x not in volatile] == [y for y in o if y not in volatile]


TOOK: list[bool] = []  # per case: did the worker render with the kept chart


def check(case: dict[str, object], corpus: Path) -> str:
    """'' when the case passes, else why not."""
    args = [str(a) for a in case["args"]]  # type: ignore[attr-defined]
    golden = corpus / "golden"
    name = str(case["case"])
    with tempfile.TemporaryDirectory(prefix="mh-srvcheck-") as tmp:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # a fresh process per case: nothing kept from the previous one
            os.close(r)
            os.environ["MINIHELM_CACHE_DIR"] = os.path.join(tmp, "cache")
            os.chdir(corpus / "charts")
            os.write(w, _in_child(args, tmp).encode())
            os._exit(0)
        os.close(w)
        with os.fdopen(r) as fh:
            verdict = fh.read()
        os.waitpid(pid, 0)
        if verdict:
            return verdict
        code = int((Path(tmp) / "code").read_text())
        TOOK.append((Path(tmp) / "took").read_text() == "yes")
        got = (Path(tmp) / "out").read_text()
    want_rc = int(case["rc"])  # type: ignore[call-overload]
    if (code != 0) != (want_rc != 0):
        return f"exit {code}, helm {want_rc}"
    if want_rc != 0:
        return ""
    alt = golden / f"{name}.alt"
    ok = _lines_match(got, (golden / f"{name}.out").read_text(),
                      alt.read_text() if alt.exists() else None)
    return "" if ok else "stdout differs from helm's"


def _in_child(args: list[str], tmp: str) -> str:
    from minihelm.cli import launch, renderserver, replay, templateargs

    warm = ["template", "warm-up", *args[2:]]
    if templateargs.template_fields(warm[1:]) is None:
        return "templateargs declined the argv (the server would only import)"
    renderserver._warm_up(warm)  # what the server's process does before it listens
    keeper = replay.charts
    assert keeper is not None
    kept = bool(keeper.charts)
    pid = os.fork()
    if pid == 0:  # the worker
        out = os.open(os.path.join(tmp, "out"), os.O_WRONLY | os.O_CREAT, 0o600)
        err = os.open(os.path.join(tmp, "err"), os.O_WRONLY | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        code = launch.run_template(args, replay.lookup(args))
        sys.stdout.flush()
        sys.stderr.flush()
        Path(tmp, "code").write_text(str(code))
        Path(tmp, "took").write_text("yes" if kept and not keeper.charts else "no")
        os._exit(0)
    os.waitpid(pid, 0)
    if kept and Path(tmp, "took").read_text() != "yes":
        return "the worker loaded the chart again instead of taking the kept one"
    return ""


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/corpus")
    cases = json.loads((corpus / "cases.json").read_text())["cases"]
    failed = 0
    for case in cases:
        why = check(case, corpus)
        if why:
            failed += 1
            print(f"MISS {case['case']}: {why}")
    print(f"server worker: {len(cases) - failed}/{len(cases)} cases as helm printed them; "
          f"{sum(TOOK)} rendered with the chart the warm-up kept")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
