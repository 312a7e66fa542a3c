"""The one describer: an entry in parts, its one-line form and its heading form."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import T0
from warroom.domain import describe as module
from warroom.domain.describe import KIND_WORDS, describe_event, describe_payload
from warroom.domain.events import (
    ActionItemData,
    CauseData,
    CheckpointData,
    ComponentState,
    CorrectionData,
    DeclaredData,
    DetectedData,
    DetectionSource,
    EscalationData,
    Event,
    EventData,
    EventKind,
    KeyMarkData,
    NoteData,
    PageData,
    Phase,
    PhaseChangedData,
    Priority,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)


def event(data: EventData, text: str = "", *, late: timedelta = timedelta(0)) -> Event:
    """Entry #3 at T0, recorded ``late`` after it."""
    return Event(id=3, occurred_at=T0, recorded_at=T0 + late, author="alice", text=text,
                 data=data)


def test_every_kind_has_a_word_and_every_builder_a_real_kind() -> None:
    assert set(KIND_WORDS) == {kind.value for kind in EventKind}
    assert set(module._BUILDERS) <= set(KIND_WORDS)


def test_line_and_heading_of_the_structured_kinds() -> None:
    cases: list[tuple[EventData, str, str, str]] = [
        (DeclaredData(title="Checkout down", severity=Severity.SEV2, services=("api", "db")),
         "Checkout down", "Checkout down — SEV2 — services: api, db",
         "declared: Checkout down (SEV2; api, db)"),
        (DeclaredData(title="Odd"), "Odd", "Odd — unclassified", "declared: Odd (unclassified)"),
        (DetectedData(source=DetectionSource.CUSTOMER), "tickets", "via customer — tickets",
         "detected (customer)"),
        (SeveritySetData(severity=Severity.SEV1), "worse", "SEV1 — worse", "severity → SEV1"),
        (RoleAssignedData(role=Role.IC, person="bob"), "", "Incident Commander: bob",
         "role: Incident Commander → bob"),
        (RoleReleasedData(role=Role.TECH), "", "Technical Lead: released",
         "role released: Technical Lead"),
        (PhaseChangedData(phase=Phase.RESPONDING, reopened=True), "", "re-opened → responding",
         "phase → responding (re-opened)"),
        (EscalationData(level=2), "stalled", "L2 — stalled", "escalation"),
        (EscalationData(), "", "one level up", "escalation"),
        (CorrectionData(target=2), "right", "#2 ← right", "correction of #2"),
        (KeyMarkData(target=2), "", "#2 marked key", "key mark: #2"),
        (CauseData(tag="disk-full"), "volume", "#disk-full — volume", "cause: #disk-full"),
        (NoteData(), "just a note", "just a note", "note"),
    ]
    for data, text, line, heading in cases:
        parts = describe_event(event(data, text))
        assert (parts.line(), parts.heading) == (line, heading), data.kind


def test_where_the_views_disagreed_the_rule_is_one() -> None:
    # a checkpoint lists the answers given, not the blank ones …
    checkpoint = event(CheckpointData(know="db slow", status_page="yes"), "Checkpoint — …")
    assert describe_event(checkpoint).line() == "know: db slow | status page: yes"
    # … and once corrected shows the corrected text, like any entry
    assert describe_event(checkpoint, "fixed answers").line() == "fixed answers"
    # an action item names what it lacks
    item = event(ActionItemData(owner="bob", priority=Priority.P1), "Add an alert")
    assert describe_event(item).line() == "Add an alert — @bob, no due date, P1"
    done = ActionItemData(owner="bob", due=date(2026, 12, 4), done_when="a drill passes")
    assert describe_event(event(done, "Alert")).heading == (
        "action item (owner bob, due 2026-12-04, no priority, done when a drill passes)")
    # components are listed by name, whatever order they were given in
    status = StatusUpdateData(phase=StatusPhase.IDENTIFIED, components={
        "web": ComponentState.MAJOR_OUTAGE, "api": ComponentState.OPERATIONAL})
    parts = describe_event(event(status, "Found it"))
    assert parts.line() == "[identified] Found it — api: Operational, web: Major Outage"
    assert parts.heading == "status update (identified) — api: Operational, web: Major Outage"
    # a page without text says which alert and status the tool reported
    page = PageData(source="alertmanager", alert="HighErrorRate")
    assert describe_event(event(page)).line() == "HighErrorRate firing"


def test_escape_applies_to_user_strings_only_and_the_text_stays_raw() -> None:
    def shout(text: str) -> str:
        return f"<{text}>"

    parts = describe_event(event(RoleAssignedData(role=Role.IC, person="b*b"), "*raw*"),
                           escape=shout)
    assert parts.heading == "role: Incident Commander → <b*b>"
    assert parts.text == "*raw*"
    reached = describe_payload(EscalationData(), "", reached="L2 secondary")
    assert reached.heading == "escalation → L2 secondary"


def test_flags_and_references() -> None:
    fix = describe_event(event(CorrectionData(target=2), "x", late=timedelta(minutes=5)),
                         key=True)
    assert (fix.refs, fix.key, fix.corrected, fix.backdated) == ((2,), True, False, True)
    prompt = describe_event(event(NoteData(), "n", late=timedelta(seconds=59)), "corrected")
    assert (prompt.corrected, prompt.backdated, prompt.text) == (True, False, "corrected")


def test_a_text_only_kind_reads_as_its_text() -> None:
    """The console shows such entries without building the parts: the words must agree."""
    from warroom.domain.events import AcknowledgedData, DecisionData, ImpactStartedData

    for data in (NoteData(), DecisionData(), AcknowledgedData(), ImpactStartedData()):
        assert module.text_only(data.kind)
        assert describe_event(event(data, "said so")).line() == "said so"
        assert describe_event(event(data, "said so"), "fixed").line() == "fixed"
    assert not module.text_only(EventKind.CHECKPOINT)
