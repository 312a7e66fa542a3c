"""``warroom policy set [INCIDENT] FILE.toml``: change the policy an incident is run by.

The policy in force for an incident is part of its record (see
:mod:`warroom.domain.policy_record`): the declaration records the declaring seat's, and
only an entry in the timeline changes it. ``policy set`` reads a policy TOML document
(top level or a ``[policy]`` table, as ``--policy`` does), merges it over the
incident's current policy, checks it with the same rules and bounds, and appends one
``policy_set`` entry that says who changed which numbers. Every seat's clocks follow.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warroom.cli.context import Context
    from warroom.domain.policy import Policy


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``policy set`` to the ``warroom`` parser's sub-parsers ``sub``."""
    p = sub.add_parser(
        "policy", help="change the policy an incident is run by (recorded in its timeline)",
        description="policy set [INCIDENT] FILE.toml: merge FILE over the incident's policy "
        "and record the result in its timeline; every seat's clocks follow it.",
    )
    p.add_argument("action", choices=("set",), metavar="set", help="record a new policy")
    p.add_argument("words", nargs="+", metavar="[INCIDENT] FILE.toml",
                   help="the incident (id or slug; default: the single open one) and the file")
    common(p)
    p.set_defaults(run=cmd_policy)


def merged_policy(current: Policy, overrides: dict[str, Any]) -> Policy:
    """``overrides`` (a policy document's table) merged over ``current``, validated."""
    from warroom.domain.policy import deep_merge, policy_from_mapping

    policy_from_mapping(overrides)  # the file alone must be valid: names its own key
    return policy_from_mapping(deep_merge(current.model_dump(mode="json"), _keys(overrides)))


def _keys(value: Any) -> Any:
    """TOML tables with their keys as text (``[severity.1]`` and ``severity = {1 = …}``)."""
    if isinstance(value, dict):
        return {str(k): _keys(v) for k, v in value.items()}
    return value


def cmd_policy(ctx: Context) -> int:
    """Run ``warroom policy set [INCIDENT] FILE.toml``; prints the entry written."""
    from warroom.cli.errors import CommandError, UsageError
    from warroom.config import read_policy_file
    from warroom.domain.policy import PolicyError

    words: list[str] = list(ctx.args.words)
    if len(words) > 2:
        raise UsageError("policy set takes at most an incident and a file")
    ref, file = (words[0], words[1]) if len(words) == 2 else (None, words[0])
    path = Path(file).expanduser()
    overrides = read_policy_file(path)
    with ctx.store(create=False) as store:
        session = ctx.session(store, ref)
        try:
            policy = merged_policy(session.incident_policy, overrides)
        except PolicyError as error:
            raise PolicyError(f"{path}: {error}") from None
        if policy == session.incident_policy and session.policy_recorded:
            raise CommandError(f"{path} changes nothing in {session.record.slug}'s policy")
        event = session.set_policy(policy)
    print(f"#{event.id} {event.text}", file=ctx.out)
    return 0
