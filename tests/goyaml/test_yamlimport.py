"""yamlimport pre-fills PyYAML's reader pattern with a cheaper spelling of the same set."""

from __future__ import annotations

import re
import subprocess
import sys

from minihelm.goyaml.yamlimport import NON_PRINTABLE, PYYAML_NON_PRINTABLE


def test_the_prefilled_pattern_matches_exactly_what_pyyaml_wrote() -> None:
    theirs, ours = re.compile(PYYAML_NON_PRINTABLE), re.compile(NON_PRINTABLE)
    wrong = [cp for cp in range(0x110000)
             if bool(theirs.match(chr(cp))) != bool(ours.match(chr(cp)))]
    assert wrong == []


def test_pyyaml_still_writes_the_pattern_we_prefill() -> None:
    # A fresh interpreter: PyYAML imported through yamlimport gets the prefilled
    # pattern, which only happens while PyYAML's own text is the one we know.
    code = ("import minihelm.goyaml.yamlimport as y, yaml.reader as r; "
            "print(r.Reader.NON_PRINTABLE.pattern == y.NON_PRINTABLE)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
