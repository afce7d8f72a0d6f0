"""Template arguments -> Sprig's path functions (base, dir, clean, ext, isAbs and os* twins) for the runtime.

Go's `path` package semantics, byte for byte (path.Clean's lexical rules,
Base("") == ".", Dir keeps Clean's result).  The os* names are Go's
path/filepath, which on Linux (where helm renders) is the same as `path`.
"""

from __future__ import annotations

from minihelm.funcs import gofunc


def clean(p: str) -> str:
    """path.Clean: collapse slashes, drop "." elements, resolve ".." lexically; "" -> "."."""
    if p == "":
        return "."
    rooted = p.startswith("/")
    out: list[str] = []
    for elem in p.split("/"):
        if elem in ("", "."):
            continue
        if elem == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")  # a relative path keeps leading ".."s
            continue
        out.append(elem)
    joined = "/".join(out)
    if rooted:
        return "/" + joined
    return joined or "."


def base(p: str) -> str:
    """path.Base: last element after trailing slashes are dropped; "" -> ".", "///" -> "/"."""
    if p == "":
        return "."
    p = p.rstrip("/")
    if p == "":
        return "/"
    return p[p.rfind("/") + 1:]


def dir_(p: str) -> str:
    """path.Dir: everything up to the last slash, cleaned."""
    return clean(p[: p.rfind("/") + 1])


def ext(p: str) -> str:
    """path.Ext: from the last "." in the final element, or ""."""
    for i in range(len(p) - 1, -1, -1):
        if p[i] == "/":
            break
        if p[i] == ".":
            return p[i:]
    return ""


def is_abs(p: str) -> bool:
    return p.startswith("/")


# Sprig maps both `base` (path.Base) and `osBase` (filepath.Base) etc.; on Linux they agree.
for _name, _fn in (("base", base), ("dir", dir_), ("clean", clean), ("ext", ext), ("isAbs", is_abs)):
    gofunc(_name, "string")(_fn)
    gofunc("os" + _name[0].upper() + _name[1:], "string")(_fn)
