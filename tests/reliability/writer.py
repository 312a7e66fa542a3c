"""A writer process for the crash and concurrency harnesses (a script, not a test module).

It appends entries continuously and prints ``ACK <id> <text>`` (one ``os.write``,
so lines from several processes never interleave) only after the entry is
committed. The harness SIGKILLs it at random moments and checks that every
acknowledged entry survived.

Modes (``--mode``):

- ``store``   – an :class:`~warroom.service.IncidentSession` on one long-lived
  :class:`~warroom.store.Store`: ``session.log(text)`` in a loop;
- ``cli``     – ``warroom log --json TEXT`` through :func:`warroom.cli.main`, in a
  loop (a fresh config, store and session per entry, as a script calling the CLI
  would see; in-process so that hundreds of entries per second are possible);
- ``console`` – the console (``make_app``) driven headless through Pilot: each
  entry goes into the scribe input and Enter is pressed; the ACK is printed by a
  wrapper around ``Store.append`` (i.e. after COMMIT), the console then shows it;
- ``bulk``    – small notes straight through ``Store.append`` (one transaction
  each), as fast as possible: the WAL-growth test;
- ``on-demand`` – one ``session.log`` per line of stdin;
- ``console-check`` – open the console headless on the database and print
  ``CONSOLE <timeline rows> <last id>`` once the war room has loaded;
- ``draft`` – open the console, type a draft (key by key) without sending it,
  wait past the debounce, print ``DRAFT_TYPED`` and idle until killed;
- ``draft-check`` – open the console and print ``DRAFT <json of the scribe input>``.

``serve`` runs a fork server: it imports everything once and forks one child per
``spawn`` request read from stdin (JSON lines), so that a restart costs
milliseconds and the harness can afford hundreds of kills. Protocol (stdout):
``PID <pid>`` when a child starts, the child's own lines, ``EXIT <pid> <status>``
when it ends (killed or not).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

#: Entries longer than a page or two are written now and then (multi-page commits).
BIG_EVERY = 17
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:-_=+()<>?%&*'\"`~|{}"
    "éàüßøñ 漢字かなカナ한국어 ☃★ 🚀🔥👩‍💻 [bold] [/] # > * \\"
)
_OUT_LOCK = threading.Lock()


def entry_text(run: int, index: int) -> str:
    """The exact (printable, already clean) text entry ``index`` of writer run ``run`` logs.

    Deterministic, so the harness can check every stored row against it.
    """
    rng = random.Random(f"{run}:{index}")
    size = rng.randint(2_000, 40_000) if index % BIG_EVERY == BIG_EVERY - 1 else rng.randint(1, 120)
    body = "".join(rng.choice(_ALPHABET) for _ in range(size))
    return " ".join(f"r{run}-e{index} {body}".split())


def emit(line: str) -> None:
    """Print one line with as few writes as possible (one, up to the pipe's buffer)."""
    data = (line + "\n").encode("utf-8")
    with _OUT_LOCK:
        view = memoryview(data)
        while view:
            written = os.write(1, view)
            view = view[written:]


def _ack(event_id: int, text: str) -> None:
    emit(f"ACK {event_id} {text}")


# ----------------------------------------------------------------- writers
def run_store(db: str, run: int, start: int, count: int) -> None:
    """``IncidentSession.log`` in a loop on one store."""
    from warroom.service import IncidentSession, open_incident
    from warroom.store import Store

    with Store.open(db, create=False) as store:
        session = IncidentSession(store, open_incident(store, "1"), author=f"store{run}")
        emit("READY")
        for index in range(start, start + count):
            text = entry_text(run, index)
            event = session.log(text)
            _ack(event.id, event.text)


def run_bulk(db: str, run: int, start: int, count: int) -> None:
    """Small notes straight through ``Store.append``, one transaction each, as fast as it goes."""
    from datetime import UTC, datetime

    from warroom.domain.events import NewEvent, NoteData
    from warroom.store import Store

    with Store.open(db, create=False) as store:
        emit("READY")
        for index in range(start, start + count):
            event = store.append(1, NewEvent(occurred_at=datetime.now(UTC), author=f"bulk{run}",
                                             text=f"r{run}-e{index} bulk", data=NoteData()))
            _ack(event.id, event.text)


def run_on_demand(db: str, run: int) -> None:
    """One ``session.log`` per line read from stdin (the latency test's other terminal)."""
    from warroom.service import IncidentSession, open_incident
    from warroom.store import Store

    with Store.open(db, create=False) as store:
        session = IncidentSession(store, open_incident(store, "1"), author=f"other{run}")
        emit("READY")
        for line in sys.stdin:
            event = session.log(line.rstrip("\n"))
            _ack(event.id, event.text)


def run_cli(db: str, run: int, start: int, count: int) -> None:
    """``warroom log --json TEXT`` through the CLI's ``main`` in a loop."""
    import io

    from warroom.cli import main

    os.environ["WARROOM_DB"] = db
    emit("READY")
    for index in range(start, start + count):
        text = entry_text(run, index)
        out, err = io.StringIO(), io.StringIO()
        code = main(["log", "--author", f"cli{run}", "--json", "1", text], out=out, err=err)
        if code != 0 or err.getvalue():
            emit(f"FAIL rc={code} {' '.join(err.getvalue().split())}")
            return
        stored = json.loads(out.getvalue())
        _ack(int(stored["id"]), stored["text"])


def _app(db: str, *, live: bool, author: str) -> Any:
    from warroom.config import Config
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.domain.timesource import SystemTime
    from warroom.tui.factory import make_app

    return make_app(
        db=db, clock=SystemTime(), policy=DEFAULT_POLICY, config=Config(),
        incident_ref="1", live=live, author=author,
    )


async def _war_room(pilot: Any, timeout: float = 20.0) -> Any:
    """Wait until the war room has its session; return the screen."""
    from warroom.tui.screens.war_room import WarRoomScreen

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = pilot.app.screen
        if isinstance(screen, WarRoomScreen) and screen.session is not None:
            return screen
        await pilot.pause(0.01)
    raise SystemExit(f"the war room did not open within {timeout} s")


async def _console(db: str, run: int, start: int, count: int) -> None:
    app = _app(db, live=True, author=f"console{run}")
    store = app.store
    committed: list[int] = []
    original = store.append

    def append(incident_id: int, new: Any) -> Any:
        event = original(incident_id, new)
        _ack(event.id, event.text)  # after COMMIT, before the console shows it
        committed.append(event.id)
        return event

    store.append = append  # type: ignore[method-assign]
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        screen = await _war_room(pilot)
        emit("READY")
        scribe = screen.scribe_input
        for index in range(start, start + count):
            text = entry_text(run, index)
            done = len(committed) + 1
            if index % 4 == 0 and len(text) < 40:
                await pilot.press(*text, "enter")  # really typed, key by key
            else:
                scribe.value = text  # a paste, sent as Enter would
                await scribe.action_submit()
            while len(committed) < done:
                await asyncio.sleep(0.002)


async def _console_check(db: str) -> None:
    app = _app(db, live=False, author="checker")
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        screen = await _war_room(pilot)
        await pilot.pause()
        emit(f"CONSOLE {len(screen.timeline.rows)} {screen.session.last_id}")


async def _draft(db: str, text: str) -> None:
    app = _app(db, live=True, author="drafter")
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await _war_room(pilot)
        await pilot.press(*text)
        await pilot.pause(1.0)  # well past the draft debounce
        emit("DRAFT_TYPED")
        while True:
            await asyncio.sleep(1)


async def _draft_check(db: str) -> None:
    app = _app(db, live=True, author="drafter")
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        screen = await _war_room(pilot)
        await pilot.pause(0.2)
        emit(f"DRAFT {json.dumps(screen.scribe_input.value)}")


def run_mode(request: dict[str, Any]) -> None:
    """Run one writer as described by ``request`` (mode, db, run, start, count, text)."""
    mode = request["mode"]
    db = request["db"]
    run, start, count = request.get("run", 0), request.get("start", 0), request.get("count", 10**9)
    if mode == "store":
        run_store(db, run, start, count)
    elif mode == "cli":
        run_cli(db, run, start, count)
    elif mode == "bulk":
        run_bulk(db, run, start, count)
    elif mode == "on-demand":
        run_on_demand(db, run)
    elif mode == "console":
        asyncio.run(_console(db, run, start, count))
    elif mode == "console-check":
        asyncio.run(_console_check(db))
    elif mode == "draft":
        asyncio.run(_draft(db, request["text"]))
    elif mode == "draft-check":
        asyncio.run(_draft_check(db))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


# ----------------------------------------------------------------- fork server
def serve() -> None:
    """Import everything once, then fork one child per JSON request on stdin."""
    import warroom.cli
    import warroom.service
    import warroom.store
    import warroom.tui.app
    import warroom.tui.screens.war_room  # noqa: F401

    emit("SERVING")
    for raw in sys.stdin:
        if not raw.strip():
            continue
        request = json.loads(raw)
        if request.get("op") == "quit":
            return
        gate_r, gate_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: one writer, then out without running parent cleanup
            os.close(gate_w)
            os.read(gate_r, 1)  # wait until "PID" is out: no line of ours can cut into it
            os.close(gate_r)
            status = 0
            try:
                run_mode(request)
            except BaseException as error:  # reported to the harness, which fails the run
                emit(f"FAIL {type(error).__name__}: {' '.join(str(error).split())}")
                status = 1
            os._exit(status)
        os.close(gate_r)
        emit(f"PID {pid}")
        os.write(gate_w, b"x")
        os.close(gate_w)
        _, status = os.waitpid(pid, 0)
        # A leading newline ends a line the child was killed in the middle of.
        emit(f"\nEXIT {pid} {status}")


def main() -> None:
    """``writer.py serve`` or ``writer.py run --mode M --db PATH [--run R --start S --count N]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve")
    one = sub.add_parser("run")
    one.add_argument("--mode", required=True)
    one.add_argument("--db", required=True)
    one.add_argument("--run", type=int, default=0)
    one.add_argument("--start", type=int, default=0)
    one.add_argument("--count", type=int, default=10**9)
    one.add_argument("--text", default="")
    args = parser.parse_args()
    if args.command == "serve":
        serve()
    else:
        request = {"mode": args.mode, "db": str(Path(args.db)), "run": args.run,
                   "start": args.start, "count": args.count, "text": args.text}
        try:
            run_mode(request)
        except Exception as error:
            emit(f"FAIL {type(error).__name__}: {' '.join(str(error).split())}")
            raise SystemExit(1) from None


if __name__ == "__main__":
    main()
