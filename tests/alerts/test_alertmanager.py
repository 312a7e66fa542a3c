"""Against a real Alertmanager: its webhook declares, feeds and resolves through the receiver.

Debian's ``prometheus-alertmanager`` runs on loopback with its own storage folder and
clustering off, its webhook receiver pointing at a real ``warroom alerts serve`` (bearer
token from a ``credentials_file``, ``group_wait`` 1 s). The test posts alerts to
Alertmanager's API and reads the database the receiver writes. Without the binary it
skips locally with one line and fails when ``CI=true`` (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from warroom.domain.events import EventKind, PageData, PageStatus, Severity
from warroom.service import IncidentSession
from warroom.store import Store

from .conftest import TOKEN
from .serving import ServeProcess

pytestmark = pytest.mark.slow

BINARY = "prometheus-alertmanager"
_T = TypeVar("_T")


def _binary() -> str:
    found = shutil.which(BINARY) or ("/usr/bin/" + BINARY if os.path.exists("/usr/bin/" + BINARY)
                                     else None)
    if found is None:
        reason = f"{BINARY} is not installed (apt-get install {BINARY}; .ci/run does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(what: str, check: Callable[[], _T | None], timeout: float = 60.0) -> _T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


class Alertmanager:
    """One Alertmanager process on loopback, its config pointing at ``webhook``."""

    def __init__(self, binary: str, folder: Path, webhook: str, token_file: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "alertmanager.yml"
        config.write_text(json.dumps({  # JSON is YAML: no YAML library needed
            "route": {
                "receiver": "warroom",
                "group_by": ["alertname"],
                "group_wait": "1s",
                "group_interval": "1s",
                "repeat_interval": "3s",
            },
            "receivers": [{
                "name": "warroom",
                "webhook_configs": [{
                    "url": webhook,
                    "send_resolved": True,
                    "http_config": {"authorization": {
                        "type": "Bearer", "credentials_file": str(token_file)}},
                }],
            }],
        }), encoding="utf-8")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "alertmanager.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [binary, f"--config.file={config}", f"--storage.path={folder / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address="],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        _wait("Alertmanager to be ready", self._ready, 30)

    def _ready(self) -> bool | None:
        if self.process.poll() is not None:
            raise AssertionError("Alertmanager exited: " + self.log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as response:
                return response.status == 200
        except OSError:
            return None

    def post(self, alerts: list[dict[str, Any]]) -> None:
        """POST ``alerts`` to ``/api/v2/alerts``."""
        request = urllib.request.Request(
            self.url + "/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

    def stop(self) -> None:
        """Stop it (SIGTERM, then SIGKILL)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[ServeProcess]:
    """``warroom alerts serve`` on a free port, its database in ``tmp_path``."""
    with ServeProcess(tmp_path / "serve", tmp_path / "alerts.db", token=TOKEN) as server:
        yield server


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _incident(db: Path) -> IncidentSession | None:
    with Store.open(db) as store:
        records = store.incidents()
        if not records:
            return None
        assert len(records) == 1, records
        session = IncidentSession(store, records[0])
        session.timeline_copy()  # read everything before the store closes
        return session


def _pages(session: IncidentSession) -> list[PageData]:
    return [e.data for e in sorted(session.timeline, key=lambda e: e.id)
            if isinstance(e.data, PageData)]


def test_a_real_alertmanager_declares_feeds_and_resolves(
    tmp_path: Path, receiver: ServeProcess
) -> None:
    binary = _binary()
    db = tmp_path / "alerts.db"
    token_file = tmp_path / "serve" / "token"
    started = (datetime.now(UTC) - timedelta(minutes=3)).replace(microsecond=0)
    alert = {
        "labels": {"alertname": "CheckoutErrors", "severity": "critical",
                   "service": "checkout", "instance": "web-1"},
        "annotations": {"summary": "Checkout 5xx above 5%",
                        "runbook_url": "https://runbooks.example.com/checkout"},
        "startsAt": _stamp(started),
        "generatorURL": "http://prometheus.example.com/graph",
    }
    am = Alertmanager(binary, tmp_path / "am", receiver.url + "/alertmanager", token_file)
    try:
        am.post([alert])
        session = _wait("the incident", lambda: _incident(db))
        state = session.state
        assert state.title == "Checkout 5xx above 5%"
        assert state.detected_at == started  # detection time = the alert's startsAt
        assert state.severity is Severity.SEV2 and state.services == ("checkout",)
        pages = _pages(session)
        assert len(pages) == 1 and pages[0].status is PageStatus.FIRING
        assert pages[0].source == "alertmanager" and pages[0].fingerprint
        assert pages[0].started_at == started

        # Alertmanager re-sends the firing group (repeat_interval): recorded once.
        receiver.wait_for_log("duplicates=1")
        events_before = len(_wait("the incident", lambda: _incident(db)).timeline)

        # And again after a restart that lost its notification log.
        am.stop()
        am = Alertmanager(binary, tmp_path / "am2", receiver.url + "/alertmanager", token_file)
        am.post([alert])
        _wait("the re-sent notification",
              lambda: sum("duplicates=1" in line for line in receiver.lines) >= 2 or None)
        assert len(_wait("the incident", lambda: _incident(db)).timeline) == events_before

        # Resolve it: a resolved page and the note prompting the IC; nothing auto-resolved.
        am.post([dict(alert, endsAt=_stamp(datetime.now(UTC) - timedelta(seconds=5)))])

        def resolved() -> IncidentSession | None:
            found = _incident(db)
            if found and any(e.kind is EventKind.NOTE for e in found.timeline):
                return found
            return None

        session = _wait("the resolve", resolved)
        assert [p.status for p in _pages(session)] == [PageStatus.FIRING, PageStatus.RESOLVED]
        (note,) = [e for e in session.timeline if e.kind is EventKind.NOTE]
        assert note.key and "Every alert of this group has resolved" in note.text
        assert session.state.is_open
        total = len(session.timeline)
        time.sleep(4)  # past repeat_interval: any re-send is a duplicate
        final = _wait("the incident", lambda: _incident(db))
        assert len(final.timeline) == total
        with Store.open(db) as store:
            assert len(store.incidents()) == 1
    finally:
        am.stop()
    assert receiver.stop() == 0
    requests = [line for line in receiver.lines if " POST /alertmanager " in line]
    assert requests and all(" 200 " in line for line in requests), requests
    assert all(TOKEN not in line for line in receiver.lines)
