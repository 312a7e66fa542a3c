"""Counting words: the noun agrees with the number."""

from __future__ import annotations

import pytest

from warroom.domain.words import counted


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 incidents"), (1, "1 incident"), (2, "2 incidents"), (-1, "-1 incidents"),
])
def test_counted_agrees_with_the_number(count: int, expected: str) -> None:
    assert counted(count, "incident") == expected


def test_counted_takes_an_irregular_plural() -> None:
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
