"""Counting words for people: ``1 incident``, ``2 incidents``, ``1 entry``, ``3 entries``."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun`` in agreement (``plural`` for a noun not made with ``s``)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
