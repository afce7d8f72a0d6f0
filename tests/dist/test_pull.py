"""pull: archives out of folder and http repositories, digest checks, safe atomic --untar, compared with `helm pull`."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
import yaml
from clirun import run_cli
from mhtest import needs_helm
from test_deps import helm, make_chart, serve

from minihelm.dist.pull import open_repository, pull
from minihelm.dist.repo import build_index, push
from minihelm.errors import MinihelmError


def repo_with(tmp: Path, versions: tuple[str, ...] = ("1.0.0", "1.2.0", "2.0.0-rc.1")) -> Path:
    repo = tmp / "repo"
    for v in versions:
        push(make_chart(tmp / "src", "app", v), repo)
    return repo


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_pull_latest_stable_from_folder(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    dest = tmp_path / "out"
    with pytest.raises(MinihelmError, match=f"^open {dest}/app-1.2.0.tgz: no such file or "
                                            "directory$"):
        pull("app", str(repo), dest=dest)  # as helm, -d must exist
    dest.mkdir()
    got = pull("app", str(repo), dest=dest)
    assert got == dest / "app-1.2.0.tgz"
    assert got.read_bytes() == (repo / "app-1.2.0.tgz").read_bytes()


@pytest.mark.parametrize("version, expected", [
    ("1.0.0", "1.0.0"), ("~1.0", "1.0.0"), ("^1", "1.2.0"), (">=2.0.0-0", "2.0.0-rc.1"),
])
def test_pull_version_or_constraint(tmp_path: Path, version: str, expected: str) -> None:
    repo = repo_with(tmp_path)
    assert pull("app", f"file://{repo}", version, dest=tmp_path).name == f"app-{expected}.tgz"


def test_not_found_errors_are_helms(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    with pytest.raises(MinihelmError, match=f'^chart "app" version "9" not found in {repo} '
                                            "repository$"):
        pull("app", str(repo), "9", dest=tmp_path)
    with pytest.raises(MinihelmError, match=f'^chart "nope" not found in {repo} repository$'):
        pull("nope", str(repo), dest=tmp_path)


def test_digest_mismatch_is_refused(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    (repo / "app-1.2.0.tgz").write_bytes((repo / "app-1.0.0.tgz").read_bytes())  # swapped file
    with pytest.raises(MinihelmError, match="^digest mismatch for app-1.2.0.tgz"):
        pull("app", str(repo), dest=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_index_url_outside_the_folder_is_refused(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, ("1.0.0",))
    doc = yaml.safe_load((repo / "index.yaml").read_text())
    doc["entries"]["app"][0]["urls"] = ["../secret.tgz"]
    (tmp_path / "secret.tgz").write_bytes(b"x")
    (repo / "index.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(MinihelmError, match="points outside the repository folder"):
        pull("app", str(repo), dest=tmp_path / "out")


def test_untar_layout(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    got = pull("app", str(repo), dest=tmp_path / "d", untar=True, untardir="x")
    assert got == tmp_path / "d" / "x" / "app"
    assert sorted(files_under(got)) == ["Chart.yaml", "templates/cm.yaml"]
    assert not list((tmp_path / "d").glob("*.tgz"))  # helm keeps only the folder
    with pytest.raises(MinihelmError, match="^failed to untar: a file or directory with the name "
                                            f"{tmp_path}/d/x/app already exists$"):
        pull("app", str(repo), dest=tmp_path / "d", untar=True, untardir="x")


def _evil_archive(path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in (("app/Chart.yaml", b"apiVersion: v2\nname: app\nversion: 6.6.6\n"),
                           ("app/../../escaped.txt", b"pwned")):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    path.write_bytes(buf.getvalue())


def test_untar_never_writes_outside_the_target(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _evil_archive(repo / "app-6.6.6.tgz")
    (repo / "index.yaml").write_text(
        "apiVersion: v1\nentries:\n  app:\n  - name: app\n    version: 6.6.6\n"
        "    urls: [app-6.6.6.tgz]\ngenerated: '2024-01-01T00:00:00Z'\n")
    dest = tmp_path / "a" / "b"
    with pytest.raises(MinihelmError, match="parent directory"):
        pull("app", str(repo), dest=dest, untar=True)
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "a" / "escaped.txt").exists()
    assert not dest.exists() or not any(dest.rglob("*"))


@needs_helm
def test_http_pull_and_untar_match_helm(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    build_index(repo)
    for d in ("m", "h", "c"):
        (tmp_path / d).mkdir()
    with serve(repo) as url:
        mine = pull("app", url, "^1.0", dest=tmp_path / "m")
        helm(tmp_path, "pull", "app", "--repo", url, "--version", "^1.0", "-d", str(tmp_path / "h"))
        pull("app", url, dest=tmp_path / "mu", untar=True, untardir="u")
        helm(tmp_path, "pull", "app", "--repo", url, "-d", str(tmp_path / "hu"), "--untar",
             "--untardir", "u")
        code, out, _ = run_cli(["pull", "app", "--repo", url, "--version", "1.0.0", "-d",
                                  str(tmp_path / "c")])
    assert mine.read_bytes() == (tmp_path / "h" / "app-1.2.0.tgz").read_bytes()
    assert files_under(tmp_path / "mu") == files_under(tmp_path / "hu")
    assert (code, out) == (0, "")  # helm pull is silent too
    assert (tmp_path / "c" / "app-1.0.0.tgz").exists()


def test_repository_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(MinihelmError, match="is not a valid chart repository"):
        open_repository(str(tmp_path / "none"))
    code, _, err = run_cli(["pull", "app", "--repo", str(tmp_path)])
    assert code == 1 and err.startswith(f'Error: looks like "{tmp_path}" is not a valid chart '
                                        "repository or cannot be reached: error loading")


@needs_helm
def test_unreachable_repository_errors_are_helms(tmp_path: Path) -> None:
    # urllib's "[Errno 111] Connection refused" in Go's words, as helm's getter prints it
    url = "http://127.0.0.1:1/"
    r = helm(tmp_path, "pull", "demo", "--repo", url, ok=False)
    code, out, err = run_cli(["pull", "demo", "--repo", url, "-d", str(tmp_path)])
    assert r.returncode == 1 and (code, out, err) == (1, "", r.stderr)
    assert "dial tcp 127.0.0.1:1: connect: connection refused" in err


@needs_helm
@pytest.mark.parametrize("args", [
    ["pull", "demo", "--repo", "http://[x/"], ["pull", "http://[x/demo-1.0.0.tgz"],
    ["pull", "oci://[/charts/demo"], ["pull", "oci://[::1/charts/demo"],
    ["repo", "add", "x", "http://[x/"],
])
def test_an_unbalanced_bracket_host_is_helms_url_error(tmp_path: Path, args: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Go's url.Parse fails on "[" without "]" where Python raises ValueError
    monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(tmp_path / "repositories.yaml"))
    r = helm(tmp_path, *args, ok=False)
    code, out, err = run_cli(args)
    assert r.returncode == 1 and (code, out, err) == (1, "", r.stderr)
    assert err.startswith("Error: invalid chart URL format: ")


def test_a_server_that_never_answers_times_out_in_gos_words(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import socket

    from minihelm.dist import pull as pull_module

    monkeypatch.setattr(pull_module, "HTTP_TIMEOUT", 0.5)
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)  # accepts the connection (the kernel does), never answers
        url = f"http://127.0.0.1:{srv.getsockname()[1]}/index.yaml"
        with pytest.raises(MinihelmError) as e:
            pull_module.fetch_url(url)
    assert e.value.message == f'Get "{url}": net/http: timeout awaiting response headers'
