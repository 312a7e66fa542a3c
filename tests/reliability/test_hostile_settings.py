"""Hostile settings and small traps: policy numbers, titles, time zones, the demo, the config.

Every policy number is bounded (a huge or infinite one is one line naming its key,
never an internal error); a title cannot put live HTML into the front matter; a
POSIX ``TZ`` rule is honoured (or a bad one refused), never silently replaced; the
demo does not slip a fake SEV1 into a real database; a config with a BOM is read;
an unknown keybinding id is named.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime

from .conftest import Env, assert_clean_failure

AT = FrozenTime(T0 + timedelta(minutes=5))


@pytest.fixture
def incident(env: Env) -> Env:
    """One open incident, declared at T0."""
    assert env.cli("new", "Settings drill", "--sev", "2", "--at", "2026-11-27T14:00Z",
                   time=AT).code == 0
    return env


@pytest.mark.parametrize(("toml", "key"), [
    ("sev2_escalation_minutes = 9999999999999999999", "sev2_escalation_minutes"),
    ("checkpoint_minutes = 1_000_001", "checkpoint_minutes"),
    ("[severity.1]\nack_minutes = 99999999999", "severity.1.ack_minutes"),
    ("[status_cadence_minutes]\ninvestigating = 10000000000", "status_cadence_minutes"),
    ("[postmortem]\nfinal_days = inf", "postmortem.final_days"),
    ("[postmortem]\ndraft_days = nan", "postmortem.draft_days"),
    ("postmortem_engineering_hours = 1e300", "postmortem_engineering_hours"),
])
def test_every_policy_number_is_bounded(incident: Env, tmp_path: Path, toml: str,
                                        key: str) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(toml + "\n", encoding="utf-8")
    for argv in (("show",), ("list",), ("export",), ("log", "note")):
        line = assert_clean_failure(incident.cli("--policy", str(policy), *argv, time=AT), (1,))
        assert f"'{key}" in line, line
        assert "internal error" not in line


def test_a_title_cannot_put_html_in_the_front_matter(env: Env) -> None:
    title = "<img src=x onerror=alert(1)> checkout <script>x</script>"
    assert env.cli("new", title, "--sev", "2", time=AT).code == 0
    markdown = env.cli("export", "1", time=AT).out
    front = markdown.split("---\n")[1]
    assert "<" not in front and ">" not in front, front
    line = next(ln for ln in front.splitlines() if ln.startswith("title:"))
    assert json.loads(line.removeprefix("title:").strip()) == title


@pytest.mark.parametrize(("tz", "local"), [
    ("CET-1CEST,M3.5.0,M10.5.0/3", "15:00 CET"),
    ("UTC+14", "00:00 UTC"),  # POSIX signs are inverted: UTC+14 is 14 hours west
    ("<+0530>-5:30", "19:30 UTC+05:30"),
])
def test_a_posix_tz_rule_is_honoured(incident: Env, tz: str, local: str) -> None:
    result = incident.run_with({"TZ": tz}, "show", "1")
    assert result.code == 0, result.err
    assert "2026-11-27 14:00:00 UTC (" in result.out and f" {local}, " in result.out, \
        result.out


def test_a_tz_that_names_nothing_is_refused_naming_it(incident: Env) -> None:
    line = assert_clean_failure(incident.run_with({"TZ": "Nowhere/Atlantis"}, "show", "1"), (1,))
    assert "Nowhere/Atlantis" in line and "timezone" in line


def test_the_demo_does_not_go_into_a_real_database_unasked(incident: Env) -> None:
    digest = hashlib.sha256(incident.db.read_bytes()).hexdigest()
    line = assert_clean_failure(
        incident.cli("demo", "--print", "--db", str(incident.db), time=AT), (1,))
    assert "already holds 1 incident" in line and "--force" in line
    assert hashlib.sha256(incident.db.read_bytes()).hexdigest() == digest
    forced = incident.cli("demo", "--print", "--force", "--db", str(incident.db), time=AT)
    assert forced.code == 0, forced.err
    rows = json.loads(incident.cli("list", "--json", time=AT).out)
    demo = [row for row in rows if row["slug"].startswith("demo-")]
    assert len(demo) == 1 and demo[0]["title"].startswith("[DEMO] ")


def test_a_config_with_a_utf8_bom_is_read(incident: Env) -> None:
    incident.config.write_bytes(b"\xef\xbb\xbfauthor = \"bom-author\"\n")
    result = incident.cli("log", "1", "--json", "note", time=AT)
    assert result.code == 0, result.err
    assert json.loads(result.out)["author"] == "tester"  # $WARROOM_AUTHOR still wins
    incident.config.write_bytes(b"\xef\xbb\xbftimezone = \"Europe/Berlin\"\n")
    assert "15:00 CET" in incident.cli("show", "1", time=AT).out


def test_an_unknown_keybinding_id_is_named(incident: Env) -> None:
    incident.config.write_text('[keybindings]\n"war_room.chekpoint" = "f12"\n',
                               encoding="utf-8")
    line = assert_clean_failure(incident.cli("open", "1", time=AT), (1,))
    assert "war_room.chekpoint" in line and "keybindings" in line
