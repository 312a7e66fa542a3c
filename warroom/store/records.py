"""Incident records and slugs."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from warroom.domain.slugs import is_id_ref

__all__ = [
    "SLUG_TITLE_MAX",
    "IncidentRecord",
    "base_slug",
    "is_id_ref",
    "is_valid_slug",
    "slugify",
]

#: The longest title-derived part of a generated slug.
SLUG_TITLE_MAX = 60

_SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?")
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


class IncidentRecord(BaseModel):
    """One row of the incidents table: the incident's identity, not its state."""

    model_config = ConfigDict(frozen=True)
    id: int
    slug: str
    title: str
    created_at: datetime


def slugify(title: str) -> str:
    """Lower-case ASCII words of ``title`` joined by ``-`` (``incident`` if none)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG_CHARS.sub("-", ascii_title.lower()).strip("-")
    return slug[:SLUG_TITLE_MAX].rstrip("-") or "incident"


def base_slug(title: str, when: datetime) -> str:
    """The generated slug for an incident: UTC date of ``when`` plus the slugified title."""
    return f"{when.astimezone(UTC):%Y-%m-%d}-{slugify(title)}"


def is_valid_slug(slug: str) -> bool:
    """True if ``slug`` is lower-case letters, digits and inner hyphens, and not all digits.

    An all-digit slug would be mistaken for an incident id.
    """
    return bool(_SLUG_RE.fullmatch(slug)) and not _DIGITS.fullmatch(slug)
