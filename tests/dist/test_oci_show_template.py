"""`show …` and `template NAME oci://…` read charts helm pushed, as helm does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mhtest import ROOT, needs_helm
from ocikit import both, run

CHARTS = Path(__file__).resolve().parent / "charts"


@pytest.fixture(scope="module")
def pushed(registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    """demo and rich, packaged and pushed by helm under `shown/`."""
    if shutil.which("helm") is None:
        pytest.skip("helm not installed")
    out = tmp_path_factory.mktemp("shown")
    env = dict(os.environ)
    for src in (ROOT / "charts" / "demo", CHARTS / "rich"):
        assert run("helm", ["package", str(src), "-d", str(out)], env)[0] == 0
    for tgz in out.glob("*.tgz"):
        code, _, err = run("helm", ["push", str(tgz), f"oci://{registry.host}/shown",
                                    "--plain-http"], env)
        assert code == 0, err
    return f"oci://{registry.host}/shown"


@needs_helm
@pytest.mark.parametrize("argv", [
    ["show", "chart", "{base}/rich"],
    ["show", "values", "{base}/demo"],
    ["show", "readme", "{base}/rich"],
    ["show", "all", "{base}/demo", "--version", "^1"],
    ["show", "chart", "{base}/missing"],
    ["template", "web", "{base}/demo"],
    ["template", "web", "{base}/demo", "--set", "container.port=9999", "-n", "prod"],
    ["template", "{base}/demo", "--version", "1.0.1"],
    ["template", "web", "{base}/demo", "--version", "^5"],
])
def test_show_and_template_match_helm(pushed, helm_env, argv):
    argv = [a.format(base=pushed) for a in argv] + ["--plain-http"]
    h, m = both(argv, helm_env)
    assert m == h
    if "missing" not in argv[2] and "^5" not in argv:
        assert h[0] == 0 and "Pulled: " in h[2]


@needs_helm
def test_lint_takes_oci_as_a_path_like_helm(pushed, helm_env):
    # helm 4.1.4's lint does not pull: it stats <ref>/Chart.yaml with the path cleaned
    h, m = both(["lint", f"{pushed}/demo"], helm_env)
    assert h[0] == 1
    assert m == h


def test_the_fast_template_path_leaves_oci_charts_to_the_cli():
    from minihelm.cli.templateargs import template_fields

    assert template_fields(["web", "oci://127.0.0.1:5000/c/demo", "--plain-http"]) is None
    fields = template_fields(["web", "./demo", "--plain-http", "--version", "1.0.0"])
    assert fields is not None and fields["chart"] == "./demo"
