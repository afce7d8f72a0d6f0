"""Sprig's semver functions (semver.go): strings -> *semver.Version objects and constraint checks.

`semver` returns a pointer (`*semver.Version`) whose Go methods templates can
call (`(semver "1.2.3").Major` is a uint64); IncPatch/IncMinor/IncMajor and
SetPrerelease/SetMetadata return a `semver.Version` value, on which Go's
pointer-receiver methods (Original, Compare, LessThan, ...) are not callable
from a template ("can't evaluate field Original in type semver.Version").
"""

from __future__ import annotations

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gotypes import GoStruct, go_params
from minihelm.golang.semver import (
    Constraint,
    SemverError,
    Version,
    _check_metadata,
    _check_prerelease,
    parse_version,
)


class Uint64(int):
    """A Go uint64 (what Version.Major/Minor/Patch return)."""

    go_type = "uint64"
    go_kind_name = "uint64"


class SemverValue(GoStruct):
    """A semver.Version value: only Go's value-receiver methods are reachable."""

    go_type = "semver.Version"
    go_kind_name = "struct"
    # Value-receiver methods: the method set of a semver.Version value.
    go_methods = frozenset({
        "String", "Major", "Minor", "Patch", "Prerelease", "Metadata", "IncPatch", "IncMinor",
        "IncMajor", "SetPrerelease", "SetMetadata",
    })

    def __init__(self, version: Version) -> None:
        self.version = version

    def __go_str__(self) -> str:
        return str(self.version)

    def __go_json__(self) -> str:
        return str(self.version)

    def __str__(self) -> str:
        return str(self.version)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.version.original!r})"

    def String(self) -> str:
        return str(self.version)

    def Major(self) -> Uint64:
        return Uint64(self.version.major)

    def Minor(self) -> Uint64:
        return Uint64(self.version.minor)

    def Patch(self) -> Uint64:
        return Uint64(self.version.patch)

    def Prerelease(self) -> str:
        return self.version.pre

    def Metadata(self) -> str:
        return self.version.metadata

    def _next(self, major: int, minor: int, patch: int, pre: str, meta: str) -> SemverValue:
        bare = Version(major, minor, patch, pre, meta)
        v = Version(major, minor, patch, pre, meta, self.version.v_prefix() + str(bare))
        return SemverValue(v)

    def IncPatch(self) -> SemverValue:
        v = self.version
        # A prerelease patch version increments to its own release (1.2.3-a -> 1.2.3).
        if v.pre:
            return self._next(v.major, v.minor, v.patch, "", "")
        return self._next(v.major, v.minor, _inc(v.patch, "patch"), "", "")

    def IncMinor(self) -> SemverValue:
        v = self.version
        return self._next(v.major, _inc(v.minor, "minor"), 0, "", "")

    def IncMajor(self) -> SemverValue:
        v = self.version
        return self._next(_inc(v.major, "major"), 0, 0, "", "")

    @go_params("string")
    def SetPrerelease(self, pre: str) -> SemverValue:
        v = self.version
        if pre:
            try:
                _check_prerelease(pre)
            except SemverError as e:
                raise GoFuncError(str(e)) from None
        return self._next(v.major, v.minor, v.patch, pre, v.metadata)

    @go_params("string")
    def SetMetadata(self, meta: str) -> SemverValue:
        v = self.version
        if meta:
            try:
                _check_metadata(meta)
            except SemverError as e:
                raise GoFuncError(str(e)) from None
        return self._next(v.major, v.minor, v.patch, v.pre, meta)


def _inc(n: int, what: str) -> int:
    if n == (1 << 64) - 1:
        raise GoFuncError(f"{what} version increment would overflow uint64")
    return n + 1


class SemverPointer(SemverValue):
    """A *semver.Version: adds Go's pointer-receiver methods."""

    go_type = "*semver.Version"
    go_kind_name = "ptr"
    go_methods = SemverValue.go_methods | {
        "Original", "Compare", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual",
        "Equal",
    }

    def Original(self) -> str:
        return self.version.original

    @go_params("*semver.Version")
    def Compare(self, o: SemverPointer) -> int:
        return self.version.compare(o.version)

    @go_params("*semver.Version")
    def LessThan(self, o: SemverPointer) -> bool:
        return self.version.compare(o.version) < 0

    @go_params("*semver.Version")
    def LessThanEqual(self, o: SemverPointer) -> bool:
        return self.version.compare(o.version) <= 0

    @go_params("*semver.Version")
    def GreaterThan(self, o: SemverPointer) -> bool:
        return self.version.compare(o.version) > 0

    @go_params("*semver.Version")
    def GreaterThanEqual(self, o: SemverPointer) -> bool:
        return self.version.compare(o.version) >= 0

    @go_params("*semver.Version")
    def Equal(self, o: SemverPointer | None) -> bool:
        return o is not None and self.version.compare(o.version) == 0


@gofunc("semver", "string")
def semver(version: str) -> SemverPointer:
    try:
        return SemverPointer(parse_version(version))
    except SemverError as e:
        raise GoFuncError(str(e)) from None


@gofunc("semverCompare", "string, string")
def semver_compare(constraint: str, version: str) -> bool:
    try:
        c = Constraint(constraint)
        return c.check(parse_version(version))
    except SemverError as e:
        raise GoFuncError(str(e)) from None
