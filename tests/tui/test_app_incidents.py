"""The incident list and the new-incident modal, through the real app."""

from __future__ import annotations

from datetime import UTC

from textual.widgets import DataTable, Input, Select

from tests.support.incidents import seed_incident
from warroom.domain.events import EventKind, Phase, Severity
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import IncidentRecord, Store
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.tui.screens.new_incident import NewIncidentScreen, parse_services
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, screen_text, settle


async def test_list_shows_open_incidents_first_with_their_details(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    closed = seed_incident(store, frozen_time, title="Old DNS outage", severity=3)
    IncidentSession(store, closed, time=frozen_time, tz=UTC).log("/resolved fixed")
    frozen_time.advance(minutes=5)
    seed_incident(store, frozen_time, title="Search is slow", severity=4, lines=())
    frozen_time.advance(minutes=5)
    seed_incident(store, frozen_time, title="Checkout down", severity=1, lines=("/ic alice",))
    frozen_time.advance(minutes=3)
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        table = app.screen.query_one(DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert titles == ["Checkout down", "Search is slow", "Old DNS outage"]
        first = [str(cell) for cell in table.get_row_at(0)]
        assert "SEV1" in first[0]
        assert first[2] == "responding"
        assert first[3] == "4m", "declared 1 + 3 minutes ago"
        assert first[4], "an open SEV1 has an urgent clock"
        assert "resolved" in [str(c) for c in table.get_row_at(2)][2]
        assert "2 open" in screen_text(app)


async def test_enter_opens_the_selected_incident(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen)
        assert app.screen.record.id == incident.id
        assert "Checkout errors in EU" in screen_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)


async def test_empty_list_says_how_to_declare(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "Press n to declare one" in screen_text(app)


async def test_new_incident_modal_declares_and_opens_it(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewIncidentScreen)
        app.screen.query_one("#new-title", Input).value = "Payments [/] failing"
        app.screen.query_one("#new-severity", Select).value = "1"
        app.screen.query_one("#new-services", Input).value = "payments, ledger"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen)
        records = store.incidents()
        assert len(records) == 1
        events = store.events(records[0].id)
        assert events[0].kind == EventKind.DECLARED
        assert events[0].data.title == "Payments [/] failing"  # type: ignore[union-attr]
        assert events[0].data.severity == Severity.SEV1  # type: ignore[union-attr]
        assert events[0].data.services == ("payments", "ledger")  # type: ignore[union-attr]
        assert events[0].author == "sam"
        assert events[0].occurred_at == frozen_time.now()
        assert "Payments [/] failing" in screen_text(app)


async def test_new_incident_unclassified_and_title_required(
    app_factory: AppFactory, store: Store
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewIncidentScreen), "no title: the form stays"
        assert "needs a title" in screen_text(app)
        await pilot.press(*"API errors")
        await pilot.press("ctrl+s")
        await settle(pilot)
        records = store.incidents()
        assert [r.title for r in records] == ["API errors"]
        state = IncidentSession(store, records[0]).state
        assert state.severity is None and state.phase == Phase.DETECTED


async def test_new_incident_cancel_writes_nothing(app_factory: AppFactory, store: Store) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"oops")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert store.incidents() == []


def test_parse_services_cleans_and_dedupes() -> None:
    assert parse_services("checkout, payments  checkout,\x1b[31mapi") == (
        "checkout", "payments", "api",
    )
    assert parse_services("  ") == ()


def test_list_order_ranks_unclassified_as_sev2() -> None:
    """An unclassified incident is run as SEV2: it is listed with SEV2, above SEV3/SEV4."""
    from datetime import timedelta

    from tests.support.times import T0
    from warroom.domain.events import Severity
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.tui.screens.incident_list import IncidentSummary, order

    def summary(severity: Severity | None, minute: int) -> IncidentSummary:
        return IncidentSummary(record=None, is_open=True, severity=severity,  # type: ignore[arg-type]
                               severity_label="x", phase="detected",
                               declared_at=T0 + timedelta(minutes=minute), urgent=None,
                               event_count=1)

    rows = [summary(Severity.SEV4, 9), summary(None, 1), summary(Severity.SEV3, 8),
            summary(Severity.SEV2, 0)]
    ordered = order(rows, policy=DEFAULT_POLICY)
    assert [s.severity for s in ordered] == [None, Severity.SEV2, Severity.SEV3, Severity.SEV4]


async def test_list_shows_resolved_times_in_the_readers_zone(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    from datetime import timedelta, timezone

    from warroom.domain.timefmt import format_zoned

    closed = seed_incident(store, frozen_time, title="Old DNS outage", severity=3)
    session = IncidentSession(store, closed, time=frozen_time, tz=UTC)
    session.log("/resolved fixed")
    session.log("/status resolved Checkout works again since 14:02 UTC.")
    resolved_at = frozen_time.now()
    frozen_time.advance(minutes=5)
    zone = timezone(timedelta(hours=9), "JST")
    app = app_factory(tz=zone)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        clock = str(table.get_row_at(0)[4])
        expected = format_zoned(resolved_at, zone, now=frozen_time.now())
        assert clock == f"resolved {expected}", "the reader's zone, as in the war room"
        assert "JST" in clock


async def test_list_palette_offers_quit_once(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    from warroom.tui.commands import ConsoleCommands

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        titles = [str(hit.text) async for hit in ConsoleCommands(app.screen).discover()]
        assert "Incidents: New incident" in titles
        assert [t for t in titles if "Quit" in t] == ["Quit"], "the app's Quit, not a second one"


async def test_list_footer_and_help_name_enter(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    from warroom.tui.widgets.help import HelpScreen

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert "Open" in screen_text(app).splitlines()[-1], "the footer names Enter's action"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        from textual.widgets import Markdown

        keys = app.screen.query_one(Markdown).source
        assert "Open the selected incident's war room" in keys
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen), "Enter still opens the selected incident"


async def test_a_resolved_row_shows_how_long_it_lasted_and_owes_no_classification(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    """Duration: declared (no impact start recorded) → resolved, not the age to now."""
    record = seed_incident(store, frozen_time, title="Unclassified blip", severity=None,
                           lines=())
    frozen_time.advance(minutes=42)
    session = IncidentSession(store, record, time=frozen_time, tz=UTC)
    session.log("/resolved fixed")
    session.log("/status resolved Search works again since 14:02 UTC.")
    frozen_time.advance(hours=5)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        row = dict(zip(table.columns, (str(cell) for cell in table.get_row_at(0)), strict=True))
        assert row["age"] == "42m", row
        # never classified nor acknowledged: neither is owed once it is resolved
        assert row["clock"].startswith("resolved"), row
        assert "Duration" in screen_text(app)
