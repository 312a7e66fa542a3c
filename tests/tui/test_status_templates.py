"""Status-update templates: pre-filled from the incident, every time with its zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.support.events import IncidentEvents
from tests.support.times import T0
from warroom.domain.events import (
    ComponentState,
    DetectedData,
    DetectionSource,
    Phase,
    PhaseChangedData,
    Severity,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.fold import fold
from warroom.domain.policy import DEFAULT_POLICY, policy_from_mapping
from warroom.domain.timefmt import format_zoned
from warroom.export.status import writing_rule_warnings
from warroom.tui.status_templates import (
    affected_components,
    human_list,
    impact_start,
    next_update_at,
    proposed_components,
    status_template,
    suggested_phase,
)

PARIS = ZoneInfo("Europe/Paris")


def _state(*updates: tuple[float, StatusUpdateData], phase: Phase | None = None):
    log = IncidentEvents(severity=Severity.SEV2, services=("Checkout", "Payments"))
    for minute, data in updates:
        log.add(minute, data, text=f"update at {minute}")
    if phase is not None:
        log.add(50, PhaseChangedData(phase=phase))
    return fold(log.events)


def test_format_zoned_names_the_zone() -> None:
    assert format_zoned(T0, UTC) == "14:00 UTC"
    assert format_zoned(T0, PARIS) == "15:00 CET"
    summer = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert format_zoned(summer, PARIS) == "14:30 CEST"
    assert format_zoned(T0, timezone(timedelta(hours=5, minutes=30))) == "19:30 UTC+05:30"
    assert format_zoned(T0, timezone(timedelta(hours=-3))) == "11:00 UTC-03:00"


def test_format_zoned_adds_the_date_when_not_today() -> None:
    assert format_zoned(T0 - timedelta(hours=15), UTC, now=T0) == "26 Nov 23:00 UTC"
    assert format_zoned(T0 - timedelta(hours=1), UTC, now=T0) == "13:00 UTC"
    # The day is the viewer's: 23:30 UTC is already tomorrow in Paris.
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert format_zoned(late, PARIS, now=T0) == "28 Nov 00:30 CET"


def test_human_list() -> None:
    assert human_list([]) == ""
    assert human_list(["A"]) == "A"
    assert human_list(["A", "B"]) == "A and B"
    assert human_list(["A", "B", "C"]) == "A, B and C"


def test_affected_components_services_then_earlier_updates_with_last_state() -> None:
    state = _state(
        (
            5,
            StatusUpdateData(
                phase=StatusPhase.INVESTIGATING,
                components={
                    "Payments": ComponentState.PARTIAL_OUTAGE,
                    "Mobile app": ComponentState.DEGRADED_PERFORMANCE,
                },
            ),
        ),
        (
            20,
            StatusUpdateData(
                phase=StatusPhase.IDENTIFIED,
                components={
                    "Payments": ComponentState.MAJOR_OUTAGE,
                },
            ),
        ),
    )
    assert affected_components(state) == {
        "Checkout": ComponentState.DEGRADED_PERFORMANCE,
        "Payments": ComponentState.MAJOR_OUTAGE,
        "Mobile app": ComponentState.DEGRADED_PERFORMANCE,
    }


def test_affected_components_strips_control_characters() -> None:
    log = IncidentEvents(services=("Check\x1b[31mout\x07", "  "))
    assert list(affected_components(fold(log.events))) == ["Checkout"]


def test_services_never_posted_are_left_out_once_updates_exist() -> None:
    state = _state(
        (
            5,
            StatusUpdateData(
                phase=StatusPhase.INVESTIGATING,
                components={
                    "Card payments": ComponentState.PARTIAL_OUTAGE,
                    "Payments": ComponentState.DEGRADED_PERFORMANCE,
                },
            ),
        ),
    )
    assert proposed_components(state, StatusPhase.IDENTIFIED) == {
        "Checkout": None,
        "Payments": ComponentState.DEGRADED_PERFORMANCE,
        "Card payments": ComponentState.PARTIAL_OUTAGE,
    }
    assert proposed_components(state, StatusPhase.RESOLVED) == {
        "Checkout": None,
        "Payments": ComponentState.OPERATIONAL,
        "Card payments": ComponentState.OPERATIONAL,
    }


def test_proposed_components_are_operational_when_resolved() -> None:
    state = _state()
    assert set(proposed_components(state, StatusPhase.RESOLVED).values()) == {
        ComponentState.OPERATIONAL
    }
    assert proposed_components(state, StatusPhase.INVESTIGATING) == affected_components(state)


@pytest.mark.parametrize(
    ("updates", "phase", "expected"),
    [
        ((), None, StatusPhase.INVESTIGATING),
        ((), Phase.MITIGATED, StatusPhase.MONITORING),
        ((), Phase.RESOLVED, StatusPhase.RESOLVED),
        (((5, StatusUpdateData(phase=StatusPhase.IDENTIFIED)),), None, StatusPhase.IDENTIFIED),
        (
            ((5, StatusUpdateData(phase=StatusPhase.IDENTIFIED)),),
            Phase.MITIGATED,
            StatusPhase.MONITORING,
        ),
        (
            ((5, StatusUpdateData(phase=StatusPhase.MONITORING)),),
            Phase.POSTMORTEM,
            StatusPhase.RESOLVED,
        ),
    ],
)
def test_suggested_phase(updates, phase, expected) -> None:
    assert suggested_phase(_state(*updates, phase=phase)) == expected


def test_suggested_phase_after_reopening_goes_back_to_investigating() -> None:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(5, StatusUpdateData(phase=StatusPhase.MONITORING), text="fixed")
    log.add(6, PhaseChangedData(phase=Phase.MITIGATED))
    log.add(30, PhaseChangedData(phase=Phase.RESPONDING, reopened=True))
    assert suggested_phase(fold(log.events)) == StatusPhase.INVESTIGATING


def test_impact_start_prefers_impact_then_detection_then_declaration() -> None:
    state = _state()
    assert impact_start(state) == T0


def test_next_update_follows_the_policy_cadence() -> None:
    assert next_update_at(StatusPhase.INVESTIGATING, T0, DEFAULT_POLICY) == T0 + timedelta(
        minutes=30
    )
    assert next_update_at(StatusPhase.MONITORING, T0, DEFAULT_POLICY) == T0 + timedelta(minutes=60)
    assert next_update_at(StatusPhase.RESOLVED, T0, DEFAULT_POLICY) is None
    custom = policy_from_mapping({"status_cadence_minutes": {"investigating": 20}})
    assert next_update_at(StatusPhase.INVESTIGATING, T0, custom) == T0 + timedelta(minutes=20)


def _template(phase: StatusPhase, *, tz=UTC, components=None, state=None) -> str:
    state = state or _state()
    return status_template(
        phase,
        state,
        components=components if components is not None else affected_components(state),
        now=T0 + timedelta(minutes=10),
        tz=tz,
        policy=DEFAULT_POLICY,
    )


def test_investigating_template_is_filled_from_the_incident() -> None:
    text = _template(StatusPhase.INVESTIGATING)
    assert text == (
        "Some customers may be experiencing problems with Checkout and Payments since "
        "14:00 UTC. We are aware of the issue and are investigating. We will post the next "
        "update by 14:40 UTC."
    )


def test_templates_use_the_viewers_zone() -> None:
    text = _template(StatusPhase.IDENTIFIED, tz=PARIS)
    assert "since 15:00 CET" in text
    assert "by 15:40 CET" in text
    assert "UTC" not in text


def test_template_names_only_components_not_operational() -> None:
    components = {
        "Checkout": ComponentState.MAJOR_OUTAGE,
        "Payments": ComponentState.OPERATIONAL,
    }
    text = _template(StatusPhase.IDENTIFIED, components=components)
    assert "problems with Checkout since" in text
    assert "Payments" not in text
    assert "problems with our service" in _template(StatusPhase.IDENTIFIED, components={})


def test_resolved_template_gives_the_window_and_no_next_update() -> None:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(45, PhaseChangedData(phase=Phase.RESOLVED))
    text = _template(StatusPhase.RESOLVED, state=fold(log.events))
    assert text.startswith("Between 14:00 UTC and 14:45 UTC, some customers experienced")
    assert "next update" not in text


@pytest.mark.parametrize("phase", list(StatusPhase))
@pytest.mark.parametrize("tz", [UTC, PARIS, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York")])
def test_unedited_templates_pass_the_writing_rules(phase: StatusPhase, tz) -> None:
    state = _state()
    text = _template(phase, tz=tz, state=state)
    warnings = writing_rule_warnings(
        text, affected_components(state), DEFAULT_POLICY, customer_reported=True
    )
    assert warnings == []


def test_customer_reported_incident_template_never_says_no_impact() -> None:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(1, DetectedData(source=DetectionSource.CUSTOMER))
    state = fold(log.events)
    for phase in StatusPhase:
        assert "no impact" not in _template(phase, state=state).lower()
