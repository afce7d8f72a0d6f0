"""Environments: `--env NAME` is exactly `-f <chart>/<NAME's values file>`, checked against helm."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from clirun import run_cli

from minihelm import api
from minihelm.errors import UsageError
from minihelm.values.envs import env_values_file, environment_files, environments

ROOT = Path(__file__).resolve().parent.parent.parent
needs_helm = pytest.mark.skipif(shutil.which("helm") is None, reason="helm not installed")
DEMO = ROOT / "charts" / "demo"


def helm_template(*args: str) -> str:
    return subprocess.run(["helm", "template", *args], capture_output=True, text=True,
                          check=True).stdout


def minihelm_template(*args: str) -> str:
    code, out, err = run_cli(["template", *args])
    assert code == 0, err
    return out


@needs_helm
@pytest.mark.parametrize("env", ["staging", "production"])
def test_env_equals_helm_with_the_env_file(env: str) -> None:
    expected = helm_template(str(DEMO), "-f", str(DEMO / f"{env}_values.yaml"))
    assert f"environment: {env}" in expected
    assert minihelm_template(str(DEMO), "--env", env) == expected
    assert minihelm_template(str(DEMO), "-f", str(DEMO / f"{env}_values.yaml")) == expected


@needs_helm
def test_env_file_comes_before_f_files(tmp_path: Path) -> None:
    # --env is layered first, so a -f file overrides it, as a later -f does in helm.
    extra = tmp_path / "extra.yaml"
    extra.write_text("replicas: 5\n")
    expected = helm_template(str(DEMO), "-f", str(DEMO / "production_values.yaml"),
                             "-f", str(extra))
    assert "replicas: 5" in expected and "environment: production" in expected
    assert minihelm_template(str(DEMO), "--env", "production", "-f", str(extra)) == expected


@needs_helm
def test_set_still_wins_over_env() -> None:
    expected = helm_template(str(DEMO), "-f", str(DEMO / "staging_values.yaml"),
                             "--set", "replicas=7")
    assert minihelm_template(str(DEMO), "--env", "staging", "--set", "replicas=7") == expected


def chart(tmp_path: Path, *files: str) -> Path:
    d = tmp_path / "c"
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (d / "values.yaml").write_text("x: 1\n")
    for f in files:
        (d / f).write_text("x: 2\n")
    return d


def test_all_four_naming_patterns(tmp_path: Path) -> None:
    d = chart(tmp_path, "a-values.yaml", "b_values.yaml", "values-c.yaml", "values.d.yaml",
              "notes.yaml", "values.yaml.bak")
    assert environments(d) == {"a": d / "a-values.yaml", "b": d / "b_values.yaml",
                               "c": d / "values-c.yaml", "d": d / "values.d.yaml"}


def test_a_folder_named_like_an_env_file_is_not_one(tmp_path: Path) -> None:
    d = chart(tmp_path)
    (d / "qa_values.yaml").mkdir()
    assert environments(d) == {}


def test_ambiguous_environment_names_both_files(tmp_path: Path) -> None:
    d = chart(tmp_path, "prod_values.yaml", "values-prod.yaml", "qa-values.yaml")
    assert environment_files(d)["prod"] == [d / "prod_values.yaml", d / "values-prod.yaml"]
    with pytest.raises(UsageError) as e:
        env_values_file(d, "prod")
    assert "ambiguous" in e.value.message
    assert "prod_values.yaml, values-prod.yaml" in e.value.message
    assert "(environments: prod, qa)" in e.value.message
    assert e.value.exit_code == 2


def test_missing_environment_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as e:
        env_values_file(DEMO, "prod")
    assert "environments: production, staging" in e.value.message
    assert "prod_values.yaml" in e.value.message  # what was looked for


def test_missing_environment_on_the_cli_is_a_usage_error() -> None:
    code, out, err = run_cli(["template", str(DEMO), "--env", "qa"])
    assert (code, out) == (2, "")
    assert err.startswith('Error: environment "qa" not found')
    assert "production, staging" in err


def test_env_on_an_archive_is_a_usage_error(tmp_path: Path) -> None:
    from minihelm import package_chart

    tgz = package_chart(DEMO, tmp_path)
    with pytest.raises(UsageError, match="needs a chart folder"):
        api.user_values(api.TemplateRequest(chart=str(tgz), env="production"))


def test_api_reexports_the_env_functions() -> None:
    assert api.environments is environments
    assert api.env_values_file is env_values_file


# ---------------------------------------------------------------- env list


def test_env_list_table() -> None:
    code, out, _ = run_cli(["env", "list", "charts/demo"], cwd=ROOT)
    assert code == 0
    assert out.splitlines() == [
        "NAME        VALUES FILE",
        "production  charts/demo/production_values.yaml",
        "staging     charts/demo/staging_values.yaml",
    ]


@pytest.mark.parametrize("fmt, load", [("json", json.loads), ("yaml", yaml.safe_load)])
def test_env_list_machine_readable(fmt: str, load: object) -> None:
    code, out, _ = run_cli(["env", "list", "charts/demo", "--output", fmt], cwd=ROOT)
    assert code == 0
    assert load(out) == [  # type: ignore[operator]
        {"name": "production", "files": ["charts/demo/production_values.yaml"]},
        {"name": "staging", "files": ["charts/demo/staging_values.yaml"]},
    ]


def test_env_list_marks_ambiguous(tmp_path: Path) -> None:
    d = chart(tmp_path, "prod_values.yaml", "values.prod.yaml")
    code, out, _ = run_cli(["env", "list", str(d)])
    assert code == 0
    assert out.splitlines()[1].endswith("values.prod.yaml  (ambiguous)")


def test_env_list_empty(tmp_path: Path) -> None:
    d = chart(tmp_path)
    code, out, err = run_cli(["env", "list", str(d)])
    assert (code, out) == (0, "")
    assert "no environments" in err
    code, out, _ = run_cli(["env", "list", str(d), "-o", "json"])
    assert (code, json.loads(out)) == (0, [])


def test_env_list_bad_output_and_missing_chart() -> None:
    code, _, _ = run_cli(["env", "list", str(DEMO), "-o", "xml"])
    assert code == 2
    code, _, err = run_cli(["env", "list", "/nonexistent/chart"])
    assert code == 2 and 'path "/nonexistent/chart" not found' in err
