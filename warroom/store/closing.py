"""A store is a context manager that closes itself: one mixin for both backends."""

from __future__ import annotations

from types import TracebackType
from typing import Self

__all__ = ["ClosesOnExit"]


class ClosesOnExit:
    """``with store: …`` closes the store at the end; subclasses define :meth:`close`."""

    def close(self) -> None:
        """Release the store's connections (idempotent)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        """Use the store in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()
