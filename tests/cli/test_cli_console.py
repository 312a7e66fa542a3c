"""``warroom`` and ``warroom demo`` hand the console what it needs (the app itself is faked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.cli.conftest import Cli
from warroom.tui import app as app_module


@dataclass
class FakeApp:
    """Stands in for the Textual app: records how it was built and that it ran."""

    kwargs: dict[str, Any]
    ran: bool = False
    seen: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        """Look at the store while it is open, as the real app would."""
        self.ran = True
        store = self.kwargs["store"]
        self.seen["incidents"] = [r.slug for r in store.incidents()]


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[FakeApp]:
    """Replace ``make_app``; returns the list of apps built."""
    built: list[FakeApp] = []

    def make_app(**kwargs: Any) -> FakeApp:
        built.append(FakeApp(kwargs))
        return built[-1]

    monkeypatch.setattr(app_module, "make_app", make_app)
    return built


def test_warroom_opens_the_console_on_the_configured_db(cli: Cli, fake_app: list[FakeApp]
                                                         ) -> None:
    slug = cli.ok("new", "Checkout errors").strip()
    assert cli.ok("--author", "priya") == ""
    (app,) = fake_app
    assert app.ran and app.seen["incidents"] == [slug]
    assert app.kwargs["incident_ref"] is None
    assert app.kwargs["author"] == "priya"
    assert app.kwargs["store"].path == cli.db


def test_demo_opens_the_console_on_a_temporary_copy(cli: Cli, fake_app: list[FakeApp]) -> None:
    assert cli.ok("demo") == ""
    (app,) = fake_app
    assert app.seen["incidents"] == ["checkout-card-payments"]
    assert app.kwargs["incident_ref"] == "checkout-card-payments"
    assert not app.kwargs["store"].path.exists()  # the temporary copy is gone afterwards
    assert not cli.db.exists()


def test_demo_twice_into_a_kept_db(cli: Cli, fake_app: list[FakeApp], tmp_path) -> None:
    keep = tmp_path / "demo.db"
    cli.ok("demo", "--db", str(keep))
    cli.ok("demo", "--db", str(keep))
    assert fake_app[-1].kwargs["incident_ref"] == "checkout-card-payments-2"
    assert keep.exists()
