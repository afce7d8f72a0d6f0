"""indexyaml.load_plain builds what PyYAML's safe loader (repo._IndexLoader) builds, or defers to it."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

from minihelm.dist.indexyaml import Unsupported, load_plain
from minihelm.dist.repo import _IndexLoader, load_index


def same(a: Any, b: Any) -> bool:
    """Equal with equal types all the way down (1, 1.0 and True are == in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k, k2) and same(a[k], b[k2])
                                          for k, k2 in zip(a, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


PLAIN = [
    "apiVersion: v1\nentries: {}\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\n",
    "i: 0x1F\nj: 0o17\nk: 017\nl: 1_000\nm: 1:30\nn: -0b101\no: +12\n",
    "p: 1.5\nq: 1e3\nr: .inf\ns: -.Inf\nt: .nan\nu: 6.8523015e+5\nv: 1_0.5\n",
    "created: 2016-10-06T16:23:20.499814565-06:00\nd: 2002-12-14\n",
    "n1: ~\nn2: null\nn3:\nn4: ''\nn5: \"\"\n",
    "q1: 'yes'\nq2: \"1.0\"\nq3: |\n  block\n  text\nq4: >\n  folded\n  text\n",
    "flow: {a: [1, 2, {b: c}], 'd': e}\nseq:\n- - nested\n  - 2\n- {}\n- []\n",
    "dup: 1\nother: 2\ndup: 3\n",
    "1: int key\ntrue: bool key\n~: null key\n1.5: float key\n",
    "# only a comment\n",
    "---\n",
    "--- just a scalar\n...\n",
    "- a\n- b\n",
    "entries:\n  x:\n  - name: x\n    version: 1.0.0\n    urls: [https://e/x-1.0.0.tgz]\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_match_pyyaml(text: str) -> None:
    want = yaml.load(text, Loader=_IndexLoader)
    got = load_plain(text.encode(), _IndexLoader)
    assert same(got, want), (got, want)


DEFERRED = [
    "a: &x 1\nb: *x\n",                      # anchors and aliases
    "base: {a: 1}\nm:\n  <<: {b: 2}\n",       # merge key
    "a: !!str 1\n",                           # explicit tag
    "a: !custom x\n",                         # unknown tag (an error in PyYAML)
    "a: 1\n---\nb: 2\n",                      # two documents (an error in PyYAML)
    "? [a, b]\n: c\n",                        # a collection as a key (an error in PyYAML)
    "a: =\n",                                 # the value tag (an error in PyYAML)
    "a: [1, 2\n",                             # a parse error
    "a: b: c\n",                              # a scanner error
]


@pytest.mark.parametrize("text", DEFERRED)
def test_other_documents_defer_to_pyyaml(text: str) -> None:
    with pytest.raises(Unsupported):
        load_plain(text, _IndexLoader)


def test_load_index_keeps_pyyaml_results_and_errors(tmp_path: Any) -> None:
    idx = tmp_path / "index.yaml"
    idx.write_text("apiVersion: v1\nentries:\n  a: &e [{name: a, version: 1.0.0}]\n  b: *e\n")
    doc = load_index(idx)
    assert doc["entries"]["b"] == [{"name": "a", "version": "1.0.0"}]
    idx.write_text("apiVersion: v1\nentries: [1, 2\n")
    with pytest.raises(Exception, match="while parsing a flow sequence"):
        load_index(idx)


def test_garbage_collector_state_is_restored() -> None:
    import gc

    assert gc.isenabled()
    load_plain("a: 1\n", _IndexLoader)
    assert gc.isenabled()
    with pytest.raises(Unsupported):
        load_plain("a: [1\n", _IndexLoader)
    assert gc.isenabled()
