"""The console's on-call report screen, through the real app (Pilot)."""

from __future__ import annotations

from datetime import UTC

from textual.widgets import DataTable, ProgressBar, Sparkline, Static

from tests.support.incidents import seed_incident
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import Store
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.tui.screens.report import ReportScreen

from .conftest import AppFactory, screen_text, settle


def _health(screen: ReportScreen) -> dict[str, list[str]]:
    table = screen.query_one("#report-health", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[0]: row[1:] for row in rows}


async def test_o_opens_the_report_and_it_follows_new_incidents(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    # Detected at +1 min, acknowledged at +2: a SEV2 acked in 1 minute, one page.
    seed_incident(store, frozen_time, lines=("/detected alert", "/ack", "/runbook rb.md"))
    frozen_time.advance(minutes=5)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        health = _health(screen)
        assert health["Mean time-to-ack, SEV2"][:2] == ["1.0 min", "1"]
        assert health["Mean time-to-ack, SEV1"][0] == "—"
        assert health["Mean time-to-ack, SEV1"][3] == "not enough data"
        assert health["Pages that had a runbook"][0] == "100 %"
        assert sum(screen.query_one("#report-pages", Sparkline).data or []) == 1
        assert screen.query_one("#report-coverage", ProgressBar).progress == 100
        assert "On-call report" in screen_text(app)

        # A SEV1 paged and acknowledged 9 minutes later lands: the screen follows.
        record = seed_incident(store, frozen_time, title="Checkout down", severity=1,
                               lines=("/detected alert",))
        frozen_time.advance(minutes=9)
        IncidentSession(store, record, time=frozen_time, tz=UTC).log("/ack")
        screen._check()  # what the refresh timer does every two seconds
        await settle(pilot)
        health = _health(screen)
        assert health["Mean time-to-ack, SEV1"][:2] == ["9.0 min", "1"]
        assert health["Mean time-to-ack, SEV1"][3] == "watch"
        assert health["Pages that had a runbook"][0] == "50 %"
        assert sum(screen.query_one("#report-pages", Sparkline).data or []) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)


async def test_the_palette_opens_the_report(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"on-call report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert _health(app.screen)["Pages per on-call week"][0] == "0.0"


async def test_the_roster_shows_the_runbook_and_the_post_mortem_verdict(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    from .conftest import open_war_room

    record = seed_incident(store, frozen_time, severity=1,
                           lines=("/detected alert", "/runbook runbooks/checkout.md"))
    app = app_factory(incident_ref=record.slug)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        await settle(pilot)
        roster = screen.query_one("#roster-review")
        assert str(roster.render()) == "Runbook: runbooks/checkout.md"
        await pilot.press(*"/resolved", "enter")
        await settle(pilot)
        screen.refresh_view()
        await settle(pilot)
        assert str(roster.render()).splitlines() == [
            "Runbook: runbooks/checkout.md",
            "Post-mortem required: SEV1: every SEV1 needs one",
        ]


async def test_the_heading_counts_in_words_and_the_weeks_are_labelled(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    seed_incident(store, frozen_time, lines=("/detected alert", "/ack"))
    frozen_time.advance(minutes=5)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen) and screen.report is not None
        text = screen_text(app)
        assert "1 incident · 1 page" in text and "1 incidents" not in text
        from warroom.report.fmt import stamp

        report = screen.report
        starts = [stamp(week.start, report.zone)[5:10] for week in report.weeks]
        assert len(starts) == 4
        weeks = screen.query_one("#report-weeks", Static)
        assert str(weeks.render()).split() == starts
        # each week's count stands under that week's start date, in both charts
        for selector, counts in (
            ("#report-pages-values", [w.pages for w in report.weeks]),
            ("#report-after-values", [w.after_hours_pages for w in report.weeks]),
        ):
            values = screen.query_one(selector, Static)
            assert values.region.x == weeks.region.x
            shown = str(values.render())
            header = str(weeks.render())
            for start, count in zip(starts, counts, strict=True):
                end = header.index(start) + len(start)
                assert shown[:end].endswith(str(count)) and shown[:end].strip(), (
                    header, shown)
