"""``warroom`` and ``warroom demo`` hand the console what it needs (the app itself is faked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
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
        store = self.kwargs.get("store")
        if store is not None:
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


def test_open_draws_the_war_room_before_the_store_loads(cli: Cli, fake_app: list[FakeApp]
                                                        ) -> None:
    slug = cli.ok("new", "Checkout errors").strip()
    assert cli.ok("open", slug) == ""
    (app,) = fake_app
    assert app.ran
    assert app.kwargs["db"] == cli.db and "store" not in app.kwargs
    assert app.kwargs["incident_ref"] == slug


def test_open_without_an_incident_takes_the_single_open_one(cli: Cli, fake_app: list[FakeApp]
                                                            ) -> None:
    slug = cli.ok("new", "Checkout errors").strip()
    assert cli.ok("open") == ""
    (app,) = fake_app
    assert app.kwargs["incident_ref"] == slug
    assert app.seen["incidents"] == [slug]  # through the store: it vetted the choice


def test_open_with_a_custom_policy_goes_through_the_store(cli: Cli, fake_app: list[FakeApp],
                                                         tmp_path: Path) -> None:
    slug = cli.ok("new", "Checkout errors").strip()
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\n", encoding="utf-8")
    assert cli.ok("open", slug, "--policy", str(policy)) == ""
    (app,) = fake_app
    assert app.kwargs["store"].path == cli.db and app.kwargs["incident_ref"] == slug


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("open", "nope"), "no incident with slug 'nope'"),
        (("open", "7"), "no incident with id 7"),
    ],
)
def test_open_refuses_an_unknown_incident_in_one_line(cli: Cli, fake_app: list[FakeApp],
                                                     argv: tuple[str, ...], message: str) -> None:
    cli.ok("new", "Checkout errors")
    result = cli(*argv)
    assert result.code == 1 and result.err_lines == [f"warroom: error: {message}"]
    assert fake_app == []


def test_open_without_a_database_is_one_line_and_creates_nothing(cli: Cli,
                                                                fake_app: list[FakeApp]) -> None:
    result = cli("open", "1")
    assert result.code == 1 and len(result.err_lines) == 1
    assert result.err_lines[0].startswith("warroom: error: no database at")
    assert not cli.db.exists() and fake_app == []
