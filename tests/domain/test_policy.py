"""The policy table: defaults are the numbers of docs/rules.md; TOML overrides; clear errors."""

from __future__ import annotations

import pytest

from warroom.domain.events import Role, Severity, StatusPhase
from warroom.domain.policy import (
    DEFAULT_POLICY,
    Policy,
    PolicyError,
    policy_from_mapping,
    policy_from_toml,
)


def test_severity_table_matches_spec_section_2_and_3() -> None:
    p = DEFAULT_POLICY
    assert [p.rule(s).ack_minutes for s in Severity] == [5, 15, None, None]
    assert [p.rule(s).war_room for s in Severity] == ["required", "recommended", "no", "no"]
    assert [p.rule(s).status_page for s in Severity] == [
        "required",
        "required",
        "optional",
        "no",
    ]
    assert p.rule(Severity.SEV1).required_roles == (Role.IC, Role.COMMS, Role.TECH, Role.SCRIBE)
    assert p.rule(Severity.SEV1).role_fill_minutes == 15
    assert set(p.rule(Severity.SEV2).required_roles) >= {Role.IC, Role.TECH}
    assert Role.SCRIBE not in p.rule(Severity.SEV2).required_roles
    for sev in (Severity.SEV3, Severity.SEV4):
        assert p.rule(sev).single_owner
        assert Role.TECH in p.rule(sev).required_roles


def test_numbers_match_spec() -> None:
    p = DEFAULT_POLICY
    assert p.unclassified_default_minutes == 10
    assert p.unclassified_default_severity == Severity.SEV2
    assert p.sev2_escalation_minutes == 60
    assert p.war_room_unmitigated_minutes == 30
    assert p.checkpoint_minutes == 15
    assert p.ic_rotation_minutes == 120
    assert p.escalation_stall_minutes == 30
    assert p.status_cadence_minutes == {
        StatusPhase.INVESTIGATING: 30,
        StatusPhase.IDENTIFIED: 30,
        StatusPhase.MONITORING: 60,
        StatusPhase.RESOLVED: None,
    }
    assert p.first_status_update_minutes <= 15
    assert len(p.escalation_levels) == 5
    assert p.escalation_label(1).startswith("L1")
    assert p.escalation_label(99).startswith("L4")
    assert p.postmortem.final_days == 5
    assert p.postmortem.action_review_days == 30
    assert p.postmortem_engineering_hours == 4
    assert p.postmortem_severities == (Severity.SEV1, Severity.SEV2)


def test_default_policy_equals_a_fresh_one_and_an_empty_toml() -> None:
    assert Policy() == DEFAULT_POLICY
    assert policy_from_toml("") == DEFAULT_POLICY
    assert policy_from_toml("[policy]\n") == DEFAULT_POLICY


def test_top_level_override_of_a_subset() -> None:
    p = policy_from_toml("checkpoint_minutes = 10\n\n[severity.1]\nack_minutes = 3\n")
    assert p.checkpoint_minutes == 10
    assert p.rule(Severity.SEV1).ack_minutes == 3
    # everything else keeps its default
    assert p.rule(Severity.SEV1).role_fill_minutes == 15
    assert p.rule(Severity.SEV2) == DEFAULT_POLICY.rule(Severity.SEV2)
    assert p.ic_rotation_minutes == 120


def test_override_under_a_policy_table() -> None:
    text = """
    [policy]
    ic_rotation_minutes = 90

    [policy.postmortem]
    owner_named_hours = 2

    [policy.status_cadence_minutes]
    monitoring = 45
    """
    p = policy_from_toml(text)
    assert p.ic_rotation_minutes == 90
    assert p.postmortem.owner_named_hours == 2
    assert p.postmortem.final_days == 5
    assert p.status_cadence_minutes[StatusPhase.MONITORING] == 45
    assert p.status_cadence_minutes[StatusPhase.INVESTIGATING] == 30


def test_mapping_override_with_int_severity_keys() -> None:
    p = policy_from_mapping({"severity": {2: {"role_fill_minutes": 8}}})
    assert p.rule(Severity.SEV2).role_fill_minutes == 8


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('checkpoint_minutes = "ten"', "checkpoint_minutes"),
        ("checkpoint_minutes = 0", "checkpoint_minutes"),
        ("chekpoint_minutes = 10", "chekpoint_minutes"),
        ('[severity.1]\nack_minutes = "soon"', "severity.1.ack_minutes"),
        ("[severity.1]\npager = 1", "severity.1.pager"),
        ('[severity.2]\nrequired_roles = ["ic", "boss"]', "severity.2.required_roles"),
        ("[postmortem]\nowner_named_hours = []", "postmortem.owner_named_hours"),
        ("[policy]\nwar_room_unmitigated_minutes = -5", "war_room_unmitigated_minutes"),
        ("[status_cadence_minutes]\nsoonish = 3", "status_cadence_minutes.soonish"),
        ("policy = 3", "policy"),
    ],
)
def test_invalid_values_name_the_key(text: str, key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_toml(text)
    message = str(caught.value)
    assert key in message
    assert "\n" not in message


def test_bad_toml_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="not valid TOML"):
        policy_from_toml("checkpoint_minutes = \n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        policy_from_toml("[severity.1\nack_minutes = 3")


def test_policy_error_is_a_value_error() -> None:
    assert issubclass(PolicyError, ValueError)


def test_policy_is_frozen() -> None:
    with pytest.raises(ValueError):
        DEFAULT_POLICY.checkpoint_minutes = 1  # type: ignore[misc]
