"""Runaway templates through `minihelm template`: recursion, growth, deep nesting, --output-dir.

Helm 4.1.4 itself dies of out-of-memory on several of these (tpl recursion,
`repeat 1000000000`, a 10^8-step range); minihelm must instead stop each within
10 s and 512 MiB with exit 1 and one `Error: ` line.  Where helm does give an
error (include depth 1000, template depth 100000, parser expression depth),
the expected text was recorded from helm.  Cases the engine does not meet yet
are xfail: they are the engine owner's to-do list.
"""

from __future__ import annotations

import os

import pytest
from hostile_kit import Sandbox, assert_clean_failure, assert_nothing_written, make_chart

DEEP = 100_000


def _render(sb: Sandbox, text: str, values: str | None = None, *args: str,
            env: dict[str, str] | None = None) -> str:
    make_chart(sb.work / "c", templates={"t.yaml": text}, values=values)
    before = sb.snapshot()
    res = sb.minihelm("template", "c", *args, env=env)
    msg = assert_clean_failure(res)
    assert res.stdout == ""
    assert_nothing_written(sb, before)
    return msg


def test_runaway_include(sandbox: Sandbox) -> None:
    msg = _render(sandbox, '{{ define "a" }}{{ include "a" . }}{{ end }}{{ include "a" . }}\n')
    assert msg.startswith('Error: template: c/templates/t.yaml:1:47: executing '
                          '"c/templates/t.yaml" at <include "a" .>: error calling include: ')
    assert msg.endswith("error calling include: rendering template has a nested reference "
                        "name: a: unable to execute template")


def test_runaway_mutual_include(sandbox: Sandbox) -> None:
    text = ('{{ define "a" }}{{ include "b" . }}{{ end }}'
            '{{ define "b" }}{{ include "a" . }}{{ end }}{{ include "a" . }}\n')
    assert "nested reference name" in _render(sandbox, text)


def test_runaway_template_action(sandbox: Sandbox) -> None:
    # Go stops at 100000 nested templates; minihelm at MINIHELM_MAX_EXEC_DEPTH (10000),
    # which fits in the memory bound, with Go's wording.
    msg = _render(sandbox, '{{ define "a" }}{{ template "a" . }}{{ end }}{{ template "a" . }}\n')
    assert "exceeded maximum template depth (10000)" in msg


def test_runaway_tpl_with_growing_text(sandbox: Sandbox) -> None:
    """tpl renders text that calls tpl on itself plus one more space, forever."""
    values = "t: '{{ tpl (print .Values.t \" \") . }}'\n"
    msg = _render(sandbox, "{{ tpl .Values.t . }}\n", values)
    assert msg.startswith('Error: template: c/templates/t.yaml:1:3: executing '
                          '"c/templates/t.yaml" at <tpl .Values.t .>: error calling tpl: ')
    assert len(msg) < 1 << 20


def test_include_with_doubling_argument(sandbox: Sandbox) -> None:
    text = '{{ define "a" }}{{ include "a" (print . .) }}{{ end }}{{ include "a" "x" }}\n'
    assert "limit" in _render(sandbox, text)


def test_repeat_billion(sandbox: Sandbox) -> None:
    msg = _render(sandbox, '{{ repeat 1000000000 "x" }}\n')
    assert msg.endswith("error calling repeat: output of 1000000000 bytes exceeds minihelm's "
                        "limit of 33554432 bytes (raise MINIHELM_MAX_OUTPUT_BYTES to allow it)")


@pytest.mark.parametrize("fn", ["randAlphaNum", "randAlpha", "randNumeric", "randAscii"])
def test_random_string_billion(sandbox: Sandbox, fn: str) -> None:
    # helm runs out of memory here; minihelm stops under the same budget as repeat
    msg = _render(sandbox, f"a: {{{{ {fn} 1000000000 }}}}\n")
    assert msg.endswith(f"error calling {fn}: output of 1000000000 bytes exceeds minihelm's "
                        "limit of 33554432 bytes (raise MINIHELM_MAX_OUTPUT_BYTES to allow it)")


def test_random_bytes_billion(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "a: {{ randBytes 1000000000 }}\n")
    assert msg.endswith("error calling randBytes: output of 1333333336 bytes exceeds minihelm's "
                        "limit of 33554432 bytes (raise MINIHELM_MAX_OUTPUT_BYTES to allow it)")


def test_output_cap_is_configurable(sandbox: Sandbox) -> None:
    msg = _render(sandbox, '{{ repeat 2000 "x" }}\n', None,
                  env={"MINIHELM_MAX_OUTPUT_BYTES": "1000"})
    assert "limit of 1000 bytes (raise MINIHELM_MAX_OUTPUT_BYTES" in msg


def test_output_cap_applies_to_plain_text_growth(sandbox: Sandbox) -> None:
    """Output grown by a loop, not by one function: the engine's own cap."""
    msg = _render(sandbox, '{{ range until 3000 }}{{ "x" }}{{ end }}\n', None,
                  env={"MINIHELM_MAX_OUTPUT_BYTES": "1000"})
    assert "limit of 1000 bytes" in msg


def test_runaway_range_over_huge_list(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "{{ range until 100000000 }}x{{ end }}\n")
    assert "error calling until: a list of 100000000 items exceeds minihelm's limit" in msg


def test_runaway_nested_range(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "{{ range until 10000 }}{{ range until 10000 }}x{{ end }}{{ end }}\n")
    assert "range loops made more than 5000000 iterations" in msg


def test_deep_parens(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "{{ " + "(" * DEEP + "1" + ")" * DEEP + " }}\n")
    assert msg == "Error: parse error at (c/templates/t.yaml:1): max expression depth exceeded"


@pytest.mark.xfail(strict=False, reason="100k nested {{if}} blocks: parsing takes ~6 s, then the "
                   "translation gives up ('input nested too deeply', one line, exit 1); helm "
                   "renders them and then fails on the YAML, so both fail, with other messages")
def test_deep_if_blocks(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "{{ if true }}" * DEEP + "x" + "{{ end }}" * DEEP + "\n")
    assert msg == ("Error: YAML parse error on c/templates/t.yaml: error unmarshaling JSON: "
                   "while decoding JSON: json: cannot unmarshal string into Go value of type "
                   "util.SimpleHead")


def test_deep_define_chain_of_includes(sandbox: Sandbox) -> None:
    """999 distinct defines each including the next: legal (helm renders it)."""
    defs = "".join(f'{{{{ define "d{i}" }}}}{{{{ include "d{i + 1}" . }}}}{{{{ end }}}}'
                   for i in range(999))
    make_chart(sandbox.work / "c",
               templates={"t.yaml": defs + '{{ define "d999" }}ok{{ end }}v: {{ include "d0" . }}\n'})
    res = sandbox.minihelm("template", "c")
    assert res.rc == 0 and "v: ok" in res.stdout, res.stderr[-2000:]


def test_unterminated_action_at_end_of_big_file(sandbox: Sandbox) -> None:
    msg = _render(sandbox, "x\n" * 1_000_000 + "{{ if")
    assert msg.startswith("Error: parse error at (c/templates/t.yaml:")


# ---------------------------------------------------------------- --output-dir


def test_output_dir_symlink_escape(sandbox: Sandbox) -> None:
    """out/c is a symlink to a folder outside out/: nothing may be written through it."""
    make_chart(sandbox.work / "c")
    outside = sandbox.root / "outside"
    outside.mkdir()
    (sandbox.work / "out").mkdir()
    os.symlink(outside, sandbox.work / "out" / "c")
    before = sandbox.snapshot()
    res = sandbox.minihelm("template", "c", "--output-dir", "out")
    msg = assert_clean_failure(res)
    assert "outside the output directory" in msg
    assert not list(outside.iterdir())
    assert_nothing_written(sandbox, before)


def test_output_dir_file_symlink_escape(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    victim = sandbox.root / "victim.txt"
    victim.write_text("keep me\n")
    (sandbox.work / "out" / "c" / "templates").mkdir(parents=True)
    os.symlink(victim, sandbox.work / "out" / "c" / "templates" / "t.yaml")
    res = sandbox.minihelm("template", "c", "--output-dir", "out")
    assert_clean_failure(res, contains=("outside the output directory",))
    assert victim.read_text() == "keep me\n"


def test_output_dir_writes_only_inside(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    sandbox.allowed.append(sandbox.work / "out")
    before = sandbox.snapshot()
    res = sandbox.minihelm("template", "c", "--output-dir", "out")
    assert res.rc == 0, res.stderr[-2000:]
    assert (sandbox.work / "out" / "c" / "templates" / "t.yaml").read_text() == (
        "---\n# Source: c/templates/t.yaml\na: 1\n")
    assert_nothing_written(sandbox, before)


def test_output_dir_is_a_file(sandbox: Sandbox) -> None:
    make_chart(sandbox.work / "c")
    (sandbox.work / "out").write_text("x")
    res = sandbox.minihelm("template", "c", "--output-dir", "out")
    assert assert_clean_failure(res) == "Error: stat out/c/templates: not a directory"
