"""SIGKILL at random moments: no acknowledged entry lost, nothing half-written, the file healthy.

Drives ``benchmarks/crash_harness.py`` (the same code as the standalone ``--kills N``
runner). The seed is fixed so a failure reproduces; set ``WARROOM_CRASH_SEED`` to
explore others (the seed is printed and named in every failure).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from .conftest import harness

SEED = int(os.environ.get("WARROOM_CRASH_SEED", "20261127"))
KILLS = 200


@pytest.mark.slow
def test_two_hundred_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    print(f"crash harness seed: {SEED}")
    try:
        report = harness.run_harness(KILLS, SEED, tmp_path, log=print)
    except harness.HarnessFailure as failure:
        pytest.fail(f"seed {SEED}: {failure}")
    print(report)
    assert report.kills == KILLS
    assert report.checks == KILLS  # every kill was followed by the full check
    assert report.console_checks >= 2  # and the console opened the database now and then
    # Every kind of writer was killed, and each had acknowledged entries to lose.
    assert set(report.kills_by_mode) == {"store", "cli", "console", "exec"}
    for mode in ("store", "cli", "console"):
        assert report.acked_by_mode[mode] > 0, report
    assert report.acked >= KILLS  # on average more than one entry per life
    assert report.events >= report.acked + 1


@pytest.mark.slow
def test_unsent_draft_survives_a_kill_of_the_console(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    db = tmp_path / "draft.db"
    harness.prepare(db)
    server = harness.WriterServer(harness.writer_env(db, config))
    try:
        draft = "half a thought: rollback café 漢字 🚀"
        restored = harness.draft_survives_kill(server, str(db), draft)
    finally:
        server.close()
    assert restored == draft


def test_harness_detects_a_lost_acknowledged_entry(tmp_path: Path) -> None:
    """The check can fail: an ACK for an entry that is not on disk is reported."""
    db = tmp_path / "lost.db"
    harness.prepare(db)
    ledger = harness.Ledger()
    text = harness.entry_text(1, 0)
    assert ledger.take_ack(f"ACK 2 {text}", run=1) == 2
    with pytest.raises(harness.HarnessFailure, match="acknowledged event 2 is missing"):
        harness.check_database(db, ledger)


def test_harness_detects_a_half_written_entry(tmp_path: Path) -> None:
    from warroom.domain.events import NewEvent, NoteData
    from warroom.store import Store

    db = tmp_path / "half.db"
    harness.prepare(db)
    with Store.open(db) as store:
        whole = store.events(1)[0].occurred_at
        store.append(1, NewEvent(occurred_at=whole, author="x", data=NoteData(),
                                 text=harness.entry_text(1, 0)[:-1]))
    with pytest.raises(harness.HarnessFailure, match="half-written"):
        harness.check_database(db, harness.Ledger())


def test_truncated_ack_is_not_counted_and_a_wrong_one_fails() -> None:
    ledger = harness.Ledger()
    text = harness.entry_text(3, 5)
    assert ledger.take_ack(f"ACK 9 {text[: len(text) // 2]}", run=3) is None
    assert ledger.truncated_acks == 1
    with pytest.raises(harness.HarnessFailure):
        ledger.take_ack(f"ACK 9 {text}X", run=3)


def test_entry_texts_are_deterministic_clean_and_parse_as_notes() -> None:
    from warroom.domain.sanitize import clean_text

    rng = random.Random(1)
    for _ in range(50):
        run, index = rng.randrange(1, 500), rng.randrange(0, 200)
        text = harness.entry_text(run, index)
        assert text == harness.entry_text(run, index)
        assert clean_text(text) == text == text.strip()
        assert harness.PREFIX.match(text)
