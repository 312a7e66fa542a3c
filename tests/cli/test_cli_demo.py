"""``warroom demo``: the bundled incident, shifted so that it is live now."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from warroom.demo import LIVE_LAG, build_demo, demo_path
from warroom.domain.events import EventKind, Role, Severity
from warroom.domain.fold import fold
from warroom.domain.timesource import FrozenTime
from warroom.export.json_export import parse_export
from warroom.store import Store


def test_demo_file_is_a_realistic_incident() -> None:
    document = parse_export(demo_path().read_text(encoding="utf-8"))
    events = list(document.events)
    assert 45 <= len(events) <= 60
    kinds = [e.kind for e in events]
    state = fold(events)
    assert state.severity == Severity.SEV1
    assert [s.severity for s in state.severity_history] == [None, Severity.SEV2, Severity.SEV1]
    assert all(state.holder(role) for role in Role)
    assert any(t.role == Role.IC and t.handed_to for t in state.role_history)
    assert kinds.count(EventKind.COMMAND) >= 3
    assert kinds.count(EventKind.DECISION) >= 2
    assert {u.phase for u in state.status_updates} >= {"investigating", "identified",
                                                       "monitoring"}
    assert all(u.components for u in state.status_updates)
    assert any(c.know and c.next and c.escalate and c.status_page for c in state.checkpoints)
    assert state.escalations and state.corrections and state.key_events
    assert state.impact_started_at < state.detected_at < state.declared_at
    assert state.mitigated_at is not None and state.resolved_at is None and state.is_open


def test_build_demo_is_live_at_now(tmp_path: Path) -> None:
    now = datetime(2030, 5, 17, 9, 30, tzinfo=UTC)
    store = Store.open(tmp_path / "demo.db", clock=FrozenTime(now), create=True)
    try:
        record = build_demo(store, now=now)
        events = list(store.events(record.id))
    finally:
        store.close()
    latest = max(max(e.occurred_at, e.recorded_at) for e in events)
    assert latest == now - LIVE_LAG
    assert record.created_at <= latest
    original = list(parse_export(demo_path().read_text(encoding="utf-8")).events)
    shift = events[0].occurred_at - original[0].occurred_at
    assert all(a.occurred_at - b.occurred_at == shift for a, b in zip(events, original,
                                                                      strict=True))


def test_demo_print(cli: Cli) -> None:
    out = cli.ok("demo", "--print")
    assert "Checkout: card payments failing" in out
    assert "severity SEV1" in out and "phase mitigated" in out
    assert "Incident Commander   marcus.okafor" in out
    assert "Clocks" in out
    assert not cli.db.exists()


def test_demo_db_keeps_the_database(cli: Cli, tmp_path: Path) -> None:
    keep = tmp_path / "kept.db"
    out = cli.ok("demo", "--print", "--db", str(keep))
    assert str(keep) in out
    shown = json.loads(cli.ok("show", "--json", "--db", str(keep)))
    last = datetime.fromisoformat(shown["state"]["phase_history"][-1]["at"])
    assert datetime.now(UTC) - last < timedelta(hours=1)
    assert shown["state"]["event_count"] >= 45


def test_demo_file_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """``sample_data/make_demo.py`` still produces the committed file (rebuild it if not)."""
    import importlib.util
    import sys

    script = Path(__file__).resolve().parents[2] / "sample_data" / "make_demo.py"
    spec = importlib.util.spec_from_file_location("make_demo", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_demo", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    assert module.render() == demo_path().read_text(encoding="utf-8")


def test_demo_file_round_trips_through_import_and_export(cli: Cli, tmp_path: Path) -> None:
    text = demo_path().read_text(encoding="utf-8")
    as_of = json.loads(text)["as_of"]
    slug = cli.ok("import", str(demo_path())).strip()
    out = tmp_path / "again.json"
    cli.ok("export", slug, "--format", "json", "--as-of", as_of, "-o", str(out))
    assert out.read_text(encoding="utf-8") == text
