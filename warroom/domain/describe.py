"""What an entry says, in parts: one describer for the command line, the console and the export.

:func:`describe_event` turns an event into :class:`EventParts` — its kind word, the
structured payload in words (the *subject*), its own text, further fields (the
*details*: a status update's components, an action item's owner and due date, a
checkpoint's answers), the entries it refers to and its flags (key, corrected,
back-dated). Each front end only styles the parts:

* the one-line form (:meth:`EventParts.line`) — ``warroom log``/``show`` and the
  console's timeline write the same words after their own kind column;
* the heading form (:attr:`EventParts.heading`) — the export's *Event* column:
  the kind word and the payload, the text going in its own column.

User strings inside the payload (a title, a person, a tag, a component name) are
passed through the caller's ``escape`` (Markdown escaping for the export; the
terminal views clean the whole line with
:func:`~warroom.domain.sanitize.one_line`). The entry's own text is left raw.

Where the views used to disagree, this is the rule:

* a **checkpoint** lists the answers that were given (blank ones left out); once
  corrected, it shows the corrected text like any entry;
* an **action item** names what it lacks (``no owner``, ``no due date``,
  ``no priority``): an incomplete item is flagged, never silently accepted;
* a status update's **components** are listed by name;
* a **page** with no text says which alert and status the tool reported.

The module needs no domain model at import time (kinds are compared by value), so
the console can load it before the record does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from warroom.domain.events import Event, EventData

__all__ = [
    "BACKDATED_AFTER",
    "KIND_WORDS",
    "EventParts",
    "describe_event",
    "describe_payload",
    "text_only",
]

#: An entry whose event time is at least this much before its recorded time is back-dated.
BACKDATED_AFTER = timedelta(minutes=1)

#: The word of each kind (by the kind's value), as the export writes it.
KIND_WORDS: dict[str, str] = {
    "declared": "declared",
    "impact_started": "impact started",
    "detected": "detected",
    "acknowledged": "acknowledged",
    "severity_set": "severity",
    "role_assigned": "role",
    "role_released": "role released",
    "phase_changed": "phase",
    "note": "note",
    "decision": "decision",
    "command": "command",
    "status_update": "status update",
    "checkpoint": "checkpoint",
    "action_item": "action item",
    "escalation": "escalation",
    "correction": "correction",
    "key_mark": "key mark",
    "key_unmark": "key mark taken back",
    "postmortem_owner": "post-mortem owner",
    "cause": "cause",
    "runbook": "runbook",
    "page": "page",
    "policy_set": "policy",
}

#: A checkpoint's answers, in question order: (field, label).
_ANSWERS = (("know", "know"), ("next", "next"), ("escalate", "escalate"),
            ("status_page", "status page"))


def _same(text: str) -> str:
    return text


def _join(*parts: str) -> str:
    return " — ".join(p for p in parts if p)


class EventParts(NamedTuple):
    """An entry described in parts (see the module doc); front ends style them."""

    #: The event kind's value (``"role_assigned"``).
    kind: str
    #: The kind in a word or two (``"role"``, ``"status update"``).
    label: str
    #: The payload in words, for the one-line form (``"Incident Commander: bob"``).
    subject: str
    #: The kind word and the payload, for an event column (``"role: Incident Commander → bob"``).
    heading: str
    #: The entry's own text (the corrected text once corrected), not escaped.
    text: str
    #: Further fields, each in words (``"owner bob"``…), user strings escaped.
    details: tuple[str, ...] = ()
    #: Ids of the entries this one refers to (a correction's, a key mark's target).
    refs: tuple[int, ...] = ()
    #: Whether the entry is a key event.
    key: bool = False
    #: Whether the entry's text was corrected (``text`` is the corrected one).
    corrected: bool = False
    #: Whether the entry was back-dated (event time well before the recorded time).
    backdated: bool = False
    #: What stands between the subject and the text in the one-line form.
    joiner: str = " — "

    def line(self) -> str:
        """The one-line form: subject, text and details (``"Incident Commander: bob — text"``)."""
        if self.subject and self.text:
            head = f"{self.subject}{self.joiner}{self.text}"
        else:
            head = self.subject or self.text
        return _join(head, *self.details)


Builder = Callable[[Any, str, Callable[[str], str]], dict[str, Any]]


def _declared(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    sev = data.severity.label if data.severity is not None else "unclassified"
    services = ", ".join(esc(s) for s in data.services)
    title = esc(data.title)
    return {
        "subject": title,
        "text": "",  # a declaration's text is its title
        "details": (sev, f"services: {services}" if services else ""),
        "heading": f"declared: {title} ({sev}" + (f"; {services}" if services else "") + ")",
    }


def _detected(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    source = data.source.value
    return {"subject": f"via {source}", "heading": f"detected ({source})"}


def _severity(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    label = data.severity.label
    return {"subject": label, "heading": f"severity → {label}"}


def _role_assigned(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    role, person = data.role.label, esc(data.person)
    return {"subject": f"{role}: {person}", "heading": f"role: {role} → {person}"}


def _role_released(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    role = data.role.label
    return {"subject": f"{role}: released", "heading": f"role released: {role}"}


def _phase(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    phase = data.phase.value
    return {
        "subject": f"re-opened → {phase}" if data.reopened else f"→ {phase}",
        "heading": f"phase → {phase}" + (" (re-opened)" if data.reopened else ""),
    }


def _status(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    phase = data.phase.value
    parts = ", ".join(f"{esc(name)}: {state.label}"
                      for name, state in sorted(data.components.items()))
    return {
        "subject": f"[{phase}]",
        "joiner": " ",
        "details": (parts,),
        "heading": f"status update ({phase})" + (f" — {parts}" if parts else ""),
    }


def _checkpoint(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    answers = tuple(f"{label}: {esc(value)}" for field, label in _ANSWERS
                    if (value := getattr(data, field)))
    return {"answers": answers, "heading": "checkpoint"}


def _action_item(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    short = ", ".join((
        f"@{esc(data.owner)}" if data.owner else "no owner",
        f"due {data.due.isoformat()}" if data.due else "no due date",
        data.priority.value if data.priority else "no priority",
    ))
    fields = [
        f"owner {esc(data.owner)}" if data.owner else "no owner",
        f"due {data.due.isoformat()}" if data.due else "no due date",
        data.priority.value if data.priority else "no priority",
    ]
    done = esc(data.done_when) if data.done_when else ""
    if done:
        fields.append(f"done when {done}")
    return {
        "details": (short, f"done: {done}" if done else ""),
        "heading": f"action item ({', '.join(fields)})",
    }


def _escalation(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    return {"subject": f"L{data.level}" if data.level is not None else "one level up",
            "heading": "escalation"}


def _correction(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    target = data.target
    return {"subject": f"#{target} ←", "joiner": " ", "refs": (target,),
            "heading": f"correction of #{target}"}


def _key_mark(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    target = data.target
    return {"subject": f"#{target} marked key", "refs": (target,),
            "heading": f"key mark: #{target}"}


def _key_unmark(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    target = data.target
    return {"subject": f"#{target} key mark taken back", "refs": (target,),
            "heading": f"key mark taken back: #{target}"}


def _postmortem_owner(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    phrase = f"post-mortem owner: {esc(data.person)}"
    return {"subject": phrase, "heading": phrase}


def _page(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    status = data.status.value
    return {
        # its text says what the tool reported; without one, which alert and status
        "text": text or f"{data.alert} {status}".strip(),
        "heading": f"page ({esc(data.source)}, {status})",
    }


def _cause(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    tag = esc(data.tag)
    return {"subject": f"#{tag}", "heading": f"cause: #{tag}"}


def _runbook(data: Any, text: str, esc: Callable[[str], str]) -> dict[str, Any]:
    ref = esc(data.ref)
    return {"subject": ref, "heading": f"runbook: {ref}"}


_BUILDERS: dict[str, Builder] = {
    "declared": _declared,
    "detected": _detected,
    "severity_set": _severity,
    "role_assigned": _role_assigned,
    "role_released": _role_released,
    "phase_changed": _phase,
    "status_update": _status,
    "checkpoint": _checkpoint,
    "action_item": _action_item,
    "escalation": _escalation,
    "correction": _correction,
    "key_mark": _key_mark,
    "key_unmark": _key_unmark,
    "postmortem_owner": _postmortem_owner,
    "page": _page,
    "cause": _cause,
    "runbook": _runbook,
}


def text_only(kind: str) -> bool:
    """Whether entries of ``kind`` carry no payload to describe: their one-line form is
    their (corrected) text, and a view may show it without building the parts."""
    return kind not in _BUILDERS


def describe_event(
    event: Event,
    text: str | None = None,
    *,
    corrected: bool | None = None,
    key: bool = False,
    escape: Callable[[str], str] = _same,
    reached: str | None = None,
) -> EventParts:
    """``event`` in parts (see the module doc).

    ``text`` is the corrected text if the entry was corrected (``None``: its own
    text; ``corrected`` defaults to whether a text was given); ``key`` whether it
    is a key event; ``escape`` applies to the user strings of the payload;
    ``reached`` names the escalation level an escalation reached (the export's
    heading shows it).
    """
    return describe_payload(
        event.data,
        event.text if text is None else text,
        corrected=text is not None if corrected is None else corrected,
        key=key,
        escape=escape,
        reached=reached,
        backdated=event.recorded_at - event.occurred_at >= BACKDATED_AFTER,
    )


def describe_payload(
    data: EventData,
    text: str,
    *,
    corrected: bool = False,
    key: bool = False,
    escape: Callable[[str], str] = _same,
    reached: str | None = None,
    backdated: bool = False,
) -> EventParts:
    """An entry in parts from its payload and (corrected) ``text``: :func:`describe_event`
    for a view that holds the fields of an entry rather than the event (the export's rows).
    """
    kind: str = data.kind
    label = KIND_WORDS.get(kind) or kind.replace("_", " ")
    builder = _BUILDERS.get(kind)
    if builder is None:  # the free-text kinds (notes, decisions…): the common case
        return EventParts(kind, label, "", label, text, (), (), key, corrected, backdated)
    fields = builder(data, text, escape)
    answers = fields.pop("answers", None)
    if answers is not None:  # a checkpoint: its answers, unless corrected
        if corrected or not answers:
            fields["subject"] = ""
        else:
            fields.update(subject=" | ".join(answers), text="")
    if reached is not None and kind == "escalation":
        fields["heading"] = f"escalation → {reached}"
    fields.setdefault("subject", "")
    fields.setdefault("text", text)
    fields.setdefault("heading", label)
    return EventParts(
        kind=kind, label=label, key=key, corrected=corrected, backdated=backdated, **fields
    )
