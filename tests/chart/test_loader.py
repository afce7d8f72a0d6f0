"""Chart loading: layout, Chart.yaml decoding and helm's errors (texts recorded from helm v4.1.4)."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from pathlib import Path

import pytest

from minihelm.chart.archive import Budget, read_archive
from minihelm.chart.loader import load_chart
from minihelm.errors import ArchiveError, ChartError, MinihelmError, YAMLError

CHART = "apiVersion: v2\nname: c\nversion: 0.1.0\n"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def make_tgz(entries: list[tuple[str, bytes]] | list[tarfile.TarInfo | tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for e in entries:
            if isinstance(e, tarfile.TarInfo):
                tf.addfile(e)
                continue
            name, data = e
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return gzip.compress(buf.getvalue())


def load_err(path: Path) -> MinihelmError:
    with pytest.raises(MinihelmError) as info:
        load_chart(path)
    return info.value


# ---------------------------------------------------------------- Chart.yaml


@pytest.mark.parametrize(
    ("chart_yaml", "message"),
    [
        ("name: c\nversion: [\n",
         ("cannot load Chart.yaml: error converting YAML to JSON: yaml: line 2: "
         "did not find expected node content")),
        ("apiVersion: v2\nversion: 0.1.0\n", "validation: chart.metadata.name is required"),
        ("apiVersion: v2\nname: c\n", "validation: chart.metadata.version is required"),
        ("apiVersion: v2\nname: c\nversion: abc\n",
         'validation: chart.metadata.version "abc" is invalid'),
        ("apiVersion: v2\nname: c\nversion: 1.2.3.4\n",
         'validation: chart.metadata.version "1.2.3.4" is invalid'),
        ("apiVersion: v3\nname: c\nversion: 0.1.0\n", "invalid chart apiVersion"),
        ("apiVersion: v9\nname: c\nversion: 0.1.0\n", "unsupported chart version"),
        ("apiVersion: 2\nname: c\nversion: 0.1.0\n", "unsupported chart version"),
        ("apiVersion: v2\nname: ..\nversion: 0.1.0\n",
         'validation: chart.metadata.name ".." is not allowed'),
        ("apiVersion: v2\nname: a/b\nversion: 0.1.0\n",
         'validation: chart.metadata.name "a/b" is invalid'),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\ntype: foo\n",
         "validation: chart.metadata.type must be application or library"),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\nkeywords: 5\n",
         ("cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
         "unmarshal number into Go struct field Metadata.keywords of type []string")),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\ndeprecated: \"yes\"\n",
         ("cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
         "unmarshal string into Go struct field Metadata.deprecated of type bool")),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: x\n  tags: 5\n",
         ("cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
         "unmarshal number into Go struct field Dependency.dependencies.tags of type []string")),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: x\n  alias: a/b\n",
         'validation: dependency "x" has disallowed characters in the alias'),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: x\n- name: x\n",
         'validation: more than one dependency with name or alias "x"'),
        ("apiVersion: v2\nname: c\nversion: 0.1.0\nmaintainers:\n- ~\n",
         "validation: maintainers must not contain empty or null nodes"),
        ("", "validation: chart.metadata.name is required"),
        ("- a\n", ("cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: "
         "cannot unmarshal array into Go value of type loader.chartBase")),
    ],
)
def test_chart_yaml_errors(tmp_path: Path, chart_yaml: str, message: str) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": chart_yaml, "templates/t.yaml": ""})
    err = load_err(root)
    assert isinstance(err, (ChartError, YAMLError))
    assert err.message == message


def test_missing_chart_yaml(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"values.yaml": "a: 1\n"})
    chart_yaml = os.path.join(os.path.abspath(root), "Chart.yaml")
    assert load_err(root).message == (
        f"unable to detect chart at {chart_yaml}: open {chart_yaml}: no such file or directory"
    )


def test_chart_yaml_coercions(tmp_path: Path) -> None:
    # helm show chart: version "1", appVersion "12345678", description "a bc",
    # keywords ["true", "1500"], annotations {a: "1"}; appVersion 1.10 -> "1.1".
    root = write_tree(tmp_path / "c", {
        "Chart.yaml": 'apiVersion: v2\nname: c\nversion: 1.0\nappVersion: 12345678\n'
                      'description: "a\\tb\\x01c"\nkeywords: [yes, 1.5e3]\nannotations:\n  a: 1\n'
                      'maintainers:\n- name: 5\n'
    })
    md = load_chart(root).metadata
    assert (md.version, md.app_version, md.description) == ("1", "12345678", "a bc")
    assert md.keywords == ("true", "1500")
    assert md.annotations == {"a": "1"}
    assert md.maintainers == ({"name": "5"},)
    assert md.raw["version"] == 1.0
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 1.10\n")
    assert load_chart(root).metadata.app_version == "1.1"


def test_case_insensitive_keys_and_nulls(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {
        "Chart.yaml": "apiVersion: v2\nNAME: c\nversion: 0.1.0\nhome: ~\nkeywords: ~\n"
    })
    md = load_chart(root).metadata
    assert (md.name, md.home, md.keywords) == ("c", "", ())


def test_v1_chart_without_api_version_and_requirements(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {
        "Chart.yaml": "name: c\nversion: 0.1.0\n",
        "requirements.yaml": "dependencies:\n- name: d\n  version: 1.0.0\n  repository: file://x\n",
    })
    c = load_chart(root)
    assert c.metadata.api_version == "v1"
    assert [d.name for d in c.metadata.dependencies] == ["d"]
    assert c.metadata.dependencies[0].repository == "file://x"
    assert [f.name for f in c.files] == ["requirements.yaml"]


# ---------------------------------------------------------------- layout


def test_file_partition_like_helm(tmp_path: Path) -> None:
    # helm template: .Files.Glob "**" -> charts/x.prov crds/c.yaml files/a.txt files/bom.txt
    root = write_tree(tmp_path / "fl", {
        "Chart.yaml": "apiVersion: v2\nname: fl\nversion: 0.1.0\n",
        "values.schema.json": "{}\n",
        "values.yaml": "a: 1\n",
        "Chart.lock": 'generated: "2020-01-01T00:00:00Z"\ndigest: x\ndependencies: []\n',
        "requirements.yaml": "dependencies: []\n",
        "crds/c.yaml": "k: v\n",
        "files/a.txt": "hi\n",
        "files/bom.txt": b"\xef\xbb\xbfbom",
        "charts/x.prov": "p\n",
        "charts/s1/Chart.yaml": "apiVersion: v2\nname: s1\nversion: 0.1.0\n",
        "charts/_skip/Chart.yaml": "x\n",
        "templates/t.yaml": "t\n",
        "templates/.hidden": "h\n",
    })
    c = load_chart(root)
    assert [f.name for f in c.files] == [
        "charts/x.prov", "crds/c.yaml", "files/a.txt", "files/bom.txt"]
    assert [f.name for f in c.crds] == ["crds/c.yaml"]
    assert [t.name for t in c.templates] == ["templates/t.yaml"]
    assert c.files[3].data == b"bom"
    assert c.schema == b"{}\n"
    assert c.values_raw == b"a: 1\n"
    assert c.lock is not None and c.lock["digest"] == "x"
    assert [d.name for d in c.dependencies] == ["s1"]
    assert "Chart.yaml" in {f.name for f in c.raw_files}


def test_subchart_error_is_wrapped(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {
        "Chart.yaml": CHART, "charts/s/Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n"})
    assert load_err(root).message == (
        "error unpacking subchart s in c: validation: chart.metadata.name is required")


def test_values_yaml_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART, "values.yaml": "a: [\nb: 2\n"})
    err = load_err(root)
    assert isinstance(err, YAMLError)
    assert err.message == (
        "cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to "
        "JSON: yaml: line 2: did not find expected ',' or ']'")


def test_tgz_subchart_and_archive_equals_dir(tmp_path: Path) -> None:
    sub = make_tgz([("s/Chart.yaml", b"apiVersion: v2\nname: s\nversion: 0.2.0\n"),
                    ("s/templates/a.yaml", b"a\n")])
    files = {"Chart.yaml": CHART, "values.yaml": "x: 1\n", "templates/t.yaml": "t\n",
             "charts/s-0.2.0.tgz": sub}
    root = write_tree(tmp_path / "c", files)
    tgz = tmp_path / "c-0.1.0.tgz"
    tgz.write_bytes(make_tgz([(f"c/{k}", v.encode() if isinstance(v, str) else v)
                              for k, v in files.items()]))
    a, b = load_chart(root), load_chart(tgz)
    assert sorted(a.raw_files, key=lambda f: f.name) == sorted(b.raw_files, key=lambda f: f.name)
    assert a.templates == b.templates and a.values == b.values == {"x": 1.0}
    assert a.dependencies[0].templates == b.dependencies[0].templates
    assert a.dependencies[0].metadata.version == "0.2.0"
    assert [t.name for t in a.dependencies[0].templates] == ["templates/a.yaml"]


# ---------------------------------------------------------------- archive safety


def _tgz_err(tmp_path: Path, entries: list) -> str:  # type: ignore[type-arg]
    p = tmp_path / "x.tgz"
    p.write_bytes(make_tgz(entries))
    err = load_err(p)
    assert isinstance(err, ArchiveError)
    return err.message


CH = ("c/Chart.yaml", CHART.encode())


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        # helm prints "unable to load chart archive" for each of these
        (("c/../../x", b"hi"), "chart illegally references parent directory"),
        (("c//etc/x", b"hi"), "chart illegally contains absolute paths"),
        (("/c/x", b"hi"), "chart illegally contains absolute paths"),
        (("README", b"x"),
         'chart illegally contains content outside the base directory: "README"'),
        (("c/C:/x", b"x"), "chart contains illegally named files"),
        (("c\\..\\x", b"x"), "chart contains illegally named files: 'c\\\\..\\\\x' has a backslash"),
        (("d/x", b"x"), 'chart archive has more than one top-level folder: "c" and "d"'),
        (("c/Chart.yaml", b"x"), 'chart archive contains "Chart.yaml" twice'),
        (("c/big", b"0" * (5 * 1024 * 1024 + 1)),
         'decompressed chart file "c/big" is larger than the maximum file size 5242880'),
    ],
)
def test_unsafe_entries(tmp_path: Path, entry: tuple[str, bytes], message: str) -> None:
    assert _tgz_err(tmp_path, [CH, entry]) == f"unable to load chart archive: {message}"


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.FIFOTYPE,
                                  tarfile.CHRTYPE])
def test_links_and_devices_refused(tmp_path: Path, kind: bytes) -> None:
    ti = tarfile.TarInfo("c/templates/x.yaml")
    ti.type = kind
    ti.linkname = "/etc/passwd"
    msg = _tgz_err(tmp_path, [CH, ti])
    assert msg.startswith('unable to load chart archive: chart archive entry "c/templates/x.yaml"')


def test_lying_size_header(tmp_path: Path) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        ti = tarfile.TarInfo("c/Chart.yaml")
        ti.size = len(CHART)
        tf.addfile(ti, io.BytesIO(CHART.encode()))
        ti = tarfile.TarInfo("c/values.yaml")
        ti.size = 4000
        tf.addfile(ti, io.BytesIO(b"a" * 4000))
    data = raw.getvalue()[: 512 * 3 + 100]  # the header promises 4000 bytes, 100 follow
    p = tmp_path / "x.tgz"
    p.write_bytes(gzip.compress(data))
    assert load_err(p).message == "unable to load chart archive: unexpected EOF"


def test_not_gzip_and_truncated(tmp_path: Path) -> None:
    p = tmp_path / "x.tgz"
    p.write_bytes(b"hello world")
    assert load_err(p).message == (
        f"file '{p}' does not appear to be a gzipped archive; got 'application/octet-stream'")
    y = tmp_path / "x.yaml"
    y.write_bytes(b"hello world")
    assert load_err(y).message == (
        f"file '{y}' seems to be a YAML file, but expected a gzipped archive")
    p.write_bytes(make_tgz([CH, ("c/values.yaml", os.urandom(20000))])[:3000])
    assert load_err(p).message == "unable to load chart archive: unexpected EOF"


def test_empty_archive_and_no_chart_yaml(tmp_path: Path) -> None:
    p = tmp_path / "x.tgz"
    p.write_bytes(gzip.compress(b"\0" * 1024))
    assert load_err(p).message == "unable to load chart archive: no files in chart archive"
    p.write_bytes(make_tgz([("c/values.yaml", b"a: 1\n")]))
    assert load_err(p).message == "unable to detect chart version, no Chart.yaml found"


def test_budget_is_shared_across_nested_archives() -> None:
    inner = make_tgz([("s/Chart.yaml", b"apiVersion: v2\nname: s\nversion: 0.1.0\n"),
                      ("s/big", b"x" * 3000)])
    outer = make_tgz([CH, ("c/charts/s-0.1.0.tgz", inner), ("c/pad", b"y" * 3000)])
    budget = Budget(content=5000 + len(inner))
    from minihelm.chart.loader import load_files

    files = read_archive(io.BytesIO(outer), budget)  # outer alone fits
    with pytest.raises(ArchiveError, match="decompressed chart is larger than the maximum size"):
        load_files(files, budget)


def test_gzip_bomb_is_cut_early() -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024))
    with pytest.raises(ArchiveError):
        read_archive(io.BytesIO(bomb), Budget(stream=1024 * 1024))


# ---------------------------------------------------------------- directory safety


def test_symlink_inside_is_followed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART, "real/a.txt": "A"})
    (root / "link").symlink_to("real")
    (root / "b.txt").symlink_to("real/a.txt")
    names = {f.name: f.data for f in load_chart(root).files}
    assert names == {"b.txt": b"A", "link/a.txt": b"A", "real/a.txt": b"A"}


def test_symlink_outside_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART})
    (tmp_path / "secret").write_text("s")
    (root / "s.txt").symlink_to(tmp_path / "secret")
    err = load_err(root)
    assert isinstance(err, ArchiveError)
    assert err.message == (f"symlink s.txt points outside the chart folder, to "
                           f"{os.path.realpath(tmp_path / 'secret')} "
                           "(pass --allow-external-links to follow it)")


def test_symlink_cycle_and_dangling(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART, "d/x": "x"})
    (root / "d" / "loop").symlink_to("..")
    assert load_err(root).message == "symlink cycle at d/loop"
    (root / "d" / "loop").unlink()
    (root / "d" / "self").symlink_to("self")
    assert load_err(root).message.startswith("error evaluating symlink ")


def test_fifo_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART})
    os.mkfifo(root / "pipe")
    assert load_err(root).message == (
        f"cannot load irregular file {os.path.realpath(root)}/pipe as it has file mode type "
        "bits set")


def test_big_file_in_dir(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART, "big.bin": b"0" * (5 * 1024 * 1024 + 1)})
    assert load_err(root).message == (
        'chart file "big.bin" is larger than the maximum file size 5242880')


def test_chart_lock_type_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"Chart.yaml": CHART, "Chart.lock": "- 1\n"})
    assert load_err(root).message == (
        "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: json: cannot "
        "unmarshal array into Go value of type v2.Lock")


@pytest.mark.parametrize("data,message", [
    (b"", "EOF"),
    (b"\x1f\x8b\x08", "unexpected EOF"),
    (b"\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\x00abc", "gzip: invalid header"),
    (b"not gzip at all", "gzip: invalid header"),
])
def test_subchart_archive_gzip_header_errors(tmp_path: Path, data: bytes, message: str) -> None:
    """helm 4.1.4: `error unpacking subchart bad.tgz in c: <gzip.NewReader's error>`."""
    root = write_tree(tmp_path / "c", {"Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n"})
    (root / "charts").mkdir()
    (root / "charts" / "bad.tgz").write_bytes(data)
    assert load_err(root).message == f"error unpacking subchart bad.tgz in c: {message}"


def test_only_large_values_files_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.chart import loader

    kinds: list[str] = []
    monkeypatch.setattr(loader, "remember", lambda kind, data, compute: (
        kinds.append(kind), compute())[1])
    assert loader._load_values(b"a: 1\n") == {"a": 1}
    big = b"".join(b"k%d: %d\n" % (i, i) for i in range(1000))
    assert loader._load_values(big)["k999"] == 999
    assert kinds == ["values.yaml"]


@pytest.mark.parametrize(("ref", "named"), [
    ("team/demo", True), ("team/sub/demo", True), ("./team/demo", False),
    ("/abs/team/demo", False), ("oci://host/team/demo", False), ("https://host/x.tgz", False),
    ("demo", False), ("../team/demo", False),
])
def test_what_names_a_repository_chart(ref: str, named: bool) -> None:
    # helm's LocateChart: only a relative, scheme-less `REPO/CHART` that is not on disk
    from minihelm.chart.loader import names_a_repository_chart

    assert names_a_repository_chart(ref) is named


def test_an_existing_folder_is_never_a_repository_chart(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.chart.loader import names_a_repository_chart

    (tmp_path / "team" / "demo").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert not names_a_repository_chart("team/demo")
    assert names_a_repository_chart("team/other")
