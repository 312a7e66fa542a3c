"""Hostile entry texts through the CLI, the store, the exports and the console.

Each one gets a clear error or a literal rendering: never a traceback, never lost
data, never a control sequence in the output, never markup interpreted.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from rich.cells import cell_len
from textual import events as tevents

from tests.support.times import T0
from warroom.config import Config
from warroom.domain.events import NewEvent, NoteData
from warroom.domain.parser import MAX_ENTRY_CHARS
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.sanitize import clean_text, one_line
from warroom.domain.timesource import FrozenTime
from warroom.service import declare_incident
from warroom.store import IncidentRecord, Store, StoreError
from warroom.tui.factory import make_app
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import Env, assert_clean_failure
from .hostile import LITERALS, PAYLOADS, leaked_secrets, unsafe_characters

ONE_MB = "x" * (1024 * 1024)
TEN_THOUSAND_LINES = "\n".join(f"l{n}" for n in range(10_000))


def _new(env: Env) -> None:
    result = env.cli("new", "Hostile drill", "--sev", "2", time=FrozenTime(T0))
    assert result.code == 0, result.err


def _events(env: Env) -> list[Any]:
    with Store.open(env.db, create=False) as store:
        return store.events(1)


# ------------------------------------------------------------------ CLI
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_cli_log_stores_hostile_text_cleaned(env: Env, name: str) -> None:
    _new(env)
    payload = PAYLOADS[name]
    result = env.cli("log", "--json", "1", payload, time=FrozenTime(T0 + timedelta(minutes=1)))
    assert result.code == 0, result.err
    assert result.err == ""
    stored = _events(env)[-1]
    assert stored.text == clean_text(payload).strip()
    assert unsafe_characters(stored.text) == []
    assert leaked_secrets(stored.text) == []
    assert json.loads(result.out)["text"] == stored.text
    plain = env.cli("show", "1", time=FrozenTime(T0 + timedelta(minutes=2)))
    assert plain.code == 0
    assert unsafe_characters(plain.out) == [] and "\x1b" not in plain.out


def test_cli_keeps_markup_and_visible_words_literally(env: Env) -> None:
    _new(env)
    at = FrozenTime(T0 + timedelta(minutes=1))
    for payload in PAYLOADS.values():
        assert env.cli("log", "1", payload, time=at).code == 0
    texts = " ".join(e.text for e in _events(env))
    for literal in LITERALS:
        assert literal in texts


def test_invalid_utf8_in_argv_of_a_real_process_is_cleaned(env: Env) -> None:
    _new(env)
    result = env.run("log", "1", b"bad \xff\xfe bytes \x1b]0;PWNED-TITLE-0\x07 ok")
    assert result.code == 0, result.err
    assert _events(env)[-1].text == "bad  bytes  ok"


def test_one_megabyte_paste_is_refused_clearly_and_nothing_is_written(env: Env) -> None:
    _new(env)
    before = _events(env)
    result = env.cli("log", "1", ONE_MB, time=FrozenTime(T0 + timedelta(minutes=1)))
    line = assert_clean_failure(result, (2,))
    assert "too long" in line and f"{MAX_ENTRY_CHARS:,}" in line
    assert _events(env) == before


def test_ten_thousand_lines_at_once_are_one_entry_kept_whole(env: Env) -> None:
    _new(env)
    result = env.cli("log", "1", TEN_THOUSAND_LINES, time=FrozenTime(T0 + timedelta(minutes=1)))
    assert result.code == 0, result.err
    assert "\n" not in result.out.strip()  # printed on one line (⏎ for newlines)
    assert _events(env)[-1].text == TEN_THOUSAND_LINES
    md = env.cli("export", "1", "--format", "md", time=FrozenTime(T0 + timedelta(minutes=2)))
    assert md.code == 0 and "l9999" in md.out


# ------------------------------------------------------------------ store + exports
@pytest.fixture
def raw_incident(env: Env) -> IncidentRecord:
    """An incident whose texts went into the store *unsanitised* (as an import could)."""
    with Store.open(env.db, clock=FrozenTime(T0)) as store:
        record = declare_incident(store, "Raw [bold]hostile[/] \x1b]0;PWNED-TITLE-0\x07",
                                  severity=1, at=T0, author="alice")
        for n, (name, payload) in enumerate(sorted(PAYLOADS.items())):
            new = NewEvent(occurred_at=T0 + timedelta(seconds=n + 1), author=f"a[b]{n}",
                           text=payload, data=NoteData())
            if name == "lone-surrogate":
                with pytest.raises(StoreError, match="cannot be stored") as info:
                    store.append(record.id, new)
                assert "\n" not in str(info.value)
                continue
            assert store.append(record.id, new).text == payload  # verbatim
        store.append(record.id, NewEvent(occurred_at=T0 + timedelta(minutes=1), author="bob",
                                         text=ONE_MB, data=NoteData()))
        store.append(record.id, NewEvent(occurred_at=T0 + timedelta(minutes=2), author="bob",
                                         text=TEN_THOUSAND_LINES, data=NoteData()))
    return record


def test_store_keeps_raw_text_verbatim_and_refuses_surrogates(
    env: Env, raw_incident: IncidentRecord
) -> None:
    with Store.open(env.db, create=False) as store:
        texts = [e.text for e in store.events(raw_incident.id)]
    expected = [p for name, p in sorted(PAYLOADS.items()) if name != "lone-surrogate"]
    assert texts[1:-2] == expected  # NUL, ESC, C1 … all stored exactly
    assert texts[-2] == ONE_MB and texts[-1] == TEN_THOUSAND_LINES


def _markdown_text(md: str) -> str:
    body = md.split("\n---\n", 1)[1] if md.startswith("---\n") else md
    out: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(body):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
    return " ".join(out)


def test_markdown_export_of_raw_text_is_clean_and_literal(
    env: Env, raw_incident: IncidentRecord
) -> None:
    result = env.cli("export", "1", "--format", "md", "--as-of", "2026-11-27T15:00Z",
                     time=FrozenTime(T0 + timedelta(hours=1)))
    assert result.code == 0, result.err
    assert unsafe_characters(result.out) == []
    assert leaked_secrets(result.out) == []
    rendered = _markdown_text(result.out)
    for literal in LITERALS:
        assert literal in rendered, literal  # escaped in the source, literal when rendered
    assert ONE_MB[:1000] in result.out and "l9999" in result.out


def test_json_export_of_raw_text_keeps_it_exactly_but_escaped(
    env: Env, raw_incident: IncidentRecord
) -> None:
    result = env.cli("export", "1", "--format", "json", "--as-of", "2026-11-27T15:00Z",
                     time=FrozenTime(T0 + timedelta(hours=1)))
    assert result.code == 0, result.err
    # Nothing a terminal acts on appears raw in the file: ESC, C1, bidi are \u escapes.
    assert unsafe_characters(result.out) == []
    document = json.loads(result.out)
    texts = [e["text"] for e in document["events"]]
    expected = [p for name, p in sorted(PAYLOADS.items()) if name != "lone-surrogate"]
    assert texts[1:-2] == expected  # the record, exactly
    # … and it imports back into a fresh database, byte-identical on re-export.
    path = env.dir / "raw.json"
    path.write_text(result.out, encoding="utf-8")
    other = env.dir / "other.db"
    imported = env.cli("--db", str(other), "import", str(path))
    assert imported.code == 0, imported.err
    again = env.cli("--db", str(other), "export", "1", "--format", "json",
                    "--as-of", "2026-11-27T15:00Z", time=FrozenTime(T0 + timedelta(hours=1)))
    assert again.code == 0, again.err
    assert again.out == result.out


# ------------------------------------------------------------------ console
def _app(store: Store, clock: FrozenTime) -> Any:
    return make_app(store=store, clock=clock, policy=DEFAULT_POLICY, config=Config(),
                    incident_ref=1, tz=UTC, author="sam", live=False)


async def _war_room(pilot: Any) -> WarRoomScreen:
    for _ in range(500):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.01)
        screen = pilot.app.screen
        if isinstance(screen, WarRoomScreen) and screen.session is not None:
            return screen
    raise AssertionError("the war room did not open")


def _visible_lines(screen: WarRoomScreen) -> list[Any]:
    timeline = screen.timeline
    height = timeline.scrollable_content_region.height
    return [timeline.render_line(y) for y in range(height)]


async def test_console_renders_raw_hostile_text_literally(
    env: Env, raw_incident: IncidentRecord
) -> None:
    clock = FrozenTime(T0 + timedelta(minutes=5))
    with Store.open(env.db, create=False, clock=clock) as store:
        app = _app(store, clock)
        async with app.run_test(headless=True, size=(160, 50)) as pilot:
            screen = await _war_room(pilot)
            timeline = screen.timeline
            assert len(timeline.rows) == len(PAYLOADS) - 1 + 3
            timeline.action_first()
            await pilot.pause()
            strips = _visible_lines(screen)
            shown = "\n".join(strip.text for strip in strips)
            for literal in ("[bold]loud[/bold]", "[@click=app.quit]quit-me[/]",
                            "[link=https://markup-link.example/x]y[/link]", "click-me",
                            "after-title-0", "火事です"):
                assert literal in shown, literal
            assert unsafe_characters(shown) == [] and leaked_secrets(shown) == []
            # Every row fills the width exactly: emoji and CJK do not shift the columns.
            width = timeline.scrollable_content_region.width
            assert {strip.cell_length for strip in strips} == {width}
            # The whole screen too, and nothing in it is a live link or an action.
            for strip in strips:
                for segment in strip:
                    style = segment.style
                    assert style is None or (not style.link and not style.meta.get("@click"))
            # Clicking on the "[@click=app.quit]" row does not quit.
            row = next(i for i, e in enumerate(timeline.rows) if "quit-me" in e.text)
            await pilot.click(timeline, offset=(30, row))
            await pilot.pause()
            assert app.is_running
            # The entry detail shows the whole text, literally.
            await pilot.press("escape")
            timeline.focus()
            timeline.cursor = row
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running


async def test_console_types_hostile_text_and_survives_huge_pastes(env: Env) -> None:
    clock = FrozenTime(T0 + timedelta(minutes=1))
    with Store.open(env.db, clock=clock) as store:
        declare_incident(store, "Scribe drill", severity=2, at=T0, author="alice")
        app = _app(store, clock)
        async with app.run_test(headless=True, size=(120, 40)) as pilot:
            screen = await _war_room(pilot)
            scribe = screen.scribe_input
            for name, payload in sorted(PAYLOADS.items()):
                scribe.value = payload
                await scribe.action_submit()
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                assert app.is_running, name
            for _ in range(200):  # the last line may still be on its way to the writer
                if len(store.events(1)) > len(PAYLOADS):
                    break
                await pilot.app.workers.wait_for_complete()
                await pilot.pause(0.01)
            stored = [e.text for e in store.events(1)[1:]]
            assert stored == [clean_text(p).strip() for _, p in sorted(PAYLOADS.items())]
            assert screen.timeline.rows[-1].text == stored[-1]

            # A 1 MB paste: refused with a visible message, the text stays in the input.
            count = len(store.events(1))
            scribe.value = ONE_MB
            await scribe.action_submit()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running
            assert len(store.events(1)) == count
            assert scribe.value == ONE_MB  # not lost
            assert screen.query_one("#scribe").has_class("-error")

            # 10,000 lines pasted at once: the app keeps running and nothing is half-sent.
            scribe.value = ""
            await pilot.pause()
            scribe.post_message(tevents.Paste(TEN_THOUSAND_LINES))
            await pilot.pause()
            await scribe.action_submit()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running
            after = store.events(1)
            assert len(after) in (count, count + 1)
            if len(after) == count + 1:  # accepted: then exactly what was pasted (maybe 1 line)
                assert after[-1].text in (TEN_THOUSAND_LINES, one_line(TEN_THOUSAND_LINES),
                                          "l0", TEN_THOUSAND_LINES.replace("\n", " "))
            for strip in _visible_lines(screen):
                assert unsafe_characters(strip.text) == []


def test_widths_of_emoji_and_cjk_are_what_the_timeline_assumes() -> None:
    """The alignment check above relies on rich's cell widths for these characters."""
    assert cell_len("火事です") == 8
    assert cell_len("🚀") == 2


def test_hostile_title_and_author_are_clean_everywhere(env: Env, tmp_path: Path) -> None:
    result = env.cli("new", "\x1b]0;PWNED-TITLE-0\x07Checkout [bold]down[/]", "--sev", "1",
                     "--author", "ev\x1b[31mil", time=FrozenTime(T0))
    assert result.code == 0, result.err
    listing = env.cli("list", time=FrozenTime(T0))
    assert listing.code == 0
    assert leaked_secrets(listing.out) == [] and unsafe_characters(listing.out) == []
    assert "[bold]down[/]" in listing.out
    with Store.open(env.db, create=False) as store:
        events = store.events(1)
    assert events[0].author == "evil"  # cleaned like an entry author
