"""Cold renders compile trees on every core; a failing helper only means compiling later."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minihelm._core.recorder import Recorder, install
from minihelm.engine import tplcache, tplparallel
from minihelm.engine.tplcache import TemplateCache
from minihelm.render.manifests import format_stream
from minihelm.render.pipeline import RenderOptions, render_chart


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


def _sequential(chart: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The output rendered on one core; later renders in the test see two cores."""
    monkeypatch.setattr(tplparallel, "cores", lambda: 1)
    out = _render(chart, None)
    monkeypatch.setattr(tplparallel, "cores", lambda: 2)
    return out


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_parallel_compile_gives_the_same_output_and_fills_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart(tmp_path)
    sequential = _sequential(chart, monkeypatch)
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

    monkeypatch.setattr(tplparallel, "cores", lambda: 2)
    monkeypatch.setattr(tplparallel, "_child", broken_child)
    assert _render(chart, tmp_path / "cache") == expected


def _big_chart(root: Path) -> Path:
    """Over MIN_PREFILL_BYTES of template text, so whole files are shared out."""
    chart = _chart(root, n=60)
    filler = "# " + "x" * 2000 + "\n"
    for i in range(60):
        f = chart / "templates" / f"cm{i}.yaml"
        f.write_text(filler + f.read_text())
    return chart


def _adopted_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose trees came from a helper (TemplateCache.adopt), as they arrive."""
    adopted: list[str] = []
    adopt = TemplateCache.adopt
    monkeypatch.setattr(TemplateCache, "adopt",
                        lambda self, name, *a: (adopted.append(name), adopt(self, name, *a)))
    return adopted


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_prefill_parses_and_compiles_whole_files_in_helpers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _big_chart(tmp_path)
    sequential = _sequential(chart, monkeypatch)
    adopted = _adopted_files(monkeypatch)
    cache = tmp_path / "cache"
    assert _render(chart, cache) == sequential
    assert 20 <= len(adopted) <= 41  # about half the files came from the helper
    assert len(list(cache.rglob("*.code"))) == 61
    assert _render(chart, cache) == sequential


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_prefill_leaves_parse_errors_to_the_engine_in_helm_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.errors import TemplateSyntaxError

    chart = _big_chart(tmp_path)
    for i in (3, 40):
        (chart / "templates" / f"cm{i}.yaml").write_text(f"{{{{ if }}}} broken {i}\n")
    monkeypatch.setattr(tplparallel, "cores", lambda: 2)
    with pytest.raises(TemplateSyntaxError) as err:
        _render(chart, tmp_path / "cache")
    # helm 4.1.4 parses in its own order (longer names first, then reverse
    # lexical) and reports the first failure: cm40 here, as `helm template` says
    assert err.value.message == (
        "parse error at (many/templates/cm40.yaml:1): missing value for if")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_failing_prefill_helper_leaves_its_files_to_the_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _big_chart(tmp_path)
    expected = _render(chart, None)

    def broken_child(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(tplparallel, "cores", lambda: 2)
    monkeypatch.setattr(tplparallel, "_prefill_child", broken_child)
    assert _render(chart, tmp_path / "cache") == expected


def test_likely_used_follows_names_from_the_charts_own_templates() -> None:
    helpers = ('{{- define "a" -}}{{ include "b" . }}{{- end -}}\n'
               '{{- define "b" -}}b{{- end -}}\n'
               '{{ define "unused" }}{{ include "also-unused" . }}{{ end }}\n'
               '{{ define `also-unused` }}x{{ end }}\n'
               '{{ define "c" }}{{ template `d` }}{{ end }}{{ define `d` }}d{{ end }}\n')
    files = [("c/templates/_helpers.tpl", helpers),
             ("c/templates/cm.yaml", '{{ include "a" . }}{{ template "c" }}'),
             ("c/charts/lib/templates/_lib.tpl", '{{ define "lib.x" }}{{ end }}')]
    assert tplparallel.likely_used(files) == {"c/templates/cm.yaml", "a", "b", "c", "d"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_helpers_no_template_names_compile_on_first_use(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold render compiles what the text names; a helper called by a computed name
    (printf) still renders, compiled when it first runs, and is stored for the next run."""
    chart = _big_chart(tmp_path)
    helpers = chart / "templates" / "_helpers.tpl"
    helpers.write_text(helpers.read_text() + "".join(
        f'{{{{- define "spare{i}" -}}}}{{{{ . }}}}{{{{- end -}}}}\n' for i in range(40)))
    (chart / "templates" / "dyn.yaml").write_text(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dyn\ndata:\n'
        '  k: {{ include (printf "spare%d" 7) "seven" | quote }}\n')
    sequential = _sequential(chart, monkeypatch)
    log = tmp_path / "compiled.txt"  # appended to by the forked helpers too
    compile_tree = tplcache.compile_tree

    def logged(name: str, *args: object) -> object:
        with log.open("a") as f:
            f.write(f"{os.getpid()} {name}\n")
        return compile_tree(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(tplcache, "compile_tree", logged)
    cache = tmp_path / "cache"
    assert _render(chart, cache) == sequential
    assert 'k: "seven"' in sequential
    rows = [line.split() for line in log.read_text().splitlines()]
    assert len({pid for pid, _ in rows}) == 2  # the work was shared out
    spares = [(pid, name) for pid, name in rows if name.startswith("spare")]
    assert spares == [(str(os.getpid()), "spare7")]  # only the one it ran, here
    assert _render(chart, cache) == sequential


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_failing_parent_leaves_no_helper_behind() -> None:
    import time

    def slow_child(share: object, send: int) -> None:
        time.sleep(60)

    children = tplparallel.spawn(slow_child, [["a"]], ())
    pid = children[0].pid

    def interrupted() -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        tplparallel._reaping(children, interrupted)
    assert time.monotonic() - started < 10  # stopped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # and already reaped


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_large_reply_crosses_the_pipe_whole() -> None:
    def big_child(share: object, send: int) -> None:
        tplparallel.run_child(send, lambda: ["x" * 100_000] * 20)

    (child,) = tplparallel.spawn(big_child, [["a"]], ())
    assert child.receive() == ["x" * 100_000] * 20


class _Deferring(Recorder):
    """The CLI's choice: first runs evaluated from trees, compiled when handed over (here, at once)."""

    def defer_compiling(self) -> bool:
        return True


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_evaluating_parent_parses_while_a_helper_compiles_a_smaller_share(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _big_chart(tmp_path)
    sequential = _sequential(chart, monkeypatch)
    adopted = _adopted_files(monkeypatch)
    cache = tmp_path / "cache"
    install(_Deferring())
    try:
        assert _render(chart, cache) == sequential
    finally:
        install(None)
    # weights 1 : 1/COMPILE_COST_OVER_PARSE: the helper takes about 18% of 61 files
    assert 7 <= len(adopted) <= 15
    assert len(list(cache.rglob("*.code"))) == 61  # the parent's share compiled once handed over
    assert _render(chart, cache) == sequential


def test_balanced_shares_follow_their_weights() -> None:
    files = [(f"f{i}", "x" * 100) for i in range(50)]
    shares = tplparallel._balanced(files, [1.0, 0.25])
    assert [len(s) for s in shares] == [40, 10]
    assert sorted(shares[0] + shares[1]) == sorted(files)
