"""The Textual console: ``make_app`` builds the app used by the CLI, the demo and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warroom.tui.app import WarroomApp

__all__ = ["make_app"]


def make_app(**kwargs: Any) -> WarroomApp:
    """Build the console (see :func:`warroom.tui.factory.make_app`); imports Textual lazily."""
    from warroom.tui.factory import make_app as _make_app

    return _make_app(**kwargs)
