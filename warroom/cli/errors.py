"""The errors a ``warroom`` command reports as one line: usage (exit 2) and command (exit 1).

Standard library only: every command module imports these at no start-up cost.
"""

from __future__ import annotations

__all__ = ["PROG", "CommandError", "UsageError"]

PROG = "warroom"


class UsageError(Exception):
    """The invocation is malformed (exit 2)."""


class CommandError(Exception):
    """The invocation is well-formed but cannot be carried out (exit 1)."""
