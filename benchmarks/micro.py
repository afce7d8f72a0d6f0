"""Synthetic templates and values -> timeit figures for each render stage and the hot functions.

usage:
    python benchmarks/micro.py [--quick] [--only NAME[,NAME]] [--json FILE]

Stages, on one large synthetic template file (`big_template`: 100 blocks of
includes, ranges, toYaml, printf, if/with; ~2,500 lines, 30 with --quick): the lexer, the
parser, codegen (AST -> Jinja2 AST), Jinja2's code generator, CPython's
compile of its output, and the whole compile of the file
without any cache (parse + codegen + Jinja2 compile + Python compile).
Hot paths, each executed through a real Engine (the template compiled once,
then run repeatedly): toYaml of a 5,000-key values tree, include + nindent
chains, printf, deep field lookups, and a range over a 1,000-item list.
toYaml and printf are also timed as direct calls.

Every benchmark is run with timeit's autorange, then repeated (5 times, 3
with --quick); the table gives the best and the median time per call.  A
benchmark whose API moved reports the error instead of stopping the rest.
Like bench.py, this first compiles src/ to .pyc (PYTHONDONTWRITEBYTECODE
is set here), though in-process timings do not depend on it.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import HELPERS, SYNTH_VALUES, big_values_yaml, synth_template

# ------------------------------------------------------------------ generators


def big_template(blocks: int = 100) -> str:
    """One template file: the synth helpers, then `blocks` documents of mixed constructs."""
    parts = [HELPERS]
    for i in range(blocks):
        if i % 3 == 0:
            parts.append(synth_template(i))
        elif i % 3 == 1:
            parts.append(f'''---
{{{{- if .Values.probes.enabled }}}}
kind: ConfigMap
metadata:
  name: {{{{ printf "%s-%d" .Release.Name {i} | quote }}}}
data:
  {{{{- with .Values.resources }}}}
  limits: {{{{ .limits.cpu | default "1" | quote }}}}
  {{{{- end }}}}
  {{{{- range $k, $v := .Values.env }}}}
  {{{{ $k }}}}-{i}: {{{{ $v | toString | b64enc | quote }}}}
  {{{{- end }}}}
{{{{- end }}}}
''')
        else:
            parts.append(f'''---
{{{{- /* block {i}: variables, comparison, nested define call */ -}}}}
{{{{- $n := len .Values.ports }}}}
{{{{- if and (gt $n 1) (ne .Release.Name "x") }}}}
kind: Service
metadata:
  name: {{{{ include "synth.fullname" . }}}}-{i}
spec:
  ports: {{{{- toYaml .Values.ports | nindent 4 }}}}
  selector: {{{{- include "synth.selectorLabels" . | nindent 4 }}}}
{{{{- end }}}}
''')
    return "\n".join(parts)


HOT_TEMPLATES = {
    "toYaml 5k-key tree (template)": "{{ toYaml .Values.big }}",
    "include + nindent chain x100": (
        '{{- define "c3" }}leaf: {{ .Release.Name }}{{ end }}'
        '{{- define "c2" }}{{ include "c3" . | nindent 2 }}{{ end }}'
        '{{- define "c1" }}{{ include "c2" . | nindent 2 }}{{ end }}'
        '{{- range until 100 }}{{ include "c1" $ | nindent 4 }}{{ end }}'),
    "printf x1000": '{{- range $i := until 1000 }}{{ printf "%s-%05d-%v" $.Release.Name $i 1.5 }}'
                    '{{ end }}',
    "field lookup .Values.a.b.c.d x1000": "{{- range until 1000 }}{{ $.Values.a.b.c.d }}{{ end }}",
    "range over 1000 items": ('{{- range $i, $x := .Values.items }}{{ $i }}={{ $x.name }} '
                              '{{ end }}'),
}


def hot_scope() -> dict[str, Any]:
    """The scope the hot templates run with: synth values plus the big tree and deep keys."""
    from minihelm.goyaml.yamlio import load_values

    values = load_values(SYNTH_VALUES, "values.yaml")
    values["big"] = load_values(big_values_yaml(5_000), "big.yaml")["big"]
    values["a"] = {"b": {"c": {"d": "deep"}}}
    values["items"] = [{"name": f"item{i}", "n": float(i)} for i in range(1000)]
    return {"Values": values, "Release": {"Name": "rel", "Namespace": "default",
                                          "Service": "Helm", "IsInstall": True},
            "Chart": {"Name": "synth", "Version": "0.1.0", "AppVersion": "1.0.0"},
            "Capabilities": {}, "Template": {"Name": "t", "BasePath": "synth/templates"}}


# ------------------------------------------------------------------ benchmarks


def _engine() -> Any:
    from minihelm.engine.run import Engine
    from minihelm.engine.tplcache import TemplateCache

    return Engine(cache=TemplateCache(None))


def stage_benchmarks(src: str) -> dict[str, Callable[[], Any]]:
    from minihelm.engine.tplcache import TemplateCache
    from minihelm.gotemplate import codegen, jinjacompile, lexer, parser

    eng = _engine()
    sh = eng.shared
    trees = parser.parse(src, "big.yaml", eng.funcs)

    def gen_all() -> None:
        for tree in trees.values():
            codegen.generate(tree, sh.params)

    gens = [codegen.generate(tree, sh.params) for tree in trees.values()]
    env = jinjacompile.environment()
    for g in gens:
        g.template.set_environment(env)
    pys = [env.compile(g.template, name="big.yaml", raw=True) for g in gens]

    def jinja_all() -> None:
        for g in gens:
            env.compile(g.template, name="big.yaml", raw=True)

    def python_all() -> None:
        for py in pys:
            compile(py, "<template>", "exec")

    def compile_all() -> None:
        cache = TemplateCache(None)
        trees = cache.compile_file("big.yaml", src, eng.funcs, sh.params, sh.fingerprint)
        for tc in trees.values():
            cache.code_for(tc, eng.funcs, sh.params)

    return {
        "lex big template": lambda: lexer.lex(src),
        "parse big template": lambda: parser.parse(src, "big.yaml", eng.funcs),
        "codegen big template": gen_all,
        "jinja2 code generation from the built AST": jinja_all,
        "CPython compile of jinja2's output": python_all,
        "whole compile big template (no cache)": compile_all,
    }


def hot_benchmarks() -> dict[str, Callable[[], Any]]:
    from minihelm.funcs.yaml_json import to_yaml
    from minihelm.golang.gofmt import sprintf

    scope = hot_scope()
    out: dict[str, Callable[[], Any]] = {}
    for label, text in HOT_TEMPLATES.items():
        eng = _engine()
        eng.add("t", text)
        eng.run("t", scope)  # first run outside the timing (jinja2 template object)
        out[label] = functools.partial(eng.run, "t", scope)
    big = scope["Values"]["big"]
    out["toYaml 5k-key tree (direct call)"] = lambda: to_yaml(big)
    out["sprintf direct x1000"] = lambda: [sprintf("%s-%05d-%v", "rel", i, 1.5)
                                           for i in range(1000)]
    return out


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    """-> (best, median) seconds per call, and the call count per sample."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    samples = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return min(samples), statistics.median(samples), number


def human(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller template, fewer repeats")
    ap.add_argument("--only", help="comma-separated substrings of benchmark names")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")],
                   check=True, env={k: v for k, v in os.environ.items()
                                    if k != "PYTHONDONTWRITEBYTECODE"})
    print("ran `python -m compileall -q src` first (PYTHONDONTWRITEBYTECODE is set here)")
    src = big_template(30 if a.quick else 100)
    print(f"big template: {len(src.splitlines())} lines, {len(src) // 1024} KiB")
    repeat = 3 if a.quick else 5
    groups: list[tuple[str, Callable[[], dict[str, Callable[[], Any]]]]] = [
        ("stages", lambda: stage_benchmarks(src)), ("hot", hot_benchmarks)]
    rows: list[dict[str, Any]] = []
    wanted = a.only.split(",") if a.only else None
    for gname, make in groups:
        try:
            benches = make()
        except Exception as e:  # noqa: BLE001 - an API that moved: report, go on
            rows.append({"name": f"{gname} (setup)", "error": f"{type(e).__name__}: {e}"})
            continue
        for name, fn in benches.items():
            if wanted and not any(w in name for w in wanted):
                continue
            try:
                best, med, number = measure(fn, repeat)
                rows.append({"name": name, "best_s": best, "median_s": med, "number": number})
            except Exception as e:  # noqa: BLE001
                rows.append({"name": name, "error": f"{type(e).__name__}: {e}"})
            print(f"  {name}: done", file=sys.stderr)
    print("\n| benchmark | best per call | median per call | calls per sample |\n|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['name']} | error: {r['error'][:80]} | | |")
        else:
            print(f"| {r['name']} | {human(r['best_s'])} | {human(r['median_s'])} | {r['number']} |")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
