"""Cold renders compile trees on every core; a failing helper only means compiling later."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minihelm import tplparallel
from minihelm.manifests import format_stream
from minihelm.render import RenderOptions, render_chart
from minihelm.tplcache import TemplateCache


def _chart(root: Path, n: int = 60) -> Path:
    chart = root / "many"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: many\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("items: [a, b, c]\n")
    helpers = "".join(f'{{{{- define "h{i}" -}}}}h{i}-{{{{ . }}}}{{{{- end -}}}}\n' for i in range(n))
    (chart / "templates" / "_helpers.tpl").write_text(helpers)
    for i in range(n):
        (chart / "templates" / f"cm{i}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n"
            f"{{{{- range $k, $v := .Values.items }}}}\n  k{{{{ $k }}}}: "
            f"{{{{ include \"h{i}\" $v | quote }}}}\n{{{{- end }}}}\n")
    return chart


def _render(chart: Path, cache_dir: Path | None) -> str:
    return format_stream(render_chart(str(chart), {}, RenderOptions(cache=TemplateCache(cache_dir))))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_parallel_compile_gives_the_same_output_and_fills_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart(tmp_path)
    monkeypatch.setattr(tplparallel, "_cores", lambda: 1)
    sequential = _render(chart, None)
    monkeypatch.setattr(tplparallel, "_cores", lambda: 2)
    cache = tmp_path / "cache"
    assert _render(chart, cache) == sequential
    assert 'k0: "h7-a"' in sequential
    assert len(list(cache.rglob("*.code"))) == 61  # every file, with the helpers' code
    assert _render(chart, cache) == sequential  # and read back warm


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_failing_helper_falls_back_to_compiling_on_first_use(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart(tmp_path)
    expected = _render(chart, None)

    def broken_child(share: object, params: object, env: object, send: object) -> None:
        os._exit(3)  # dies without sending anything

    monkeypatch.setattr(tplparallel, "_cores", lambda: 2)
    monkeypatch.setattr(tplparallel, "_child", broken_child)
    assert _render(chart, tmp_path / "cache") == expected
