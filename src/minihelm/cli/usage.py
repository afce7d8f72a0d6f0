"""click's usage errors (from parsing the argv) -> helm's one-line `Error:` form on stderr, exit 2.

typer prints a usage error as a rich panel under a usage line.  helm (cobra and
pflag) prints one line, which scripts grep for: `Error: unknown flag: --nope`,
`Error: flag needs an argument: --set`, `Error: "helm show values" requires 1
argument` followed by a blank line and the command's usage.  minihelm prints
helm's line, with its own name in it, and exits 2 (helm exits 1; see
docs/exit-codes.md).  `--help` and a bare group (no_args_is_help) are help, not
errors, and keep typer's rich layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import typer
from typer.core import TyperGroup

USAGE_EXIT = 2


class HelmUsageGroup(TyperGroup):
    """The root group: a usage error while parsing the argv is printed as helm prints it.

    Parsing happens in the root's make_context and, for each subcommand, in
    invoke; both turn a usage error into helm's line and exit USAGE_EXIT before
    typer would draw its panel.  Everything else runs as typer runs it.
    """

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        argv = list(args)  # click's parser consumes the list it is given
        with _helm_usage(argv):
            ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[_ARGV] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        with _helm_usage(ctx.meta.get(_ARGV, [])):
            return super().invoke(ctx)


_ARGV = "minihelm.argv"


@contextmanager
def _helm_usage(argv: list[str]) -> Iterator[None]:
    try:
        yield
    except click.UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            raise  # help, not an error: typer shows it
        typer.echo(usage_message(e, argv), err=True)
        raise click.exceptions.Exit(USAGE_EXIT) from None


def usage_message(e: click.UsageError, argv: list[str]) -> str:
    """helm's text for one click usage error (one line, or cobra's line plus usage)."""
    ctx = e.ctx
    path = ctx.command_path if ctx is not None else "minihelm"
    if isinstance(e, click.NoSuchOption):
        return f"Error: {_unknown_flag(e.option_name, argv)}"
    if isinstance(e, click.BadOptionUsage) and _needs_value(e.option_name, argv):
        return f"Error: flag needs an argument: {_flag_name(e.option_name)}"
    no_such_command = getattr(click.exceptions, "NoSuchCommand", ())
    if isinstance(e, no_such_command):
        return (f'Error: unknown command "{e.command_name}" for "{path}"\n'  # type: ignore[attr-defined]
                f"Run '{path} --help' for usage.")
    if ctx is not None and _is_arity_error(e, ctx):
        return f'Error: "{path}" {_arity(ctx.command)}\n\nUsage:  {ctx.get_usage()[7:]}'
    return f"Error: {e.format_message()}"


def _unknown_flag(option: str, argv: list[str]) -> str:
    """pflag: `unknown flag: --x`, or `unknown shorthand flag: 'x' in -yx` naming the whole token."""
    if option.startswith("--"):
        return f"unknown flag: {option}"
    letter = option[1:2]
    token = next((t for t in argv if t.startswith("-") and not t.startswith("--")
                  and letter in t[1:].partition("=")[0]), option)
    return f"unknown shorthand flag: '{letter}' in {token}"


def _flag_name(option: str) -> str:
    """pflag names a long flag by itself and a short one as `'n' in -n`."""
    return option if option.startswith("--") else f"'{option[1:]}' in {option}"


def _needs_value(option: str, argv: list[str]) -> bool:
    """Whether click's BadOptionUsage is a value missing after the option.

    click's parser raises it (with no context to look the option up in) for that
    and for `--flag=value` on a flag, which needs the `=` in the token.
    """
    return not any(t.startswith(option + "=") for t in argv)


def _is_arity_error(e: click.UsageError, ctx: click.Context) -> bool:
    """A missing positional argument, or extra ones on a command of fixed arity."""
    if isinstance(e, click.MissingParameter):
        return isinstance(e.param, click.Argument)
    if type(e) is not click.UsageError:
        return False
    arguments = [p for p in ctx.command.params if isinstance(p, click.Argument)]
    # click's only plain UsageError while parsing a command's own argv is "Got
    # unexpected extra argument(s)"; a variadic command checks its own maximum.
    return bool(arguments) and all(p.nargs >= 1 for p in arguments)


def _arity(command: click.Command) -> str:
    """cobra's wording: `requires N argument(s)`, `requires at least N ...` for open arity."""
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    needed = sum(max(p.nargs, 1) for p in arguments if p.required)
    exact = all(p.nargs >= 1 and p.required for p in arguments)
    noun = "argument" if needed == 1 else "arguments"
    return f"requires {needed} {noun}" if exact else f"requires at least {needed} {noun}"
