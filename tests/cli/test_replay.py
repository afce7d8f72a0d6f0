"""replay.py through the console-script entry: which runs are replayed, and what spoils an entry."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Runs minihelm's console-script entry point, then reports on stderr how the run was
# served: "cli" (typer imported), "rendered" (the engine without typer: a remembered
# request, or argv read by templateargs), or "replayed" (a stored output: neither).  `template` leaves through launch._leave
# (os._exit), so the report is made on the way out there too.
LAUNCH = (
    "import sys; sys.argv[0] = 'minihelm'\n"
    "import minihelm.cli.launch as L\n"
    "def report():\n"
    "    mode = 'cli' if 'typer' in sys.modules else 'rendered' if 'minihelm.engine.run' in sys.modules "
    "else 'replayed'\n"
    "    sys.stderr.write(f'\\nMODE={mode}\\n')\n"
    "real_leave = L._leave\n"
    "def leave(code=0):\n"
    "    report(); real_leave(code)\n"
    "L._leave = leave\n"
    "try:\n    L.main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
    "sys.stdout.flush()\n"
    "report()\n"
    "sys.exit(code)\n"
)


def launch(args: list[str], cwd: Path, cache: Path, stdin: str | None = None,
           ) -> tuple[int, str, str]:
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(cache)}
    p = subprocess.run([sys.executable, "-c", LAUNCH, *args], cwd=cwd, env=env, input=stdin,
                       capture_output=True, text=True, timeout=120, check=False)
    mode = p.stderr.rsplit("MODE=", 1)[-1].strip()
    return p.returncode, p.stdout, mode


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    c = tmp_path / "c"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (c / "values.yaml").write_text("port: 80\n")
    (c / "templates" / "svc.yaml").write_text(
        "kind: Service\nmetadata:\n  name: {{ .Release.Name }}\nport: {{ .Values.port }}\n")
    return c


def test_second_identical_run_is_replayed_without_importing_the_cli(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = launch(["template", "r", str(chart)], tmp_path, cache)
    second = launch(["template", "r", str(chart)], tmp_path, cache)
    assert first[2] == "rendered" and second[2] == "replayed"
    assert first[0] == second[0] == 0
    assert second[1] == first[1]
    assert "port: 80" in second[1]


def test_changed_added_and_removed_inputs_render_again(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["template", "r", str(chart)]
    launch(args, tmp_path, cache)
    (chart / "values.yaml").write_text("port: 81\n")
    changed = launch(args, tmp_path, cache)
    assert changed[2] == "rendered" and "port: 81" in changed[1]
    (chart / "templates" / "cm.yaml").write_text("kind: ConfigMap\n")
    added = launch(args, tmp_path, cache)
    assert added[2] == "rendered" and "kind: ConfigMap" in added[1]
    (chart / "templates" / "cm.yaml").unlink()
    removed = launch(args, tmp_path, cache)
    assert removed[2] == "rendered" and "ConfigMap" not in removed[1]
    assert launch(args, tmp_path, cache)[2] == "replayed"


def test_values_file_outside_the_chart_is_an_input(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    vf = tmp_path / "prod.yaml"
    vf.write_text("port: 9\n")
    args = ["template", "r", str(chart), "-f", str(vf)]
    launch(args, tmp_path, cache)
    vf.write_text("port: 10\n")
    again = launch(args, tmp_path, cache)
    assert again[2] == "rendered" and "port: 10" in again[1]


def test_flags_and_working_directory_are_part_of_the_key(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    launch(["template", "r", str(chart)], tmp_path, cache)
    other = launch(["template", "s", str(chart)], tmp_path, cache)
    assert other[2] == "rendered" and "name: s" in other[1]
    elsewhere = launch(["template", "r", str(chart)], chart, cache)
    assert elsewhere[2] == "rendered"


def test_non_hermetic_functions_are_never_replayed(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (chart / "templates" / "secret.yaml").write_text("kind: Secret\npw: {{ randAlphaNum 20 }}\n")
    args = ["template", "r", str(chart)]
    runs = [launch(args, tmp_path, cache) for _ in range(3)]
    # every run renders afresh (no typer: templateargs, then the remembered request)
    assert [r[2] for r in runs] == ["rendered", "rendered", "rendered"]
    assert len({r[1] for r in runs}) == 3  # a fresh password each time, as helm does


def _volatile_run(chart: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """A chart with a random password, rendered once: (cache folder, argv)."""
    cache = tmp_path / "cache"
    (chart / "templates" / "secret.yaml").write_text("pw: {{ randAlphaNum 20 }}\n")
    args = ["template", "r", str(chart)]
    launch(args, tmp_path, cache)
    return cache, args


def test_a_remembered_request_that_now_fails_reports_as_the_cli_would(
        chart: Path, tmp_path: Path) -> None:
    # the failing render is reported where it ran, in the CLI's words, not rendered again
    # under typer; with --debug (a traceback) the CLI runs it
    cache, args = _volatile_run(chart, tmp_path)
    (chart / "templates" / "secret.yaml").write_text("pw: {{ fail \"broken\" }}\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(cache)}
    line = "Error: execution error at (c/templates/secret.yaml:1:7): broken\n"
    p = subprocess.run([sys.executable, "-c", LAUNCH, *args], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr == line + "\nMODE=rendered\n"
    typer_cli = "import sys; sys.argv[0] = 'minihelm'; from minihelm.cli.main import main; main()"
    cli = subprocess.run([sys.executable, "-c", typer_cli, *args],
                         cwd=tmp_path, env={**env, "MINIHELM_REPLAY": "0"},
                         capture_output=True, text=True, timeout=120, check=False)
    assert (cli.returncode, cli.stderr) == (1, line)
    p = subprocess.run([sys.executable, "-c", LAUNCH, *args, "--debug"], cwd=tmp_path,
                       env=env, capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 1 and p.stderr.rstrip().endswith("MODE=cli")


def test_a_hermetic_run_after_a_request_replay_stores_its_output(
        chart: Path, tmp_path: Path) -> None:
    cache, args = _volatile_run(chart, tmp_path)
    (chart / "templates" / "secret.yaml").unlink()
    assert launch(args, tmp_path, cache)[2] == "rendered"
    assert launch(args, tmp_path, cache)[2] == "replayed"


def test_no_cache_and_failures_store_nothing(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert launch(["template", "r", str(chart), "--no-cache"], tmp_path, cache)[0] == 0
    (chart / "templates" / "bad.yaml").write_text("{{ fail \"no\" }}\n")
    failed = launch(["template", "r", str(chart)], tmp_path, cache)
    assert failed[0] == 1
    assert not (cache / "replay").exists()


def test_stdin_values_replay_the_request_and_read_stdin_again(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["template", "r", str(chart), "-f", "-"]
    launch(args, tmp_path, cache, stdin="port: 5\n")
    again = launch(args, tmp_path, cache, stdin="port: 6\n")
    assert again[2] == "rendered" and "port: 6" in again[1]


def test_a_corrupt_entry_is_a_miss_and_is_rewritten(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["template", "r", str(chart)]
    first = launch(args, tmp_path, cache)
    [entry] = (cache / "replay").glob("*")
    entry.write_bytes(b"\x00garbage")
    healed = launch(args, tmp_path, cache)
    assert healed[2] == "rendered" and healed[1] == first[1]
    assert launch(args, tmp_path, cache)[2] == "replayed"
    entry.write_bytes(entry.read_bytes()[:-3])  # a stored stdout cut short is never written
    cut = launch(args, tmp_path, cache)
    assert cut[2] == "rendered" and cut[1] == first[1]


def test_a_retargeted_symlink_is_a_miss(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (chart / "a.txt").write_text("A")
    (chart / "b.txt").write_text("B")
    (chart / "link.txt").symlink_to("a.txt")
    (chart / "templates" / "f.yaml").write_text("data: {{ .Files.Get \"link.txt\" }}\n")
    args = ["template", "r", str(chart)]
    assert "data: A" in launch(args, tmp_path, cache)[1]
    (chart / "link.txt").unlink()
    (chart / "link.txt").symlink_to("b.txt")
    again = launch(args, tmp_path, cache)
    assert again[2] == "rendered" and "data: B" in again[1]


def test_minihelm_replay_0_turns_it_off(chart: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIHELM_REPLAY", "0")
    cache = tmp_path / "cache"
    runs = [launch(["template", "r", str(chart)], tmp_path, cache) for _ in range(2)]
    assert [r[2] for r in runs] == ["rendered", "rendered"] and runs[0][1] == runs[1][1]
    assert not (cache / "replay").exists()


def test_set_file_contents_are_an_input(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (chart / "templates" / "f.yaml").write_text("body: {{ .Values.body | quote }}\n")
    body = tmp_path / "body.txt"
    body.write_text("one")
    args = ["template", "r", str(chart), "--set-file", f"body={body}"]
    assert 'body: "one"' in launch(args, tmp_path, cache)[1]
    assert launch(args, tmp_path, cache)[2] == "replayed"
    body.write_text("two")
    again = launch(args, tmp_path, cache)
    assert again[2] == "rendered" and 'body: "two"' in again[1]


def test_a_chart_archive_is_an_input(chart: Path, tmp_path: Path) -> None:
    import tarfile

    cache = tmp_path / "cache"
    tgz = tmp_path / "c-0.1.0.tgz"

    def pack(port: int) -> None:
        (chart / "values.yaml").write_text(f"port: {port}\n")
        with tarfile.open(tgz, "w:gz") as tf:
            tf.add(chart, arcname="c")

    pack(1)
    args = ["template", "r", str(tgz)]
    assert "port: 1" in launch(args, tmp_path, cache)[1]
    assert launch(args, tmp_path, cache)[2] == "replayed"
    pack(2)
    again = launch(args, tmp_path, cache)
    assert again[2] == "rendered" and "port: 2" in again[1]


def test_python_dash_m_minihelm_goes_through_the_launcher(chart: Path, tmp_path: Path) -> None:
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-m", "minihelm", "template", "r", str(chart)],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                           check=False) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and "port: 80" in runs[0].stdout
    assert len(list((tmp_path / "cache" / "replay").glob("*"))) == 1


def test_an_unchanged_stat_spares_the_read_unless_racily_recent(tmp_path: Path) -> None:
    import time

    from minihelm.cli import replay

    f = tmp_path / "values.yaml"
    f.write_text("a: 1\n")
    sig = replay._signature(os.stat(f))
    wrong = (replay._digest(b"something else"), sig)  # the digest would not match
    later = time.time_ns() + 10**10
    assert replay._unchanged("f", str(f), wrong, later)  # stat matches: bytes not read
    assert not replay._unchanged("f", str(f), wrong, 0)  # ctime too recent: bytes hashed
    right = (replay._digest(b"a: 1\n"), sig)
    assert replay._unchanged("f", str(f), right, 0)
    time.sleep(0.01)
    f.write_text("a: 2\n")  # same size, new ctime and mtime: read again, and it differs
    assert not replay._unchanged("f", str(f), right, later)


# Like LAUNCH, and lists on stderr the top-level templates the run executed.
TRACE = (
    "import sys; sys.argv[0] = 'minihelm'\n"
    "from minihelm.cli import replay\n"
    "done = replay._Recording.template_done\n"
    "def traced(self, name, text, before):\n"
    "    sys.stderr.write('RAN ' + name + '\\n'); done(self, name, text, before)\n"
    "replay._Recording.template_done = traced\n"
    "from minihelm.cli.launch import main\n"
    "main()\n"
)


def _ran(args: list[str], cwd: Path, cache: Path) -> tuple[str, list[str]]:
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(cache)}
    p = subprocess.run([sys.executable, "-c", TRACE, *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120, check=True)
    return p.stdout, sorted(ln[4:] for ln in p.stderr.splitlines() if ln.startswith("RAN "))


def test_a_volatile_run_replays_its_hermetic_templates(chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (chart / "templates" / "secret.yaml").write_text(
        "kind: Secret\npw: {{ randAlphaNum 12 }}\nport: {{ .Values.port }}\n")
    args = ["template", "r", str(chart)]
    first, ran_first = _ran(args, tmp_path, cache)
    second, ran_second = _ran(args, tmp_path, cache)
    assert ran_first == ["c/templates/secret.yaml", "c/templates/svc.yaml"]
    assert ran_second == ["c/templates/secret.yaml"]  # the Service comes from the entry
    assert second.split("kind: Secret")[0] == first.split("kind: Secret")[0]
    assert first != second and "port: 80" in second.split("kind: Secret")[1]
    (chart / "values.yaml").write_text("port: 81\n")  # an input changed: everything runs
    third, ran_third = _ran(args, tmp_path, cache)
    assert ran_third == ran_first and third.count("port: 81") == 2


def test_a_run_that_changes_shared_maps_keeps_no_template_outputs(
        chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # bitnami's pattern: a generated password stored in .Values for later templates
    # (helm runs templates in reverse lexical order: z-secret before a-user)
    (chart / "templates" / "z-secret.yaml").write_text(
        "{{- $_ := set .Values \"pw\" (randAlphaNum 12) -}}\nkind: Secret\npw: {{ .Values.pw }}\n")
    (chart / "templates" / "a-user.yaml").write_text("kind: ConfigMap\npw: {{ .Values.pw }}\n")
    args = ["template", "r", str(chart)]
    _ran(args, tmp_path, cache)
    out, ran = _ran(args, tmp_path, cache)
    assert ran == ["c/templates/a-user.yaml", "c/templates/svc.yaml",
                   "c/templates/z-secret.yaml"]
    pws = [ln for ln in out.splitlines() if ln.startswith("pw: ")]
    assert len(pws) == 2 and pws[0] == pws[1]  # both templates see the same new password


def test_a_replay_that_changes_shared_maps_before_a_reused_output_is_rendered_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm import api
    from minihelm.cli import replay

    calls: list[object] = []

    def fake_template(req: object) -> str:
        rec = replay.session()
        assert rec is not None
        calls.append(rec.reusing)
        if rec.reusing is not None:
            rec.mutated = True  # as if a volatile template ran `set .Values ...`
            rec.reused("c/templates/x.yaml")  # ... before a template whose output is kept
            return "partial\n"
        return "whole\n"

    monkeypatch.setattr(api, "template", fake_template)
    monkeypatch.setattr(replay, "finish", lambda out: None)
    written: list[str] = []
    monkeypatch.setattr(sys.stdout, "write", written.append)
    entry = replay.Entry({"chart": "c"}, [], texts={"c/templates/x.yaml": "x"})
    assert replay._run_request(["template", "c"], entry) == 0
    assert calls == [{"c/templates/x.yaml": "x"}, None] and written == ["whole\n"]


def test_outputs_before_the_first_change_to_shared_maps_are_reused(
        chart: Path, tmp_path: Path) -> None:
    # helm runs same-depth templates in reverse name order: z.yaml (hermetic) first,
    # then m.yaml, which stores a password in .Values (as bitnami charts do), then
    # a.yaml, which prints it.
    cache = tmp_path / "cache"
    (chart / "templates" / "z.yaml").write_text("kind: Z\nport: {{ .Values.port }}\n")
    (chart / "templates" / "m.yaml").write_text(
        "{{- $_ := set .Values \"pw\" (randAlphaNum 12) }}kind: M\npw: {{ .Values.pw }}\n")
    (chart / "templates" / "a.yaml").write_text("kind: A\nsame: {{ .Values.pw }}\n")
    args = ["template", "r", str(chart)]
    runs = [launch(args, tmp_path, cache) for _ in range(3)]
    pws = [re.findall(r"(?:pw|same): (\w+)", r[1]) for r in runs]
    assert all(len(p) == 2 and p[0] == p[1] for p in pws)  # a.yaml saw what m.yaml stored
    assert len({p[0] for p in pws}) == 3  # a fresh one every run
    assert all("kind: Z\nport: 80" in r[1] for r in runs)
    entry = next((cache / "replay").iterdir()).read_bytes()
    header = marshal.loads(entry[4:4 + int.from_bytes(entry[:4], "little")])
    assert sorted(header[3]) == ["c/templates/svc.yaml", "c/templates/z.yaml"]  # texts kept


# Like LAUNCH, and says on stderr whether the chart loader ran or a values file was read.
LOADER = (
    "import sys; sys.argv[0] = 'minihelm'\n"
    "import minihelm.chart.loader as L, minihelm.values.layers as V\n"
    "real, read = L.load_chart, V.read_values_file\n"
    "def traced(path, **kw):\n"
    "    sys.stderr.write('LOADED\\n'); return real(path, **kw)\n"
    "def traced_read(path):\n"
    "    sys.stderr.write('READ\\n'); return read(path)\n"
    "L.load_chart, V.read_values_file = traced, traced_read\n"
    "from minihelm.cli.launch import main\n"
    "main()\n"
)


def test_a_replay_with_unchanged_inputs_reuses_the_prepared_chart_and_values(
        chart: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (chart / "templates" / "secret.yaml").write_text("pw: {{ randAlphaNum 12 }}\n")
    (tmp_path / "extra.yaml").write_text("name: extra\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(cache)}
    args = ["template", "r", str(chart), "-f", "extra.yaml"]

    def run() -> tuple[str, bool]:
        p = subprocess.run([sys.executable, "-c", LOADER, *args], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120, check=True)
        assert ("LOADED" in p.stderr) == ("READ" in p.stderr)  # both prepared, or neither
        return p.stdout, "LOADED" in p.stderr

    first, loaded_first = run()
    second, loaded_second = run()
    assert loaded_first and not loaded_second
    assert "port: 80" in second and first != second  # a fresh password, the same Service
    (chart / "values.yaml").write_text("port: 82\n")
    third, loaded_third = run()
    assert loaded_third and "port: 82" in third
    (tmp_path / "extra.yaml").write_text("name: other\n")  # a -f file is an input too
    assert run()[1]


def test_a_state_that_cannot_be_pickled_is_simply_prepared_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.cli import replay

    replay.arm(["template", "c"])
    replay.begin({"chart": "c", "use_cache": True})
    rec = replay.session()
    assert rec is not None
    rec.output_ok = True

    class Unpicklable:
        def __reduce__(self) -> object:
            raise RecursionError("too deep")

    rec.note_state(Unpicklable())
    assert rec.state is None
    rec.state = b"not a pickle"
    assert rec.stored_state() is None
    from minihelm._core.recorder import install

    install(None)


def test_the_replay_folder_is_kept_under_its_cap(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from minihelm.cli import replay

    folder = tmp_path / "replay"
    folder.mkdir()
    for i in range(10):
        f = folder / f"entry{i}"
        f.write_bytes(b"x" * 100)
        os.utime(f, ns=(i * 10**9, i * 10**9))  # entry0 is the oldest
    monkeypatch.setattr(replay, "MAX_REPLAY_BYTES", 2000)
    replay._prune(str(folder))
    assert len(list(folder.iterdir())) == 10  # under the cap: nothing goes
    monkeypatch.setattr(replay, "MAX_REPLAY_BYTES", 800)
    replay._prune(str(folder))
    assert sorted(p.name for p in folder.iterdir()) == [f"entry{i}" for i in range(4, 10)]


def test_a_replay_exits_at_once_with_all_its_output_written(chart: Path, tmp_path: Path) -> None:
    """launch._leave skips interpreter teardown (os._exit): stdout must be complete first,
    and a reader that stops early must not cause a traceback."""
    from minihelm.cli import replay as replay_module

    (chart / "templates" / "big.yaml").write_text(
        "kind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
        "{{- range $i := until 25000 }}\n  k{{ $i }}: {{ repeat 40 \"x\" | quote }}{{ end }}\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "minihelm", "template", "r", str(chart)]
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=120,
                           check=True).stdout
    second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=120,
                            check=True).stdout
    assert len(first) > replay_module._MAP_FROM and second == first  # a mapped entry
    p = subprocess.run(f"{' '.join(cmd)} | head -c 10", shell=True, cwd=tmp_path, env=env,
                       capture_output=True, timeout=120, check=False)
    assert p.stdout == first[:10] and b"Traceback" not in p.stderr


# Like LAUNCH; says on stderr which templates' documents had their heads read from YAML.
HEADS = (
    "import sys; sys.argv[0] = 'minihelm'\n"
    "import minihelm.render.manifests as M, minihelm.cli.launch as L\n"
    "real = M._head\n"
    "def traced(path, doc):\n"
    "    sys.stderr.write(f'HEADS {path}\\n')\n"
    "    return real(path, doc)\n"
    "M._head = traced\n"
    "L.main()\n"
)


def test_a_partial_replay_keeps_the_heads_of_the_outputs_it_reuses(
        chart: Path, tmp_path: Path) -> None:
    (chart / "templates" / "secret.yaml").write_text(
        "kind: Secret\nmetadata:\n  name: s\ndata:\n  pw: {{ randAlphaNum 12 | b64enc }}\n")
    env = {**os.environ, "MINIHELM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-c", HEADS, "template", "r", str(chart)]

    def run() -> tuple[str, list[str]]:
        p = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120, check=True)
        return p.stdout, sorted(line.split()[1] for line in p.stderr.splitlines()
                                if line.startswith("HEADS "))

    first, looked_up = run()
    assert looked_up == ["c/templates/secret.yaml", "c/templates/svc.yaml"]
    second, looked_up = run()
    assert looked_up == ["c/templates/secret.yaml"]  # the Service's heads came with its text
    assert second.index("kind: Secret") < second.index("kind: Service")  # still sorted by kind
    assert second.replace(second.split("pw: ")[1], "") == first.replace(first.split("pw: ")[1], "")


def test_a_replay_leaves_its_entry_as_it_is(chart: Path, tmp_path: Path) -> None:
    """A chart that stores a fresh password in .Values renders whole on every run; its
    replays reuse the prepared state without writing the entry again."""
    (chart / "templates" / "secret.yaml").write_text(
        "{{- $_ := set .Values \"pw\" (randAlphaNum 12) }}pw: {{ .Values.pw }}\n")
    cache = tmp_path / "cache"
    args = ["template", "r", str(chart)]
    first = launch(args, tmp_path, cache)
    [entry] = (cache / "replay").glob("*")
    written = entry.stat().st_mtime_ns
    second = launch(args, tmp_path, cache)
    assert first[0] == second[0] == 0 and second[2] == "rendered"
    assert first[1] != second[1]  # a fresh password each time, as helm prints
    assert entry.stat().st_mtime_ns == written
