"""Run ``warroom alerts serve`` as a real process: start, wait for its address, stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

_LISTENING = re.compile(r"listening on (http://\S+)")


class ServeProcess:
    """``python -m warroom alerts serve`` on a free loopback port, with its log captured."""

    def __init__(self, tmp: Path, db: Path, *extra: str, token: str, secret: str | None = None):
        tmp.mkdir(parents=True, exist_ok=True)
        token_file = tmp / "token"
        token_file.write_text(token + "\n", encoding="utf-8")
        token_file.chmod(0o600)
        args = ["--listen", "127.0.0.1:0", "--token-file", str(token_file), *extra]
        if secret is not None:
            secret_file = tmp / "pagerduty-secret"
            secret_file.write_text(secret, encoding="utf-8")
            secret_file.chmod(0o600)
            args += ["--pagerduty-secret-file", str(secret_file)]
        config = tmp / "config.toml"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "WARROOM_CONFIG": str(config), "TZ": "UTC"}
        self.lines: list[str] = []
        self._seen = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "warroom", "--db", str(db), "alerts", "serve", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_address()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()
        with self._seen:
            self._seen.notify_all()

    def _wait_for_address(self, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                for line in self.lines:
                    found = _LISTENING.search(line)
                    if found:
                        return found.group(1)
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    self.process.kill()
                    raise RuntimeError("alerts serve did not start: " + " | ".join(self.lines))
                self._seen.wait(min(left, 0.2))

    def wait_for_log(self, needle: str, timeout: float = 30.0) -> str:
        """The first log line containing ``needle`` (waits for it)."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no log line with {needle!r}: {self.lines}")
                self._seen.wait(min(left, 0.2))

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send ``signum`` and return the exit code (kills it after ``timeout``)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def __enter__(self) -> ServeProcess:
        """Use in a ``with`` block; the process is stopped at the end."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the process if it still runs."""
        if self.process.poll() is None:
            self.stop()
