"""Status-update renderings: plain text, Markdown, a Statuspage-shaped JSON body.

Each works on a posted update (:class:`~warroom.domain.state.StatusUpdate`) or a
draft from the composer (:class:`StatusDraft`). Every timestamp carries its zone.
:func:`writing_rule_warnings` implements the composer's writing rules (warnings,
never blocks).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from warroom.domain.events import ComponentState, StatusPhase
from warroom.domain.policy import Policy
from warroom.domain.sanitize import clean_text
from warroom.domain.state import StatusUpdate
from warroom.domain.timefmt import iso_utc, stamp_local, stamp_utc
from warroom.export.escape import md_escape_inline, md_escape_lines

__all__ = [
    "StatusDraft",
    "as_draft",
    "component_id",
    "render_markdown",
    "render_plain",
    "render_statuspage_json",
    "statuspage_payload",
    "writing_rule_warnings",
]


class StatusDraft(BaseModel):
    """A status update to render: a draft from the composer or a posted one."""

    model_config = ConfigDict(frozen=True)
    phase: StatusPhase
    text: str
    components: dict[str, ComponentState] = Field(default_factory=dict)
    at: datetime
    author: str | None = None
    event_id: int | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        return value.astimezone(UTC)


def as_draft(update: StatusUpdate | StatusDraft) -> StatusDraft:
    """Either kind of update as a :class:`StatusDraft`."""
    if isinstance(update, StatusDraft):
        return update
    return StatusDraft(
        phase=update.phase,
        text=update.text,
        components=dict(update.components),
        at=update.at,
        author=update.author,
        event_id=update.event_id,
    )


def _when(at: datetime, tz: tzinfo) -> str:
    """The time in UTC, and first in the local zone when that is not UTC at that instant."""
    if tz is UTC or at.astimezone(tz).utcoffset() == timedelta(0):
        return stamp_utc(at)
    return f"{stamp_local(at, tz)} = {stamp_utc(at)}"


def _components_sorted(
    components: Mapping[str, ComponentState],
) -> list[tuple[str, ComponentState]]:
    return sorted(components.items(), key=lambda item: (item[0].casefold(), item[0]))


def render_plain(update: StatusUpdate | StatusDraft, *, title: str = "", tz: tzinfo = UTC) -> str:
    """Plain text for pasting anywhere: phase, time with zone, body, components."""
    draft = as_draft(update)
    head = f"{draft.phase.value.capitalize()} — {_when(draft.at, tz)}"
    lines = [clean_text(title).replace("\n", " ").strip(), head] if title.strip() else [head]
    lines.extend(["", clean_text(draft.text).strip()])
    if draft.components:
        lines.append("")
        lines.append("Affected components:")
        lines.extend(
            f"- {clean_text(name).replace(chr(10), ' ')}: {state.label}"
            for name, state in _components_sorted(draft.components)
        )
    return "\n".join(lines) + "\n"


def render_markdown(
    update: StatusUpdate | StatusDraft, *, title: str = "", tz: tzinfo = UTC
) -> str:
    """Markdown: a bold phase and time line, the body as escaped paragraphs, components."""
    draft = as_draft(update)
    lines: list[str] = []
    if title.strip():
        lines.extend([f"### {md_escape_inline(title)}", ""])
    lines.extend([f"**{draft.phase.value.capitalize()}** — {_when(draft.at, tz)}", ""])
    body = md_escape_lines(draft.text.strip())
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else ""
        lines.append(f"{line}\\" if line and following else line)
    if draft.components:
        lines.extend(["", "Affected components:", ""])
        lines.extend(
            f"- {md_escape_inline(name)}: {state.label}"
            for name, state in _components_sorted(draft.components)
        )
    return "\n".join(lines).rstrip("\n") + "\n"


_NOT_ID = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[^\w]+")


def component_id(name: str) -> str:
    """A stable id for a component name: lower-case ASCII words joined by ``-``.

    Names without any ASCII letter keep their Unicode letters; an empty result is
    ``component``.
    """
    cleaned = clean_text(name)
    ascii_name = unicodedata.normalize("NFKD", cleaned).encode("ascii", "ignore").decode()
    slug = _NOT_ID.sub("-", ascii_name.lower()).strip("-")
    if not slug:
        slug = _NOT_WORD.sub("-", cleaned.casefold()).strip("-_")
    return slug or "component"


def statuspage_payload(
    update: StatusUpdate | StatusDraft, *, title: str = "", tz: tzinfo = UTC
) -> dict[str, Any]:
    """The update shaped like a Statuspage incident update (a JSON-ready dict).

    ``name`` (the incident title), ``status`` (investigating, identified,
    monitoring, resolved), ``body``, ``components`` (``id`` slugified from the
    name and unique, ``name``, ``status``), ``created_at`` and ``display_at`` (ISO
    8601 with a zone: UTC, or ``tz`` when given).
    """
    draft = as_draft(update)
    used: dict[str, int] = {}
    components = []
    for name, state in _components_sorted(draft.components):
        base = component_id(name)
        count = used.get(base, 0) + 1
        used[base] = count
        components.append(
            {
                "id": base if count == 1 else f"{base}-{count}",
                "name": clean_text(name),
                "status": state.value,
            }
        )
    stamp = iso_utc(draft.at) if tz is UTC else draft.at.astimezone(tz).isoformat()
    return {
        "body": clean_text(draft.text).strip(),
        "components": components,
        "created_at": stamp,
        "display_at": stamp,
        "name": clean_text(title).replace("\n", " ").strip(),
        "status": draft.phase.value,
    }


def render_statuspage_json(
    update: StatusUpdate | StatusDraft, *, title: str = "", tz: tzinfo = UTC
) -> str:
    """:func:`statuspage_payload` as JSON text (sorted keys, 2-space indent, final newline)."""
    payload = statuspage_payload(update, title=title, tz=tz)
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- writing rules

_IMPACT_WORDS = re.compile(
    r"\b(customers?|users?|visitors?|merchants?|clients?|unable|cannot|can't|"
    r"could not|couldn't|fail(s|ed|ing|ures?)?|errors?|slow(er|ness)?|delay(s|ed)?|"
    r"degraded|unavailable|outage|down|timeouts?|timing out|intermittent|impact(ed)?|"
    r"affect(s|ed|ing)?|disrupt(ed|ion)?)\b",
    re.IGNORECASE,
)
_NO_IMPACT = re.compile(
    r"\b(no (customer |user )?impact|not (been )?(impacted|affected)|unaffected|"
    r"no customers? (were |was |are )?(impacted|affected)|nobody (was )?affected)\b",
    re.IGNORECASE,
)
_ERROR_CODE = re.compile(
    r"(?<![\w.:/-])(?:HTTP ?[1-5]\d\d|[45]\d\d(?= errors?\b)|[45]xx|0x[0-9a-fA-F]{2,}|"
    r"E\d{3,}|ERR_[A-Z0-9_]+|[A-Z]{2,}-\d{2,})(?![\w-])",
)
#: An offset's sign: the hyphen-minus, or the minus sign U+2212 that editors type.
_SIGN = "[+\\-\u2212]"
#: A time of day (``14:05``, ``2:05 pm``); one right after a sign (``+05:30``) is an offset.
_TIME = re.compile(
    rf"(?<![\d:]|{_SIGN})([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*(?:[ap]\.m\.|[ap]\.?m\b))?(?![\d:])",
    re.IGNORECASE,
)
#: What may follow a time to give its zone: ``Z``, ``UTC``/``GMT`` with or without an
#: offset (``UTC+05:30``, ``GMT - 3``), an abbreviation (``CET``, ``PDT``), a bare
#: offset (``+01:00``, ``−0330``) or an IANA name (``Europe/Paris``), maybe in brackets.
_ZONE_AFTER = re.compile(
    r"\s*\(?\s*(?:"
    rf"(?:UTC|GMT)(?:\s?{_SIGN}\s?\d{{1,2}}(?::?\d{{2}})?)?(?!\w)"
    r"|Z\b|[A-Z]{2,5}T\b|[A-Z]{3,4}\b"
    r"|(?:\+\s?|[\-\u2212])\d{2}:?\d{2}\b"
    r"|[A-Z][A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+"
    r")",
)
#: Text right before a time that makes it an offset: ``UTC+ 05:30``, ``+ 01:00`` (a
#: spaced minus only after UTC/GMT: ``14:05 - 15:00`` is a range of two times).
_OFFSET_BEFORE = re.compile(rf"(?:(?:UTC|GMT)\s?{_SIGN}|\+)\s?$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _first_sentence(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return ""
    return _SENTENCE.split(stripped, maxsplit=1)[0]


def _word_hits(text: str, words: Iterable[str]) -> list[str]:
    hits = []
    for word in words:
        if not word.strip():
            continue
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            hits.append(word)
    return hits


def writing_rule_warnings(
    text: str,
    components: Mapping[str, ComponentState] | Iterable[str],
    policy: Policy,
    *,
    customer_reported: bool,
) -> list[str]:
    """Check a status update against the writing rules; one line per warning.

    - plain language: no internal service names (``policy.internal_names``), no
      jargon (``policy.jargon``), no error codes;
    - customer impact first: the first sentence should say what customers see;
    - never "no impact" when customers reported the problem;
    - every time of day carries its zone (``14:05 UTC``, ``14:05 +01:00``).

    Warnings never block posting; an empty list means the text passes.
    """
    body = clean_text(text)
    names = list(components.keys()) if isinstance(components, Mapping) else list(components)
    warnings: list[str] = []
    if not body.strip():
        return ["the update is empty: say what customers see and what is being done"]
    for name in _word_hits(body, policy.internal_names):
        warnings.append(f"internal name '{name}': customers do not know it; name what they use")
    for name in names:
        if _word_hits(name, policy.internal_names):
            warnings.append(
                f"component '{clean_text(name)}' is an internal name: use the public component name"
            )
    for word in _word_hits(body, policy.jargon):
        warnings.append(f"jargon '{word}': say it in plain language")
    for match in _ERROR_CODE.finditer(body):
        warnings.append(f"error code '{match.group(0)}': describe the symptom instead")
    first = _first_sentence(body)
    if not _IMPACT_WORDS.search(first):
        warnings.append(
            "customer impact first: open with what customers see (e.g. 'Some customers "
            "cannot check out'), then what is being done"
        )
    if customer_reported and _NO_IMPACT.search(body):
        warnings.append(
            "says there is no impact, but customers reported the problem: describe what they saw"
        )
    for match in _TIME.finditer(body):
        if _OFFSET_BEFORE.search(body, max(0, match.start() - 8), match.start()):
            continue
        if not _ZONE_AFTER.match(body, match.end()):
            warnings.append(
                f"time '{match.group(0).strip()}' has no time zone: write e.g. "
                f"'{match.group(0).strip()} UTC'"
            )
    return list(dict.fromkeys(warnings))
