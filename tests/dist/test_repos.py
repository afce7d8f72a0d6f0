"""Named HTTP repositories (`repo add|list|update|remove`, `search repo`) side by side with real helm."""

from __future__ import annotations

from pathlib import Path

import pytest
from mhtest import needs_helm
from ocikit import both, run
from repokit import files, make_repo, repo_env, serve

pytestmark = needs_helm


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("served")
    with serve(make_repo(root)) as url:
        yield url, root / "served"


def _same(args: list[str], env: dict[str, str], **kw: object) -> tuple[int, str, str]:
    h, m = both(args, env, **kw)  # type: ignore[arg-type]
    assert m == h, args
    return m


def _restore(root: Path, saved: dict[str, bytes]) -> None:
    for p in sorted(root.rglob("*"), reverse=True):
        if p.is_file():
            p.unlink()
    for rel, data in saved.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _lines_unordered(res: tuple[int, str, str]) -> tuple[int, list[str], str]:
    return res[0], sorted(res[1].splitlines()), res[2]


def _same_change(args: list[str], env: dict[str, str], root: Path, stdin: str = "",
                 unordered: bool = False) -> tuple[int, str, str]:
    """helm and minihelm each run on the same starting files: same output, same files after.

    `unordered`: helm refreshes several repositories in parallel and prints each line as
    one finishes, so only the set of lines is fixed.
    """
    before = files(root)
    h = run("helm", args, env, stdin)
    after = files(root)
    _restore(root, before)
    m = run("minihelm", args, env, stdin)
    if unordered:
        assert _lines_unordered(m) == _lines_unordered(h), args
    else:
        assert m == h, args
    # minihelm's `repo remove` also takes repo add's lock (helm's does not): a lock file more
    assert {k: v for k, v in files(root).items() if not k.endswith(".lock")} == \
        {k: v for k, v in after.items() if not k.endswith(".lock")}, args
    return m


def test_add_writes_helms_files(served, helm_env, tmp_path: Path) -> None:
    url, _ = served
    henv, menv = repo_env(helm_env, tmp_path / "h"), repo_env(helm_env, tmp_path / "m")
    h = run("helm", ["repo", "add", "local", url], henv)
    m = run("minihelm", ["repo", "add", "local", url], menv)
    assert m == h == (0, '"local" has been added to your repositories\n', "")
    assert files(tmp_path / "m") == files(tmp_path / "h")  # config, lock, index and charts.txt
    cfg = tmp_path / "m" / "config" / "repositories.yaml"
    assert cfg.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "m" / "config" / "repositories.lock").exists()
    # a second, different repository is appended in the same form
    for tool, env in (("helm", henv), ("minihelm", menv)):
        assert run(tool, ["repo", "add", "second", url + "?x=1", "--username", "u",
                          "--password", "p", "--pass-credentials",
                          "--insecure-skip-tls-verify"], env)[0] == 0
    assert files(tmp_path / "m") == files(tmp_path / "h")


@pytest.mark.parametrize("flags", [
    ["--ca-file", "/nonexistent/ca.pem"],
    ["--ca-file", "{self}"],
    ["--cert-file", "/nonexistent/c.pem", "--key-file", "/nonexistent/k.pem"],
    ["--cert-file", "/nonexistent/c.pem"],
    ["--insecure-skip-tls-verify"],
])
def test_tls_flags_are_checked_as_helm_checks_them(served, helm_env, tmp_path: Path,
                                                   flags) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    flags = [f.replace("{self}", __file__) for f in flags]
    _same_change(["repo", "add", "tls", url, *flags], env, tmp_path)


def test_each_tool_reads_what_the_other_wrote(served, helm_env, tmp_path: Path) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    assert run("minihelm", ["repo", "add", "bym", url], env)[0] == 0
    assert run("helm", ["repo", "add", "byh", url + "sub/../"], env)[0] == 0
    for fmt in ("table", "json", "yaml"):
        out = _same(["repo", "list", "-o", fmt], env)
        assert "bym" in out[1] and "byh" in out[1]
    _same(["repo", "list", "--no-headers"], env)
    _same(["search", "repo", "demo"], env)


@pytest.mark.parametrize("case", [
    ["dead", "http://127.0.0.1:1/"],
    ["nf", "{url}nope/"],
    ["a/b", "{url}"],
    ["ftp", "ftp://127.0.0.1/x"],
    ["oci", "oci://127.0.0.1:1/charts"],
    ["user", "{url}", "--username", "u"],
    ["slow", "{url}", "--timeout", "abc"],
    ["bad", "http://127.0.0.1:1/%zz"],
    ["noscheme", "127.0.0.1:1/x"],
    ["old", "https://kubernetes-charts.storage.googleapis.com/"],
])
def test_add_errors_match_helm(served, helm_env, tmp_path: Path, case) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    rc, _, err = _same_change(["repo", "add", case[0], case[1].format(url=url), *case[2:]], env,
                              tmp_path)
    assert rc == 1 and err.startswith("Error: ") and err.count("\n") == 1
    assert not (tmp_path / "config" / "repositories.yaml").exists()
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


BAD_INDEXES = {
    "yaml": b"a: [\n",
    "empty": b"",
    "noapi": b"entries: {}\n",
    "unknown": b"apiVersion: v1\nentries:\n  x:\n  - name: x\n    version: 1.0.0\n    foo: 1\n",
    "type": b"apiVersion: v1\nentries:\n  x:\n  - name: [1]\n",
    "maint": b"apiVersion: v1\nentries:\n  x:\n  - name: x\n    version: 1.0.0\n"
             b"    maintainers:\n    - name: a\n      bad: 1\n",
    "time": b"apiVersion: v1\ngenerated: yesterday\nentries: {}\n",
    "entries": b"apiVersion: v1\nentries: [1]\n",
    "bomb": b"apiVersion: v1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            b"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
    "json_type": b'{"apiVersion": "v1", "entries": {"x": [{"name": 5}]}}',
}


@pytest.mark.parametrize("kind", sorted(BAD_INDEXES))
def test_bad_indexes_are_refused_as_helm_refuses_them(served, helm_env, tmp_path: Path,
                                                      kind: str) -> None:
    url, folder = served
    (folder / kind).mkdir(exist_ok=True)
    (folder / kind / "index.yaml").write_bytes(BAD_INDEXES[kind])
    env = repo_env(helm_env, tmp_path)
    rc, _, err = _same_change(["repo", "add", kind, f"{url}{kind}/"], env, tmp_path)
    assert rc == 1 and err.count("\n") == 1, err
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_invalid_entries_are_skipped_with_helms_warning(served, helm_env, tmp_path: Path) -> None:
    url, folder = served
    (folder / "inv").mkdir(exist_ok=True)
    (folder / "inv" / "index.yaml").write_text(
        "apiVersion: v1\nentries:\n  x:\n  - name: x\n    version: nope\n    urls: [a.tgz]\n"
        "  - name: x\n    version: 1.0.0\n    urls: [x-1.0.0.tgz]\n    description: \"two\\nlines\"\n")
    env = repo_env(helm_env, tmp_path)
    rc, out, err = _same_change(["repo", "add", "inv", f"{url}inv/"], env, tmp_path)
    assert rc == 0 and 'level=WARN msg="skipping loading invalid entry for chart' in err
    rc, out, _ = _same(["search", "repo", "x", "-o", "json"], env)
    assert '"description":"two lines"' in out  # sanitised as helm's Validate does


def test_same_config_again_is_skipped_and_a_different_one_refused(served, helm_env,
                                                                  tmp_path: Path) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    assert run("helm", ["repo", "add", "local", url], env)[0] == 0
    assert _same(["repo", "add", "local", url], env)[0] == 0
    assert _same(["repo", "add", "local", url + "x/"], env)[0] == 1
    # --force-update replaces it (and the index is fetched again)
    assert _same_change(["repo", "add", "local", url + "?a=b", "--force-update"], env,
                        tmp_path)[0] == 0


def test_update_and_remove_match_helm(served, helm_env, tmp_path: Path) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    _same(["repo", "update"], env)  # no file yet
    _same(["repo", "remove", "x"], env)
    for name in ("one", "two"):
        assert run("helm", ["repo", "add", name, url], env)[0] == 0
    assert _same_change(["repo", "update"], env, tmp_path, unordered=True)[0] == 0
    assert _same_change(["repo", "up", "two", "--timeout", "30s"], env, tmp_path)[0] == 0
    assert _same_change(["repo", "update", "--timeout", "5x"], env, tmp_path)[0] == 1
    assert _same(["repo", "update", "two", "nope"], env)[0] == 1
    # a repository that went away: helm's lines and error
    cfg = tmp_path / "config" / "repositories.yaml"
    text = cfg.read_text()
    cfg.write_text(text.replace(f"url: {url}\n", "url: http://127.0.0.1:1/\n", 1))
    assert _same_change(["repo", "update"], env, tmp_path, unordered=True)[0] == 1
    cfg.write_text(text)
    # remove: helm removes `one` and its cache, then fails on `nope`
    assert _same_change(["repo", "remove", "one", "nope"], env, tmp_path)[0] == 1
    assert not (tmp_path / "cache" / "one-index.yaml").exists()
    assert _same_change(["repo", "rm", "two"], env, tmp_path)[0] == 0
    _same(["repo", "remove", "two"], env)
    _same(["repo", "list"], env)
    _same(["repo", "list", "-o", "json"], env)
    _same(["repo", "list", "-o", "yaml"], env)


@pytest.mark.parametrize("text", [
    "repositories: 5\n",
    "repositories:\n- name: [1]\n",
    "repositories:\n- name: 12\n  url: http://127.0.0.1:1/\n  insecure_skip_tls_verify: \"yes\"\n",
    "generated: xx\nrepositories:\n- name: a\n",
    "[1]\n",
    "a: [\n",
    "repositories:\n- name: a\n  url: \"%zz\"\n",
    "repositories:\n- name: a\n  url: \"ftp://x/\"\n",
    "apiVersion: 5\nrepositories: []\n",
])
def test_broken_repositories_files_fail_as_in_helm(helm_env, tmp_path: Path, text: str) -> None:
    env = repo_env(helm_env, tmp_path)
    cfg = Path(env["HELM_REPOSITORY_CONFIG"])
    cfg.parent.mkdir(parents=True)
    cfg.write_text(text)
    _same(["repo", "update"], env)
    _same(["repo", "list"], env)
    _same(["search", "repo"], env)
    _same_change(["repo", "remove", "a"], env, tmp_path)


SEARCHES = [
    [], ["demo"], ["DEMO"], ["nginx"], ["web"], ["local/o"], ["zzz"], ["demo", "chart"],
    ["--versions"], ["-l", "demo"], ["--devel"], ["--devel", "-l"], ["--version", "^1.0.0"],
    ["--version", ">=1.0.0", "-l"], ["--version", "2.0.0-beta.1"], ["--version", "nonsense"],
    ["-r", "d.m+"], ["--regexp", "^oth"], ["-r", "a("], ["--max-col-width", "0"],
    ["--max-col-width", "20"], ["--max-col-width", "3"], ["--max-col-width", "1"],
    ["-o", "json"], ["-o", "yaml"], ["-o", "json", "zzz"], ["-o", "yaml", "zzz"],
    ["--fail-on-no-result", "zzz"], ["-o", "json", "--fail-on-no-result", "zzz"],
    ["-o", "xml"],
]


@pytest.mark.parametrize("flags", SEARCHES, ids=lambda f: " ".join(f) or "all")
def test_search_prints_helms_table(served, helm_env, tmp_path_factory, flags) -> None:
    url, _ = served
    root = tmp_path_factory.getbasetemp() / "search-env"
    env = repo_env(helm_env, root)
    if not (root / "cache" / "local-index.yaml").exists():
        assert run("helm", ["repo", "add", "local", url], env)[0] == 0
        assert run("helm", ["repo", "add", "mirror", url], env)[0] == 0
    _same(["search", "repo", *flags], env)


def test_search_warns_about_a_missing_cache(served, helm_env, tmp_path: Path) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    _same(["search", "repo"], env)  # no repositories configured
    assert run("helm", ["repo", "add", "local", url], env)[0] == 0
    assert run("helm", ["repo", "add", "gone", url], env)[0] == 0
    (tmp_path / "cache" / "gone-index.yaml").unlink()
    err = _same(["search", "repo", "demo"], env)[2]
    assert "repo is corrupt or missing" in err


def test_basic_auth_repository(served, helm_env, tmp_path: Path) -> None:
    _, folder = served
    with serve(folder, auth="alice:wonderland") as url:
        env = repo_env(helm_env, tmp_path)
        rc, _, err = _same(["repo", "add", "private", url], env)
        assert rc == 1 and "401 Unauthorized" in err
        rc, _, _ = _same(["repo", "add", "private", url, "--username", "alice",
                          "--password", "nope"], env)
        assert rc == 1
        _same_change(["repo", "add", "private", url, "--username", "alice"], env, tmp_path)
        assert _same_change(["repo", "add", "private", url, "--username", "alice",
                             "--password-stdin"], env, tmp_path, stdin="wonderland\n")[0] == 0
        assert _same_change(["repo", "update", "private"], env, tmp_path)[0] == 0


def test_https_repository_with_ca_file_or_insecure(served, helm_env, tmp_path: Path) -> None:
    from repokit import self_signed, serve_tls

    _, folder = served
    crt, key = self_signed(tmp_path)
    with serve_tls(folder, crt, key) as url:
        env = repo_env(helm_env, tmp_path / "r")
        rc, _, err = _same_change(["repo", "add", "tls", url], env, tmp_path / "r")
        assert rc == 1 and "x509: certificate signed by unknown authority" in err
        assert _same_change(["repo", "add", "tls", url, "--ca-file", str(crt)], env,
                            tmp_path / "r")[0] == 0
        assert _same_change(["repo", "add", "tls2", url, "--insecure-skip-tls-verify"], env,
                            tmp_path / "r")[0] == 0
        assert _same_change(["repo", "update"], env, tmp_path / "r", unordered=True)[0] == 0
        got = {}
        for tool in ("helm", "minihelm"):
            (tmp_path / tool).mkdir()
            got[tool] = (run(tool, ["pull", "tls/demo"], env, cwd=tmp_path / tool),
                         files(tmp_path / tool))
        assert got["minihelm"] == got["helm"] and got["helm"][0][0] == 0


def test_a_silent_server_fails_cleanly_and_in_bounded_time(helm_env, tmp_path: Path) -> None:
    import socket
    import time

    with socket.socket() as lsock:  # accepts connections, never answers
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(8)
        url = f"http://127.0.0.1:{lsock.getsockname()[1]}/"
        env = dict(repo_env(helm_env, tmp_path), MINIHELM_READ_TIMEOUT="1")
        start = time.monotonic()
        rc, out, err = run("minihelm", ["repo", "add", "silent", url], env)
        took = time.monotonic() - start
        # --timeout bounds each wait too
        start = time.monotonic()
        rc2, _, err2 = run("minihelm", ["repo", "add", "silent", url, "--timeout", "500ms"],
                           repo_env(helm_env, tmp_path))
        assert rc2 == 1 and err2.count("\n") == 1 and time.monotonic() - start < 10
    assert rc == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(f'Error: looks like "{url}" is not a valid chart repository or '
                          f'cannot be reached: Get "{url}index.yaml": ')
    assert took < 40
    assert not (tmp_path / "config" / "repositories.yaml").exists()


def test_debug_shows_the_exchange_without_secrets(served, helm_env, tmp_path: Path) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    secret_url = url.replace("http://", "http://user:hunter2@") + "?token=t0ps3cret"
    rc, out, err = run("minihelm", ["repo", "add", "dbg", secret_url, "--username", "me",
                                    "--password", "pa55word", "--debug"], env)
    assert rc == 0 and out == '"dbg" has been added to your repositories\n'
    assert "GET " in err and "index.yaml" in err and "-> 200" in err
    for secret in ("hunter2", "t0ps3cret", "pa55word"):
        assert secret not in err


def test_concurrent_adds_by_both_tools_keep_every_entry(served, helm_env, tmp_path: Path
                                                        ) -> None:
    # both take a flock on repositories.lock, so no add reads a file another is rewriting
    import subprocess
    import sys

    from ocikit import ROOT

    url, _ = served
    env = repo_env(helm_env, tmp_path)
    menv = dict(env, PYTHONPATH=str(ROOT / "src"))
    procs = []
    for i in range(4):
        procs.append(subprocess.Popen(["helm", "repo", "add", f"h{i}", url], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([sys.executable, "-m", "minihelm", "repo", "add", f"m{i}",
                                       url], env=menv, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    rc, out, _ = run("helm", ["repo", "list", "-o", "json"], env)
    import json

    assert rc == 0 and sorted(r["name"] for r in json.loads(out)) == sorted(
        [f"h{i}" for i in range(4)] + [f"m{i}" for i in range(4)])


def test_index_scalars_resolve_as_go_yaml_resolves_them(served, helm_env, tmp_path: Path
                                                        ) -> None:
    # YAML 1.1 corners where PyYAML and go-yaml v2 disagree, and helm's own rule that a
    # chart's metadata fields (behind ChartVersion's embedded *Metadata) take no numbers
    url, folder = served
    env = repo_env(helm_env, tmp_path)
    base = "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
    for i, extra in enumerate(["    appVersion: 12:30\n", "    description: 1e3\n",
                               "    appVersion: 1.10\n", "    keywords: [yes]\n",
                               "    digest: 12\n    urls: [1_000]\n",
                               "    maintainers:\n    - name: 5\n",
                               "  y:\n  - name: y\n    version: 0.1.0\n"]):
        (folder / f"odd{i}").mkdir(exist_ok=True)
        (folder / f"odd{i}" / "index.yaml").write_text(base + extra)
        _same_change(["repo", "add", f"odd{i}", f"{url}odd{i}/"], env, tmp_path)
    for flags in (["-o", "json"], ["-o", "yaml"], []):
        _same(["search", "repo", *flags], env)


def test_hostile_servers_fail_cleanly_and_leave_nothing(served, helm_env, tmp_path: Path
                                                        ) -> None:
    url, _ = served
    env = repo_env(helm_env, tmp_path)
    # a redirect loop is cut off after a bounded number of hops
    rc, out, err = run("minihelm", ["repo", "add", "loop", f"{url}loop/"], env)
    assert rc == 1 and out == "" and err.count("\n") == 1 and "redirects" in err
    # an index larger than the limit is refused while it is read
    small = dict(env, MINIHELM_MAX_INDEX_BYTES="64")
    rc, out, err = run("minihelm", ["repo", "add", "big", url], small)
    assert rc == 1 and err.count("\n") == 1 and "more than the limit of 64 bytes" in err
    assert not (tmp_path / "config" / "repositories.yaml").exists()
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
