"""Properties of the index loader: any bytes give a mapping or RepoError; written indexes read back."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minihelm.dist.repo import load_index
from minihelm.errors import RepoError

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\" \n\t#~0.1")), max_size=80)
NAME = st.text(alphabet="abcxyz-", min_size=1, max_size=6)
VERSION = st.tuples(*[st.integers(0, 20)] * 3).map(lambda t: f"{t[0]}.{t[1]}.{t[2]}")


@SETTINGS
@given(st.one_of(YAMLISH, st.binary(max_size=80).map(lambda b: b.decode("latin-1"))))
def test_any_text_is_an_index_or_a_repo_error(tmp_path: Path, text: str) -> None:
    p = tmp_path / "index.yaml"
    p.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        doc = load_index(p)
    except RepoError as e:
        assert e.message.startswith(f"error loading {p}: ")
        return
    assert isinstance(doc, dict) and doc.get("apiVersion")
    assert isinstance(doc["entries"], dict)
    assert all(isinstance(v, list) for v in doc["entries"].values())


@SETTINGS
@given(st.dictionaries(NAME, st.lists(VERSION, min_size=1, max_size=3), max_size=4))
def test_written_index_reads_back(tmp_path: Path, charts: dict[str, list[str]]) -> None:
    entries = {n: [{"name": n, "version": v, "urls": [f"{n}-{v}.tgz"],
                    "created": "2024-01-01T00:00:00.5Z"} for v in vs] for n, vs in charts.items()}
    p = tmp_path / "index.yaml"
    p.write_text(yaml.safe_dump({"apiVersion": "v1", "entries": entries,
                                 "generated": "2024-01-01T00:00:00Z"}))
    doc = load_index(p)
    assert doc["entries"] == entries  # timestamps stay text
    assert doc["generated"] == "2024-01-01T00:00:00Z"
