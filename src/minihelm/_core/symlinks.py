"""A symlink's path in a chart folder -> the path it resolves to, or Go's error text (loader.py).

helm's directory walk resolves each link with Go's filepath.EvalSymlinks, and
its errors reach the user as they are: `lstat /a/b: no such file or directory`
names the first component that is missing, not the link's final target.
Python's realpath names nothing, so the walk is done here the way Go does it:
one component at a time, a link's text spliced in where the link stood.
"""

from __future__ import annotations

import os
import stat

MAX_LINKS = 255  # Go's EvalSymlinks gives up after this many links
# The flag of template, lint, package and show that lets a chart's links resolve
# outside its folder (loader's external_links); the refusal names it.
EXTERNAL_LINKS_FLAG = "--allow-external-links"


class LinkError(Exception):
    """Go's error text for a path that does not resolve (str() is the whole text)."""


def eval_symlinks(path: str) -> str:
    """The path with every symlink resolved, as Go's filepath.EvalSymlinks gives it.

    path := ['/'] component { '/' component }, where "." is skipped and ".." drops
    the last resolved component.  Raises LinkError: `lstat P: reason` for a
    component that cannot be read, `not a directory` for a file used as one,
    `EvalSymlinks: too many links` past MAX_LINKS.
    """
    rest = path
    dest = "/" if rest.startswith("/") else ""
    links = 0
    while rest:
        part, _, rest = rest.lstrip("/").partition("/")
        if part in ("", "."):
            continue
        if part == "..":
            dest = _parent(dest)
            continue
        dest = _join(dest, part) if dest else part
        try:
            st = os.lstat(dest)
        except OSError as e:
            raise LinkError(f"lstat {dest}: {_reason(e)}") from None
        if not stat.S_ISLNK(st.st_mode):
            if not stat.S_ISDIR(st.st_mode) and rest.strip("/"):
                raise LinkError("not a directory")
            continue
        links += 1
        if links > MAX_LINKS:
            raise LinkError("EvalSymlinks: too many links")
        try:
            target = os.readlink(dest)
        except OSError as e:
            raise LinkError(f"readlink {dest}: {_reason(e)}") from None
        rest = target + ("/" + rest if rest else "")
        dest = "/" if target.startswith("/") else _strip_last(dest)
    return os.path.normpath(dest) if dest else "."


def _join(dest: str, part: str) -> str:
    return dest + part if dest.endswith("/") else dest + "/" + part


def _strip_last(dest: str) -> str:
    """dest without its last component (a relative link's text replaces it)."""
    head = dest.rsplit("/", 1)[0] if "/" in dest else ""
    return head or ("/" if dest.startswith("/") else "")


def _parent(dest: str) -> str:
    """`..` after dest: drop its last component, or keep the `..` when there is none to drop."""
    last = dest.rsplit("/", 1)[-1]
    if dest in ("", "/") or last == "..":
        return _join(dest, "..") if dest else ".."
    return _strip_last(dest)


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()
