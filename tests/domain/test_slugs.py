"""The free variant of a slug: the base, then -2, -3…"""

from __future__ import annotations

from warroom.domain.slugs import first_free_slug


def test_the_base_is_taken_when_free() -> None:
    assert first_free_slug("2026-11-27-checkout", lambda slug: False) == "2026-11-27-checkout"


def test_the_first_free_numbered_variant_follows_the_taken_ones() -> None:
    taken = {"outage", "outage-2", "outage-3", "outage-5"}
    assert first_free_slug("outage", taken.__contains__) == "outage-4"
