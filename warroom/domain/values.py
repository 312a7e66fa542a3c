"""A user's value shown short and escaped inside an error message.

Standard library only (no pydantic): the config file is checked on the console's
way to its first frame, and the validation messages of the domain models use the
same wording.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_SHOWN", "show_value"]

#: Longest piece of a user's value quoted in a message.
MAX_SHOWN = 40


def show_value(value: Any) -> str:
    """A user's value, short and escaped: ``'teleport'``, ``5``, ``an object``."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        cut = value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"
        return repr(cut)  # escapes control and bidi characters
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
