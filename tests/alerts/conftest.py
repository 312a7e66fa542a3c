"""Fixtures for the alert receiver: the intake (on the shared temp store), an HTTP client."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from warroom.alerts.auth import pagerduty_signature
from warroom.alerts.intake import AlertIntake
from warroom.alerts.server import Receiver, Secrets
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

FIXTURES = Path(__file__).with_name("fixtures")
TOKEN = "test-token-0123456789abcdef"
PAGERDUTY_SECRET = "pd-signing-secret-0123456789"


def payload(name: str) -> dict[str, Any]:
    """A fixture payload (a fresh copy each time)."""
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


def bearer(token: str = TOKEN) -> dict[str, str]:
    """Headers with a bearer token and the JSON content type."""
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def signed(body: bytes, secret: str = PAGERDUTY_SECRET) -> dict[str, str]:
    """Headers with a valid PagerDuty signature of ``body``."""
    return {
        "X-PagerDuty-Signature": pagerduty_signature(body, secret.encode()),
        "Content-Type": "application/json",
    }


def counts(store: Store) -> tuple[int, int]:
    """(incidents, events) in the store."""
    incidents = store.incidents()
    return len(incidents), sum(store.last_event_id(r.id) for r in incidents)


@pytest.fixture
def intake(store: Store, frozen_time: FrozenTime) -> AlertIntake:
    """The intake on the fresh store."""
    return AlertIntake(store, time=frozen_time)


@pytest.fixture
def log_lines() -> list[str]:
    """The receiver's log, one string per line."""
    return []


@pytest.fixture
async def client(intake: AlertIntake, log_lines: list[str]) -> AsyncIterator[TestClient]:
    """An HTTP client on a receiver serving the intake (PagerDuty endpoint on)."""
    secrets = Secrets(token=TOKEN.encode(), pagerduty=PAGERDUTY_SECRET.encode())
    receiver = Receiver(intake, secrets, log_lines.append)
    async with TestClient(TestServer(receiver.app)) as test_client:
        yield test_client
