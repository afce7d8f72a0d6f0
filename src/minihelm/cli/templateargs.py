"""`minihelm template` argv -> TemplateRequest fields, without typer, for the usual forms.

Importing typer and click costs a render 22 ms: a fifth of a cold render of
a small chart, and every CI job starts cold.  `template_fields` reads the
forms scripts and CI jobs write -- `[NAME] CHART` positionals; long options
with a separate or `=` value; short options with a separate or attached
value; repeated options and flags; in any order -- the way click reads them.
Anything else returns None and the launcher runs the typer CLI, which parses
it and reports errors as always: `--help`, an unknown option, a missing
value, a value that starts with `-`, `--`, stdin (`-`), and the options that
act beside the render (`--dependency-update`, `--no-cache`, `--output-dir`).

cli/template.py builds its request with `request_fields` as well, and
tests/cli/test_templateargs.py checks the option table against the typer
command and this parse against click's on generated argv.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FLAG, ONE, MANY = "flag", "one", "many"

# option -> (parameter of cli.template.template, kind)
OPTIONS: dict[str, tuple[str, str]] = {
    "--values": ("values", MANY), "-f": ("values", MANY),
    "--set": ("set_", MANY),
    "--set-string": ("set_string", MANY),
    "--set-file": ("set_file", MANY),
    "--set-json": ("set_json", MANY),
    "--set-literal": ("set_literal", MANY),
    "--env": ("env", ONE),
    "--namespace": ("namespace", ONE), "-n": ("namespace", ONE),
    "--show-only": ("show_only", MANY), "-s": ("show_only", MANY),
    "--output-dir": ("output_dir", ONE),
    "--release-name": ("release_name_dir", FLAG),
    "--include-crds": ("include_crds", FLAG),
    "--skip-tests": ("skip_tests", FLAG),
    "--no-hooks": ("no_hooks", FLAG),
    "--skip-schema-validation": ("skip_schema_validation", FLAG),
    "--kube-version": ("kube_version", ONE),
    "--api-versions": ("api_versions", MANY), "-a": ("api_versions", MANY),
    "--is-upgrade": ("is_upgrade", FLAG),
    "--no-cache": ("no_cache", FLAG),
    "--validate-schema": ("validate_schema", FLAG),
    "--debug": ("debug", FLAG),
    "--dependency-update": ("dependency_update", FLAG),
    "--allow-external-links": ("allow_external_links", FLAG),
    # registry options: read for an oci:// chart (declined below), ignored for a local one
    "--version": ("version", ONE), "--ca-file": ("ca_file", ONE),
    "--cert-file": ("cert_file", ONE), "--key-file": ("key_file", ONE),
    "--insecure-skip-tls-verify": ("insecure", FLAG), "--plain-http": ("plain_http", FLAG),
    "--registry-config": ("registry_config", ONE), "--username": ("username", ONE),
    "--password": ("password", ONE),
}
DEFAULTS: dict[str, Any] = {"namespace": "default"}
# left to the CLI: they act before or beside the render, or must not touch the cache
_DECLINED = frozenset({"dependency_update", "no_cache", "output_dir"})


def template_fields(argv: list[str]) -> dict[str, Any] | None:
    """The TemplateRequest fields of `minihelm template ARGV...`, or None (use the CLI)."""
    parsed = parse(argv)
    if parsed is None:
        return None
    args, params = parsed
    if not 1 <= len(args) <= 2 or any(params[p] for p in _DECLINED):
        return None
    if args[-1].startswith("oci://"):
        return None  # a registry chart is pulled first (cli/template.py)
    from ..chart.loader import names_a_repository_chart  # deferred: the render loads it anyway

    if names_a_repository_chart(args[-1]):
        return None  # REPO/CHART: fetched from its repository first (cli/template.py)
    return request_fields(args, params)


def parse(argv: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """(positionals, {parameter: value}) as click gives them, or None for any other form."""
    params: dict[str, Any] = {name: DEFAULTS.get(name, False if kind == FLAG else None)
                              for name, kind in OPTIONS.values()}
    args: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        if not token.startswith("-"):
            args.append(token)
        elif token == "-" or token == "--":
            return None
        else:
            option, value = _split(token)
            spec = OPTIONS.get(option)
            if spec is None:
                return None
            name, kind = spec
            if kind == FLAG:
                if value is not None:
                    return None  # click: "option does not take a value"
                params[name] = True
            else:
                if value is None:
                    i += 1
                    if i == len(argv):
                        return None
                    value = argv[i]
                if value == "-" or value.startswith("-"):
                    return None  # stdin, or a value click might read as an option
                params[name] = value if kind == ONE else [*(params[name] or []), value]
        i += 1
    return args, params


def _split(token: str) -> tuple[str, str | None]:
    """`--opt=value` / `--opt`; `-xVALUE` / `-x` (click splits long options at the first `=`)."""
    if token.startswith("--"):
        option, eq, value = token.partition("=")
        return option, value if eq else None
    return token[:2], token[2:] or None


def request_fields(args: list[str], p: Mapping[str, Any]) -> dict[str, Any]:
    """The TemplateRequest fields for the command's positionals and parameters."""
    name, chart = (args[0], args[1]) if len(args) == 2 else ("release-name", args[0])
    return {
        "chart": chart, "release_name": name, "namespace": p["namespace"],
        "value_files": p["values"] or [], "set_values": p["set_"] or [],
        "set_string": p["set_string"] or [], "set_file": p["set_file"] or [],
        "set_json": p["set_json"] or [], "set_literal": p["set_literal"] or [],
        "env": p["env"], "kube_version": p["kube_version"],
        "api_versions": split_list(p["api_versions"]), "include_crds": p["include_crds"],
        "skip_tests": p["skip_tests"], "no_hooks": p["no_hooks"], "is_upgrade": p["is_upgrade"],
        "show_only": p["show_only"] or [], "skip_schema_validation": p["skip_schema_validation"],
        "output_dir": p["output_dir"], "release_name_dir": p["release_name_dir"],
        "use_cache": not p["no_cache"], "validate_schema": p["validate_schema"],
        "external_links": p["allow_external_links"],
    }


def split_list(items: list[str] | None) -> list[str]:
    """pflag's StringSlice: each use holds comma-separated items, read as one CSV record."""
    if not items:
        return []
    # deferred: only split_list() needs it: 13 modules this one does not otherwise load
    from ..values.layers import split_values_flags

    return split_values_flags(items)  # the same pflag rule as -f
