"""``warroom oncall check ROTATION.toml``: the rotation rules, one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli
from warroom.domain.oncall_policy import OncallPolicy
from warroom.report.rotation import check_rotation_text

PEOPLE = "".join(f'[[people]]\nname = "{n}"\n' for n in ("ann", "ben", "cat", "dan", "eve"))
GOOD = 'zone = "Europe/Berlin"\n' + PEOPLE + "".join(
    f'[[weeks]]\nstart = 2026-11-{day:02d}\non_call = ["{name}"]\n'
    for day, name in ((2, "ann"), (9, "ben"), (16, "cat"), (23, "dan"), (30, "eve"))
)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rotation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_rotation_passes(cli: Cli, tmp_path: Path) -> None:
    result = cli("oncall", "check", str(_file(tmp_path, GOOD)))
    assert (result.code, result.out) == (0, "")


def test_each_broken_rule_is_one_line(cli: Cli, tmp_path: Path) -> None:
    text = ('zone = "Europe/Berlin"\n' + PEOPLE.replace('[[people]]\nname = "eve"\n', "")
            + '[[weeks]]\nstart = 2026-11-02\non_call = ["ann"]\n'
            + '[[weeks]]\nstart = 2026-11-09\non_call = ["ann"]\n'
            + '[[weeks]]\nstart = 2026-11-20\non_call = ["zed"]\n')
    path = _file(tmp_path, text)
    result = cli("oncall", "check", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}: people: zed is on call but not in [[people]]",
        f"{path}: consecutive: week of 2026-11-09: ann on call two weeks in a row",
        f"{path}: weekly: week of 2026-11-20 starts 11 days after the week of 2026-11-09 "
        "(hand-offs are weekly)",
    ]
    data = json.loads(cli("oncall", "check", str(path), "--format", "json").out)
    assert data["ok"] is False and [p["rule"] for p in data["problems"]] == [
        "people", "consecutive", "weekly"]


def test_too_few_people() -> None:
    text = '[[people]]\nname = "ann"\n[[people]]\nname = "ben"\n' \
        '[[weeks]]\nstart = 2026-11-02\non_call = ["ann"]\n'
    problems = check_rotation_text(text, OncallPolicy())
    assert [(p.rule, p.message) for p in problems] == [
        ("min_people", "2 people in the rotation; at least 5 (one week in 5)")]


def test_follow_the_sun() -> None:
    # Working hours 09:00-18:00 local plus a 2-hour buffer on each side.
    people = (
        '[[people]]\nname = "ann"\nzone = "Europe/Berlin"\n'
        '[[people]]\nname = "ben"\nzone = "America/Los_Angeles"\n'
        + "".join(f'[[people]]\nname = "{n}"\nzone = "Asia/Tokyo"\n' for n in ("cat", "dan"))
        + '[[people]]\nname = "eve"\nzone = "Europe/Berlin"\n'
    )
    two_regions = people + '[[weeks]]\nstart = 2026-11-02\non_call = ["ann", "ben"]\n'
    problems = check_rotation_text(two_regions, OncallPolicy())
    # Berlin (UTC+1) covers 06:00-19:00 UTC; Los Angeles (UTC-8) 15:00-04:00 UTC; so
    # 04:00-06:00 UTC (05:00-07:00 in Berlin, 20:00-22:00 in Los Angeles) pages someone.
    assert [(p.rule, p.message) for p in problems] == [(
        "follow_the_sun",
        "week of 2026-11-02: 04:00-06:00 UTC is outside the business hours (+2 h) of "
        "everyone on call; hand off to another region instead of paging at night",
    )]
    three_regions = people + '[[weeks]]\nstart = 2026-11-02\non_call = ["ann", "ben", "cat"]\n'
    assert check_rotation_text(three_regions, OncallPolicy()) == []


def test_bad_files(cli: Cli, tmp_path: Path) -> None:
    result = cli("oncall", "check", str(_file(tmp_path, "[[weeks]\n")))
    assert result.code == 1 and result.out.startswith(f"{tmp_path}/rotation.toml: toml: ")
    missing = cli("oncall", "check", str(tmp_path / "nope.toml"))
    assert missing.code == 1 and len(missing.err_lines) == 1
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    result = cli("oncall", "check", str(binary))
    assert result.code == 1 and "not UTF-8" in result.err


def test_zone_of_people_is_checked() -> None:
    ann = "[[people]]\nname = \"ann\"\n"
    text = GOOD.replace(ann, ann + "zone = \"Mars/Base\"\n")
    problems = check_rotation_text(text, OncallPolicy())
    assert [p.rule for p in problems] == ["people"]
    assert "'Mars/Base' is not a time zone" in problems[0].message


def test_the_report_attributes_pages_to_the_person_on_call(cli: Cli, tmp_path: Path) -> None:
    from tests.report import scenario

    scenario.build(cli)
    rotation = _file(tmp_path, GOOD.replace('zone = "Europe/Berlin"\n', 'zone = "UTC"\n'))
    argv = ("report", "--since", scenario.SINCE, "--until", scenario.UNTIL,
            "--rotation", str(rotation))
    data = json.loads(cli.ok(*argv, "--format", "json"))
    assert [w["on_call"] for w in data["weeks"]] == [["ann"], ["ben"], ["cat"], ["dan"]]
    # Week 1: A (day) and B (night) → ann; C (Saturday) → ben; E (night) → cat.
    assert data["pages_by_person"] == [
        {"person": "ann", "pages": 2, "after_hours_pages": 1},
        {"person": "ben", "pages": 1, "after_hours_pages": 1},
        {"person": "cat", "pages": 1, "after_hours_pages": 1},
    ]
    text = cli.ok(*argv)
    assert "Pages per person on call" in text and max(map(len, text.splitlines())) <= 80
    assert "| ann | 2 | 1 |" in cli.ok(*argv, "--format", "md")
    broken = _file(tmp_path, "[[weeks]\n")
    result = cli(*argv[:-1], str(broken))
    assert result.code == 1 and len(result.err_lines) == 1 and "not valid TOML" in result.err


def test_follow_the_sun_pages_go_to_the_region_awake() -> None:
    from datetime import UTC, datetime

    from warroom.report.rotation import load_rotation

    text = ('[[people]]\nname = "ann"\nzone = "Europe/Berlin"\n'
            '[[people]]\nname = "ben"\nzone = "America/Los_Angeles"\n'
            '[[weeks]]\nstart = 2026-11-02\non_call = ["ann", "ben"]\n')
    rotation = load_rotation(text, OncallPolicy(zone="UTC"))
    assert rotation.paged(datetime(2026, 11, 3, 10, tzinfo=UTC)) == "ann"  # 11:00 Berlin
    assert rotation.paged(datetime(2026, 11, 3, 22, tzinfo=UTC)) == "ben"  # 14:00 LA
    assert rotation.paged(datetime(2026, 11, 3, 5, tzinfo=UTC)) == "ann"  # nobody awake
    assert rotation.paged(datetime(2026, 11, 20, 5, tzinfo=UTC)) is None  # no week
