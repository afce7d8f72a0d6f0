"""jinjaexec runs compiled templates on stand-ins for Jinja2's runtime, else through Jinja2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from minihelm.engine.run import Engine
from minihelm.gotemplate import jinjaexec

TEMPLATES = {
    "if": "{{ if and .a (not .b) }}x{{ else if or .c .d }}y{{ else }}z{{ end }}",
    "range": "{{ range $i, $v := .list }}{{ $i }}={{ $v }}{{ if eq $i 1 }}{{ break }}{{ end }}"
             "{{ continue }}{{ else }}none{{ end }}",
    "with": "{{ with $x := .obj }}{{ .name }}{{ $x.id }}{{ else }}-{{ end }}",
    "define": '{{ define "d" }}[{{ . }}]{{ end }}{{ template "d" 5 }}{{ include "d" (dict "a" 1) }}',
    "vars": '{{ $a := 1 }}{{ $a = -2 }}{{ printf "%d %v %s" $a -1.5 nil }}{{ 0x1F }}{{ 1e3 }}',
    "pipes": '{{ $.top }}{{ index .m "k" | upper | trunc 3 }}{{ .obj.name | quote }}',
}
DOT = {"a": 1, "b": 0, "c": 0, "d": 1, "list": ["p", "q", "r"], "obj": {"name": "n", "id": 7},
       "top": "T", "m": {"k": "value"}}


def _render(src: str) -> str:
    engine = Engine()
    engine.add("t", src)
    return engine.run("t", DOT)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_codegen_output_runs_on_the_stand_ins(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen: list[bool] = []
    plain = jinjaexec._plain
    monkeypatch.setattr(jinjaexec, "_plain", lambda code: chosen.append(plain(code)) or chosen[-1])
    _render(TEMPLATES[name])
    assert chosen and all(chosen)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_stand_ins_and_jinja2_render_alike(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _render(TEMPLATES[name])
    monkeypatch.setattr(jinjaexec, "_plain", lambda code: False)
    assert _render(TEMPLATES[name]) == ours != ""


def test_code_naming_more_of_jinja2_runs_through_jinja2() -> None:
    import jinja2

    env = jinja2.Environment()
    source = env.compile("{% for x in l %}{{ loop.index }}{{ x }}{% endfor %}", raw=True)
    code = compile(source, "<loop>", "exec")
    assert not jinjaexec._plain(code)  # LoopContext is not one of the stand-ins
    render = jinjaexec.bind(code, {})
    assert "".join(render({"l": ["a", "b"]})) == "1a2b"


def test_a_warm_render_does_not_import_jinja2(tmp_path: Path) -> None:
    chart = Path(__file__).resolve().parent.parent.parent / "charts" / "demo"
    code = ("import sys, minihelm.cli.launch as L\n"
            "L._leave = lambda code=0: sys.stderr.write('jinja2' in sys.modules and 'JINJA2' or 'NONE')\n"
            "L.main()\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path), "MINIHELM_REPLAY": "0"}
    runs: list[Any] = [subprocess.run([sys.executable, "-c", code, "template", str(chart)],
                                      env=env, capture_output=True, text=True, check=True)
                       for _ in range(2)]
    assert runs[0].stderr.endswith("JINJA2")  # the first run compiles
    assert runs[1].stderr.endswith("NONE") and runs[1].stdout == runs[0].stdout
