"""A PostgreSQL server of the test's own, to kill and restart (never the shared one).

Debian's ``postgresql-15`` binaries, ``initdb`` as the ``postgres`` OS user into a
temporary folder, a Unix socket in that folder only. Without the binaries (or the
rights to run them) the tests skip with one line locally and FAIL when ``CI=true``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def require_binaries() -> None:
    """Skip (locally) or fail (CI) unless a server of our own can be started."""
    problem = None
    if not (PG_BIN / "initdb").exists():
        problem = f"no PostgreSQL binaries in {PG_BIN} (apt-get install postgresql-15)"
    elif os.geteuid() != 0:
        problem = "starting a test PostgreSQL needs root (initdb runs as the postgres user)"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {problem}")
        pytest.skip(problem)


class Cluster:
    """A throw-away server: :meth:`start`, :meth:`kill` (SIGKILL), :meth:`remove`."""

    def __init__(self) -> None:
        """initdb into a fresh 0700 folder owned by ``postgres`` (not started)."""
        require_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="warroom-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        self.data = self.folder / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E",
                  "UTF8", "--locale=C.UTF-8", "--no-sync")

    @property
    def dsn(self) -> str:
        """The server's URI (socket in its folder)."""
        return f"postgresql:///postgres?host={self.folder}&user=postgres"

    @property
    def socket_path(self) -> str:
        """The server's Unix socket."""
        return str(self.folder / ".s.PGSQL.5432")

    def _run(self, program: str, *args: str, check: bool = True) -> int:
        # No pipes: a started server would hold them open.
        done = subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / program), *args],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=120, check=check)
        return done.returncode

    def start(self, attempts: int = 50) -> None:
        """Start it; after a SIGKILL, retry while the old backends exit."""
        for _ in range(attempts):
            code = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"),
                             "-w", "-t", "30", "-o",
                             f"-c listen_addresses='' -k {self.folder} -c fsync=off",
                             "start", check=False)
            if code == 0:
                return
            time.sleep(0.2)
        raise AssertionError(f"the test PostgreSQL did not start again: see {self.folder}/log")

    def postmaster_pid(self) -> int:
        """The running postmaster's pid."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """SIGKILL the postmaster (its backends are left to notice and exit)."""
        os.kill(self.postmaster_pid(), signal.SIGKILL)

    def remove(self) -> None:
        """Stop it (if running) and delete its folder."""
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                      check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
