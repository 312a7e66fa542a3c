"""The free variant of an incident slug: ``base``, ``base-2``, ``base-3``…

Standard library only: the store picks a slug with it inside its write
transaction, the demo before importing, and the console's record peek before
pydantic is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["first_free_slug"]


def first_free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``… the first one ``taken`` says is not taken."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate
