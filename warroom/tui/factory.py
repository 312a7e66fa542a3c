"""The console's one factory: :func:`make_app` builds a :class:`WarroomApp` for the CLI,
the demo and the tests, from a store or a database path the app opens itself."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from warroom.domain.timesource import TimeSource
from warroom.tui.app import WarroomApp

if TYPE_CHECKING:
    from warroom.config import Config
    from warroom.demo import DemoPlan
    from warroom.domain.policy import Policy
    from warroom.store import Store

__all__ = ["make_app"]


def make_app(
    *,
    store: Store | None = None,
    clock: TimeSource,
    policy: Policy | None = None,
    config: Config | None = None,
    incident_ref: str | int | None = None,
    tz: tzinfo | None = None,
    author: str | None = None,
    live: bool = True,
    config_path: Path | None = None,
    db: str | Path | None = None,
    incident: str | int | None = None,
    demo: DemoPlan | None = None,
    history_dir: Path | None = None,
) -> WarroomApp:
    """Build the console — the one factory used by the CLI, the demo and the tests.

    Args:
        store: the open database (or pass ``db``, a path the app opens with ``clock``).
        clock: where ``now`` comes from (``SystemTime``, ``OffsetTime`` for the demo,
            ``FrozenTime`` in tests).
        policy: the rules in force (default: the configuration's, i.e. docs/rules.md's
            defaults merged with the config file's policy, resolved when first needed).
        config: the user's configuration (theme, keybindings, author, time zone);
            default: all defaults.
        incident_ref: open this incident's war room at once (id or slug);
            ``incident`` is accepted as another name for it.
        tz: the viewer's zone (default: ``config.tz()``).
        author: who writes entries (default: ``config.author_name()``).
        live: ``False`` runs no tick/poll timers and no cursor blink (snapshots, tests)
            and never writes the config file.
        config_path: where a theme change is saved (default: the config's file).
        db: a database path, when no ``store`` is given. The app opens it when first
            needed: with ``incident_ref``, after the war room's first frame (in the
            worker that reads the incident), so the window is drawn before the store,
            pydantic and the domain models are even imported; without one, in the
            incident list's worker, after the list's first frame.
        demo: a plan from :func:`warroom.demo.plan_demo` (``db`` defaults to its
            database): the demo's war room is drawn from it, then its worker creates
            the database and imports the demo incident.
        history_dir: where the scribe's sent lines (↑) are kept per incident; default:
            ``history/`` in the user data folder when ``live``, else nowhere.

    If the app opens the database itself and that fails, it exits at once with
    return code 1 and the error line in :attr:`WarroomApp.start_error`.
    """
    if config is None:
        from warroom.config import Config as _Config

        config = _Config()
    db_path: Path | None = None
    if store is None:
        if db is None and demo is not None:
            db = demo.db_path
        if db is None:
            raise TypeError("make_app needs a store or a db path")
        db_path = Path(db).expanduser().absolute()
    if history_dir is None and live:
        from warroom.tui.panes.scribe.history import default_history_dir

        history_dir = default_history_dir()
    if demo is not None and incident_ref is None and incident is None:
        incident_ref = demo.record.slug
    return WarroomApp(
        store=store, clock=clock, policy=policy, config=config,
        incident_ref=incident_ref if incident_ref is not None else incident,
        tz=tz, author=author, live=live, config_path=config_path, db_path=db_path, demo=demo,
        history_dir=history_dir,
    )
