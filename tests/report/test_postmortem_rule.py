"""The post-mortem-required rule and the /cause and /runbook commands, in the domain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.events import Incident, at
from tests.support.times import T0
from warroom.domain.events import CauseData, DetectionSource, Role, RunbookData, Severity
from warroom.domain.links import latest_cause, linked_runbook
from warroom.domain.parser import ParseError, parse_entry
from warroom.domain.policy import DEFAULT_POLICY, policy_from_toml
from warroom.domain.postmortem_rule import (
    CauseRecord,
    engineering_seconds,
    postmortem_required,
)


def _parse(line: str):  # type: ignore[no-untyped-def]
    return parse_entry(line, now=T0, tz="UTC", author="scribe")


def test_cause_takes_a_tag_or_text() -> None:
    tagged = _parse("/cause #Disk-Full indexer volume full")
    assert tagged.data == CauseData(tag="disk-full") and tagged.text == "indexer volume full"
    plain = _parse("/cause  Bad   Deploy ")
    assert plain.data == CauseData(tag="bad deploy") and plain.text == "Bad   Deploy"
    for bad in ("/cause", "/cause #", "/cause # x"):
        with pytest.raises(ParseError, match="/cause"):
            _parse(bad)


def test_runbook_takes_a_path_or_url() -> None:
    entry = _parse("/runbook https://runbooks.example.com/x followed steps 1-3")
    assert entry.data == RunbookData(ref="https://runbooks.example.com/x")
    assert entry.text == "followed steps 1-3"
    with pytest.raises(ParseError, match="missing PATH_OR_URL"):
        _parse("/runbook")


def test_latest_cause_and_runbook_count_with_corrections() -> None:
    inc = Incident().declared(0, severity=3)
    inc.add(5, CauseData(tag="dns"), "resolver down")
    inc.add(3, RunbookData(ref="a.md")).add(4, RunbookData(ref="b.md"))
    inc.fix(6, 2, "resolver misconfigured")
    cause = latest_cause(inc.events)
    assert cause is not None and (cause.tag, cause.text) == ("dns", "resolver misconfigured")
    assert linked_runbook(inc.events) == "b.md"
    assert latest_cause(Incident().declared(0).events) is None


def test_every_sev1_even_when_downgraded() -> None:
    inc = Incident().declared(0, severity=1).sev(10, 3, "not that bad").resolved(20)
    verdict = postmortem_required("x", inc.state, inc.events, DEFAULT_POLICY, at(30))
    assert verdict.required and verdict.reasons == ("SEV1: every SEV1 needs one",)


@pytest.mark.parametrize(
    ("build", "required"),
    [
        (lambda i: i, False),
        (lambda i: i.impact(-5), True),
        (lambda i: i.detected(1, DetectionSource.CUSTOMER), True),
        (lambda i: i.detected(1, DetectionSource.ALERT), False),
    ],
)
def test_sev2_needs_customer_impact(build, required: bool) -> None:  # type: ignore[no-untyped-def]
    inc = build(Incident().declared(0, severity=2)).resolved(30)
    verdict = postmortem_required("x", inc.state, inc.events, DEFAULT_POLICY, at(40))
    assert verdict.required is required


def test_engineering_time_is_summed_over_people() -> None:
    # alice: IC from 0 to resolution at 150 (2.5 h); bob writes at 30 and 120 (1.5 h);
    # the scribe writes at 0 and 150 (2.5 h): 6.5 h > 4 h for a SEV4.
    inc = Incident().declared(0, severity=4).role(0, Role.IC, "alice")
    inc.note(30, "looking", author="bob").note(120, "found it", author="bob")
    inc.resolved(150).note(400, "paperwork after resolution", author="carol")
    seconds = engineering_seconds(inc.state, inc.events, at(500))
    assert seconds == timedelta(hours=6.5).total_seconds()
    verdict = postmortem_required("x", inc.state, inc.events, DEFAULT_POLICY, at(500))
    assert verdict.required and verdict.engineering_hours == 6.5
    assert verdict.reasons[0].startswith("about 6.5 h of engineering time (estimated")
    short = policy_from_toml("postmortem_engineering_hours = 7")
    assert not postmortem_required("x", inc.state, inc.events, short, at(500)).required


def test_recurring_sev3_with_the_same_cause_within_the_window() -> None:
    inc = Incident().declared(0, severity=3)
    inc.add(1, CauseData(tag="disk-full")).resolved(20)

    def other(slug: str, days: float, tag: str = "disk-full", sev: Severity = Severity.SEV3):
        return CauseRecord(slug=slug, tag=tag, severity=sev, at=at(days * 24 * 60))

    def verdict(*others: CauseRecord):  # type: ignore[no-untyped-def]
        return postmortem_required("me", inc.state, inc.events, DEFAULT_POLICY, at(30), others)

    assert not verdict().required
    unrelated = (other("far", 31), other("dns", 1, "dns"), other("sev2", 1, sev=Severity.SEV2))
    assert not verdict(*unrelated).required
    near = verdict(other("near", -29))
    assert near.reasons == ("recurring SEV3: cause 'disk-full' also in near within 30 days",)
    strict = policy_from_toml("[postmortem_rule]\nrecurring_count = 3")
    assert not postmortem_required("me", inc.state, inc.events, strict, at(30),
                                   [other("near", -29)]).required
