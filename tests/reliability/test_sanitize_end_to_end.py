"""End to end: random text → ``warroom log`` → store → Markdown and JSON export.

The text comes back cleaned by the one sanitiser (``clean_text``) and otherwise
unchanged: in the store, in the JSON export (exactly), and in the Markdown export
as a reader sees it once rendered (``one_line``: newlines shown as ⏎).
"""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.export.mdparse import CM_TABLES, timeline_rows
from tests.support.times import T0
from warroom.domain.sanitize import clean_text, one_line
from warroom.domain.timesource import FrozenTime

from .conftest import Env
from .hostile import PAYLOADS, unsafe_characters

#: Any text, weighted towards the characters that matter here.
_NASTY = st.sampled_from(
    ["\x1b", "\x1b[", "\x1b]", "\x07", "\x1b\\", "\x9b", "\x9d", "\x9c", "\x00", "\r", "\n",
     "\t", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "[", "]", "[/]", "[bold]", "|",
     "\\", "*", "_", "`", "<", ">", "&", "&amp;", "#", "---", "🚀", "漢", "👩\u200d💻", "é",
     "\ud800", "\x85", "\u2028", *PAYLOADS.values()]
)
TEXTS = st.lists(st.one_of(st.text(max_size=8), _NASTY), min_size=1, max_size=12).map("".join)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXTS)
def test_random_text_comes_back_cleaned_and_otherwise_unchanged(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = Env(Path(tmp))
        at = FrozenTime(T0)
        common = ("--db", str(env.db))
        assert env.cli(*common, "new", "Property drill", "--sev", "2", time=at).code == 0
        line = "note: " + text  # always a note, whatever the text starts with
        expected = clean_text(line).strip()
        result = env.cli(*common, "log", "--json", "1", line,
                         time=FrozenTime(T0 + timedelta(minutes=1)))
        assert result.code == 0, result.err
        assert json.loads(result.out)["text"] == expected

        later = FrozenTime(T0 + timedelta(minutes=2))
        exported = env.cli(*common, "export", "1", "--format", "json", time=later)
        assert exported.code == 0, exported.err
        assert unsafe_characters(exported.out) == []
        events = json.loads(exported.out)["events"]
        assert [e["text"] for e in events][1:] == [expected]

        md = env.cli(*common, "export", "1", "--format", "md", time=later)
        assert md.code == 0, md.err
        assert unsafe_characters(md.out) == []
        rows = timeline_rows(md.out, CM_TABLES)
        assert rows[2]["Text"] == one_line(expected).strip()
