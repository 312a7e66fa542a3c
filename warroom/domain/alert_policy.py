"""How received alerts become incidents: the ``[alerts]`` table of the policy.

Part of :class:`~warroom.domain.policy.Policy`, so it is overridden from TOML like every
other rule::

    [alerts]
    service_labels = ["service", "app", "job"]

    [alerts.severity]          # label value (any case) → severity; merged over the defaults
    critical = 1
    page = 2

A label value the table does not name leaves a new incident unclassified (the policy's
unclassified clock then applies).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from warroom.domain.events import Severity


def _default_severities() -> dict[str, Severity]:
    return {
        "critical": Severity.SEV2,
        "high": Severity.SEV2,
        "error": Severity.SEV3,
        "warning": Severity.SEV3,
        "medium": Severity.SEV3,
        "low": Severity.SEV4,
        "info": Severity.SEV4,
        "p1": Severity.SEV1,
        "p2": Severity.SEV2,
        "p3": Severity.SEV3,
        "p4": Severity.SEV4,
        "p5": Severity.SEV4,
    }


class AlertMapping(BaseModel):
    """The mapping from an alert's labels and annotations to an incident."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity_label: str = Field(
        default="severity", min_length=1,
        description="Label whose value picks the severity (PagerDuty: priority, else urgency).",
    )
    severity: dict[str, Severity] = Field(
        default_factory=_default_severities,
        description="Label value (compared in lower case) → severity; others: unclassified.",
    )
    service_labels: tuple[str, ...] = Field(
        default=("service", "job"),
        description="Labels naming the affected service, first present wins.",
    )
    title_annotations: tuple[str, ...] = Field(
        default=("summary", "title"),
        description="Annotations giving the incident title, first present wins (else alertname).",
    )
    runbook_annotation: str = Field(
        default="runbook_url", description="Annotation holding the runbook's link."
    )
    incident_label: str = Field(
        default="warroom_incident",
        description="Label naming an existing incident (id or slug) the alert feeds.",
    )

    @field_validator("severity")
    @classmethod
    def _lower_keys(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        return {key.strip().lower(): sev for key, sev in value.items()}

    def severity_of(self, value: str | None) -> Severity | None:
        """The severity a label value maps to (``None``: unclassified)."""
        if not value:
            return None
        return self.severity.get(value.strip().lower())
