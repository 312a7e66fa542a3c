"""The scribe command language's commands: each one's usage and help, and its errors.

:data:`COMMANDS` names every command (for completion, help and error messages);
:data:`ROLE_COMMANDS` and :data:`PHASE_COMMANDS` say which role or phase a command
sets. Every problem with an entry is a :class:`ParseError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from warroom.domain.events import Phase, Role, StatusPhase
from warroom.errors import WarroomError

__all__ = ["COMMANDS", "PHASE_COMMANDS", "ROLE_COMMANDS", "CommandSpec", "ParseError"]


class ParseError(WarroomError, ValueError):
    """An entry that cannot be logged; the message names the problem (one line). Exit 2."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command of the language, for completion and help screens."""

    name: str
    usage: str
    help: str
    takes_name: bool = False


#: Role commands and the role each one assigns.
ROLE_COMMANDS: dict[str, Role] = {
    "ic": Role.IC,
    "comms": Role.COMMS,
    "tech": Role.TECH,
    "scribe": Role.SCRIBE,
}

#: Phase-change commands and the phase each one moves to.
PHASE_COMMANDS: dict[str, Phase] = {
    "triaged": Phase.TRIAGED,
    "responding": Phase.RESPONDING,
    "mitigated": Phase.MITIGATED,
    "resolved": Phase.RESOLVED,
    "postmortem": Phase.POSTMORTEM,
    "closed": Phase.CLOSED,
}

_SPECS: tuple[CommandSpec, ...] = (
    CommandSpec("sev", "/sev N [reason]", "Set or change the severity (1-4 or sev1-sev4)."),
    CommandSpec("ic", "/ic NAME [note]", "Assign the Incident Commander.", True),
    CommandSpec("comms", "/comms NAME [note]", "Assign the Communications Lead.", True),
    CommandSpec("tech", "/tech NAME [note]", "Assign the Technical Lead.", True),
    CommandSpec("scribe", "/scribe NAME [note]", "Assign the Scribe.", True),
    CommandSpec("release", "/release ROLE [note]", "Leave a role empty (ic, comms, tech, scribe)."),
    CommandSpec("started", "/started [text]", "Customer impact started (back-date with @TIME)."),
    CommandSpec("impact", "/impact [text]", "Same as /started."),
    CommandSpec(
        "detected",
        "/detected [alert|customer|other] [text]",
        "The first signal: an alert, a customer report or other.",
    ),
    CommandSpec("ack", "/ack [text]", "The page was acknowledged."),
    CommandSpec("triaged", "/triaged [text]", "Phase: triaged."),
    CommandSpec("responding", "/responding [text]", "Phase: responding."),
    CommandSpec("mitigated", "/mitigated [text]", "Phase: mitigated (customer impact stopped)."),
    CommandSpec("resolved", "/resolved [text]", "Phase: resolved (fix confirmed)."),
    CommandSpec("postmortem", "/postmortem [text]", "Phase: post-mortem."),
    CommandSpec("closed", "/closed [text]", "Phase: closed."),
    CommandSpec("phase", "/phase PHASE [text]", "Move to any phase: " + ", ".join(Phase) + "."),
    CommandSpec("reopen", "/reopen [text]", "Re-open: back to responding."),
    CommandSpec("decision", "/decision TEXT", "Log a decision."),
    CommandSpec("cmd", "/cmd TEXT", "Announce a command about to run against production."),
    CommandSpec(
        "status",
        "/status PHASE TEXT",
        "Post a status update (" + "|".join(StatusPhase) + ").",
    ),
    CommandSpec(
        "checkpoint",
        "/checkpoint [KNOW | NEXT | ESCALATE | STATUS PAGE]",
        "IC checkpoint: the four answers, separated by |.",
    ),
    CommandSpec(
        "action",
        "/action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        "Add a post-incident action item.",
    ),
    CommandSpec("escalate", "/escalate [L0-L4] [reason]", "Escalate (one level up by default)."),
    CommandSpec("fix", "/fix ID TEXT", "Correct the text of entry ID."),
    CommandSpec("mark", "/mark ID [text]", "Mark entry ID as a key event."),
    CommandSpec("unmark", "/unmark ID [text]", "Take back the key mark of entry ID."),
    CommandSpec("pm", "/pm NAME [note]", "Name the post-mortem owner.", True),
    CommandSpec("note", "/note TEXT", "Log a note (text may start with / or @)."),
    CommandSpec(
        "cause",
        "/cause #TAG [text] | /cause TEXT",
        "Tag the cause (SEV3s sharing a tag recur and need a post-mortem).",
    ),
    CommandSpec(
        "runbook", "/runbook PATH_OR_URL [note]", "Link the runbook the response followed."
    ),
)

#: Every command name (aliases included) → its spec.
COMMANDS: dict[str, CommandSpec] = {spec.name: spec for spec in _SPECS}
