"""The war room's footer: built once the incident is read, rebuilt only when its keys change."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from warroom.store import IncidentRecord
from warroom.tui.widgets.footer import QuietFooter

from .conftest import AppFactory, settle


def _keys(footer: QuietFooter) -> list[str]:
    return [key.description for key in footer.query(FooterKey)]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    app_factory: AppFactory, incident: IncidentRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    recompose = QuietFooter.recompose

    async def counted(self: QuietFooter) -> Any:
        builds.append(1)
        return await recompose(self)

    monkeypatch.setattr(QuietFooter, "recompose", counted)
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(QuietFooter)
        assert "Help" in _keys(footer)
        built = len(builds)
        for _ in range(3):  # bindings refreshed, the keys shown the same: no rebuild
            app.screen.refresh_bindings()
            await settle(pilot)
        assert len(builds) == built
        await pilot.press("f2")  # the timeline has keys of its own
        await settle(pilot)
        assert len(builds) == built + 1 and "Mark key" in _keys(footer)
        await pilot.press("escape")  # back to the scribe input
        await settle(pilot)
        assert len(builds) == built + 2 and "Mark key" not in _keys(footer)


async def test_a_held_footer_shows_no_keys_until_released() -> None:
    from textual.app import App, ComposeResult
    from textual.binding import Binding

    class Host(App[None]):
        BINDINGS = [Binding("f1", "bell", "Ring")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            yield QuietFooter(held=True)

    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(QuietFooter)
        assert _keys(footer) == []
        await footer.release()
        await pilot.pause()
        assert "Ring" in _keys(footer)
