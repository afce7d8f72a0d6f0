"""Hostile chart archives and folders through `minihelm template`: refused fast, in bounded memory.

Entry names, links, lying tar headers and decompression bombs (nested ones
share one 100 MiB budget, which helm resets per archive).  Each case must end
within 10 s under 512 MiB with exit 1 and one `Error: ` line, print nothing,
and write nothing.
"""

from __future__ import annotations

import os
import tarfile
from collections.abc import Callable

import pytest
from hostile_kit import (
    CHART_YAML,
    TAR_END,
    Sandbox,
    assert_clean_failure,
    assert_nothing_written,
    chart_tgz,
    gz,
    make_chart,
    stdlib_tgz,
    stream_tgz,
    tar_entry,
    tar_header,
    tgz,
    zeros_tgz,
)

MiB = 1 << 20
CY = CHART_YAML.format(name="c").encode()


def _template(sb: Sandbox, target: str, contains: tuple[str, ...]) -> str:
    before = sb.snapshot()
    res = sb.minihelm("template", target)
    msg = assert_clean_failure(res, contains=contains)
    assert res.stdout == ""
    assert_nothing_written(sb, before)
    return msg


def _write(sb: Sandbox, data: bytes, name: str = "c.tgz") -> str:
    (sb.work / name).write_bytes(data)
    return name


# ---------------------------------------------------------------- entry names

NAMES: dict[str, tuple[list[tuple[str, bytes]], tuple[str, ...]]] = {
    "dotdot": ([("c/Chart.yaml", CY), ("c/../../evil.yaml", b"x: 1\n")],
               ("parent directory",)),
    "dotdot-first": ([("../c/Chart.yaml", CY)], ("parent directory",)),
    "absolute": ([("/c/Chart.yaml", CY)], ("absolute paths",)),
    "absolute-inner": ([("c/Chart.yaml", CY), ("c//etc/passwd", b"x")], ("absolute paths",)),
    "backslash": ([("c/Chart.yaml", CY), ("c\\..\\..\\evil.yaml", b"x")], ("illegally",)),
    "drive-inner": ([("c/Chart.yaml", CY), ("c/C:/evil.yaml", b"x")], ("illegally named",)),
    "drive-first": ([("C:/c/Chart.yaml", CY)], ("illegally named",)),
    "two-tops": ([("c/Chart.yaml", CY), ("d/Chart.yaml", CY)], ("more than one top-level",)),
    "chart-yaml-at-top": ([("Chart.yaml", CY)], ("outside the base directory",)),
    "duplicate": ([("c/Chart.yaml", CY), ("c/Chart.yaml", CY)], ("twice",)),
}


@pytest.mark.parametrize("case", sorted(NAMES))
def test_hostile_entry_names(sandbox: Sandbox, case: str) -> None:
    entries, contains = NAMES[case]
    _template(sandbox, _write(sandbox, tgz(entries)), contains)
    assert not (sandbox.root / "evil.yaml").exists()


def _link(kind: bytes, target: str) -> bytes:
    return gz(tar_entry("c/Chart.yaml", CY) + tar_entry("c/templates/x.yaml", b"", kind, target)
              + TAR_END)


@pytest.mark.parametrize("kind,target,word", [
    (b"2", "/etc/passwd", "link"),
    (b"2", "../../../../etc/passwd", "link"),
    (b"1", "c/Chart.yaml", "link"),
    (b"3", "", "irregular"),  # character device
    (b"6", "", "irregular"),  # FIFO
])
def test_link_and_device_entries(sandbox: Sandbox, kind: bytes, target: str, word: str) -> None:
    _template(sandbox, _write(sandbox, _link(kind, target)), (word,))


def test_symlink_entry_via_tarfile(sandbox: Sandbox) -> None:
    ti = tarfile.TarInfo("c/templates/x.yaml")
    ti.type, ti.linkname = tarfile.SYMTYPE, "/etc/shadow"
    cy = tarfile.TarInfo("c/Chart.yaml")
    data = stdlib_tgz([cy, ti], {"c/Chart.yaml": CY})
    _template(sandbox, _write(sandbox, data), ("link",))


@pytest.mark.parametrize("name", ["..", "../x", "/abs", "a/b"])
def test_chart_name_with_path_parts(sandbox: Sandbox, name: str) -> None:
    """Chart.yaml names that would be paths (helm: "is not allowed"/"is invalid")."""
    cy = f"apiVersion: v2\nname: {name!r}\nversion: 0.1.0\n"
    make_chart(sandbox.work / "c", chart_yaml=cy)
    msg = _template(sandbox, "c", ("validation: chart.metadata.name",))
    assert "not allowed" in msg or "invalid" in msg


@pytest.mark.parametrize("name", ["..", "../../x"])
def test_subchart_name_with_path_parts(sandbox: Sandbox, name: str) -> None:
    make_chart(sandbox.work / "c")
    sub = make_chart(sandbox.work / "c" / "charts" / "s",
                     chart_yaml=f"apiVersion: v2\nname: {name!r}\nversion: 0.1.0\n")
    assert sub.exists()
    _template(sandbox, "c", ("validation: chart.metadata.name",))


# ---------------------------------------------------------------- lying headers


def _head_then(h: bytes, body: bytes = b"", end: bool = True) -> bytes:
    return gz(tar_entry("c/Chart.yaml", CY) + h + body + (TAR_END if end else b""))


LIES: dict[str, Callable[[], bytes]] = {
    # the header claims 4096 bytes, the stream ends after 100
    "size-past-end": lambda: _head_then(tar_header("c/values.yaml", 4096), b"a: 1\n" * 20, False),
    "bad-checksum": lambda: _head_then(tar_header("c/values.yaml", 5, bad_checksum=True),
                                       b"a: 1\n".ljust(512, b"\0")),
    "non-octal-size": lambda: _head_then(tar_header("c/values.yaml", 0, size_field=b"zzzzzzzzzzz\0"),
                                         b"a: 1\n".ljust(512, b"\0")),
    # base-256 size of 8 GiB: must be refused by the header, never allocated
    "huge-binary-size": lambda: _head_then(tar_header(
        "c/values.yaml", 0, size_field=b"\x80" + (8 << 30).to_bytes(11, "big")), b"\0" * 1024),
    # a PAX header that says the next file is 1 GiB
    "pax-size": lambda: _head_then(
        tar_header("c/PaxHeaders/v", 20, b"x") + b"20 size=1073741824\n".ljust(512, b"\0")
        + tar_header("c/values.yaml", 5), b"a: 1\n".ljust(512, b"\0")),
    "truncated-gzip": lambda: chart_tgz("c")[:-30],
    "not-gzip": lambda: b"\x1f\x8b\x08" + os.urandom(300),
    "gzip-not-tar": lambda: gz(os.urandom(4096)),
    "empty-gzip": lambda: gz(b""),
    "trailing-garbage": lambda: chart_tgz("c") + b"garbage after the gzip member",
}


@pytest.mark.parametrize("case", sorted(LIES))
def test_lying_archives(sandbox: Sandbox, case: str) -> None:
    _template(sandbox, _write(sandbox, LIES[case]()), ())


def test_pax_header_bomb(sandbox: Sandbox) -> None:
    """A 512 MiB PAX extended header (tarfile would read it whole into memory)."""
    n = 512 * MiB
    data = stream_tgz([tar_entry("c/Chart.yaml", CY), tar_header("c/PaxHeaders/v", n, b"x"), n,
                       TAR_END])
    _template(sandbox, _write(sandbox, data), ("larger than the maximum",))


def test_gnu_longname_bomb(sandbox: Sandbox) -> None:
    """A GNU long-name entry ('L') claiming 512 MiB of name."""
    n = 512 * MiB
    data = stream_tgz([tar_entry("c/Chart.yaml", CY), tar_header("././@LongLink", n, b"L"), n,
                       TAR_END])
    _template(sandbox, _write(sandbox, data), ("larger than the maximum",))


# ---------------------------------------------------------------- bombs


def test_one_big_file(sandbox: Sandbox) -> None:
    """256 MiB of zeros in one entry (compressed to a few hundred KiB)."""
    data = stream_tgz([tar_entry("c/Chart.yaml", CY), tar_header("c/big", 256 * MiB),
                       256 * MiB, TAR_END])
    _template(sandbox, _write(sandbox, data), ("larger than the maximum",))


def test_one_file_over_file_limit(sandbox: Sandbox) -> None:
    data = stream_tgz([tar_entry("c/Chart.yaml", CY), tar_header("c/big", 6 * MiB),
                       6 * MiB, TAR_END])
    _template(sandbox, _write(sandbox, data), ("maximum file size",))


def test_many_files_over_budget(sandbox: Sandbox) -> None:
    _template(sandbox, _write(sandbox, zeros_tgz("c", 30, 4 * MiB)), ("maximum size 104857600",))


def test_nested_bombs_share_one_budget(sandbox: Sandbox) -> None:
    """Three subchart archives of 52 MiB each: each is under helm's per-archive 100 MiB."""
    c = make_chart(sandbox.work / "c")
    (c / "charts").mkdir()
    for i in range(3):
        (c / "charts" / f"s{i}.tgz").write_bytes(zeros_tgz(f"s{i}", 13, 4 * MiB))
    _template(sandbox, "c", ("maximum size 104857600",))


def test_deep_nested_bomb_archive(sandbox: Sandbox) -> None:
    """A .tgz holding charts/n1.tgz holding charts/n2.tgz ... 20 MiB of zeros at each level."""
    inner = b""
    for level in range(6, -1, -1):
        extra = [(f"charts/n{level + 1}.tgz", inner)] if inner else []
        inner = zeros_tgz(f"n{level}" if level else "c", 5, 4 * MiB, extra)
    _template(sandbox, _write(sandbox, inner), ("maximum size 104857600",))


def test_nesting_depth(sandbox: Sandbox) -> None:
    inner = b""
    for level in range(40, -1, -1):
        name = f"n{level}" if level else "c"
        inner = chart_tgz(name, [(f"charts/n{level + 1}.tgz", inner)] if inner else [])
    _template(sandbox, _write(sandbox, inner), ("nested more than",))


def test_many_empty_entries(sandbox: Sandbox) -> None:
    hdrs = b"".join(tar_header(f"c/e/{i}", 0) for i in range(60_000))
    data = gz(tar_entry("c/Chart.yaml", CY) + hdrs + TAR_END)
    _template(sandbox, _write(sandbox, data), ("entries",))


# ---------------------------------------------------------------- folders


def test_symlink_escape_file(sandbox: Sandbox) -> None:
    secret = sandbox.root / "secret.txt"
    secret.write_text("s3cr3t: yes\n")
    c = make_chart(sandbox.work / "c")
    os.symlink(secret, c / "templates" / "x.yaml")
    _template(sandbox, "c", ("outside the chart folder",))


def test_symlink_escape_dir(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.symlink("/etc", c / "etc")
    _template(sandbox, "c", ("outside the chart folder",))


def test_symlink_cycle(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.symlink("..", c / "templates" / "loop")
    _template(sandbox, "c", ("symlink cycle",))


def test_symlink_mutual_cycle(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    (c / "a").mkdir()
    (c / "b").mkdir()
    os.symlink("../b", c / "a" / "to_b")
    os.symlink("../a", c / "b" / "to_a")
    _template(sandbox, "c", ("symlink cycle",))


def test_symlink_self_loop(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.symlink("self", c / "self")
    _template(sandbox, "c", ("symlink",))


def test_dangling_symlink(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.symlink("nowhere", c / "templates" / "x.yaml")
    _template(sandbox, "c", ("symlink",))


def test_fifo_in_chart_folder_does_not_hang(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.mkfifo(c / "templates" / "pipe.yaml")
    _template(sandbox, "c", ("irregular file",))


def test_fifo_as_values_yaml_does_not_hang(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    os.mkfifo(c / "values.yaml")
    _template(sandbox, "c", ("irregular file",))


def test_huge_file_in_folder(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    with open(c / "big.bin", "wb") as fh:
        fh.truncate(64 * MiB)  # sparse: costs no disk
    _template(sandbox, "c", ("maximum file size",))


def test_folder_over_budget_with_subchart_archives(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    for i in range(19):
        with open(c / f"f{i}.bin", "wb") as fh:
            fh.truncate(5 * MiB)
    (c / "charts").mkdir()
    (c / "charts" / "s.tgz").write_bytes(zeros_tgz("s", 4, 4 * MiB))
    _template(sandbox, "c", ("maximum size 104857600",))


def test_chart_path_is_a_fifo(sandbox: Sandbox) -> None:
    os.mkfifo(sandbox.work / "c.tgz")
    _template(sandbox, "c.tgz", ())


def test_chart_path_is_dev_zero(sandbox: Sandbox) -> None:
    """/dev/zero starts like no gzip stream; must not read forever."""
    _template(sandbox, "/dev/zero", ())


def test_unreadable_chart_yaml_folder(sandbox: Sandbox) -> None:
    c = make_chart(sandbox.work / "c")
    (c / "Chart.yaml").unlink()
    (c / "Chart.yaml").mkdir()
    _template(sandbox, "c", ())


