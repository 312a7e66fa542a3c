"""The root of warroom's own errors: a message a person can read and the exit code it means.

Standard library only, so every layer (the pure domain, the store, the session, the
command line) can derive its errors from :class:`WarroomError` at no cost. The
``warroom`` command prints ``str(error)`` as its one error line and exits with
``error.exit_code``: 2 for input that does not parse (a malformed invocation, an
entry the scribe language rejects), 1 for anything that parses but cannot be done.
"""

from __future__ import annotations

__all__ = ["WarroomError"]


class WarroomError(Exception):
    """An error meant for a person: ``str(error)`` is one line, ``exit_code`` the CLI's exit.

    Subclasses set the class attribute ``exit_code``; one instance may override it.
    """

    #: The ``warroom`` command's exit status for this error.
    exit_code: int = 1

    def __init__(self, message: str = "", exit_code: int | None = None) -> None:
        """``message`` is the one line shown; ``exit_code`` overrides the class's."""
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
