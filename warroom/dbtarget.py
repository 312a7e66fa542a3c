"""What a database setting names: an SQLite file or a PostgreSQL URI; passwords kept out.

Standard library only (the CLI decides the backend before importing a driver).

A PostgreSQL database is named by a libpq URI: ``postgresql://host/db``,
``postgres://…``, a socket folder (``postgresql:///warroom?host=/run/pg``) or a
service (``postgresql:///?service=warroom``). Everything in it (TLS, ``sslmode``,
service files, ``.pgpass``) is libpq's and passed through untouched, except a
password: one in the URI on a command line or in an environment variable would be
readable by other users (``ps``, ``/proc``), so it is refused and the message says
where it belongs instead. No message ever shows a password: :func:`redact` removes it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

__all__ = ["PASSWORD_HOME", "has_password", "is_postgres_uri", "redact", "refuse_password"]

_SCHEMES = ("postgresql://", "postgres://")

#: Where a PostgreSQL password belongs instead (named by every refusal).
PASSWORD_HOME = (
    "put it in ~/.pgpass (mode 0600) or a pg_service.conf service, or use a client "
    "certificate"
)

#: ``user:password@`` in the authority part of a URI.
_USERINFO = re.compile(
    r"(?i)(?P<scheme>\b[a-z]+://)(?P<user>[^:@/?#\s]*):(?P<password>[^@/?#\s]*)@"
)
#: ``password=…`` among the query parameters.
_QUERY_PASSWORD = re.compile(r"(?i)([?&\s]password=)[^&#\s]*")


def is_postgres_uri(target: str) -> bool:
    """Whether ``target`` is a PostgreSQL URI (``postgresql://`` or ``postgres://``)."""
    return target.strip().lower().startswith(_SCHEMES)


def has_password(uri: str) -> bool:
    """Whether the URI carries a password (``user:secret@…`` or ``?password=…``)."""
    try:
        parts = urlsplit(uri.strip())
    except ValueError:
        return bool(_USERINFO.search(uri) or _QUERY_PASSWORD.search(uri))
    if "@" in parts.netloc and ":" in parts.netloc.rsplit("@", 1)[0]:
        return True
    return any(key.lower() == "password" for key, _ in parse_qsl(parts.query))


def redact(text: str) -> str:
    """``text`` with any URI password replaced by ``***`` (safe to print)."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _QUERY_PASSWORD.sub(r"\1***", text)


def refuse_password(uri: str, where: str) -> str | None:
    """The one-line refusal for a URI with a password given in ``where``, or ``None``."""
    if not has_password(uri):
        return None
    return (
        f"the database URI in {where} contains a password ({redact(uri)}); passwords do "
        f"not belong on a command line or in the environment: {PASSWORD_HOME}"
    )
