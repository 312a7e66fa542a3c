"""JSON values of the domain's projections: frozen dataclasses, dumped and read by pydantic.

The fold's state, the clocks, the metrics and the other views computed from an
incident are plain dataclasses (they need no validation, and building them costs
no pydantic schema at import). Where one is written as JSON (the export,
``warroom show --json``) or read back, a pydantic ``TypeAdapter`` of its class does
it, built the first time that class is met: the values are those pydantic's
``model_dump(mode="json")`` gave when these classes were models.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

__all__ = ["from_jsonable", "to_jsonable"]

T = TypeVar("T")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    """The adapter of ``cls`` (its schema is built on first use, then kept)."""
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def to_jsonable(value: Any, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """``value`` (a dataclass) as JSON-ready values, without the fields in ``exclude``."""
    dumped: dict[str, Any] = _adapter(type(value)).dump_python(
        value, mode="json", exclude=exclude
    )
    return dumped


def from_jsonable(cls: type[T], data: Any) -> T:
    """A ``cls`` read back from :func:`to_jsonable`'s values (validated by pydantic)."""
    value: T = _adapter(cls).validate_python(data)
    return value
