"""Every stage raises into this one error tree; the CLI maps it to stderr and an exit code.

The tree::

    MinihelmError                 exit 1 (pos: SourcePos | None)
    ├── UsageError                exit 2: bad flags or arguments
    ├── ChartError                Chart.yaml, missing dependencies, bad chart layout
    │   └── ArchiveError          unsafe or corrupt .tgz / folder (traversal, bombs, links)
    ├── YAMLError                 a YAML file (values, Chart.yaml, index) does not parse
    ├── ValuesError               values that cannot be merged or used
    │   ├── SetParseError         a --set expression (shows the expression and a caret)
    │   └── SchemaError           values.schema.json validation failed
    ├── TemplateError
    │   ├── TemplateSyntaxError   text/template parse errors ("parse error at (f:3): ...")
    │   └── TemplateRenderError   execution errors (carries Go's error chain)
    ├── ManifestError             a rendered document is not valid YAML
    ├── PackageError              packaging a chart
    ├── RepoError                 repository index, push, pull
    ├── ProvenanceError           signing and verifying charts (.prov)
    │   └── OpenPGPError          keyrings, keys, signatures that cannot be read
    ├── LintError                 lint found errors (the findings were already printed)
    └── ChartTestError            a helm-unittest suite, path or snapshot file is unusable

`GoFuncError` is not part of the tree: template functions raise it (the Python
form of a Go function returning a non-nil error) and the template runtime
wraps it into a `TemplateRenderError` that knows the template position.
"""

from __future__ import annotations

from .records import Frozen


class SourcePos(Frozen):
    """A position in a source file: 1-based line; col is Go's 0-based byte column."""

    __slots__ = ("col", "line", "name")
    _fields = ("name", "line", "col")

    def __init__(self, name: str, line: int | None = None, col: int | None = None) -> None:
        self.name, self.line, self.col = name, line, col

    def __str__(self) -> str:
        if self.line is None:
            return self.name
        if self.col is None:
            return f"{self.name}:{self.line}"
        return f"{self.name}:{self.line}:{self.col}"


class MinihelmError(Exception):
    """Base of every error minihelm reports to a user."""

    exit_code = 1

    def __init__(self, message: str, pos: SourcePos | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos

    def __str__(self) -> str:
        return self.message


class UsageError(MinihelmError):
    exit_code = 2


class ChartError(MinihelmError):
    pass


class ArchiveError(ChartError):
    pass


class YAMLError(MinihelmError):
    pass


class ValuesError(MinihelmError):
    pass


class SetParseError(ValuesError):
    pass


class SchemaError(ValuesError):
    pass


class TemplateError(MinihelmError):
    pass


class TemplateSyntaxError(TemplateError):
    pass


class ExecLink(Frozen):
    """One error in Go's errors.Unwrap chain of an execution error.

    `text` is the error's full Error() string.  Links raised by a running
    template also carry their parts: the location `name:line:col`, the
    template being executed, the node text and the message.
    """

    __slots__ = ("location", "message", "node", "template", "text")
    _fields = ("text", "location", "template", "node", "message")

    def __init__(self, text: str, location: str | None = None, template: str | None = None,
                 node: str | None = None, message: str = "") -> None:
        self.text, self.location, self.template, self.node = text, location, template, node
        self.message = message


class TemplateRenderError(TemplateError):
    """An execution error. `chain` holds Go's wrapped errors, outermost first."""

    def __init__(
        self, message: str, pos: SourcePos | None = None, chain: tuple[ExecLink, ...] = ()
    ) -> None:
        super().__init__(message, pos)
        self.chain = chain or (ExecLink(message),)


class ManifestError(MinihelmError):
    pass


class PackageError(MinihelmError):
    pass


class RepoError(MinihelmError):
    pass


class LintError(MinihelmError):
    pass


class ChartTestError(MinihelmError):
    pass


class GoFuncError(Exception):
    """Raised by a template function: Go's `return nil, err`.

    `wrapped` is the error this one wraps (Go's %w), used to rebuild helm's
    error-chain formatting; it may itself be a TemplateRenderError.
    """

    def __init__(self, message: str, wrapped: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wrapped = wrapped

    def __str__(self) -> str:
        return self.message


class ProvenanceError(MinihelmError):
    """Signing a chart or verifying its .prov (keyrings, keys, passphrases, signatures)."""


class OpenPGPError(ProvenanceError):
    """OpenPGP data (a keyring, a key, a signature, armour) that cannot be read or used."""
