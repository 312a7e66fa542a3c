"""The real console in a real pseudo-terminal: no byte of a hostile entry reaches the terminal.

``warroom`` runs on a PTY (TERM=xterm-256color, 120×40 set with TIOCSWINSZ), opens
the incident, and other processes write hostile entries: through ``warroom log``
(the parser cleans them) and straight into the store (raw, as a crafted import
could). Everything the console writes to the terminal is read back and searched
for the injected payloads: the title strings, the OSC 8 URL, the OSC 52 clipboard
payload, the DCS body. Textual writes its own CSI sequences; those are fine.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from warroom.service import declare_incident
from warroom.store import Store

from .conftest import Env
from .hostile import PAYLOADS, SECRETS

_RAW_WRITER = """
import sys, json
from datetime import UTC, datetime
from warroom.domain.events import NewEvent, NoteData
from warroom.store import Store
payloads = json.loads(sys.stdin.read())
with Store.open(sys.argv[1], create=False) as store:
    for text in payloads:
        try:
            store.append(1, NewEvent(occurred_at=datetime.now(UTC), author="raw",
                                     text=text, data=NoteData()))
        except Exception as error:  # the lone surrogate: refused by the store
            print("refused:", error)
"""


class Terminal:
    """A process on a pseudo-terminal; :meth:`read` collects everything it writes."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def read(self, seconds: float, until: bytes | None = None) -> bool:
        """Read for ``seconds`` (or until ``until`` appears); True if ``until`` was seen."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the process is gone
                    break
                if not chunk:
                    break
                self.output.extend(chunk)
                if until is not None and until in self.output:
                    return True
        return until is not None and until in self.output

    def send(self, data: bytes) -> None:
        """Type ``data``."""
        os.write(self.master, data)

    def close(self) -> None:
        """Quit (Ctrl+Q), then make sure the process is gone."""
        if self.proc.poll() is None:
            try:
                self.send(b"\x11")
                self.read(2.0)
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)


def _text(output: bytes) -> str:
    return output.decode("utf-8", "replace")


@pytest.mark.slow
def test_console_in_a_pty_never_writes_injected_sequences(env: Env, tmp_path: Path) -> None:
    with Store.open(env.db) as store:
        declare_incident(store, "PTY drill", severity=2, services=("checkout",),
                         at=datetime.now(UTC), author="alice")
    environ = {**env.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    terminal = Terminal([sys.executable, "-m", "warroom"], environ, (120, 40))
    try:
        assert terminal.read(30, until=b"PTY drill"), _text(terminal.output)[-2000:]
        terminal.read(1.0)
        terminal.send(b"\r")  # open the (only, selected) incident
        assert terminal.read(30, until=b"Timeline"), _text(terminal.output)[-2000:]
        terminal.read(1.0)
        start = len(terminal.output)

        for payload in PAYLOADS.values():  # through another process's `warroom log`
            if "\x00" in payload or "\ud800" in payload:
                continue  # argv cannot carry NUL or a lone surrogate; the raw writer below does
            result = env.run("log", "1", payload)
            assert result.code == 0, result.err
        import json

        raw = subprocess.run(  # and raw, past the parser, straight into the store
            [sys.executable, "-c", _RAW_WRITER, str(env.db)],
            input=json.dumps(list(PAYLOADS.values())), capture_output=True, text=True,
            env=env.environ, timeout=60,
        )
        assert raw.returncode == 0, raw.stderr
        terminal.read(4.0)
        assert terminal.proc.poll() is None, "the console died: " + _text(
            bytes(terminal.output[start:]))[-3000:]
        shown = bytes(terminal.output[start:])
    finally:
        terminal.close()

    text = _text(shown)
    assert shown, "the console wrote nothing after the entries arrived"
    leaked = [secret for secret in SECRETS if secret in text]
    assert leaked == [], leaked
    for sequence in (b"\x1b]0;", b"\x1b]2;", b"\x1b]52", b"\x1b]8;;https://osc8-evil",
                     b"\x1bP", b"\xc2\x9b", b"\xc2\x9d", b"\xc2\x90", b"\x9b", b"\x00"):
        assert sequence not in shown, sequence
    # The literal parts are on screen (Textual draws them as plain text).
    for visible in ("after-title-0", "click-me", "quit-me"):
        assert visible in text, visible
    assert "Traceback" not in _text(bytes(terminal.output))
