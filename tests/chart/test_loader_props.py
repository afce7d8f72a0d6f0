"""Property: any bytes or any tar members load into a Chart or raise one MinihelmError, quickly."""

from __future__ import annotations

import gzip
import io
import tarfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minihelm.chart.loader import load_chart
from minihelm.chart.model import Chart
from minihelm.errors import MinihelmError

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

_names = st.one_of(
    st.sampled_from(["c/Chart.yaml", "c/values.yaml", "c/templates/t.yaml", "c/charts/s.tgz",
                     "c/../x", "/c/x", "c\\x", "Chart.yaml", "d/x", "c/crds/a.yaml", "c/"]),
    st.text(alphabet="abc./\\:-_ ", min_size=1, max_size=12),
)
_types = st.sampled_from([tarfile.REGTYPE, tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE,
                          tarfile.LNKTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE])
_data = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([b"apiVersion: v2\nname: c\nversion: 0.1.0\n", b"a: [", b"- 1\n",
                     b"name: c\nversion: 1\n", b"\xef\xbb\xbfa: 1\n"]),
)


def _check(path: Path) -> None:
    start = time.monotonic()
    try:
        result = load_chart(path)
    except MinihelmError as e:
        assert e.message
    else:
        assert isinstance(result, Chart)
    assert time.monotonic() - start < 5


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "x.tgz"
    p.write_bytes(data)
    _check(p)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_gzip_payload(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "x.tgz"
    p.write_bytes(gzip.compress(data))
    _check(p)


@SETTINGS
@given(st.lists(st.tuples(_names, _types, _data), max_size=6), st.integers(0, 2000))
def test_random_tar_members(tmp_path: Path, members: list, cut: int) -> None:  # type: ignore[type-arg]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, kind, data in members:
            ti = tarfile.TarInfo(name)
            ti.type = kind
            ti.linkname = "x" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
            if kind == tarfile.REGTYPE:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
            else:
                tf.addfile(ti)
    raw = buf.getvalue()
    if cut:  # sometimes truncate or corrupt a byte
        raw = raw[: len(raw) - cut] if cut < 1000 else raw[:cut] + b"\xff" + raw[cut + 1:]
    p = tmp_path / "x.tgz"
    p.write_bytes(gzip.compress(raw))
    _check(p)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["Chart.yaml", "values.yaml", "Chart.lock",
                                           "requirements.yaml", "values.schema.json",
                                           "charts/s/Chart.yaml", "charts/s/values.yaml",
                                           "charts/x.tgz", ".helmignore", "templates/a"]),
                          _data), max_size=6))
def test_random_directory_files(tmp_path: Path, files: list) -> None:  # type: ignore[type-arg]
    root = tmp_path / "c"
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    for rel, data in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    root.mkdir(exist_ok=True)
    _check(root)
