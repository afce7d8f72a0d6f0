"""The certificate and key functions print nothing on stderr, as helm's do (issue 15).

cryptography 51 deprecates DSA and warns on any use of its DSA names, isinstance
checks included; every gen* call passes through one.  The chart below calls each
gen* function, and the CLI runs in a fresh interpreter with `-W error`, so any
warning of any kind becomes a failure instead of a line on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mhtest import ROOT

TEMPLATE = """\
{{- $ca := genCA "ca" 30 }}
{{- $rsa := genPrivateKey "rsa" }}
{{- $ec := genPrivateKey "ecdsa" }}
a: {{ genPrivateKey "dsa" | len | ne 0 }}
b: {{ genPrivateKey "ed25519" | len | ne 0 }}
c: {{ $rsa | len | ne 0 }}
d: {{ (genCAWithKey "ca2" 30 $ec).Cert | len | ne 0 }}
e: {{ (genSelfSignedCert "s" (list "10.0.0.1") (list "a.example") 30).Cert | len | ne 0 }}
f: {{ (genSelfSignedCertWithKey "s" nil nil 30 $rsa).Key | len | ne 0 }}
g: {{ (genSignedCert "x" nil (list "x.example") 30 $ca).Cert | len | ne 0 }}
h: {{ (genSignedCertWithKey "x" nil nil 30 $ca $ec).Cert | len | ne 0 }}
i: {{ (buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc)).Cert | len | ne 0 }}
"""


def test_every_gen_function_under_warnings_as_errors(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "t.yaml").write_text(TEMPLATE)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = subprocess.run([sys.executable, "-W", "error", "-m", "minihelm", "template", str(chart)],
                       check=False, capture_output=True, text=True, env=env, timeout=300)
    assert (p.returncode, p.stderr) == (0, ""), p.stderr
    body = p.stdout.split("\n", 2)[2]
    assert body == "".join(f"{k}: true\n" for k in "abcdefghi")
