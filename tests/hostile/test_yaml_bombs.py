"""YAML and JSON built to exhaust a parser: alias bombs, 100k-deep nesting, endless input.

Each case goes through `minihelm template` and must end within 10 s under
512 MiB with exit 1 and one `Error: ` line.  Expected texts are helm 4.1.4's
(go-yaml's "document contains excessive aliasing", "exceeded max depth of
10000"), checked by running helm on the same input.
"""

from __future__ import annotations

import sys

import pytest
from hostile_kit import Sandbox, assert_clean_failure, make_chart, run_bounded

DEPTH = 100_000


def billion_laughs(top: str = "") -> str:
    """The classic: nine levels of nine aliases (9**9 leaves once expanded)."""
    lines = [f'{top}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for c in "bcdefghi":
        lines.append(f"{top}{c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = c
    return "\n".join(lines) + "\n"


def merge_bomb() -> str:
    """The same growth through `<<` merge keys instead of sequences."""
    lines = ["l0: &l0 {" + ", ".join(f"k{i}: lol" for i in range(9)) + "}"]
    for lvl in range(1, 9):
        keys = ", ".join(f"m{i}: *l{lvl - 1}" for i in range(9))
        lines.append(f"l{lvl}: &l{lvl} {{{keys}}}")
    lines.append("top: {<<: [*l8, *l8]}")
    return "\n".join(lines) + "\n"


DEEP_FLOW = "a: " + "[" * DEPTH + "]" * DEPTH + "\n"
DEEP_MAP = "a: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n"
DEEP_BLOCK_SEQ = "a:\n  " + "- " * DEPTH + "x\n"


def _run(sb: Sandbox, *args: str) -> str:
    res = sb.minihelm("template", "c", *args)
    msg = assert_clean_failure(res)
    assert res.stdout == ""
    return msg


@pytest.mark.parametrize("bomb,word", [
    (billion_laughs(), "excessive aliasing"),
    (merge_bomb(), "excessive aliasing"),
])
def test_alias_bomb_in_values_yaml(sandbox: Sandbox, bomb: str, word: str) -> None:
    make_chart(sandbox.work / "c", values=bomb)
    msg = _run(sandbox)
    assert msg.startswith("Error: cannot load values.yaml: cannot unmarshal yaml document: ")
    assert word in msg


def test_alias_bomb_in_values_file(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "bomb.yaml").write_text(billion_laughs())
    msg = _run(sandbox, "-f", "bomb.yaml")
    assert msg == ("Error: failed to parse bomb.yaml: cannot unmarshal yaml document: "
                   "error converting YAML to JSON: yaml: document contains excessive aliasing")


def test_alias_bomb_in_second_document_of_values_file(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "bomb.yaml").write_text("ok: 1\n---\n" + billion_laughs())
    assert "excessive aliasing" in _run(sandbox, "-f", "bomb.yaml")


def test_alias_bomb_on_stdin(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "bomb.yaml").write_text(billion_laughs())
    res = run_bounded([sys.executable, "-m", "minihelm.cli", "template", "c", "-f", "-"],
                      sandbox.work, sandbox.env(), stdin=billion_laughs().encode())
    assert "excessive aliasing" in assert_clean_failure(res)


def test_alias_bomb_in_chart_yaml(sandbox: Sandbox) -> None:
    cy = "apiVersion: v2\nname: c\nversion: 0.1.0\nannotations:\n" + billion_laughs("  ")
    make_chart(sandbox.work / "c", chart_yaml=cy)
    msg = _run(sandbox)
    assert msg == ("Error: cannot load Chart.yaml: error converting YAML to JSON: "
                   "yaml: document contains excessive aliasing")


def test_alias_bomb_in_chart_lock(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    (c / "Chart.lock").write_text("generated: x\ndigest: y\nextra:\n" + billion_laughs("  "))
    assert "excessive aliasing" in _run(sandbox)


def test_self_referencing_anchor(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c", values="a: &a [*a]\n")
    assert "yaml: " in _run(sandbox)


@pytest.mark.parametrize("doc", [DEEP_FLOW, DEEP_MAP, DEEP_BLOCK_SEQ],
                         ids=["flow-seq", "flow-map", "block-seq"])
def test_deep_values_yaml(sandbox: Sandbox, doc: str) -> None:
    make_chart(sandbox.work / "c", values=doc)
    assert "exceeded max depth of 10000" in _run(sandbox)


def test_deep_values_file(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "deep.yaml").write_text(DEEP_FLOW)
    msg = _run(sandbox, "-f", "deep.yaml")
    assert msg.startswith("Error: failed to parse deep.yaml: ")
    assert "exceeded max depth of 10000" in msg


def test_deep_chart_yaml(sandbox: Sandbox) -> None:
    cy = "apiVersion: v2\nname: c\nversion: 0.1.0\nannotations: " + "{a: " * DEPTH + "}" * DEPTH
    make_chart(sandbox.work / "c", chart_yaml=cy + "\n")
    assert "exceeded max depth of 10000" in _run(sandbox)


def test_deep_values_yaml_exact_helm_text(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c", values=DEEP_FLOW)
    assert _run(sandbox) == ("Error: cannot load values.yaml: cannot unmarshal yaml document: "
                             "error converting YAML to JSON: yaml: exceeded max depth of 10000")


def test_deep_values_schema_json(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c", values="a: 1\n")
    (c / "values.schema.json").write_text("[" * DEPTH + "]" * DEPTH)
    res = sandbox.minihelm("template", "c")
    # helm's schema report spans lines: the summary, the chart, the problem
    assert not res.timed_out and res.rc == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert res.stderr == ("Error: values don't meet the specifications of the schema(s) in the "
                          "following chart(s):\nc:\ninvalid character '[' exceeded max depth\n")


def test_fifo_values_file_without_writer(sandbox: Sandbox) -> None:
    import os

    make_chart(sandbox.work / "c")
    os.mkfifo(sandbox.work / "pipe.yaml")
    res = sandbox.minihelm("template", "c", "-f", "pipe.yaml")
    assert res.rc == 0 and "a: 1" in res.stdout, res.stderr[-2000:]


def test_deep_nesting_under_the_limit_is_fine(sandbox: Sandbox) -> None:
    """9000 levels are legal for go-yaml; they must load (and print) without a crash."""
    make_chart(sandbox.work / "c", values="a: " + "[" * 9000 + "]" * 9000 + "\n",
               templates={"t.yaml": "n: {{ .Values | toJson | len }}\n"})
    res = sandbox.minihelm("template", "c")
    assert res.rc == 0, res.stderr[-2000:]
    assert "n: 18006" in res.stdout


def test_endless_values_file(sandbox: Sandbox) -> None:
    """-f /dev/zero never ends: there must be a size limit, not an out-of-memory death."""
    make_chart(sandbox.work / "c")
    msg = _run(sandbox, "-f", "/dev/zero")
    assert msg == ("Error: read /dev/zero: more than minihelm's limit of 33554432 bytes "
                   "(raise MINIHELM_MAX_VALUES_BYTES to allow it)")


def test_values_file_limit_is_configurable(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "v.yaml").write_text("k: " + "x" * 2000 + "\n")
    res = sandbox.minihelm("template", "c", "-f", "v.yaml",
                           env={"MINIHELM_MAX_VALUES_BYTES": "1000"})
    assert assert_clean_failure(res) == (
        "Error: read v.yaml: more than minihelm's limit of 1000 bytes "
        "(raise MINIHELM_MAX_VALUES_BYTES to allow it)")


def test_many_documents(sandbox: Sandbox) -> None:
    """200k tiny documents in one -f file: linear work, done in time."""
    make_chart(sandbox.work / "c", templates={"t.yaml": "n: {{ .Values.k }}\n"})
    (sandbox.work / "docs.yaml").write_text("".join(f"---\nk: {i}\n" for i in range(200_000)))
    res = sandbox.minihelm("template", "c", "-f", "docs.yaml")
    assert res.rc == 0 and not res.timed_out, res.stderr[-1000:]
    assert "n: 199999" in res.stdout
