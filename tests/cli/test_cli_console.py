"""``warroom`` and ``warroom demo`` hand the console what it needs (the app itself is faked).

With the default policy and a database the store opens as it is, the console gets
a path (``db=``) and opens it after its first frame; ``warroom demo`` gets a plan
(``demo=``) whose import the console runs after its first frame. Anything else goes
through the store first: a problem is one line and no console.
"""

from __future__ import annotations

import builtins
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli, assert_one_error_line
from warroom.demo import DemoPlan
from warroom.store import Store
from warroom.tui import factory as factory_module


@dataclass
class FakeApp:
    """Stands in for the Textual app: records how it was built and that it ran."""

    kwargs: dict[str, Any]
    ran: bool = False
    seen: dict[str, Any] = field(default_factory=dict)
    start_error: str | None = None

    def run(self) -> None:
        """Look at the store while it is open, as the real app would (opening a path,
        importing a demo plan first)."""
        self.ran = True
        store = self.kwargs.get("store")
        if store is not None:
            self.seen["incidents"] = [r.slug for r in store.incidents()]
            return
        with Store.open(self.kwargs["db"], create=self.kwargs.get("demo") is not None) as opened:
            demo: DemoPlan | None = self.kwargs.get("demo")
            if demo is not None:
                self.seen["demo"] = demo.build(opened)
            self.seen["incidents"] = [r.slug for r in opened.incidents()]


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[FakeApp]:
    """Replace ``make_app``; returns the list of apps built."""
    built: list[FakeApp] = []

    def make_app(**kwargs: Any) -> FakeApp:
        built.append(FakeApp(kwargs))
        return built[-1]

    monkeypatch.setattr(factory_module, "make_app", make_app)
    return built


def test_warroom_opens_the_console_on_the_configured_db(cli: Cli, fake_app: list[FakeApp]
                                                         ) -> None:
    """The list is drawn first: the console gets the path, not an open store."""
    slug = cli.ok("new", "Checkout errors").strip()
    assert cli.ok("--author", "priya") == ""
    (app,) = fake_app
    assert app.ran and app.seen["incidents"] == [slug]
    assert app.kwargs.get("incident_ref") is None
    assert app.kwargs["author"] == "priya"
    assert app.kwargs["db"] == cli.db and "store" not in app.kwargs


def test_warroom_without_a_database_creates_it_first(cli: Cli, fake_app: list[FakeApp]) -> None:
    """No file yet: the store creates it before the console starts (on an empty list)."""
    assert cli.ok() == ""
    (app,) = fake_app
    assert app.kwargs["store"].path == cli.db and app.seen["incidents"] == []
    assert cli.db.exists()


def test_warroom_with_a_custom_policy_goes_through_the_store(
    cli: Cli, fake_app: list[FakeApp], tmp_path: Path
) -> None:
    cli.ok("new", "Checkout errors")
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\n", encoding="utf-8")
    assert cli.ok("--policy", str(policy)) == ""
    (app,) = fake_app
    assert app.kwargs["store"].path == cli.db and app.kwargs["policy"] is not None


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a database\n" * 20, encoding="utf-8"), "not a warroom"),
        (_foreign, "another program"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
    ids=["text-file", "foreign-sqlite", "directory"],
)
def test_warroom_on_a_bad_db_is_one_line_and_no_console(
    cli: Cli, fake_app: list[FakeApp], tmp_path: Path, make: Any, message: str
) -> None:
    bad = tmp_path / "bad.db"
    make(bad)
    line = assert_one_error_line(cli("--db", str(bad)), 1)
    assert message in line and fake_app == []


def test_warroom_in_a_missing_folder_is_one_line(cli: Cli, fake_app: list[FakeApp],
                                                tmp_path: Path) -> None:
    line = assert_one_error_line(cli("--db", str(tmp_path / "nope" / "w.db")), 1)
    assert "does not exist" in line and fake_app == []
    assert not (tmp_path / "nope").exists()


def test_warroom_on_an_unreadable_db_is_one_line(cli: Cli, fake_app: list[FakeApp],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """(Reading is refused by a fake ``open``: the tests may run as root.)"""
    cli.ok("new", "Checkout errors")
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)) and Path(file) == cli.db:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    line = assert_one_error_line(cli(), 1)
    assert "permission denied" in line and fake_app == []


def test_warroom_on_a_read_only_db_opens_it_read_only(cli: Cli, fake_app: list[FakeApp],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A database the user cannot write is shown, through a store that cannot write.

    (``os.access`` is faked for the database: the tests may run as root.)
    """
    cli.ok("new", "Checkout errors")
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == cli.db and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    result = cli()
    assert result.code == 0, result.err
    (app,) = fake_app
    assert app.kwargs["store"].read_only is True
    assert [slug.endswith("-checkout-errors") for slug in app.seen["incidents"]] == [True]


def test_a_console_that_cannot_open_its_database_is_one_line(
    cli: Cli, fake_app: list[FakeApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database passed the quick look but the console could not open it: one line, 1."""
    cli.ok("new", "Checkout errors")

    def run(self: FakeApp) -> None:
        self.ran = True
        self.start_error = "warroom.db is corrupt (page 2); refused"

    monkeypatch.setattr(FakeApp, "run", run)
    result = cli()
    assert assert_one_error_line(result, 1) == (
        "warroom: error: warroom.db is corrupt (page 2); refused"
    )
    assert fake_app[0].ran


def test_demo_opens_the_console_on_a_temporary_copy(cli: Cli, fake_app: list[FakeApp]) -> None:
    """The console gets the plan (and draws the demo) before the demo is imported."""
    assert cli.ok("demo") == ""
    (app,) = fake_app
    plan = app.kwargs["demo"]
    assert isinstance(plan, DemoPlan) and "store" not in app.kwargs
    assert plan.record.id == 1 and plan.record.slug == "checkout-card-payments"
    assert plan.record.title == "Checkout: card payments failing"
    assert app.seen["incidents"] == ["checkout-card-payments"]
    assert app.seen["demo"].id == 1 and app.seen["demo"].created_at == plan.record.created_at
    assert app.kwargs["db"].name == "demo.db"
    assert not app.kwargs["db"].exists()  # the temporary copy is gone afterwards
    assert not cli.db.exists()


def test_demo_twice_into_a_kept_db_needs_force(cli: Cli, fake_app: list[FakeApp],
                                              tmp_path: Path) -> None:
    """A database that holds incidents gets no fake SEV1 unless asked; then it is marked."""
    keep = tmp_path / "demo.db"
    cli.ok("demo", "--db", str(keep))
    line = assert_one_error_line(cli("demo", "--db", str(keep)), 1)
    assert "already holds 1 incident" in line and "--force" in line
    cli.ok("demo", "--db", str(keep), "--force")
    first, second = fake_app
    assert (first.kwargs["demo"].record.id, first.kwargs["demo"].record.slug) == (
        1, "checkout-card-payments")
    assert sorted(second.seen["incidents"]) == ["checkout-card-payments",
                                                "demo-checkout-card-payments"]
    assert keep.exists()


def test_demo_with_a_custom_policy_is_built_first(cli: Cli, fake_app: list[FakeApp],
                                                 tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\n", encoding="utf-8")
    assert cli.ok("demo", "--policy", str(policy)) == ""
    (app,) = fake_app
    assert "demo" not in app.kwargs
    assert app.kwargs["incident_ref"] == "checkout-card-payments"
    assert app.seen["incidents"] == ["checkout-card-payments"]


def test_demo_with_a_bad_policy_is_one_line(cli: Cli, fake_app: list[FakeApp],
                                           tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy\n", encoding="utf-8")
    assert_one_error_line(cli("demo", "--policy", str(policy)), 1)
    assert fake_app == []


@pytest.mark.parametrize("where", ["missing-folder", "text-file"])
def test_demo_into_a_bad_db_is_one_line_and_no_console(
    cli: Cli, fake_app: list[FakeApp], tmp_path: Path, where: str
) -> None:
    if where == "missing-folder":
        target = tmp_path / "nope" / "demo.db"
    else:
        target = tmp_path / "notes.db"
        target.write_text("not a database\n" * 20, encoding="utf-8")
    assert_one_error_line(cli("demo", "--db", str(target)), 1)
    assert fake_app == []
    assert not (tmp_path / "nope").exists()


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
