"""Everything the CLI prints passes one gate: the sanitiser, whatever the text's source.

User text reaches the output by many roads (titles, names inside clock rules, an
edited export imported back, a policy's labels): rather than trusting each one to
have cleaned its text, the command's output stream itself runs every write through
:func:`~warroom.domain.sanitize.clean_text`, so no escape sequence can set the
terminal title, write the clipboard or clear the screen. JSON output escapes the
characters a terminal acts on (C1 controls, bidi overrides) as ``\\uXXXX``, as the
JSON export does, so it still reads back as the same text.

:func:`print_committed` prints what a command has already stored: if printing
fails (a closed pipe, a full disk behind stdout) the command still reports success,
because the exit status must say whether the entry is stored.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

from warroom.domain.sanitize import clean_text, json_escape_unsafe

__all__ = ["SafeOutput", "print_committed", "safe_json"]


class SafeOutput:
    """A text stream whose every write is cleaned of terminal control sequences.

    Each write is cleaned on its own: a sequence split across two writes loses its
    introducer in the first and is printed as plain text in the second.
    """

    def __init__(self, stream: TextIO) -> None:
        """Wrap ``stream`` (standard output, or a test's ``StringIO``)."""
        self.stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without control sequences; returns ``len(text)`` as ``write`` does."""
        self.stream.write(clean_text(text))
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        """Everything else (``fileno``, ``isatty``, ``encoding``…) from the wrapped stream."""
        return getattr(self.stream, name)


def safe_json(value: Any, *, indent: int | None = 2) -> str:
    """``value`` as JSON text (UTF-8, not ASCII-escaped) with terminal-active characters
    escaped (``\\u009b``, ``\\u202e``), as the JSON export writes them."""
    return json_escape_unsafe(json.dumps(value, ensure_ascii=False, indent=indent))


def print_committed(text: str, out: TextIO | SafeOutput, err: TextIO | None = None) -> bool:
    """Print ``text`` (already stored) and flush; on failure say so on ``err``, return False.

    When ``out`` is the process's standard output, its descriptor is pointed at
    ``/dev/null`` after a failure, so the interpreter's final flush cannot fail
    again (and turn the exit status into 120).
    """
    err = err if err is not None else sys.stderr
    try:
        print(text, file=out)  # type: ignore[arg-type]
        out.flush()
        return True
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        _silence(out)
        try:
            print(f"warroom: warning: stored, but printing it failed ({reason})", file=err)
            err.flush()
        except (OSError, ValueError):
            pass
        return False


def _silence(out: TextIO | SafeOutput) -> None:
    """Point standard output at ``/dev/null`` if ``out`` writes to it."""
    stream = out.stream if isinstance(out, SafeOutput) else out
    if stream is not sys.stdout and stream is not sys.__stdout__:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
