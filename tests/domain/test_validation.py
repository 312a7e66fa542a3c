"""``first_problem``: one short, readable line for a pydantic validation error."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from warroom.domain.policy import PolicyError, policy_from_toml
from warroom.domain.validation import Problem, dotted_path, first_problem, show_value


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level: Literal["low", "high"]
    count: int = Field(ge=1)


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[_Item]
    by_level: dict[Literal["low", "high"], int] = {}


def _problem(data: object) -> Problem:
    with pytest.raises(ValidationError) as caught:
        _Doc.model_validate(data)
    return first_problem(caught.value)


@pytest.mark.parametrize(
    ("data", "where", "what"),
    [
        ({}, "items", "missing"),
        ({"items": [], "x": 1}, "x", "unknown field"),
        ({"items": {}}, "items", "should be an array (got an object)"),
        ({"items": ["no"]}, "items[0]", "should be an object (got 'no')"),
        ({"items": [{"level": "mid", "count": 1}]}, "items[0].level",
         "should be 'low' or 'high' (got 'mid')"),
        ({"items": [{"level": "low", "count": "two"}]}, "items[0].count",
         "should be an integer (got 'two')"),
        ({"items": [{"level": "low", "count": 0}]}, "items[0].count",
         "should be greater than or equal to 1 (got 0)"),
        ({"items": [], "by_level": {"mid": 1}}, "by_level.mid",
         "invalid key: should be 'low' or 'high' (got 'mid')"),
    ],
)
def test_where_and_what(data: object, where: str, what: str) -> None:
    problem = _problem(data)
    assert (problem.where, problem.what) == (where, what)


def test_more_problems_are_counted() -> None:
    problem = _problem({"items": [{"level": "mid", "count": 0}], "x": 1})
    assert problem.others == 2 and problem.more == " (and 2 more problems)"
    assert _problem({}).more == ""


def test_values_are_shown_short_and_escaped() -> None:
    assert show_value("a\x1b[31m\u202eb") == "'a\\x1b[31m\\u202eb'"
    assert len(show_value("x" * 500)) <= 42
    assert show_value(None) == "null" and show_value(True) == "true"
    assert show_value([1]) == "an array" and show_value({}) == "an object"


def test_dotted_path_drops_key_markers() -> None:
    assert dotted_path(("events", 3, "data", "[key]")) == "events[3].data"
    assert dotted_path(()) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('checkpoint_minutes = "ten"', "policy key 'checkpoint_minutes': should be an integer "
         "(got 'ten')"),
        ("chekpoint_minutes = 10", "policy key 'chekpoint_minutes': unknown key"),
        ("[status_cadence_minutes]\nsoonish = 3", "policy key 'status_cadence_minutes.soonish': "
         "invalid key: should be 'investigating', 'identified', 'monitoring' or 'resolved' "
         "(got 'soonish')"),
    ],
)
def test_policy_errors_read_well(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_toml(text)
    assert str(caught.value) == message
