"""A cold CLI render renders the end of the run order in a forked helper: the output, the
errors and what the recorder hears are the serial render's in every case, the fallbacks
included (a shared map changed first, a helper that fails, a parse error anywhere)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from minihelm._core.recorder import Recorder, install
from minihelm.engine import tplsplit
from minihelm.engine.tplcache import TemplateCache
from minihelm.errors import MinihelmError
from minihelm.render.manifests import format_stream
from minihelm.render.pipeline import RenderOptions, render_chart

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper needs fork")

FILLER = "# " + "x" * 8000 + "\n"  # 40 templates of this: over MIN_SPLIT_BYTES


def _maps(roots: list[Any]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        v = stack.pop()
        if isinstance(v, dict) and id(v) not in seen:
            seen.add(id(v))
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return seen


class Watching(Recorder):
    """The replay recorder's part that matters here: it watches, and defers compiling."""

    def __init__(self, defer: bool = True) -> None:
        self.defer = defer
        self.shared: set[int] = set()
        self.mutated = False
        self.volatiles = 0
        self.done: list[tuple[str, str, int, bool]] = []

    def defer_compiling(self) -> bool:
        return self.defer

    def watching(self) -> bool:
        return True

    def watch_shared(self, roots: list[Any]) -> None:
        self.shared |= _maps(roots)

    def mutating(self, target: Any) -> None:
        if _maps([target]) & self.shared:
            self.mutated = True

    def changed_shared(self) -> bool:
        return self.mutated

    def volatile(self) -> None:
        self.volatiles += 1

    def volatile_count(self) -> int:
        return self.volatiles

    def template_done(self, name: str, text: str, volatile_before: int) -> None:
        self.done.append((name, text, self.volatiles - volatile_before, self.mutated))


def _chart(root: Path, extra: dict[str, str] | None = None) -> Path:
    chart = root / "big"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: big\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("items: [a, b]\nname: demo\n")
    (chart / "templates" / "_helpers.tpl").write_text(
        '{{- define "big.name" -}}{{ .Values.name }}-{{ .Template.Name | base }}{{- end -}}\n')
    for i in range(40):
        (chart / "templates" / f"t{i:02}.yaml").write_text(
            FILLER + f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n"
            f'  who: {{{{ include "big.name" . | quote }}}}\n'
            f"{{{{- range $k, $v := .Values.items }}}}\n  k{{{{ $k }}}}: {{{{ $v | quote }}}}\n"
            f"{{{{- end }}}}\n")
    for name, text in (extra or {}).items():
        (chart / "templates" / name).write_text(text)
    return chart


def _render(chart: Path, cache: Path | None, rec: Recorder | None) -> str | MinihelmError:
    install(rec)
    try:
        return format_stream(render_chart(str(chart), {}, RenderOptions(cache=TemplateCache(cache))))
    except MinihelmError as e:
        return e
    finally:
        install(None)


def _both(chart: Path, tmp_path: Path) -> tuple[Any, Watching, Any, Watching]:
    """(serial output, its recorder, split output, its recorder), each from an empty cache."""
    serial_rec, split_rec = Watching(defer=False), Watching()
    serial = _render(chart, tmp_path / "serial-cache", serial_rec)
    split = _render(chart, tmp_path / "split-cache", split_rec)
    return serial, serial_rec, split, split_rec


@pytest.fixture()
def adopted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each split render did: "rows" (the helper's answer read) or "no rows" (it
    failed), then "adopt" where its texts were taken."""
    seen: list[str] = []
    real = tplsplit.adopt

    def adopt(*args: Any) -> None:
        seen.append("adopt")
        real(*args)

    rows = tplsplit.rows

    def counted(helper: Any) -> Any:
        got = rows(helper)
        seen.append("no rows" if got is None else "rows")
        return got

    monkeypatch.setattr(tplsplit, "adopt", adopt)
    monkeypatch.setattr(tplsplit, "rows", counted)
    monkeypatch.setattr(tplsplit.tplparallel, "cores", lambda: 2)
    return seen


def test_the_helper_renders_the_end_of_the_run_order(tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path)
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert isinstance(split, str) and split == serial
    assert 'who: "demo-t00.yaml"' in split
    assert adopted == ["rows", "adopt"]
    assert split_rec.done == serial_rec.done  # the same reports, in the same order


def test_the_plan_splits_only_cold_text_worth_a_fork(tmp_path: Path) -> None:
    files = [(f"c/templates/t{i}.yaml", "x" * 10_000) for i in range(40)]
    run_order = [name for name, _ in files]
    split = tplsplit.plan(files, run_order, 400_000)
    if tplsplit.tplparallel.cores() >= 2:
        assert split is not None and split.later == run_order[20:]
        assert split.own_files == run_order[:20] and split.helper_files == run_order[20:]
    assert tplsplit.plan(files, run_order, 100_000) is None  # mostly cached already
    # a chart that changes its values in place: the helper only compiles the end
    changing = files + [("c/templates/_h.tpl", '{{ $_ := set .Values.auth "p" "x" }}')]
    split = tplsplit.plan(changing, run_order, 410_000)
    if tplsplit.tplparallel.cores() >= 2:
        assert split is not None and split.compile_only
        assert split.later == run_order[-9:]  # 0.2 of the cold text, from the end
        assert split.helper_files == split.later and "c/templates/_h.tpl" in split.own_files


def test_a_shared_map_changed_first_makes_this_process_render_the_rest(
        tmp_path: Path, adopted: list[str]) -> None:
    # Not `set .Values`: the plan's guess must miss it, so that the check after A decides.
    chart = _chart(tmp_path, {
        "t39.yaml": '{{- $v := .Values }}{{- $_ := set $v "name" "changed" }}\n',
    })
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert isinstance(split, str) and split == serial
    assert 'who: "changed-t00.yaml"' in split  # the last template saw the first one's change
    assert adopted == ["rows"]  # read, then dropped
    assert split_rec.done == serial_rec.done


def test_a_failing_helper_changes_nothing(tmp_path: Path, adopted: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart(tmp_path)
    monkeypatch.setattr(tplsplit, "_render_later", lambda *a: os._exit(3))
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert split == serial and adopted == ["no rows"]
    assert split_rec.done == serial_rec.done


def test_an_execution_error_in_the_helper_s_part_is_the_serial_one(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path, {"t01.yaml": FILLER + '{{ fail "stop here" }}\n'})
    serial, _, split, _ = _both(chart, tmp_path)
    assert isinstance(serial, MinihelmError) and isinstance(split, MinihelmError)
    assert str(split) == str(serial) and "stop here" in str(split)
    assert adopted == ["no rows"]


def test_a_parse_error_in_the_helper_s_part_comes_before_an_earlier_execution_error(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path, {
        "t39.yaml": '{{ fail "runs first" }}\n',  # A: fails when it runs
        "t02.yaml": FILLER + "{{ if }}\n",  # B: does not parse
    })
    serial, _, split, _ = _both(chart, tmp_path)
    assert str(serial) == "parse error at (big/templates/t02.yaml:2): missing value for if"
    assert str(split) == str(serial)
    assert adopted == []  # the helper was stopped once A failed


def test_a_parse_error_here_is_still_the_first_in_helm_s_order(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path, {
        "t39.yaml": "{{ end }}\n",  # parsed here, and first in helm's order (reverse lexical)
        "t02.yaml": FILLER + "{{ if }}\n",
    })
    serial, _, split, _ = _both(chart, tmp_path)
    assert isinstance(serial, MinihelmError) and str(split) == str(serial)
    assert str(serial).startswith("parse error at (big/templates/t39.yaml:1): ")


def test_a_template_of_the_helper_s_part_asked_for_by_name_is_parsed_here(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path, {
        "t39.yaml": 'sum: {{ include (print $.Template.BasePath "/t00.yaml") . | sha256sum }}\n',
    })
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert isinstance(split, str) and split == serial
    assert adopted == ["rows", "adopt"]
    assert split_rec.done == serial_rec.done


def test_generated_values_differ_between_the_two_processes(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path, {
        "t39.yaml": "first: {{ randAlphaNum 24 }}\n",
        "t00.yaml": FILLER + "last: {{ randAlphaNum 24 }}\n",
    })
    rec = Watching()
    out = _render(chart, tmp_path / "cache", rec)
    assert isinstance(out, str) and adopted == ["rows", "adopt"]
    first = out.split("first: ")[1].split("\n")[0]
    last = out.split("last: ")[1].split("\n")[0]
    assert len(first) == len(last) == 24 and first != last
    # each volatile call reached this process's recorder, with its template
    assert [(n.rsplit("/", 1)[1], v) for n, _, v, _ in rec.done if v] == [
        ("t39.yaml", 1), ("t00.yaml", 1)]


def test_the_files_the_helper_parsed_are_compiled_for_the_next_run(
        tmp_path: Path, adopted: list[str]) -> None:
    chart = _chart(tmp_path)
    cache = tmp_path / "cache"
    first = _render(chart, cache, Watching())  # Recorder.compile_later runs at once
    assert adopted == ["rows", "adopt"]
    assert len(list(cache.glob("*.code"))) == 41  # every file, the helper's included
    again = _render(chart, cache, Watching())
    assert again == first and adopted == ["rows", "adopt"]  # warm: nothing cold enough to split


# --- the compile split: a chart that changes its values in place -----------------------

SETS_VALUES = {"_sets.tpl": '{{- define "big.set" }}{{ $_ := set .Values "name" "changed" }}'
                            '{{ end }}\n',
               "t39.yaml": '{{- include "big.set" . }}\n',  # first in the run order
               # enough cold text for a compile split's share (MIN_SPLIT_BYTES / 4)
               **{f"a{i}.yaml": FILLER + f"a{i}: 1\n" for i in range(10)}}


@pytest.fixture()
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For each compile split's helper: how many files were taken from it, then how many
    it was given."""
    seen: list[int] = []
    helpers: list[Any] = []
    spawn, adopt = tplsplit.tplparallel.spawn_compiler, tplsplit.tplparallel.adopt_compiled

    def spawned(*args: Any) -> Any:
        helpers.append(spawn(*args))
        return helpers[-1]

    def adopted(cache: TemplateCache, child: Any, fp: str) -> None:
        before = len(cache._mem)
        adopt(cache, child, fp)
        if child in helpers:  # not a prefill child of the serial render
            seen.extend([len(cache._mem) - before, len(child.share)])

    monkeypatch.setattr(tplsplit.tplparallel, "spawn_compiler", spawned)
    monkeypatch.setattr(tplsplit.tplparallel, "adopt_compiled", adopted)
    monkeypatch.setattr(tplsplit.tplparallel, "cores", lambda: 2)
    return seen


def test_a_chart_that_sets_its_values_renders_here_with_the_end_compiled_by_the_helper(
        tmp_path: Path, compiled: list[int]) -> None:
    chart = _chart(tmp_path, SETS_VALUES)
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert isinstance(split, str) and split == serial
    assert 'who: "changed-t00.yaml"' in split  # the last template saw the first one's change
    # every file the helper was given, compiled there (the serial render's prefill
    # adopted its children's files before)
    assert compiled == [10, 10]
    assert split_rec.done == serial_rec.done


def test_a_failing_compiler_changes_nothing(tmp_path: Path, compiled: list[int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    chart = _chart(tmp_path, SETS_VALUES)
    monkeypatch.setattr(tplsplit.tplparallel, "_prefill_child", lambda *a: os._exit(3))
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert split == serial and compiled == [0, 10]
    assert split_rec.done == serial_rec.done


@pytest.mark.parametrize("run_first", [None, '{{- include "big.set" . }}{{ fail "runs first" }}\n'])
def test_a_parse_error_in_the_compiled_part_is_helm_s_error(
        tmp_path: Path, compiled: list[int], run_first: str | None) -> None:
    extra = {**SETS_VALUES, "a5.yaml": FILLER + "{{ if }}\n"}  # given to the helper
    if run_first is not None:
        extra["t39.yaml"] = run_first
    serial, _, split, _ = _both(_chart(tmp_path, extra), tmp_path)
    assert str(serial) == "parse error at (big/templates/a5.yaml:2): missing value for if"
    assert str(split) == str(serial)
    assert compiled == ([] if run_first else [9, 10])  # stopped once A failed; else all
    # but a5 taken, and a5 parsed here to report it


def test_a_compiled_part_template_asked_for_by_name_is_parsed_here(
        tmp_path: Path, compiled: list[int]) -> None:
    chart = _chart(tmp_path, {
        **SETS_VALUES,
        "t39.yaml": '{{- include "big.set" . }}'
                    'sum: {{ include (print $.Template.BasePath "/a0.yaml") . | sha256sum }}\n',
    })
    serial, serial_rec, split, split_rec = _both(chart, tmp_path)
    assert isinstance(split, str) and split == serial
    assert compiled == [9, 10]  # a0 (last in the run order) was parsed here when asked for
    assert split_rec.done == serial_rec.done
