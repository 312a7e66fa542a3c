"""The errors a ``warroom`` command reports as one line: usage (exit 2) and command (exit 1).

Standard library only: every command module imports these at no start-up cost.
"""

from __future__ import annotations

from warroom.errors import WarroomError

__all__ = ["PROG", "CommandError", "UsageError", "WarroomError"]

PROG = "warroom"


class UsageError(WarroomError):
    """The invocation is malformed (exit 2)."""

    exit_code = 2


class CommandError(WarroomError):
    """The invocation is well-formed but cannot be carried out (exit 1)."""
