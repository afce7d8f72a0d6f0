"""functable.py: the render's function table loads a category on first lookup, keeps
text/template's precedence, and survives a stale index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mhtest import ROOT

from minihelm import funcs
from minihelm.engine import functable
from minihelm.engine.run import Engine
from minihelm.funcs import catalog


def test_the_generated_index_is_current() -> None:
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_funcindex.py"), "--check"],
                       check=False, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_every_registered_name_is_known_before_any_category_loads() -> None:
    table = Engine().funcs
    assert all(name in table for name in funcs.functions())
    assert "noSuchFunction" not in table
    with pytest.raises(KeyError):
        table["noSuchFunction"]


def test_sprig_overrides_builtins_and_helm_bound_functions_override_both() -> None:
    e = Engine()
    registry = funcs.functions()
    overridden = set(functable.builtin_funcs()) & set(registry)
    assert overridden  # e.g. Sprig's slice
    for name in overridden:
        assert e.funcs[name].category == registry[name].category != "builtin"
    assert e.funcs["include"].fn == e.include and e.funcs["tpl"].fn == e.tpl


def test_signatures_match_the_full_registry() -> None:
    params = Engine().shared.params
    for name, f in funcs.functions().items():
        if name not in ("include", "tpl", "required", "fail", "lookup"):
            assert params[name] == (f.params, f.variadic), name


def test_a_misfiled_name_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    index = dict(catalog.INDEX)
    index["upper"] = ("math", *index["upper"][1:])  # filed under the wrong category
    monkeypatch.setattr(catalog, "INDEX", index)
    table = Engine().funcs
    assert table["upper"].fn("x") == "X"


def test_a_render_imports_only_the_categories_it_calls(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | upper }}\n")
    probe = (
        "import sys; sys.argv[0] = 'minihelm'\n"
        "from minihelm.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules "
        "if m.startswith('minihelm.funcs.') and not m.rsplit('.', 1)[1].startswith('_')),"
        " file=sys.stderr)\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-c", probe, "template", "r", str(chart)]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert "name: R" in run.stdout
    loaded = run.stderr.strip().splitlines()[-1]  # a cold render: no cache folder yet
    assert "'strings'" in loaded and "'semver'" not in loaded and "'crypto'" not in loaded


def test_watched_tables_wrap_volatile_and_mutating_functions() -> None:
    registry = funcs.functions()
    assert functable._watch(registry["randAlphaNum"]).fn is not registry["randAlphaNum"].fn
    assert functable._watch(registry["set"]).fn is not registry["set"].fn
    assert functable._watch(registry["upper"]) is registry["upper"]
