"""The template cache: warm renders neither parse nor compile; corrupt entries heal; --no-cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run_cli
from mhtest import ROOT

from minihelm.engine.tplcache import TemplateCache
from minihelm.gotemplate import parser
from minihelm.render.pipeline import RenderOptions, render_chart

DEMO = ROOT / "charts" / "demo"


def _render(cache_dir: Path) -> str:
    from minihelm.render.manifests import format_stream

    opts = RenderOptions(cache=TemplateCache(cache_dir))
    return format_stream(render_chart(str(DEMO), {}, opts))


def test_second_render_neither_parses_nor_compiles(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = _render(tmp_path)
    assert list(tmp_path.rglob("*.code"))

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parser, "parse", no_parse)
    import jinja2

    monkeypatch.setattr(jinja2.Environment, "compile", no_parse)
    assert _render(tmp_path) == first


def test_corrupt_entries_are_rebuilt(tmp_path: Path) -> None:
    first = _render(tmp_path)
    for f in tmp_path.rglob("*.code"):
        f.write_bytes(b"\x00garbage")
    assert _render(tmp_path) == first
    # and the rebuilt entries are good again
    assert _render(tmp_path) == first


def test_a_damaged_code_blob_inside_a_good_entry_is_compiled_again(tmp_path: Path) -> None:
    """Entries keep each tree's code marshalled apart, read only when the tree runs."""
    import marshal

    first = _render(tmp_path)
    for f in tmp_path.rglob("*.code"):
        rows = marshal.loads(f.read_bytes())
        f.write_bytes(marshal.dumps([(*r[:3], b"\x00garbage" if r[3] else r[3], r[4])
                                     for r in rows]))
    assert _render(tmp_path) == first
    rows = [r for f in tmp_path.rglob("*.code") for r in marshal.loads(f.read_bytes())]
    assert any(r[3] for r in rows)
    assert all(r[3] is None or r[3] != b"\x00garbage" for r in rows)  # healed on disk


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(cache))
    rc, out, err = run_cli(["template", str(DEMO), "--no-cache"])
    assert rc == 0, err
    assert out.startswith("---\n# Source: demo/templates/service.yaml\n")
    assert not cache.exists() or not any(cache.rglob("*.code"))


def test_error_positions_survive_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in a cached tree still names the template, line and column (rebuilt AST)."""
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "t.yaml").write_text("a: 1\nb: {{ .Values.x.y }}\n")
    monkeypatch.setenv("MINIHELM_CACHE_DIR", str(tmp_path / "cache"))
    first = run_cli(["template", str(chart), "--set", "x.y=1"])
    assert first[0] == 0
    rc, _, err = run_cli(["template", str(chart)])
    assert rc == 1
    assert err.splitlines()[:3] == [
        "Error: c/templates/t.yaml:2:13",
        "  executing \"c/templates/t.yaml\" at <.Values.x.y>:",
        "    nil pointer evaluating interface {}.y",
    ]


def test_a_nil_for_a_map_parameter_does_not_rebuild_the_node_table(tmp_path: Path) -> None:
    # The node table (parse + codegen of the file) is for error positions; a
    # nil that the parameter accepts must not pay for it on a warm run.
    from minihelm.engine.run import Engine

    src = '{{ hasKey (index . "missing") "a" }}'
    first = Engine(cache=TemplateCache(tmp_path))
    first.add("t", src)
    assert first.run("t", {}) == "false"
    first.shared.cache.flush()
    warm = Engine(cache=TemplateCache(tmp_path))
    warm.add("t", src)
    assert warm.run("t", {}) == "false"
    assert warm.trees["t"].nodes is None
