"""Hostile --set family flags: huge indices, padding amplification, deep nesting, endless files.

Helm's strvals caps one index at 65536 (texts below recorded from helm 4.1.4);
minihelm also caps the total null padding of one command, because a thousand
`kN[65536]=1` items in one short flag would need gigabytes.  A --set error
shows the expression and a caret under the failing position (SetParseError's
documented form), so those cases allow that two-line context.
"""

from __future__ import annotations

import pytest
from hostile_kit import Result, Sandbox, make_chart

from minihelm.errors import SetParseError
from minihelm.values.strvals import padding_budget, parse_set


def _set_failure(res: Result, expr: str) -> str:
    """One Error line, then the expression and a caret line (no other output)."""
    assert not res.timed_out and res.rc == 1, (res.rc, res.stderr[-1000:])
    assert "Traceback" not in res.stderr
    lines = res.stderr.splitlines()
    assert len(res.error_lines) == 1 and lines[0].startswith("Error: "), res.stderr[-2000:]
    assert lines[1:] in ([], [expr, lines[2]] if len(lines) == 3 else None), lines[1:]
    return lines[0]


@pytest.fixture
def chart(sandbox: Sandbox) -> Sandbox:
    make_chart(sandbox.work / "c", templates={"t.yaml": "n: {{ .Values | toJson | len }}\n"})
    return sandbox


def test_index_over_helms_maximum(chart: Sandbox) -> None:
    res = chart.minihelm("template", "c", "--set", "a[65537]=1")
    assert _set_failure(res, "a[65537]=1") == (
        "Error: failed parsing --set data: index of 65537 is greater than maximum supported "
        "index of 65536")
    assert res.peak_rss < 512 << 20


def test_index_at_helms_maximum_is_fine(chart: Sandbox) -> None:
    res = chart.minihelm("template", "c", "--set", "a[65536]=1")
    assert res.rc == 0, res.stderr[-2000:]
    assert "n: 327689" in res.stdout  # helm 4.1.4 prints the same


@pytest.mark.parametrize("expr,msg", [
    ("a[-1]=1", "negative -1 index not allowed"),
    ("a[99999999999999999999]=1", ('error parsing index: strconv.Atoi: parsing '
     '"99999999999999999999": value out of range')),
])
def test_bad_indices(chart: Sandbox, expr: str, msg: str) -> None:
    assert msg in _set_failure(chart.minihelm("template", "c", "--set", expr), expr)


def test_padding_amplification_is_bounded(chart: Sandbox) -> None:
    """1000 lists of 65537 items from a 15 KB flag: refused, not gigabytes."""
    expr = ",".join(f"k{i}[65536]=1" for i in range(1000))
    res = chart.minihelm("template", "c", "--set", expr)
    msg = _set_failure(res, expr)
    assert "pads lists past minihelm's limit of 1048576 null items" in msg
    assert res.peak_rss < 512 << 20 and res.seconds < 10


def test_padding_spread_over_many_flags_is_bounded(chart: Sandbox) -> None:
    args = []
    for i in range(40):
        args += ["--set", f"k{i}[65536]=1"]
    res = chart.minihelm("template", "c", *args)
    assert "limit of 1048576 null items" in _set_failure(res, "k15[65536]=1")


def test_padding_limit_is_configurable(chart: Sandbox) -> None:
    res = chart.minihelm("template", "c", "--set", "a[100]=1",
                         env={"MINIHELM_MAX_SET_PADDING": "50"})
    assert "limit of 50 null items (raise MINIHELM_MAX_SET_PADDING" in _set_failure(res, "a[100]=1")


def test_padding_budget_unit() -> None:
    """The library keeps helm's behaviour unless a budget is in force."""
    assert len(parse_set("a[5000]=1")["a"]) == 5001
    with padding_budget(6000):
        parse_set("a[4000]=1")
        with pytest.raises(SetParseError, match="pads lists past"):
            parse_set("b[4000]=1")


def test_deep_list_indices(chart: Sandbox) -> None:
    """a[0][0]...[0] 30000 deep: Go accepts any depth (helm 4.1.4 prints n: 60007)."""
    expr = "a" + "[0]" * 30000 + "=1"
    res = chart.minihelm("template", "c", "--set", expr)
    assert not res.timed_out and "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.peak_rss < 512 << 20
    assert res.rc == 0 and "n: 60007" in res.stdout


def test_deep_names(chart: Sandbox) -> None:
    """helm's MaxNestedNameLevel is 30."""
    expr = ".".join(["a"] * 40000) + "=1"
    res = chart.minihelm("template", "c", "--set", expr)
    assert "value name nested level is greater than maximum supported nested level of 30" in (
        res.stderr), res.stderr[-2000:]
    assert res.rc == 1 and "Traceback" not in res.stderr and not res.timed_out


@pytest.mark.parametrize("depth", [10_001, 60_000])
def test_deep_set_json(chart: Sandbox, depth: int) -> None:
    """Go's decoder stops at 10000 levels (60000 is about the most argv takes)."""
    expr = "a=" + "[" * depth + "]" * depth
    res = chart.minihelm("template", "c", "--set-json", expr)
    assert not res.timed_out and "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.rc == 1 and res.peak_rss < 512 << 20
    assert res.stderr.startswith("Error: failed parsing --set-json data a=[[[")


def test_set_json_under_the_depth_limit(chart: Sandbox) -> None:
    expr = "a=" + "[" * 9000 + "]" * 9000
    res = chart.minihelm("template", "c", "--set-json", expr)
    assert res.rc == 0, res.stderr[-3000:]
    assert "n: 18006" in res.stdout


def test_set_file_dev_zero(chart: Sandbox) -> None:
    res = chart.minihelm("template", "c", "--set-file", "a=/dev/zero")
    msg = _set_failure(res, "a=/dev/zero")
    assert msg == ("Error: failed parsing --set-file data: read /dev/zero: more than minihelm's "
                   "limit of 33554432 bytes (raise MINIHELM_MAX_VALUES_BYTES to allow it)")
    assert res.peak_rss < 512 << 20


def test_many_keys(chart: Sandbox) -> None:
    """100k keys in one flag: linear, finished in time."""
    expr = ",".join(f"k{i}=v" for i in range(100_000 // 8))
    res = chart.minihelm("template", "c", "--set", expr)
    assert res.rc == 0 and res.seconds < 10, res.stderr[-2000:]
