"""functable.py: the render's function table loads a category on first lookup, keeps
text/template's precedence, and survives a stale or corrupt index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from minihelm import funcs, functable
from minihelm.engine import Engine
from minihelm.tplcache import TemplateCache


def _engine(cache_dir: Path | None) -> Engine:
    return Engine(cache=TemplateCache(cache_dir))


def test_every_registered_name_is_known_before_any_category_loads(tmp_path: Path) -> None:
    e = _engine(tmp_path)
    table = e.funcs
    assert all(name in table for name in funcs.functions())
    assert "noSuchFunction" not in table
    with pytest.raises(KeyError):
        table["noSuchFunction"]


def test_sprig_overrides_builtins_and_helm_bound_functions_override_both(tmp_path: Path) -> None:
    e = _engine(tmp_path)
    registry = funcs.functions()
    overridden = set(functable.builtin_funcs()) & set(registry)
    assert overridden  # e.g. Sprig's slice
    for name in overridden:
        assert e.funcs[name].category == registry[name].category != "builtin"
    assert e.funcs["include"].fn == e.include and e.funcs["tpl"].fn == e.tpl


def test_signatures_match_the_full_registry(tmp_path: Path) -> None:
    lazy = _engine(tmp_path).shared.params
    eager = _engine(None).shared.params  # no cache folder: every category imported
    assert lazy == eager
    assert _engine(tmp_path).shared.fingerprint == _engine(None).shared.fingerprint


def test_a_stale_or_corrupt_index_still_finds_every_function(tmp_path: Path) -> None:
    _engine(tmp_path)
    [index] = tmp_path.glob("funcs-*.index")
    import marshal

    entries = marshal.loads(index.read_bytes())
    # a name filed under the wrong category: the table falls back to the whole registry
    entries["upper"] = ("math", *entries["upper"][1:])
    index.write_bytes(marshal.dumps(entries))
    assert _engine(tmp_path).funcs["upper"].fn("x") == "X"
    index.write_bytes(b"\x00garbage")
    assert _engine(tmp_path).funcs["upper"].fn("x") == "X"
    assert marshal.loads(index.read_bytes())["upper"][0] == "strings"  # rebuilt


def test_a_warm_render_imports_only_the_categories_it_calls(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | upper }}\n")
    probe = (
        "import sys; sys.argv[0] = 'minihelm'\n"
        "from minihelm.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules "
        "if m.startswith('minihelm.funcs.') and not m.rsplit('.', 1)[1].startswith('_')),"
        " file=sys.stderr)\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-c", probe, "template", "r", str(chart)]
    runs = [subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True)
            for _ in range(2)]
    assert "name: R" in runs[1].stdout
    loaded = runs[1].stderr.strip().splitlines()[-1]
    assert "'strings'" in loaded and "'semver'" not in loaded and "'crypto'" not in loaded


def test_watched_tables_wrap_volatile_and_mutating_functions() -> None:
    registry = funcs.functions()
    assert functable._watch(registry["randAlphaNum"]).fn is not registry["randAlphaNum"].fn
    assert functable._watch(registry["set"]).fn is not registry["set"].fn
    assert functable._watch(registry["upper"]) is registry["upper"]
