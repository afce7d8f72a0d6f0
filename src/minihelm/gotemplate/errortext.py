"""Template errors (gotemplate) -> the one-line text helm prints for them (pkg/engine/engine.go)."""

from __future__ import annotations

import re

from ..errors import ExecLink, TemplateRenderError, TemplateSyntaxError

# helm's required/fail wrap their message in these markers (warnWrap) so that the
# final report can show it alone as "execution error at (...): message".
WARN_START = "HELM_ERR_START"
WARN_END = "HELM_ERR_END"
_WARN = re.compile(WARN_START + "(.*)" + WARN_END, re.DOTALL)


def warn_wrap(message: str) -> str:
    return WARN_START + message + WARN_END


def helm_parse_message(filename: str, err: TemplateSyntaxError) -> str:
    """cleanupParseError: `parse error at (file:line): <last part of Go's message>`."""
    if err.pos is None:
        return f"parse error in ({filename}): {err.message}"
    prefix = f"template: {err.pos}: "
    detail = err.message.removeprefix(prefix)
    return f"parse error at ({err.pos}): {detail.split(': ')[-1]}"


def helm_exec_message(err: TemplateRenderError) -> str:
    """reformatExecErrorMsg: the required/fail form, the traced form, or Go's text as is."""
    outer = err.chain[0]
    if outer.location is None:
        return err.message
    m = _WARN.search(err.message)
    if m:
        return f"execution error at ({outer.location}): {m.group(1)}"
    traced: list[str] = []
    for link in err.chain:
        entry = _trace(link)
        if entry is None:
            return err.message
        if not traced or traced[-1] != entry:
            traced.append(entry)
    return "".join(traced).strip()


def _trace(link: ExecLink) -> str | None:
    """One TraceableError of helm's, or None where helm cannot read the link."""
    if link.location is not None:
        message = link.message
        cut = message.find(" template:")
        if cut >= 0:
            message = message[:cut]
        return (f"{link.location}\n  executing \"{link.template}\" at <{link.node}>:\n"
                f"    {message}\n")
    if link.text.startswith("template: no template "):
        return link.text + "\n"
    return None
