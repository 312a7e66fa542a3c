"""Who may post: a bearer token, or PagerDuty's HMAC-SHA256 signature of the body.

Both secrets are read from files (never from the command line, where ``ps`` shows
them); a trailing newline is dropped, as Alertmanager does for its ``credentials_file``.
Comparisons are constant-time (:func:`hmac.compare_digest`), and nothing here ever puts
a secret, or what the caller sent in its place, into a message.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

from warroom.errors import WarroomError

#: The shortest secret accepted: a guessable token protects nothing.
MIN_SECRET = 16
#: The largest secret file read.
MAX_SECRET_FILE = 4096


class SecretFileError(WarroomError, ValueError):
    """A token or secret file that cannot be used; the message is one line."""


def read_secret(path: Path, what: str) -> bytes:
    """The secret in ``path`` (stripped of surrounding whitespace), checked for length.

    Refuses a missing, unreadable, oversized, short or world-readable file (a group may
    read it, e.g. one shared with the Alertmanager user).
    """
    try:
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise SecretFileError(f"{what} {path} is not a regular file")
            raw = handle.read(MAX_SECRET_FILE + 1)
    except OSError as error:
        raise SecretFileError(f"cannot read {what} {path}: {error.strerror or error}") from None
    if mode & stat.S_IRWXO:
        raise SecretFileError(f"{what} {path} is readable by every user; chmod 600 it")
    if len(raw) > MAX_SECRET_FILE:
        raise SecretFileError(f"{what} {path} is larger than {MAX_SECRET_FILE} bytes")
    secret = raw.strip()
    if len(secret) < MIN_SECRET:
        raise SecretFileError(f"{what} {path} holds fewer than {MIN_SECRET} characters")
    if any(byte < 0x21 or byte == 0x7F for byte in secret):
        raise SecretFileError(f"{what} {path} holds spaces or control characters")
    return secret


def bearer_ok(header: str | None, token: bytes) -> bool:
    """Whether an ``Authorization`` header value carries ``token`` as a bearer token."""
    if not header:
        return False
    scheme, _, given = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    try:
        candidate = given.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(candidate, token)


def pagerduty_signature(body: bytes, secret: bytes) -> str:
    """The ``v1=…`` signature PagerDuty sends for ``body`` signed with ``secret``."""
    return "v1=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def pagerduty_ok(header: str | None, body: bytes, secret: bytes) -> bool:
    """Whether ``X-PagerDuty-Signature`` holds a valid v1 signature of ``body``.

    The header may list several comma-separated signatures (PagerDuty sends one per
    secret while a secret is rotated); one match is enough. Every candidate is compared.
    """
    if not header:
        return False
    expected = pagerduty_signature(body, secret).encode("ascii")
    matched = False
    for candidate in header.split(",")[:16]:
        try:
            given = candidate.strip().encode("ascii")
        except UnicodeEncodeError:
            continue
        matched |= hmac.compare_digest(given, expected)
    return matched
