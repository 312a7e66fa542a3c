"""Long timeline entries wrap onto continuation lines; the view stays virtual at 100k."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rich.style import Style
from textual.strip import Strip

from warroom.cells import wrap_text
from warroom.domain.events import NoteData
from warroom.tui.panes.timeline.lines import BLOCK, LineMap
from warroom.tui.panes.timeline.pane import Timeline, max_entry_lines

from .test_timeline import Host, declared, event, notes, rows_text

LONG = ("the processor's eu-west-1 endpoint answers in 9.8 s at p99 while the pool "
        "to it is exhausted and every retry opens a new connection")


def _background(strip: Strip) -> set[Any]:
    return {segment.style.bgcolor for segment in strip if isinstance(segment.style, Style)}


# ---------------------------------------------------------------- wrapping text
def test_wrap_text_breaks_at_spaces_and_ends_in_an_ellipsis_at_the_limit() -> None:
    assert wrap_text("short", 20, 3) == ["short"]
    lines = wrap_text(LONG, 30, 10)
    assert all(len(line) <= 30 for line in lines)
    assert " ".join(lines) == LONG, "nothing lost, words whole"
    capped = wrap_text(LONG, 30, 3)
    assert len(capped) == 3 and capped[-1].endswith("…")
    assert wrap_text("x" * 25, 10, 5) == ["x" * 10, "x" * 10, "x" * 5], "a long word folds"
    wide = wrap_text("火事です" * 6, 9, 10)
    assert all(sum(2 for _ in line) <= 9 for line in wide) and "".join(wide) == "火事です" * 6


# A dashboard link as the scribe pastes it: 150 characters, no space.
URL = ("https://grafana.example.com/d/payments-eu/processor-latency?orgId=1&var-region="
       "eu-west-1&var-pool=checkout&from=now-6h&to=now&viewPanel=42&refresh=30s")


def test_a_word_longer_than_the_line_folds_over_lines_of_its_own() -> None:
    assert len(URL) == 150 and " " not in URL
    alone = wrap_text(URL, 40, 10)
    assert "".join(alone) == URL, "nothing of it is lost"
    assert [len(line) for line in alone] == [40, 40, 40, 30]
    # After short words: they keep their line, the long word starts the next one.
    after = wrap_text(f"see {URL} for p99", 40, 10)
    assert after[0] == "see"
    assert "".join(after[1:]).removesuffix(" for p99") == URL
    assert after[-1].endswith(" for p99") and all(len(line) <= 40 for line in after)
    # Words after it still wrap at spaces.
    tail = wrap_text(f"{URL[:45]} {LONG}", 40, 10)
    assert tail[0] == URL[:40] and all(len(line) <= 40 for line in tail)
    assert " ".join(tail[1:]) == f"{URL[40:45]} {LONG}", "words whole, broken at spaces"


def test_a_word_of_exactly_the_width_is_not_folded() -> None:
    word = "a" * 20
    assert wrap_text(word, 20, 5) == [word]
    assert wrap_text(f"{word} next", 20, 5) == [word, "next"]
    assert wrap_text(f"ab {word}", 20, 5) == ["ab", word]
    assert wrap_text(word + "b", 20, 5) == [word, "b"], "one cell more folds one character"


def test_a_long_word_past_the_last_line_ends_in_an_ellipsis() -> None:
    capped = wrap_text(f"see {URL}", 40, 3)
    assert capped[:2] == ["see", URL[:40]]
    assert capped[2] == URL[40:79] + "…" and len(capped[2]) == 40


def test_wide_characters_and_emoji_sequences_are_never_split() -> None:
    from rich.cells import cell_len

    cjk = "障害対応中" * 8  # 80 cells, no space
    folded = wrap_text(cjk, 9, 20)
    assert "".join(folded) == cjk and {cell_len(line) for line in folded} == {8}
    coder = "👩\u200d💻"  # one grapheme of two cells (woman + joiner + laptop)
    text = ("ab" + coder + "cd") * 4
    folded = wrap_text(text, 5, 20)
    assert "".join(folded) == text
    assert all(cell_len(line) <= 5 for line in folded)
    assert not any(line.endswith("\u200d") or line.startswith("💻") for line in folded)
    accents = "e\u0301" * 12  # a letter and its combining accent: one cell
    folded = wrap_text(accents, 5, 20)
    assert folded == ["e\u0301" * 5, "e\u0301" * 5, "e\u0301" * 2]
    # A wide character in a one-cell column still takes a line (never half of it).
    assert wrap_text("火事", 1, 5) == ["火", "事"]
    mixed = wrap_text(f"log {cjk[:12]}{URL[:30]}", 16, 20)
    assert mixed[0] == "log" and "".join(mixed[1:]) == cjk[:12] + URL[:30]
    assert all(cell_len(line) <= 16 for line in mixed)


def test_wrapping_a_huge_entry_looks_only_at_what_is_shown() -> None:
    huge = ("火" * 50_000) + " " + URL
    lines = wrap_text(huge, 30, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(line.rstrip("…") == "火" * len(line.rstrip("…")) for line in lines)


def test_the_most_lines_of_an_entry_follow_the_view_height() -> None:
    assert max_entry_lines(8) == 4
    assert max_entry_lines(18) == 6
    assert max_entry_lines(33) == 11
    assert max_entry_lines(400) == 12


# ---------------------------------------------------------------- the line map
def test_the_line_map_agrees_with_a_plain_list_of_heights() -> None:
    rng = random.Random(7)
    heights = [1] * 700
    lines = LineMap(700)
    for _ in range(2000):
        op = rng.random()
        if op < 0.5:
            position = rng.randrange(len(heights))
            height = rng.randint(1, 9)
            heights[position] = height
            lines.set_height(position, height)
        elif op < 0.8:
            position = len(heights) if op < 0.7 else rng.randrange(len(heights) + 1)
            heights.insert(position, 1)
            lines.insert(position)
        else:
            position = rng.randrange(len(heights))
            start = sum(heights[:position])
            assert lines.start(position) == start
            sub = rng.randrange(heights[position])
            assert lines.locate(start + sub) == (position, sub)
    assert len(lines) == len(heights) > 3 * BLOCK
    assert lines.total == sum(heights)
    assert lines.locate(lines.total + 2) == (len(heights) + 2, 0), "past the end"
    assert lines.start(len(heights)) == lines.total


def _texts_with_long_words(rng: random.Random, count: int) -> list[str]:
    """Entries as a scribe writes them: words, pasted links and hashes, CJK, emoji."""
    pieces = ["ok", "rollback", "p99", "eu-west-1", URL, URL[:61], "9f" * 40,
              "障害対応中" * 6, "👩\u200d💻", "done.", LONG]
    return [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
            for _ in range(count)]


def test_the_line_map_agrees_with_a_plain_list_when_long_words_fold() -> None:
    rng = random.Random(11)
    texts = _texts_with_long_words(rng, 3 * BLOCK)
    room, most = 37, 7

    def draw(position: int) -> list[str]:
        return wrap_text(texts[position], room, most)

    plain = [line for text in texts for line in wrap_text(text, room, most)]
    heights = [len(wrap_text(text, room, most)) for text in texts]
    assert max(heights) == most and any(URL in text for text in texts)
    lines = LineMap(len(texts))
    for _ in range(300):  # windows from random lines, as scrolling draws them
        top = rng.randrange(lines.total)
        position, sub = lines.locate(top)
        drawn = [line for p in range(position, min(position + 12, len(texts)))
                 for line in draw(p)]
        assert lines.window(top, 11, draw) == drawn[sub:sub + 11]
        assert all(lines.height(p) == heights[p] for p in range(position, position + 2)
                   if p < len(texts))
    for position in rng.sample(range(len(texts)), 40):
        lines.measure(position, draw)
    measured = [p for p in range(len(texts)) if lines.height(p) > 1]
    assert all(lines.height(p) == heights[p] for p in measured)
    lines.measure_up(len(texts) - 1, 10**6, draw)  # everything measured
    assert lines.total == len(plain) == sum(heights)
    for position in range(0, len(texts), 7):
        assert lines.start(position) == sum(heights[:position])
        assert lines.locate(sum(heights[:position]) + heights[position] - 1) == (
            position, heights[position] - 1)
    assert lines.window(0, len(plain), draw) == plain


def test_the_line_map_finds_lines_in_blocks_of_one_line_entries() -> None:
    lines = LineMap(3 * BLOCK)
    lines.set_height(BLOCK + 5, 4)  # one tall entry in the middle block only
    heights = [1] * (3 * BLOCK)
    heights[BLOCK + 5] = 4
    line = 0
    for position, height in enumerate(heights):
        for sub in range(height):
            assert lines.locate(line) == (position, sub)
            line += 1
    assert line == lines.total


async def test_an_append_draws_only_the_new_entry_and_the_highlight_it_moves() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        drawn: list[tuple[int, int]] = []  # (event id, look)
        render_entry = timeline._render_entry

        def counting(event: Any, width: int, look: int, *args: Any) -> Any:
            drawn.append((event.id, look))
            return render_entry(event, width, look, *args)

        timeline._render_entry = counting  # type: ignore[method-assign]
        timeline.load([declared(), *(event(i, NoteData(), f"{i} {LONG}") for i in range(2, 300))])
        await pilot.pause()
        timeline.add([event(300, NoteData(), f"mine {LONG}")], reveal=300)
        await pilot.pause()
        drawn.clear()
        timeline.add([event(301, NoteData(), f"mine again {LONG}")], reveal=301)
        await pilot.pause()
        assert "mine again" in "".join(rows_text(timeline))
        assert timeline.flashed == 301
        # The new entry (highlighted) and the one whose highlight ended: no row above
        # it on screen is drawn again.
        assert sorted(set(drawn)) == [(300, 0), (301, 2)]


def test_the_line_map_fills_a_window_from_any_line() -> None:
    drawn: list[int] = []

    def draw(position: int) -> list[str]:
        drawn.append(position)
        return [f"{position}.{n}" for n in range(1 + position % 3)]

    lines = LineMap(100)
    assert lines.window(0, 5, draw) == ["0.0", "1.0", "1.1", "2.0", "2.1"]
    assert drawn == [0, 1, 2], "only the entries on screen are drawn"
    assert lines.window(2, 3, draw) == ["1.1", "2.0", "2.1"], "starts inside an entry"
    drawn.clear()
    lines.measure_up(99, 4, draw)
    assert drawn == [99, 98], "from the end up, until the room is filled"


# ---------------------------------------------------------------- the widget
async def test_a_long_entry_wraps_under_its_text_up_to_a_limit() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), event(2, NoteData(), LONG), event(3, NoteData(), "word " * 90),
                       *notes(1, start=4)])
        await pilot.pause()
        text = rows_text(timeline)
        first = next(i for i, line in enumerate(text) if "#2 " in line)
        column = text[first].index("the processor")
        continued = []
        for line in text[first + 1:]:
            if line[:column].strip():
                break
            continued.append(line[column:])
        assert continued, "the entry goes on under its text"
        whole = " ".join([text[first][column:], *continued])
        assert whole == LONG
        capped = [line for line in text if line.endswith("…")]
        assert len(capped) == 1 and "word" in capped[0]
        words = sum(line.count("word") for line in text)
        assert words < 90 and len([ln for ln in text if "word" in ln]) == max_entry_lines(22)
        assert "note 4" in [ln for ln in text if ln][-1], "the newest entry comes last"


async def test_navigation_moves_by_entry_and_the_selection_covers_all_its_lines() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), event(2, NoteData(), LONG), *notes(1, start=3)])
        timeline.focus()
        await pilot.pause()
        await pilot.press("up")
        await pilot.pause()
        assert timeline.selected is not None and timeline.selected.id == 2
        height = timeline.scrollable_content_region.height
        strips = [timeline.render_line(y) for y in range(height)]
        entry = [strip for y, strip in enumerate(strips) if timeline.entry_at(y) == 1]
        assert len(entry) >= 2
        selected = _background(entry[0])
        assert all(_background(strip) == selected for strip in entry), "every line selected"
        other = next(strip for y, strip in enumerate(strips) if timeline.entry_at(y) == 2)
        assert _background(other) != selected
        await pilot.press("up")
        assert timeline.selected is not None and timeline.selected.id == 1, "one entry up"
        await pilot.press("down", "down")
        assert timeline.selected is not None and timeline.selected.id == 3
        # A click on a continuation line selects its entry.
        y = next(y for y in range(height) if timeline.entry_at(y) == 1
                 and timeline.entry_at(y - 1) == 1)
        await pilot.click(timeline, offset=(40, y + 1))  # + the border
        await pilot.pause()
        assert timeline.selected is not None and timeline.selected.id == 2


async def test_paging_and_revealing_with_wrapped_entries() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        events = [declared(), *(event(i, NoteData(), f"{i} {LONG}") for i in range(2, 40))]
        timeline.load(events)
        timeline.focus()
        await pilot.pause()
        # Up a page from the end, through entries not drawn yet: a screen of lines.
        page = timeline.scrollable_content_region.height - 1
        tall = timeline._lines.height(len(events) - 1)
        await pilot.press("pageup", "pageup")
        assert tall > 1 and len(events) - 1 - timeline.cursor <= 2 * (page // tall + 1)
        await pilot.press("home")
        await pilot.pause()
        assert timeline.scroll_y == 0 and timeline.selected is not None
        await pilot.press("pagedown")
        await pilot.pause()
        moved = timeline.cursor
        assert 2 <= moved <= 6, "a screen of lines, not a screen of entries"
        shown = {timeline.entry_at(y) for y in range(timeline.scrollable_content_region.height)}
        assert moved in shown
        # The scribe's own entry, back-dated far above, is scrolled to whole and flashed.
        timeline.add([event(90, NoteData(), f"mine {LONG}", minutes=1.5)], reveal=90)
        await pilot.pause()
        text = "\n".join(rows_text(timeline))
        assert "#90" in text and "new connection" in text.split("#90", 1)[1]
        assert timeline.flashed == 90
        assert [e.id for e in timeline.rows][:3] == [1, 90, 2], "slotted in where it belongs"


async def test_the_newest_entry_stays_whole_at_the_bottom_and_new_ones_are_counted() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *(event(i, NoteData(), f"{i} {LONG}") for i in range(2, 30))])
        await pilot.pause()
        timeline.add([event(30, NoteData(), f"newest {LONG}")])
        await pilot.pause()
        text = rows_text(timeline)
        assert text[-1].rstrip().endswith("new connection") and timeline.following
        assert timeline.scroll_y == timeline.max_scroll_y
        timeline.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        timeline.add([event(31, NoteData(), f"other seat {LONG}")])
        await pilot.pause()
        assert "1 new" in str(timeline.border_subtitle)
        assert "#1 " in rows_text(timeline)[0], "the view stays where the reader is"


async def test_a_new_width_wraps_again_and_keeps_the_top_entry() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *(event(i, NoteData(), f"{i} {LONG}") for i in range(2, 30))])
        await pilot.pause()
        timeline.scroll_to(y=timeline.max_scroll_y // 2, animate=False, immediate=True)
        await pilot.pause()
        top = timeline.entry_at(0)
        narrow = len(rows_text(timeline))
        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert timeline.entry_at(0) == top
        lines = rows_text(timeline)
        assert len(lines) == narrow and f"#{top + 1} " in lines[0]
        assert max(len(line) for line in lines) > 100, "the text uses the new width"


@pytest.mark.slow
async def test_a_hundred_thousand_long_entries_draw_only_what_is_on_screen() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        drawn: list[int] = []
        render_entry = timeline._render_entry

        def counting(event: Any, *args: Any) -> Any:
            drawn.append(event.id)
            return render_entry(event, *args)

        timeline._render_entry = counting  # type: ignore[method-assign]
        events = [declared(), *(event(i, NoteData(), f"{i} {LONG}") for i in range(2, 100_001))]
        timeline.load(events)
        await pilot.pause()
        height = timeline.scrollable_content_region.height
        assert "new connection" in rows_text(timeline)[-1]
        assert 0 < len(set(drawn)) <= height, "only the last screenful was drawn"
        assert min(drawn) > 99_000
        drawn.clear()
        timeline.focus()
        await pilot.press("home")
        await pilot.pause()
        assert "#1 " in rows_text(timeline)[0]
        assert len(set(drawn)) <= height + 2 and max(drawn) < 100, "only the first screenful"


async def test_a_queued_entry_longer_than_its_line_ends_in_an_ellipsis() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *notes(2, start=2)])
        await pilot.pause()
        when = declared().occurred_at
        timeline.set_queued([(when, "sam", f"see {URL}"), (when, "sam", "short one")])
        await pilot.pause()
        text = rows_text(timeline)
        queued = [line for line in text if "queued" in line]
        width = timeline.scrollable_content_region.width
        assert len(queued) == 2 and all(len(line) <= width for line in queued)
        assert queued[0].endswith("…") and "see https://grafana" in queued[0], "cut, and says so"
        assert queued[1].endswith("short one")
