"""docs/functions.md (scripts/gen_functions_doc.py) against the registry and helm 4.1.4's name list."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from types import ModuleType

import pytest
from mhtest import ROOT

from minihelm.funcs.helm_names import (
    GO_BUILTIN_NAMES,
    HELM_DELETED,
    NOT_DEFINED,
    SPRIG_NAMES,
    helm_function_names,
)

DOC = ROOT / "docs" / "functions.md"


def _gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_functions_doc",
                                                  ROOT / "scripts" / "gen_functions_doc.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclass looks its module up there
    spec.loader.exec_module(mod)
    return mod


GEN = _gen()


def _doc_rows() -> dict[str, tuple[str, str]]:
    """name -> (defined by, status) from the doc's tables."""
    rows = {}
    for m in re.finditer(r"^\| `([^`]+)` \| ([^|]+) \| (\w+) \|", DOC.read_text(), re.MULTILINE):
        rows[m.group(1)] = (m.group(2).strip(), m.group(3))
    return rows


def test_doc_is_current() -> None:
    assert DOC.read_text() == GEN.render(), "run python scripts/gen_functions_doc.py"


def test_check_mode_passes_on_current_doc() -> None:
    p = subprocess.run([sys.executable, str(ROOT / "scripts/gen_functions_doc.py"), "--check"],
                       check=False, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_every_helm_name_is_documented_once() -> None:
    rows = _doc_rows()
    names = helm_function_names()
    assert set(rows) == set(names)
    assert len(re.findall(r"^\| `", DOC.read_text(), re.MULTILINE)) == len(names)
    for name, origin in names.items():
        assert rows[name][0] == origin, name
        assert rows[name][1] in ("supported", "partial", "missing"), name


def test_registry_has_only_helm_names() -> None:
    # e.g. mustToToml must not exist: helm 4.1.4 fails to parse it.
    extra = set(GEN.implementations()) - set(helm_function_names())
    assert not extra


def test_status_follows_registry_and_notes() -> None:
    impls = GEN.implementations()
    for name, (_, status) in _doc_rows().items():
        impl = impls.get(name)
        want = "missing" if impl is None else ("partial" if impl.note else "supported")
        assert status == want, name
    # Known differences documented by the category modules are marked partial.
    rows = _doc_rows()
    for name in ("shuffle", "randInt", "fromToml", "getHostByName", "regexMatch", "slice"):
        assert rows[name][1] == "partial", name


def test_name_list_shape() -> None:
    # Sprig v3.3.0's genericMap has 211 entries; helm deletes env and expandenv; Go 1.25
    # has 19 builtins, of which helm's map shadows slice.
    assert len(SPRIG_NAMES) == len(set(SPRIG_NAMES)) == 211
    assert len(GO_BUILTIN_NAMES) == 19
    names = helm_function_names()
    assert len(names) == 239
    assert HELM_DELETED.isdisjoint(names)
    assert names["slice"] == "sprig"
    assert names["toJson"] == names["fail"] == names["getHostByName"] == "helm"
    assert set(NOT_DEFINED).isdisjoint(names)


def _undefined_probes() -> list[tuple[str, dict]]:
    golden = json.loads((ROOT / "tests/golden/probes/functions.json").read_text())
    return [(k[len("undefined-"):], v) for k, v in golden.items() if k.startswith("undefined-")]


@pytest.mark.parametrize("name,golden", _undefined_probes(),
                         ids=[n for n, _ in _undefined_probes()])
def test_undefined_names_match_helm_recordings(name: str, golden: dict) -> None:
    # Recorded by real helm 4.1.4 (tests/probes/functions.yaml undefined-*).
    assert golden["rc"] != 0
    assert f'function "{name}" not defined' in golden["stderr"]
    assert name in NOT_DEFINED
    assert name not in helm_function_names()


def test_helm_recordings_use_defined_names() -> None:
    # A sample of names from every origin rendered by real helm in the probes.
    golden = json.loads((ROOT / "tests/golden/probes/functions.json").read_text())
    assert golden["str-hello"]["rc"] == 0 and "a: Hello!" in golden["str-hello"]["stdout"]
    for probe in ("helm-lookup-empty", "toml-to-from", "builtins-escapers", "list-slice-chunk"):
        assert golden[probe]["rc"] == 0, probe
