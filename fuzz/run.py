"""Run every fuzz target for a fixed budget: atheris when installed, else a pure-Python driver.

    python fuzz/run.py --seconds 5                 # each target 5 s, best engine available
    python fuzz/run.py --engine random --target strvals --seconds 20
    python fuzz/run.py --engine atheris            # libFuzzer via atheris (needs the wheel)

A finding (an exception other than MinihelmError, or one input running past
--input-timeout) is written to fuzz/regressions/<target>/crash-<sha1>; the
exit status is 1 when anything was found.  The random driver mutates a small
built-in seed corpus (bit flips, byte inserts and deletes, chunk repeats,
splices of format tokens), deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import random
import subprocess
import sys
import tarfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from targets import PGP_SEED_KEY, PGP_SEED_PROV, TARGETS, run_one

REGRESSIONS = HERE / "regressions"


def _tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in files.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


SEEDS: dict[str, list[bytes]] = {
    "template": [b'a: {{ .Values.x | default "y" | quote }}\n',
                 b'{{- define "n" -}}{{ include "n" . }}{{- end }}{{ range $i, $e := .L }}{{ $i }}{{ else }}x{{ end }}',
                 b'{{ if and (eq 1 2) (not .A) }}{{ printf "%d" 3 }}{{ else if .B }}{{ with .C }}{{ . }}{{ end }}{{ end }}',
                 b"{{/* c */}}{{ 0x1F }} {{ 1e3 }} {{ 'a' }} {{ `raw` }} {{ $x := 1 }}{{ $x = 2 }}"],
    "strvals": [b"a.b=c,d[0]=1,e={x,y}", b'a=[1,{"b":2}]', b"a\\.b=c\\,d,n[2].m=null",
                b"x=true,y=0,z=-0x1"],
    "helmignore": [b"# c\n*.tgz\n!keep.tgz\n/templates/\n**/x\na/[a-c]?.y\n\\#x\n"],
    "archive": [_tgz({"c/Chart.yaml": b"apiVersion: v2\nname: c\nversion: 0.1.0\n",
                      "c/values.yaml": b"a: 1\n", "c/templates/t.yaml": b"a: {{ .Values.a }}\n",
                      "c/charts/s/Chart.yaml": b"apiVersion: v2\nname: s\nversion: 1.0.0\n"})],
    "index": [(b"apiVersion: v1\nentries:\n  c:\n  - name: c\n    version: 0.1.0\n    urls: [c-0.1.0.tgz]\n"
              b"    created: 2024-01-01T00:00:00Z\n    digest: abc\ngenerated: 2024-01-01T00:00:00Z\n")],
    "values_yaml": [b"a: &x {b: [1, 2.5, yes, ~]}\nc: *x\n<<: {d: 1}\n---\ne: !!binary aGk=\n",
                    b"a:\n  - |\n    text\n  - 'q'\n  - 1e+06\nb: 0o17\n"],
}
SEEDS.update(
    keyring=[PGP_SEED_KEY, ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
                            + base64.b64encode(PGP_SEED_KEY).decode() + "\n"
                            "-----END PGP PUBLIC KEY BLOCK-----\n").encode()],
    provenance=[PGP_SEED_PROV],
)

TOKENS: dict[str, list[bytes]] = {
    "template": [b"{{", b"}}", b"{{-", b"-}}", b"(", b")", b"|", b"$x", b":=", b"end", b"range",
                 b"define", b"template", b"block", b'"', b"`", b"/*", b"*/", b".", b"nil", b"else"],
    "strvals": [b"[", b"]", b"=", b",", b".", b"{", b"}", b"\\", b"65536", b"-1", b'"', b"null"],
    "helmignore": [b"*", b"**", b"!", b"/", b"[", b"]", b"\\", b"\n", b"?", b"^"],
    "archive": [b"\x00" * 512, b"../", b"/", b"\\", b"C:", b"Chart.yaml"],
    "index": [b"&a", b"*a", b"[", b"{", b"!!", b"\n  ", b"- ", b": ", b"entries", b"~"],
    "values_yaml": [b"&a ", b"*a", b"<<: ", b"[", b"{", b"!!str ", b"!!binary ", b"\n  ", b"- ",
                    b": ", b"? ", b"---\n", b"%YAML 1.1\n", b"\t", b'"\\u'],
}
TOKENS.update(
    keyring=[b"\x99", b"\xc2", b"\xb4", b"\xff\xff", b"\x04", b"-----BEGIN ", b"=", b"\n"],
    provenance=[b"\n- ", b"-----BEGIN PGP SIGNATURE-----\n", b"\n...\n", b"Hash: ", b"=",
                b"sha256:", b"\r\n"],
)


def mutate(rng: random.Random, data: bytes, tokens: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        pos = rng.randint(0, len(b))
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif op == 2 and b:
            del b[pos:pos + rng.randint(1, 16)]
        elif op == 3 and b:
            start = rng.randrange(len(b))
            chunk = b[start:start + rng.randint(1, 32)]
            b[pos:pos] = chunk * rng.randint(1, 8)
        else:
            b[pos:pos] = rng.choice(tokens)
    return bytes(b[: 1 << 16])


def save_finding(target: str, data: bytes) -> Path:
    folder = REGRESSIONS / target
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{hashlib.sha1(data).hexdigest()[:16]}"
    path.write_bytes(data)
    return path


def random_fuzz(target: str, seconds: float, seed: int = 0, input_timeout: float = 2.0,
                save: bool = True) -> list[tuple[bytes, str]]:
    """Mutate the seeds for `seconds`; return the findings (input, traceback text)."""
    rng = random.Random(seed)
    corpus = list(SEEDS[target])
    findings: list[tuple[bytes, str]] = []
    end = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < end:
        data = mutate(rng, rng.choice(corpus), TOKENS[target])
        t0 = time.monotonic()
        try:
            run_one(target, data)
        except Exception:  # noqa: BLE001  every other exception is a finding
            findings.append((data, traceback.format_exc()))
        else:
            if rng.random() < 0.05 and len(corpus) < 256:
                corpus.append(data)  # keep some valid-ish inputs to mutate further
        if time.monotonic() - t0 > input_timeout:
            findings.append((data, f"slow input: {time.monotonic() - t0:.1f}s"))
        runs += 1
    if save:
        for data, _ in findings:
            save_finding(target, data)
    print(f"{target}: {runs} runs, {len(findings)} findings", file=sys.stderr)
    return findings


def atheris_fuzz(target: str, seconds: float) -> int:
    """One libFuzzer session in a child process (atheris.Fuzz never returns)."""
    folder = REGRESSIONS / target
    folder.mkdir(parents=True, exist_ok=True)
    seeds = HERE / ".corpus" / target
    seeds.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(SEEDS[target]):
        (seeds / f"seed{i}").write_bytes(s)
    code = ("import sys, atheris\n"
            f"sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent / 'src')!r}]\n"
            "with atheris.instrument_imports():\n"
            "    import minihelm, targets\n"
            f"def one(data):\n    targets.run_one({target!r}, data)\n"
            "atheris.Setup(sys.argv, one)\natheris.Fuzz()\n")
    argv = [sys.executable, "-c", code, f"-max_total_time={int(seconds)}", "-timeout=5",
            "-rss_limit_mb=1024", f"-artifact_prefix={folder}/", str(seeds)]
    return subprocess.run(argv, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0, help="budget per target")
    ap.add_argument("--target", action="append", choices=sorted(TARGETS))
    ap.add_argument("--engine", choices=["auto", "atheris", "random"], default="auto")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "0")))
    args = ap.parse_args(argv)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "random"
    found = False
    for t in args.target or sorted(TARGETS):
        if engine == "atheris":
            found |= atheris_fuzz(t, args.seconds) != 0
        else:
            found |= bool(random_fuzz(t, args.seconds, args.seed))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
