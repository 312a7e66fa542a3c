"""The ``warroom`` command line (see :mod:`warroom.cli.entry`).

Kept tiny: importing a module of this package (its errors, say) loads nothing else;
``main`` and ``COMMANDS`` are looked up from :mod:`warroom.cli.entry` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warroom.cli.entry import COMMANDS, main

__all__ = ["COMMANDS", "main"]


def __getattr__(name: str) -> Any:
    """``main`` and ``COMMANDS``, imported from :mod:`warroom.cli.entry` when first asked for."""
    if name in __all__:
        from warroom.cli import entry

        return getattr(entry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
