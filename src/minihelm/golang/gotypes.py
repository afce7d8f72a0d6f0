"""Go's value model in Python: what values, functions, runtime and printing agree on.

Plain Python values stand for the Go types helm's templates see most:

    None   nil (a missing map key, a nil interface)
    bool   bool
    int    int   (template constants, len, atoi, ...)
    Int64  int64 (--set integers, add/sub/mul results, int64)
    float  float64 (every number read from a YAML or JSON file)
    str    string
    list   []interface {}
    dict   map[string]interface {}

Other Go types are marked by subclasses carrying `go_type`, so that typeOf,
kindOf and printing can tell them apart: `GoList` ([]string, ...), `GoMap`
(map[string]string, common.Values, ...), `GoBytes` ([]uint8) and `GoStruct`
(pointers to structs such as *common.Capabilities, with exported fields and
methods).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar


class Int64(int):
    """A Go int64 (plain `int` is Go's `int`)."""

    go_type = "int64"

    def __repr__(self) -> str:
        return f"Int64({int(self)})"


class GoList(list):  # type: ignore[type-arg]
    """A slice whose Go element type is not interface {}, e.g. []string."""

    def __init__(self, items: Any = (), go_type: str = "[]string") -> None:
        super().__init__(items)
        self.go_type = go_type


class GoMap(dict):  # type: ignore[type-arg]
    """A map whose Go type is not map[string]interface {}, e.g. map[string]string."""

    def __init__(self, items: Any = (), go_type: str = "map[string]string") -> None:
        super().__init__(items)
        self.go_type = go_type


class MirrorMap(GoMap):
    """A map of one Go type over another map's entries: Go's conversion between map types.

    Go converts a map to another map type without copying it: common.Values and
    map[string]interface {} are two views of one map.  Python cannot give one
    dict two types, so this is a second dict whose writes also go to `mirror`,
    and `resync` takes up what was written to the mirror meanwhile.
    """

    def __init__(self, items: Any, go_type: str, mirror: dict[str, Any] | None = None) -> None:
        super().__init__(items, go_type)
        self.mirror = mirror

    def detached(self, items: Any) -> MirrorMap:
        """A new map of this one's class and Go type holding items, mirroring nothing."""
        new = dict.__new__(type(self))
        GoMap.__init__(new, items, self.go_type)
        new.mirror = None
        return new

    def resync(self) -> None:
        """Take the mirrored map's entries again (it may have been written to directly)."""
        if self.mirror is not None:
            dict.clear(self)
            dict.update(self, self.mirror)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if self.mirror is not None:
            self.mirror[key] = value

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        if self.mirror is not None:
            self.mirror.pop(key, None)

    def pop(self, key: Any, *default: Any) -> Any:
        if self.mirror is not None:
            self.mirror.pop(key, None)
        return super().pop(key, *default)

    def popitem(self) -> tuple[Any, Any]:
        key, value = super().popitem()
        if self.mirror is not None:
            self.mirror.pop(key, None)
        return key, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kw: Any) -> None:
        for k, v in dict(*args, **kw).items():
            self[k] = v

    def clear(self) -> None:
        super().clear()
        if self.mirror is not None:
            self.mirror.clear()


def as_plain_map(d: Any) -> Any:
    """d as Go passes it to a map[string]interface {} parameter: a typed map becomes plain.

    For functions that return the map they were given (set, unset, merge): their
    result is map[string]interface {} even when .Values went in.
    """
    if isinstance(d, MirrorMap) and d.go_type != "map[string]interface {}":
        return MirrorMap(d, "map[string]interface {}", mirror=d)
    return d


class NilList(GoList):
    """A typed nil slice, e.g. `[]interface {}(nil)` from Sprig's rest/initial of an empty list.

    It prints like an empty slice (`[]`) but encodes to JSON/YAML as `null`,
    and reflect.DeepEqual tells it apart from an empty non-nil slice.
    """

    def __init__(self, go_type: str = "[]interface {}") -> None:
        super().__init__((), go_type)


class NilMap(GoMap):
    """A typed nil map, e.g. `map[string]interface {}(nil)` from `merge nil nil`.

    It prints like an empty map (`map[]`), encodes to JSON/YAML as `null`, and
    assigning to it is Go's panic "assignment to entry in nil map".
    """

    def __init__(self, go_type: str = "map[string]interface {}") -> None:
        super().__init__((), go_type)


class GoBytes(bytes):
    """A Go []byte (e.g. .Files.GetBytes, randBytes before encoding)."""

    go_type = "[]uint8"


class GoStruct:
    """A Go struct pointer: template field access reaches `go_fields` and methods by name.

    Subclasses set `go_type` (e.g. "*common.Capabilities") and expose exported
    Go fields as attributes with Go's capitalised names; exported methods are
    plain Python methods with Go's names.
    """

    go_type = "struct {}"


def go_type_name(v: Any) -> str:
    """Go's %T / typeOf name for a value."""
    if v is None:
        return "<nil>"
    t = getattr(v, "go_type", None)
    if isinstance(t, str):
        return t
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (bytes, bytearray)):
        return "[]uint8"
    return type(v).__name__


def go_kind(v: Any) -> str:
    """Go's reflect.Kind name (kindOf): string, int, int64, float64, bool, slice, map, ptr, invalid."""
    if v is None:
        return "invalid"
    kind = getattr(v, "go_kind_name", None)  # e.g. time.Time is a struct, uint64 its own kind
    if isinstance(kind, str):
        return kind
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, Int64):
        return "int64"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (list, bytes, bytearray)):
        return "slice"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, GoStruct):
        return "ptr"
    return "invalid"


_F = TypeVar("_F", bound=Callable[..., Any])


def go_params(*params: str) -> Callable[[_F], _F]:
    """Mark a GoStruct method with its Go parameter types (`fn.go_params`) for argument checks."""

    def mark(fn: _F) -> _F:
        fn.go_params = params  # type: ignore[attr-defined]
        return fn

    return mark
