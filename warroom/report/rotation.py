"""Check an on-call rotation (a TOML file) against the rotation rules. Pure.

The file::

    zone = "Europe/Berlin"          # default zone of the people (else the policy's)

    [[people]]
    name = "alice"
    zone = "Europe/Berlin"          # optional
    work_start = "09:00"            # optional, else the policy's working hours
    work_end = "18:00"

    [[weeks]]
    start = 2026-11-02              # the hand-off day
    on_call = ["alice"]             # one person, or one per region (follow the sun)

The rules (numbers from the policy's ``[oncall]`` section):

- ``weekly``: each week starts 7 days after the one before, on the same weekday;
- ``consecutive``: nobody is on call two weeks in a row;
- ``min_people``: at least ``min_people`` people in the rotation (one week in five);
- ``follow_the_sun``: when the people are in several zones, every hour of every week
  falls in the business hours (plus ``follow_the_sun_buffer_hours``) of someone on
  call that week, so nobody is paged at 3 a.m.;
- ``people``: every person on call is listed, with a valid zone and hours.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warroom.domain.oncall_policy import OncallPolicy, check_zone, minutes_of_day
from warroom.domain.sanitize import one_line

__all__ = [
    "Rotation",
    "RotationProblem",
    "check_rotation",
    "check_rotation_text",
    "load_rotation",
]


@dataclass(frozen=True)
class RotationProblem:
    """One broken rule: which rule, and a one-line message."""

    rule: str
    message: str


@dataclass(frozen=True)
class _Person:
    name: str
    zone: ZoneInfo
    start: int  # minutes of the day, local
    end: int


def _text(value: object) -> str:
    return one_line(str(value))[:80]


def _people(doc: dict[str, Any], policy: OncallPolicy,
            problems: list[RotationProblem]) -> dict[str, _Person]:
    default_zone = doc.get("zone", policy.zone)
    people: dict[str, _Person] = {}
    raw = doc.get("people", [])
    if not isinstance(raw, list):
        problems.append(RotationProblem("people", "'people' must be a list of [[people]] tables"))
        return people
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                or not entry["name"].strip():
            problems.append(RotationProblem("people", f"person {index} has no name"))
            continue
        name = entry["name"].strip()
        try:
            zone = ZoneInfo(check_zone(str(entry.get("zone", default_zone))))
            start = minutes_of_day(_hhmm(entry.get("work_start", policy.work_start)))
            end = minutes_of_day(_hhmm(entry.get("work_end", policy.work_end)))
        except ValueError as error:
            problems.append(RotationProblem("people", f"{_text(name)}: {_text(error)}"))
            continue
        if name in people:
            problems.append(RotationProblem("people", f"{_text(name)} is listed twice"))
        people[name] = _Person(name, zone, start, end)
    return people


def _hhmm(value: object) -> str:
    text = str(value)
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit() \
            or int(text[:2]) > 23 or int(text[3:]) > 59:
        raise ValueError(f"{text!r} is not a time of day HH:MM")
    return text


def _weeks(doc: dict[str, Any], problems: list[RotationProblem]) -> list[tuple[date, list[str]]]:
    weeks: list[tuple[date, list[str]]] = []
    raw = doc.get("weeks", [])
    if not isinstance(raw, list) or not raw:
        problems.append(RotationProblem("weekly", "no [[weeks]] in the rotation"))
        return weeks
    for index, entry in enumerate(raw, start=1):
        start = entry.get("start") if isinstance(entry, dict) else None
        names = entry.get("on_call") if isinstance(entry, dict) else None
        if isinstance(names, str):
            names = [names]
        if not isinstance(start, date) or isinstance(start, datetime):
            problems.append(RotationProblem("weekly", f"week {index}: 'start' must be a date "
                                                      "(start = 2026-11-02)"))
            continue
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            problems.append(RotationProblem("weekly", f"week of {start}: 'on_call' must name "
                                                      "at least one person"))
            continue
        weeks.append((start, [n.strip() for n in names]))
    return sorted(weeks)


def _uncovered_hours(week: date, on_call: list[_Person], buffer_minutes: int) -> list[int]:
    """UTC hours of the week's first day that no one on call covers (business hours+buffer)."""
    uncovered: list[int] = []
    for hour in range(24):
        at = datetime.combine(week, time(hour), tzinfo=UTC)
        covered = False
        for person in on_call:
            local = at.astimezone(person.zone)
            minute = local.hour * 60 + local.minute
            if person.start - buffer_minutes <= minute < person.end + buffer_minutes:
                covered = True
                break
        if not covered:
            uncovered.append(hour)
    return uncovered


def _ranges(hours: list[int]) -> str:
    spans: list[str] = []
    first = previous = hours[0]
    for hour in [*hours[1:], None]:
        if hour is not None and hour == previous + 1:
            previous = hour
            continue
        spans.append(f"{first:02d}:00-{previous + 1:02d}:00")
        if hour is not None:
            first = previous = hour
    return ", ".join(spans)


def check_rotation(doc: dict[str, Any], policy: OncallPolicy) -> list[RotationProblem]:
    """Every broken rule of the rotation ``doc`` (a parsed TOML document)."""
    problems: list[RotationProblem] = []
    people = _people(doc, policy, problems)
    weeks = _weeks(doc, problems)
    on_call_names = {name for _, names in weeks for name in names}
    listed = {
        str(entry.get("name", "")).strip() for entry in doc.get("people", [])
        if isinstance(entry, dict)
    } if isinstance(doc.get("people"), list) else set()
    for name in sorted(on_call_names - set(people) - listed):
        problems.append(RotationProblem("people", f"{_text(name)} is on call but not in "
                                                  "[[people]]"))
    everyone = (set(people) | listed | on_call_names) - {""}
    if len(everyone) < policy.min_people:
        problems.append(RotationProblem(
            "min_people", f"{len(everyone)} people in the rotation; at least "
                          f"{policy.min_people} (one week in {policy.min_people})"))
    previous: tuple[date, list[str]] | None = None
    for start, names in weeks:
        if previous is not None:
            gap = (start - previous[0]).days
            if gap != 7:
                problems.append(RotationProblem(
                    "weekly", f"week of {start} starts {gap} days after the week of "
                              f"{previous[0]} (hand-offs are weekly)"))
            elif repeated := sorted(set(names) & set(previous[1])):
                problems.append(RotationProblem(
                    "consecutive", f"week of {start}: {_text(', '.join(repeated))} on call "
                                   "two weeks in a row"))
        previous = (start, names)
    offsets = {p.zone.utcoffset(datetime(2026, 1, 15)) for p in people.values()}
    if len(offsets) > 1:
        buffer = round(policy.follow_the_sun_buffer_hours * 60)
        for start, names in weeks:
            present = [people[n] for n in names if n in people]
            hours = _uncovered_hours(start, present, buffer)
            if hours and present:
                problems.append(RotationProblem(
                    "follow_the_sun",
                    f"week of {start}: {_ranges(hours)} UTC is outside the business hours "
                    f"(+{policy.follow_the_sun_buffer_hours:g} h) of everyone on call; "
                    "hand off to another region instead of paging at night"))
    return problems


def check_rotation_text(text: str, policy: OncallPolicy) -> list[RotationProblem]:
    """Parse a rotation TOML document and check it (bad TOML is one problem)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [RotationProblem("toml", f"not valid TOML: {_text(error)}")]
    return check_rotation(doc, policy)


@dataclass(frozen=True)
class Rotation:
    """A parsed rotation, for attributing pages to the person on call."""

    people: dict[str, _Person]
    weeks: list[tuple[date, list[str]]]
    policy: OncallPolicy

    def _week_of(self, at: datetime) -> list[str]:
        zone = ZoneInfo(self.policy.zone)
        handoff = minutes_of_day(self.policy.handoff)
        chosen: list[str] = []
        for start, names in self.weeks:
            begins = datetime.combine(start, time(handoff // 60, handoff % 60), tzinfo=zone)
            if begins <= at < datetime.combine(start + timedelta(days=7), begins.timetz()):
                chosen = names
        return chosen

    def on_call(self, week_start: datetime) -> list[str]:
        """Who is on call in the on-call week starting at ``week_start``."""
        return list(self._week_of(week_start))

    def paged(self, at: datetime) -> str | None:
        """Who was paged at ``at``: the one on call that week whose business hours (plus
        the follow-the-sun buffer) hold ``at``, else the first listed; ``None`` if nobody."""
        names = self._week_of(at)
        buffer = round(self.policy.follow_the_sun_buffer_hours * 60)
        for name in names:
            person = self.people.get(name)
            if person is None:
                continue
            local = at.astimezone(person.zone)
            minute = local.hour * 60 + local.minute
            if person.start - buffer <= minute < person.end + buffer:
                return name
        return names[0] if names else None


def load_rotation(text: str, policy: OncallPolicy) -> Rotation:
    """Parse a rotation document for the report; a broken one is a ValueError (one line)."""
    problems = check_rotation_text(text, policy)
    fatal = [p for p in problems if p.rule in ("toml", "people")]
    if fatal:
        raise ValueError(f"rotation: {fatal[0].message}")
    doc = tomllib.loads(text)
    ignored: list[RotationProblem] = []
    return Rotation(people=_people(doc, policy, ignored), weeks=_weeks(doc, ignored),
                    policy=policy)
