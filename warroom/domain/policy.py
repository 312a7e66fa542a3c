"""The policy table: every number of docs/rules.md in one place, overridable from TOML.

Defaults are the values of ``docs/rules.md``. An organisation overrides any subset with
a TOML document (either at top level or under a ``[policy]`` table)::

    checkpoint_minutes = 10

    [severity.1]
    ack_minutes = 3

:func:`policy_from_toml` merges such a document over the defaults and reports an
invalid one as a :class:`PolicyError` naming the offending key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from warroom.domain.alert_policy import AlertMapping
from warroom.domain.events import Role, Severity, StatusPhase
from warroom.domain.oncall_policy import OncallPolicy, PostmortemRule, RunbookPolicy
from warroom.domain.validation import first_problem
from warroom.errors import WarroomError

Requirement = Literal["required", "recommended", "optional", "no"]


class PolicyError(WarroomError, ValueError):
    """An invalid policy document; the message names the key at fault."""


class SeverityRule(BaseModel):
    """What one severity demands (docs/rules.md §2 and §3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = Field(description="Customer impact that defines this severity.")
    ack_minutes: int | None = Field(
        description="Ack window in minutes; none means no paging window (next business day)."
    )
    page: str = Field(description="Who is paged, in words.")
    war_room: Requirement = Field(description="Whether a war room is opened.")
    status_page: Requirement = Field(description="Whether status-page updates are due.")
    required_roles: tuple[Role, ...] = Field(description="Roles that must be filled.")
    role_fill_minutes: int | None = Field(
        description="Minutes after declaration (or escalation) to fill the required roles."
    )
    single_owner: bool = Field(
        default=False, description="The on-call engineer holds every role (SEV3/SEV4)."
    )


def _default_severities() -> dict[Severity, SeverityRule]:
    return {
        Severity.SEV1: SeverityRule(
            description="complete outage or data loss",
            ack_minutes=5,
            page="page now",
            war_room="required",
            status_page="required",
            required_roles=(Role.IC, Role.COMMS, Role.TECH, Role.SCRIBE),
            role_fill_minutes=15,
        ),
        Severity.SEV2: SeverityRule(
            description="core functionality degraded",
            ack_minutes=15,
            page="page on-call",
            war_room="recommended",
            status_page="required",
            required_roles=(Role.IC, Role.COMMS, Role.TECH),
            role_fill_minutes=5,
        ),
        Severity.SEV3: SeverityRule(
            description="minor degradation, workaround exists",
            ack_minutes=None,
            page="next business day",
            war_room="no",
            status_page="optional",
            required_roles=(Role.TECH,),
            role_fill_minutes=None,
            single_owner=True,
        ),
        Severity.SEV4: SeverityRule(
            description="cosmetic or internal only",
            ack_minutes=None,
            page="backlog",
            war_room="no",
            status_page="no",
            required_roles=(Role.TECH,),
            role_fill_minutes=None,
            single_owner=True,
        ),
    }


class PostmortemSchedule(BaseModel):
    """When each post-mortem step is due, counted from resolution (docs/rules.md §7)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner_named_hours: float = Field(default=1, description="IC names an owner (hour 0).")
    draft_days: float = Field(default=1, description="Draft timeline and analysis.")
    meeting_days: float = Field(default=3, description="Facilitated meeting (day 2–3).")
    meeting_minutes: str = Field(default="60–90", description="Length of the meeting.")
    review_days: float = Field(default=4, description="Draft out for a 24-hour review.")
    final_days: float = Field(default=5, description="Final version, items in tracker.")
    action_review_days: float = Field(default=30, description="Action-item review.")


def _default_cadence() -> dict[StatusPhase, int | None]:
    return {
        StatusPhase.INVESTIGATING: 30,
        StatusPhase.IDENTIFIED: 30,
        StatusPhase.MONITORING: 60,
        StatusPhase.RESOLVED: None,
    }


class Policy(BaseModel):
    """Every rule and number the console enforces; defaults are those of docs/rules.md."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: dict[Severity, SeverityRule] = Field(
        default_factory=_default_severities, description="Per-severity rules."
    )
    unclassified_default_minutes: int = Field(
        default=10, ge=0, description="Unclassified this long after declaration → default."
    )
    unclassified_default_severity: Severity = Field(
        default=Severity.SEV2, description="Severity assumed for an unclassified incident."
    )
    sev2_escalation_minutes: int = Field(
        default=60, ge=1, description="A SEV2 not mitigated this long escalates to SEV1."
    )
    war_room_unmitigated_minutes: int = Field(
        default=30, ge=1, description="A SEV2 not mitigated this long needs a war room."
    )
    checkpoint_minutes: int = Field(default=15, ge=1, description="IC checkpoint cadence.")
    ic_rotation_minutes: int = Field(default=120, ge=1, description="Rotate the IC after.")
    first_status_update_minutes: int = Field(
        default=15, ge=1, description="First status update due after declaration."
    )
    status_cadence_minutes: dict[StatusPhase, int | None] = Field(
        default_factory=_default_cadence,
        description="Next status update due this long after the last, by its phase.",
    )
    escalation_stall_minutes: int = Field(
        default=30, ge=1, description="No mitigation progress this long: escalate a level."
    )
    escalation_levels: tuple[str, ...] = Field(
        default=(
            "L0 automation",
            "L1 primary on-call",
            "L2 secondary + team lead",
            "L3 engineering manager + dependent on-calls",
            "L4 director/VP + IC",
        ),
        description="The escalation ladder, lowest first.",
    )
    due_soon_minutes: int = Field(
        default=5, ge=0, description="A running clock this close to its deadline is due soon."
    )
    postmortem: PostmortemSchedule = Field(default_factory=PostmortemSchedule)
    postmortem_engineering_hours: float = Field(
        default=4, description="Incidents longer than this need a post-mortem."
    )
    postmortem_severities: tuple[Severity, ...] = Field(
        default=(Severity.SEV1, Severity.SEV2),
        description="Kept so recorded policies still load; the post-mortem rule "
        "(postmortem_rule.*) decides which incidents need one.",
    )
    internal_names: tuple[str, ...] = Field(
        default=(),
        description="Internal service names that must not appear in status updates.",
    )
    jargon: tuple[str, ...] = Field(
        default=(
            "RCA", "k8s", "kubernetes", "pod", "OOM", "p99", "latency spike", "SLO",
            "deploy", "rollback", "failover", "DNS", "TLS", "5xx", "4xx", "stack trace",
            "null pointer", "database", "replica", "shard", "cluster",
        ),
        description="Words the status composer flags as jargon.",
    )
    vague_action_words: tuple[str, ...] = Field(
        default=(
            "improve", "better", "look into", "investigate", "consider", "review",
            "enhance", "more robust", "as needed", "etc",
        ),
        description="Words that make an action item vague unless it has a definition of done.",
    )
    alerts: AlertMapping = Field(
        default_factory=AlertMapping,
        description="How received alerts map to incidents (see domain/alert_policy.py).",
    )

    # On-call health, runbooks, post-mortem-required rule (see oncall_policy).
    oncall: OncallPolicy = Field(default_factory=OncallPolicy)
    runbooks: RunbookPolicy = Field(default_factory=RunbookPolicy)
    postmortem_rule: PostmortemRule = Field(default_factory=PostmortemRule)

    def rule(self, severity: Severity) -> SeverityRule:
        """The rule for ``severity``."""
        return self.severity[severity]

    def escalation_label(self, level: int) -> str:
        """Human label of escalation level ``level`` (clamped to the ladder)."""
        levels = self.escalation_levels
        return levels[max(0, min(level, len(levels) - 1))]


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` merged over it, table by table (neither is changed)."""
    merged = dict(base)
    for key, value in override.items():
        key = str(key)  # TOML tables keyed by number (severity) merge with the defaults' text keys
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _error_message(error: ValidationError) -> str:
    problem = first_problem(error)
    what = "unknown key" if problem.kind == "extra_forbidden" else problem.what
    return f"policy key '{problem.where or '(top level)'}': {what}"


#: The largest number any policy key may hold (minutes, hours, days or counts): a
#: million minutes is almost two years, a million days still a date computers can add.
POLICY_NUMBER_MAX = 1_000_000


def _number_problem(value: Any, where: str) -> str | None:
    """Why a policy value (or a number nested in it) is out of bounds, naming its key."""
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _number_problem(item, f"{where}.{key}" if where else str(key))
            if problem:
                return problem
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problem = _number_problem(item, f"{where}[{index}]")
            if problem:
                return problem
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            return f"policy key '{where}': should be a finite number (got {value})"
        if abs(value) > POLICY_NUMBER_MAX:
            shown = str(value) if len(str(value)) <= 24 else f"{str(value)[:20]}…"
            return (f"policy key '{where}': {shown} is out of range "
                    f"(at most {POLICY_NUMBER_MAX:,})")
    return None


def policy_from_mapping(overrides: dict[str, Any]) -> Policy:
    """Build a policy: the defaults with ``overrides`` merged over them.

    Every number is bounded (:data:`POLICY_NUMBER_MAX`, finite): one out of range is
    a :class:`PolicyError` naming its key, never an overflow later.
    """
    defaults = Policy().model_dump(mode="json")
    normalised = {str(k): v for k, v in overrides.items()}
    problem = _number_problem(normalised, "")
    if problem:
        raise PolicyError(problem)
    severities = normalised.get("severity")
    if isinstance(severities, dict):
        # Keys must match the defaults' JSON keys ("1".."4") to merge, not replace.
        normalised["severity"] = {str(k): v for k, v in severities.items()}
    merged = deep_merge(defaults, normalised)
    try:
        return Policy.model_validate(merged)
    except ValidationError as error:
        raise PolicyError(_error_message(error)) from None


def policy_from_toml(text: str) -> Policy:
    """Parse a TOML policy document (top level or a ``[policy]`` table) over the defaults."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"policy file is not valid TOML: {error}") from None
    overrides = document.get("policy", document)
    if not isinstance(overrides, dict):
        raise PolicyError("policy key 'policy': expected a table")
    return policy_from_mapping(overrides)


DEFAULT_POLICY = Policy()
