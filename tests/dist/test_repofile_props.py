"""Property tests: the repositories.yaml and index.yaml readers give a result or a RepoError for any input."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from minihelm.dist.repofile import RepoEntry, RepoFile, parse_repo_file, parse_repo_file_partial
from minihelm.dist.repoindex import parse_index
from minihelm.dist.search import format_table
from minihelm.errors import RepoError

_KEYS = ["apiVersion", "generated", "repositories", "name", "url", "username", "password",
         "certFile", "keyFile", "caFile", "insecure_skip_tls_verify", "pass_credentials_all",
         "entries", "version", "urls", "created", "digest", "maintainers", "Name", "x"]
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=12), st.sampled_from(["2024-01-02T03:04:05Z", "1.0.0",
                                                            "yes", "~", "0x1f", "2001-01-01"]))
_docs = st.recursive(_scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(_KEYS), kids, max_size=5)), max_leaves=25)


def _yaml_text(v: object, indent: int = 0) -> str:
    import json

    return json.dumps(v)  # JSON is YAML: the readers see flow collections and quoted scalars


_fragments = st.lists(st.sampled_from([
    "apiVersion: v1\n", "repositories:\n", "- name: a\n", "  url: http://x/\n", "entries:\n",
    "  a:\n", "  - name: a\n", "    version: 1.0.0\n", "&a [*a]\n", "*x\n", "{", "}", "[", "]",
    "\t", ": ", "- ", "!!binary x\n", "? ", "--- \n", "'", '"', "\\", "%YAML 1.1\n", "\n",
]), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=80), _fragments.map(str.encode),
                 _docs.map(lambda d: _yaml_text(d).encode())))
def test_repo_file_reader_never_crashes(data: bytes) -> None:
    try:
        rf = parse_repo_file(data)
    except RepoError:
        rf, err = parse_repo_file_partial(data)
        assert err is not None and isinstance(rf, RepoFile)
        return
    assert isinstance(rf, RepoFile)
    assert parse_repo_file(rf.dump()) == rf  # what we write reads back the same


_text = st.text(alphabet=string.ascii_letters + string.digits + " -_./:@é\"'#\\", max_size=15)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(RepoEntry, name=_text, url=_text, username=_text, password=_text,
                          cert_file=_text, key_file=_text, ca_file=_text,
                          insecure_skip_tls_verify=st.booleans(),
                          pass_credentials_all=st.booleans()), max_size=4),
       st.sampled_from(["", "v1", "1.0"]))
def test_repo_file_round_trips(entries: list[RepoEntry], api: str) -> None:
    rf = RepoFile(api, "2024-05-06T07:08:09.5Z", entries)
    assert parse_repo_file(rf.dump()) == rf


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=80), _fragments.map(str.encode),
                 _docs.map(lambda d: _yaml_text(d).encode())))
def test_index_reader_never_crashes(data: bytes) -> None:
    try:
        doc = parse_index(data, "test", warn=lambda _: None)
    except RepoError:
        return
    assert doc["apiVersion"] and isinstance(doc["entries"], dict)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=string.ascii_letters + " .", max_size=12), min_size=3,
                         max_size=3), min_size=1, max_size=5),
       st.integers(min_value=0, max_value=12))
def test_table_columns_line_up_and_respect_the_width(rows: list[list[str]], width: int) -> None:
    lines = format_table(rows, width).removesuffix("\n").split("\n")
    assert len(lines) == len(rows)
    cells = [line.split("\t") for line in lines]
    for col in range(3):
        widths = {len(c[col]) for c in cells}
        longest = max(len(r[col]) for r in rows)
        if width == 0 or longest <= width:
            assert widths == {longest}  # padded to the widest cell, nothing cut
        elif width >= 4:
            assert widths == {width}  # cut to width, ending in "..."
            assert all(c[col].endswith("...") for c, r in zip(cells, rows)
                       if len(r[col]) > width)
