"""Exports read from an EventLog's rows: the same bytes as from a list of events, no Event built.

``warroom export`` and the console hand the exporters the session's
:class:`~warroom.domain.eventlog.EventLog`; the exporters then read its columns
instead of building an :class:`Event` per entry. These tests hold that path to
the list path (and the JSON ``events`` array to pydantic's own serialiser) byte
for byte, on the demo incident and on random ones.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pydantic_core
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.export.incident import NOW, RECORD, demo_events
from tests.export.mdparse import CM_TABLES, timeline_rows
from warroom.cli.files import session_export
from warroom.domain import eventlog
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    CommandData,
    ComponentState,
    CorrectionData,
    DecisionData,
    DeclaredData,
    Event,
    EventData,
    KeyMarkData,
    NoteData,
    Phase,
    PhaseChangedData,
    Role,
    RoleAssignedData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.fold import fold
from warroom.domain.jsonable import to_jsonable
from warroom.domain.metrics import compute_metrics
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timefmt import iso_utc
from warroom.domain.timesource import FrozenTime
from warroom.export import json_export, markdown
from warroom.export.json_export import export_json
from warroom.export.markdown import render_postmortem
from warroom.export.render import default_as_of, render_incident
from warroom.service import IncidentSession
from warroom.store import Store

PARIS = ZoneInfo("Europe/Paris")
LATER = NOW + timedelta(days=3)


def reference_json(events: list[Event], now: datetime = NOW) -> str:
    """The JSON export serialised the way it was before the fast path: every event
    dumped by pydantic (``model_dump(mode="json")``), the whole document by pydantic."""
    state = fold(events)
    document = {
        "as_of": iso_utc(now),
        "events": [
            json_export._sorted(e.model_dump(mode="json"))
            for e in sorted(events, key=lambda e: e.id)
        ],
        "format": json_export.FORMAT_NAME,
        "format_version": json_export.FORMAT_VERSION,
        "incident": {
            "created_at": iso_utc(RECORD.created_at),
            "slug": RECORD.slug,
            "title": RECORD.title,
        },
        "metrics": json_export._sorted(
            to_jsonable(compute_metrics(state, DEFAULT_POLICY, now))
        ),
        "state": json_export._state_dict(state),
    }
    return json_export._dumps(document)


# ----------------------------------------------------------------- demo incident
@pytest.mark.parametrize("tz", [UTC, PARIS])
def test_markdown_from_a_log_equals_markdown_from_the_list(tz: tzinfo) -> None:
    events = demo_events()
    log = EventLog(events)
    state = fold(events)
    from_list = render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW, tz=tz)
    assert render_postmortem(RECORD, log, DEFAULT_POLICY, now=NOW, tz=tz) == from_list
    assert render_postmortem(RECORD, log, DEFAULT_POLICY, now=NOW, tz=tz, state=state) == from_list
    assert render_postmortem(RECORD, reversed(events), DEFAULT_POLICY, now=NOW, tz=tz) == from_list


def test_json_from_a_log_equals_json_from_the_list_and_pydantic() -> None:
    events = demo_events()
    from_list = export_json(RECORD, events, DEFAULT_POLICY, now=NOW)
    assert export_json(RECORD, EventLog(events), DEFAULT_POLICY, now=NOW) == from_list
    assert export_json(RECORD, reversed(events), DEFAULT_POLICY, now=NOW) == from_list
    assert from_list == reference_json(events)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_render_incident_takes_the_log_as_it_is(fmt: str) -> None:
    events = demo_events()
    state = fold(events)
    common: dict[str, Any] = {"state": state, "now": LATER, "tz": PARIS}
    from_log = render_incident(fmt, RECORD, EventLog(events), DEFAULT_POLICY, **common)
    assert from_log == render_incident(fmt, RECORD, events, DEFAULT_POLICY, **common)
    assert from_log == render_incident(fmt, RECORD, iter(events), DEFAULT_POLICY, **common)


@pytest.mark.parametrize("count", [17, 24])  # open (as of now) and resolved (as of its last)
def test_default_as_of_reads_the_log_columns(count: int) -> None:
    events = demo_events()[:count]
    state = fold(events)
    assert default_as_of(state, EventLog(events), LATER) == default_as_of(state, events, LATER)
    assert default_as_of(state, EventLog(), LATER) == default_as_of(state, [], LATER)


def test_exports_of_a_log_build_no_event_per_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000 notes and 3 key events: only the key events and the state's are built."""
    start = NOW - timedelta(hours=2)
    events = [
        Event(id=1, occurred_at=start, recorded_at=start, author="ann", text="",
              data=DeclaredData(title="Checkout errors")),
        *(
            Event(id=i, occurred_at=start + timedelta(seconds=i), recorded_at=NOW,
                  author="bob", text=f"note {i}", key=i % 400 == 0, data=NoteData())
            for i in range(2, 1002)
        ),
    ]
    log = EventLog(events)
    expected = {
        "md": render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW),
        "json": export_json(RECORD, events, DEFAULT_POLICY, now=NOW),
    }
    built: list[int] = []
    real = eventlog.trusted_event

    def counting(*args: Any) -> Event:
        built.append(args[0])
        return real(*args)

    def refuse(*args: object) -> object:
        raise AssertionError("the export iterated the log's events")

    monkeypatch.setattr(eventlog, "trusted_event", counting)
    monkeypatch.setattr(markdown, "trusted_event", counting)
    monkeypatch.setattr(EventLog, "__iter__", refuse)
    monkeypatch.setattr(EventLog, "__getitem__", refuse)
    assert render_postmortem(RECORD, log, DEFAULT_POLICY, now=NOW) == expected["md"]
    assert export_json(RECORD, log, DEFAULT_POLICY, now=NOW) == expected["json"]
    assert len(built) <= 2 * 4, built  # fold + key events, per export
    for fmt, text in expected.items():
        state = fold(log)
        assert render_incident(fmt, RECORD, log, DEFAULT_POLICY, state=state, now=NOW,
                               tz=UTC) == text


# ----------------------------------------------------------------- odd values
def test_timeline_times_are_utc_whatever_the_events_zone() -> None:
    """An event stored with another zone is shown at its UTC time (labelled UTC)."""
    events = demo_events()
    moved = [e.model_copy(update={"occurred_at": e.occurred_at.astimezone(PARIS)}) for e in events]
    assert render_postmortem(RECORD, moved, DEFAULT_POLICY, now=NOW) == render_postmortem(
        RECORD, events, DEFAULT_POLICY, now=NOW
    )
    rows = timeline_rows(render_postmortem(RECORD, moved, DEFAULT_POLICY, now=NOW), CM_TABLES)
    assert rows[2]["Time (UTC)"] == "2026-11-27 13:52:00 UTC"  # impact start, 14:52 in Paris


def test_json_of_events_in_other_zones_is_pydantic_s() -> None:
    events = demo_events()
    moved = [
        e.model_copy(
            update={
                "occurred_at": e.occurred_at.astimezone(PARIS).replace(microsecond=e.id),
                "recorded_at": e.recorded_at.astimezone(timezone(timedelta(hours=-3))),
            }
        )
        for e in events
    ]
    text = export_json(RECORD, EventLog(moved), DEFAULT_POLICY, now=NOW)
    assert text == reference_json(moved)
    assert '"occurred_at": "2026-11-27T14:52:00.000002+01:00"' in text


@pytest.mark.parametrize("code", range(128))
def test_every_ascii_character_is_escaped_as_pydantic_does(code: int) -> None:
    """As pydantic writes it, then DEL escaped like every character a terminal acts on."""
    text = f"a{chr(code)}b"
    pieces = json_export._Pieces()
    expected = json_export._escape_raw(pydantic_core.to_json(text).decode())
    assert pieces.string(text) == expected
    assert (expected == pydantic_core.to_json(text).decode()) is (code != 0x7F)


@pytest.mark.parametrize(
    "texts",
    [
        ["del \x7f", "plain"],  # an all-ASCII document
        ["del \x7f", "csi \x9b"],
        ["del \x7f", "é"],
        ["del \x7f \u202e"],
    ],
)
def test_del_is_always_escaped(texts: list[str]) -> None:
    events = demo_events()[:3]
    odd = [*events, *(
        events[1].model_copy(update={"id": 10 + i, "text": text}) for i, text in enumerate(texts)
    )]
    text = export_json(RECORD, odd, DEFAULT_POLICY, now=NOW)
    assert text == reference_json(odd)
    assert "\\u007f" in text and "\x7f" not in text


def test_del_in_the_title_follows_the_events_text() -> None:
    events = demo_events()[:3]
    title = events[0].model_copy(
        update={"data": events[0].data.model_copy(update={"title": "del \x7f"})}
    )
    for extra in ("plain", "é"):
        odd = [title, *events[1:], events[1].model_copy(update={"id": 9, "text": extra})]
        assert export_json(RECORD, odd, DEFAULT_POLICY, now=NOW) == reference_json(odd)


def test_unsafe_characters_are_escaped_and_lone_surrogates_refused_as_before() -> None:
    events = demo_events()
    odd = events[11].model_copy(update={"text": "x\x9b[31m \u202e evil \u2028 é 😀 \x7f"})
    text = export_json(RECORD, [*events[:11], odd], DEFAULT_POLICY, now=NOW)
    assert text == reference_json([*events[:11], odd])
    assert "\\u009b" in text and "\\u202e" in text and "😀" in text
    broken = events[11].model_copy(update={"text": "lone \ud800"})
    with pytest.raises(pydantic_core.PydanticSerializationError):
        export_json(RECORD, [*events[:11], broken], DEFAULT_POLICY, now=NOW)


# ----------------------------------------------------------------- random incidents
ZONES = [UTC, PARIS, timezone(timedelta(hours=-7)), ZoneInfo("Asia/Kathmandu")]
texts = st.text(max_size=40) | st.sampled_from(
    ["", "  padded ", "a|b `c` <script>", "# head", "1. item", "two\nlines", "\x1b[31mred", "é😀"]
)


@st.composite
def payloads(draw: st.DrawFn, count: int) -> EventData:
    """One of the payload shapes the exports label differently."""
    target = draw(st.integers(1, count))
    return draw(
        st.sampled_from(
            [
                NoteData(),
                NoteData(),
                DecisionData(),
                CommandData(),
                CorrectionData(target=target),
                KeyMarkData(target=target),
                StatusUpdateData(
                    phase=StatusPhase.IDENTIFIED,
                    components={"Checkout": ComponentState.MAJOR_OUTAGE, "a|b": "operational"},
                ),
                RoleAssignedData(role=Role.IC, person="dave"),
                PhaseChangedData(phase=Phase.MITIGATED),
                PhaseChangedData(phase=Phase.RESOLVED),
            ]
        )
    )


@st.composite
def incidents(draw: st.DrawFn) -> list[Event]:
    """Events with ids 1..n in a random order: back-dated, zoned, with microseconds."""
    count = draw(st.integers(1, 14))
    start = NOW - timedelta(hours=3)
    events = [
        Event(id=1, occurred_at=start, recorded_at=start, author="ann", text=draw(texts),
              data=DeclaredData(title=draw(texts) or "t", services=("checkout",)))
    ]
    for event_id in range(2, count + 1):
        zone = draw(st.sampled_from(ZONES))
        at = start + timedelta(seconds=draw(st.integers(-3600, 7200)),
                               microseconds=draw(st.sampled_from([0, 1, 999_999])))
        events.append(
            Event(
                id=event_id,
                occurred_at=at.astimezone(zone),
                recorded_at=start + timedelta(seconds=event_id, microseconds=draw(
                    st.integers(0, 999_999))),
                author=draw(st.sampled_from(["ann", "bob", "c|d", "é"])),
                text=draw(texts),
                key=draw(st.booleans()),
                data=draw(payloads(count)),
            )
        )
    return draw(st.permutations(events))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=incidents(), tz=st.sampled_from([UTC, PARIS]))
def test_random_incidents_export_the_same_from_a_log_and_a_list(
    events: list[Event], tz: tzinfo
) -> None:
    log = EventLog(events)
    assert render_postmortem(RECORD, log, DEFAULT_POLICY, now=NOW, tz=tz) == render_postmortem(
        RECORD, events, DEFAULT_POLICY, now=NOW, tz=tz
    )
    from_log = export_json(RECORD, log, DEFAULT_POLICY, now=NOW)
    assert from_log == export_json(RECORD, events, DEFAULT_POLICY, now=NOW)
    assert from_log == reference_json(events)
    assert json.loads(from_log)["events"] == [
        e.model_dump(mode="json") for e in sorted(events, key=lambda e: e.id)
    ]


# ----------------------------------------------------------------- the CLI's path
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_the_cli_export_of_a_stored_incident_equals_the_list_export(
    tmp_path: Path, fmt: str
) -> None:
    """``warroom export``'s path (session log + fold) gives the bytes of the list path."""
    events = demo_events()
    with Store.open(tmp_path / "w.db", clock=FrozenTime(NOW)) as store:
        record = store.import_incident(
            slug=RECORD.slug, title=RECORD.title, created_at=RECORD.created_at, events=events
        )
        session = IncidentSession(store, record, time=FrozenTime(LATER), tz=PARIS)
        assert isinstance(session.timeline, EventLog)
        from_list = render_incident(
            fmt, record, store.events(record.id), DEFAULT_POLICY, state=fold(events), now=LATER,
            tz=PARIS,
        )
        assert session_export(session, fmt) == from_list
