"""Field lists -> equality, repr and `replace` for the value classes of the render path.

The chart model, positions, compiled trees and the AST are plain classes with
__slots__ and a hand-written __init__ rather than dataclasses: importing
dataclasses (and inspect with it) costs every start 4 ms, creating each class
0.1-0.5 ms, and building a frozen dataclass instance is five times slower
than a plain one -- all on the path of a render that re-runs one template.
A subclass lists its fields, in constructor order, in `_fields`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self


class Record:
    """Equality and repr over `_fields`, as a dataclass gives; unhashable unless Frozen."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    __hash__: ClassVar[Any] = None  # mutable, like a dataclass with eq and not frozen

    def __repr__(self) -> str:
        args = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({args})"

    def as_dict(self) -> dict[str, Any]:
        """{field: value} (dataclasses.asdict, without copying the values)."""
        return {f: getattr(self, f) for f in self._fields}

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (dataclasses.replace)."""
        return type(self)(**{**self.as_dict(), **changes})


class Frozen(Record):
    """A Record that is never changed after it is built (by convention), so it hashes."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())
