"""The free variant of an incident slug (``base``, ``base-2``, ``base-3``…) and id refs.

Standard library only: the store picks a slug with it inside its write
transaction, the demo before importing, and the console's first-frame reader
(``warroom.store.peek``) before pydantic is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["first_free_slug", "is_id_ref"]


def first_free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``… the first one ``taken`` says is not taken."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def is_id_ref(ref: str) -> bool:
    """True if ``ref`` names an incident by id (ASCII digits only), not by slug."""
    return bool(ref) and all("0" <= c <= "9" for c in ref)
