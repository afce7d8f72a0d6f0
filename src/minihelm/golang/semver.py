"""Masterminds/semver v3 (as vendored by helm 4.1.4): version strings -> Version, constraints -> checks.

Used by the `semver`/`semverCompare` template functions, chart dependency
resolution and repository index sorting.

Version grammar (NewVersion with coercion, the library default)::

    version   := "v"? NUM ("." NUM)? ("." NUM)? ("-" ids)? ("+" ids)?
    NUM       := [0-9]+          (leading zeros allowed and dropped: "01.2" -> 1.2.0)
    ids       := [0-9A-Za-z-]+ ("." [0-9A-Za-z-]+)*
    prerelease identifiers: non-empty; numeric ones without leading zeros
    metadata identifiers:   non-empty

Constraint grammar::

    constraints := group ("||" group)*
    group       := c ((WS+ | "," WS*) c)*            AND of constraints
    c           := op WS* cv                         op: "" = != > < >= => <= =< ~ ~> ^
    cv          := "v"? XN ("." XN)? ("." XN)? ("-" ids)? ("+" ids)?
    XN          := [0-9xX*|]+                        x, X, * are wildcards
    A - B       := ">= A, <= B"                      hyphen ranges, rewritten first

A group that names no prerelease never matches a prerelease version.
"""

from __future__ import annotations

import re
from functools import cache

from minihelm.errors import MinihelmError

_MAX_U64 = (1 << 64) - 1


class SemverError(MinihelmError):
    """A version or constraint that does not parse; str() is the library's error text."""


ERR_INVALID = "invalid semantic version"
ERR_SEGMENT_ZERO = "version segment starts with 0"
ERR_INVALID_METADATA = "invalid metadata string"
ERR_INVALID_PRERELEASE = "invalid prerelease string"

_LOOSE = re.compile(
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")


def _parse_u64(s: str) -> int:
    n = int(s)
    if n > _MAX_U64:
        raise SemverError(
            f'error parsing version segment: strconv.ParseUint: parsing "{s}": value out of range'
        )
    return n


def _check_prerelease(p: str) -> None:
    for part in p.split("."):
        if part == "":
            raise SemverError(ERR_INVALID_PRERELEASE)
        if part.isdigit() and part.isascii():
            if len(part) > 1 and part[0] == "0":
                raise SemverError(ERR_SEGMENT_ZERO)
        elif not set(part) <= _ALLOWED:
            raise SemverError(ERR_INVALID_PRERELEASE)


def _check_metadata(m: str) -> None:
    for part in m.split("."):
        if part == "" or not set(part) <= _ALLOWED:
            raise SemverError(ERR_INVALID_METADATA)


class Version:
    """A parsed version. Comparisons follow Compare() (metadata ignored); str() is String().

    Immutable by convention; a plain class (records.py says why).
    """

    __slots__ = ("major", "metadata", "minor", "original", "patch", "pre")

    def __init__(self, major: int, minor: int, patch: int, pre: str = "", metadata: str = "",
                 original: str = "") -> None:
        self.major, self.minor, self.patch = major, minor, patch
        self.pre, self.metadata, self.original = pre, metadata, original

    def __repr__(self) -> str:
        return (f"Version(major={self.major!r}, minor={self.minor!r}, patch={self.patch!r}, "
                f"pre={self.pre!r}, metadata={self.metadata!r}, original={self.original!r})")

    def __str__(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s

    def compare(self, o: Version) -> int:
        """-1, 0 or 1, like Version.Compare."""
        a = (self.major, self.minor, self.patch)
        b = (o.major, o.minor, o.patch)
        if a != b:
            return -1 if a < b else 1
        if not self.pre and not o.pre:
            return 0
        if not self.pre:
            return 1
        if not o.pre:
            return -1
        return compare_prerelease(self.pre, o.pre)

    def __eq__(self, o: object) -> bool:
        return isinstance(o, Version) and self.compare(o) == 0

    def __lt__(self, o: Version) -> bool:
        return self.compare(o) < 0

    def __le__(self, o: Version) -> bool:
        return self.compare(o) <= 0

    def __gt__(self, o: Version) -> bool:
        return self.compare(o) > 0

    def __ge__(self, o: Version) -> bool:
        return self.compare(o) >= 0

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.pre))

    def v_prefix(self) -> str:
        return "v" if self.original[:1] == "v" else ""


def parse_version(s: str) -> Version:
    """NewVersion(s) with coercion; raises SemverError with the library's message."""
    m = _LOOSE.fullmatch(s)
    if m is None:
        raise SemverError(ERR_INVALID)
    major = _parse_u64(m.group(1))
    minor = _parse_u64(m.group(2)[1:]) if m.group(2) else 0
    patch = _parse_u64(m.group(3)[1:]) if m.group(3) else 0
    pre, meta = m.group(5) or "", m.group(8) or ""
    if pre:
        _check_prerelease(pre)
    if meta:
        _check_metadata(meta)
    return Version(major, minor, patch, pre, meta, s)


def is_strict(s: str) -> bool:
    """semver.StrictNewVersion: exactly MAJOR.MINOR.PATCH[-pre][+meta], no "v", no leading zeros."""
    num = r"(0|[1-9][0-9]*)"
    ident = r"[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*"
    if not re.fullmatch(rf"{num}\.{num}\.{num}(-{ident})?(\+{ident})?", s):
        return False
    try:
        parse_version(s)
    except MinihelmError:
        return False
    return True


def _compare_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    s_num = s.isdigit() and s.isascii() and int(s) <= _MAX_U64
    o_num = o.isdigit() and o.isascii() and int(o) <= _MAX_U64
    if not s_num and not o_num:
        return 1 if s > o else -1
    if not o_num:
        return -1
    if not s_num:
        return 1
    return 1 if int(s) > int(o) else -1


def compare_prerelease(a: str, b: str) -> int:
    """Dot-separated identifier comparison; numbers sort before words."""
    ap, bp = a.split("."), b.split(".")
    for i in range(max(len(ap), len(bp))):
        d = _compare_part(ap[i] if i < len(ap) else "", bp[i] if i < len(bp) else "")
        if d:
            return d
    return 0


# --- constraints --------------------------------------------------------------------------------

# Go's \s is [\t\n\f\r ]; Python's is wider, so spell it out.
_WS = r"[\t\n\f\r ]"
_CV = (r"v?([0-9|xX*]+)(\.[0-9|xX*]+)?(\.[0-9|xX*]+)?"
       r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
       r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
_CV_NOGROUPS = re.sub(r"\((?!\?)", "(?:", _CV)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"


@cache
def _constraint_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str],
                                    re.Pattern[str]]:
    """(one comparison, a hyphen range, comparisons to find, a valid constraint).

    Compiled on first use (1.2 ms): loading a chart parses versions, and only
    constraints (semverCompare, kubeVersion) need these.
    """
    return (
        re.compile(rf"{_WS}*({_OPS}){_WS}*({_CV}){_WS}*"),
        re.compile(rf"{_WS}*({_CV}){_WS}+-{_WS}+({_CV}){_WS}*"),
        re.compile(rf"(?:{_OPS}){_WS}*{_CV_NOGROUPS}"),
        re.compile(rf"({_WS}*(?:{_OPS}){_WS}*{_CV_NOGROUPS}{_WS}*)"
                   rf"((?:{_WS}+|,{_WS}*)(?:{_OPS}){_WS}*{_CV_NOGROUPS}{_WS}*)*"),
    )


def _is_x(s: str) -> bool:
    return s in ("x", "X", "*")


class _Single:
    """One comparison of a constraint: its operator and version, and which parts were x."""

    __slots__ = ("con", "dirty", "minor_dirty", "op", "orig", "patch_dirty")

    def __init__(self, op: str, con: Version, orig: str, dirty: bool, minor_dirty: bool,
                 patch_dirty: bool) -> None:
        self.op, self.con, self.orig = op, con, orig
        self.dirty, self.minor_dirty, self.patch_dirty = dirty, minor_dirty, patch_dirty

    def check(self, v: Version, include_pre: bool) -> bool:
        if v.pre and not include_pre:
            return False
        return _OP_FUNCS[self.op](v, self)


def _parse_single(c: str) -> _Single:
    m = _constraint_patterns()[0].fullmatch(c)
    if m is None:
        raise SemverError(f"improper constraint: {c}")
    op, orig = m.group(1), m.group(2)
    major, minor, patch, pre_part = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    dirty = minor_dirty = patch_dirty = False
    ver = orig
    if _is_x(major):
        ver, dirty = "0.0.0" + pre_part, True
    elif _is_x(minor[1:]) or minor == "":
        ver, dirty, minor_dirty = f"{major}.0.0{pre_part}", True, True
    elif _is_x(patch[1:]) or patch == "":
        ver, dirty, patch_dirty = f"{major}{minor}.0{pre_part}", True, True
    try:
        con = parse_version(ver)
    except SemverError:
        raise SemverError("constraint parser error") from None
    return _Single(op, con, orig, dirty, minor_dirty, patch_dirty)


def _rewrite_ranges(c: str) -> str:
    for m in _constraint_patterns()[1].finditer(c):
        c = c.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return c


class Constraint:
    """A parsed constraint string (Masterminds NewConstraint); `.check(v)` is Check."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.groups: list[list[_Single]] = []
        self.has_pre: list[bool] = []
        _, _, find, valid = _constraint_patterns()
        for part in _rewrite_ranges(text).split("||"):
            if valid.fullmatch(part) is None:
                raise SemverError(f"improper constraint: {part}")
            found = [m.group(0) for m in find.finditer(part)] or [part]
            singles = [_parse_single(s) for s in found]
            self.groups.append(singles)
            self.has_pre.append(any(s.con.pre for s in singles))

    def check(self, v: Version) -> bool:
        return any(
            all(s.check(v, pre) for s in group)
            for group, pre in zip(self.groups, self.has_pre)
        )

    def __repr__(self) -> str:
        return f"Constraint({self.text!r})"


# --- the operators ---------------------------------------------------------------------------

def _not_equal(v: Version, c: _Single) -> bool:
    if c.dirty:
        if c.con.major != v.major:
            return True
        if c.con.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if c.con.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            if v.pre or c.con.pre:
                return compare_prerelease(v.pre, c.con.pre) != 0
            return False
    return v.compare(c.con) != 0


def _greater(v: Version, c: _Single) -> bool:
    if not c.dirty:
        return v.compare(c.con) == 1
    if v.major != c.con.major:
        return v.major > c.con.major
    if c.minor_dirty:
        return False
    if c.patch_dirty:
        return v.minor > c.con.minor
    return v.compare(c.con) == 1


def _less_equal(v: Version, c: _Single) -> bool:
    if not c.dirty:
        return v.compare(c.con) <= 0
    if v.major > c.con.major:
        return False
    return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)


def _tilde(v: Version, c: _Single) -> bool:
    if v.compare(c.con) < 0:
        return False
    con = c.con
    if con.major == 0 and con.minor == 0 and con.patch == 0 and not c.minor_dirty \
            and not c.patch_dirty:
        return True
    if v.major != con.major:
        return False
    return not (v.minor != con.minor and not c.minor_dirty)


def _tilde_or_equal(v: Version, c: _Single) -> bool:
    return _tilde(v, c) if c.dirty else v.compare(c.con) == 0


def _caret(v: Version, c: _Single) -> bool:
    con = c.con
    if v.compare(con) < 0:
        return False
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return v.patch == con.patch


_OP_FUNCS = {
    "": _tilde_or_equal, "=": _tilde_or_equal, "!=": _not_equal,
    ">": _greater, "<": lambda v, c: v.compare(c.con) < 0,
    ">=": lambda v, c: v.compare(c.con) >= 0, "=>": lambda v, c: v.compare(c.con) >= 0,
    "<=": _less_equal, "=<": _less_equal, "~": _tilde, "~>": _tilde, "^": _caret,
}


def check(constraint: str, version: str) -> bool:
    """semverCompare: parse both and check (errors are SemverError)."""
    c = Constraint(constraint)
    return c.check(parse_version(version))
