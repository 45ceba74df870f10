"""Table Storage keys: escaping ids for PartitionKey/RowKey and sortable instants.

Table keys may not hold ``/``, ``\\``, ``#``, ``?`` or control characters, and athlete
ids, time zones (``America/Toronto``) and claim keys may. Every id is percent-encoded
(:func:`esc`), which is reversible and keeps ``|`` free as the separator between a key's
parts. Instants are stored as fixed-width UTC strings (:func:`instant`) so a range filter
on them is a string comparison that Table Storage evaluates inside one partition.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, unquote

SEP = "|"
ATHLETES = "athletes"
"""The directory partition: one row per athlete (RowKey = escaped id)."""
ZONES = "zones"
"""The zone directory partition: one row per IANA zone with at least one athlete."""
USAGE = "usage"
"""Model usage of every athlete, RowKey ``<instant>|<usage id>``."""
CLAIMS = "claims"
"""The idempotency-claim partition."""


def esc(value: str) -> str:
    """``value`` percent-encoded so it is a legal key part (``|`` encoded too)."""
    return quote(value, safe="")


def unesc(value: str) -> str:
    """The inverse of :func:`esc`."""
    return unquote(value)


def athlete_pk(athlete_id: str) -> str:
    """The partition holding everything attached to one athlete."""
    return f"a{SEP}{esc(athlete_id)}"


def zone_pk(timezone: str) -> str:
    """The zone index partition: one row per athlete in ``timezone``."""
    return f"z{SEP}{esc(timezone)}"


def identity_pk(kind: str) -> str:
    """The identity-link partition for one platform kind (``strava``, ``chat``...)."""
    return f"id{SEP}{esc(kind)}"


def row(kind: str, *parts: str) -> str:
    """A RowKey ``kind|part|part`` with each part escaped."""
    return SEP.join([kind, *(esc(part) for part in parts)])


def plan_row(key: str) -> str:
    """The RowKey of a domain's plan: ``plan`` for the key plans had before domains (core's
    ``LEGACY_PLAN_KEY``, ``""``), else ``plan|<key>``."""
    return row("plan", key) if key else "plan"


def prefix_range(kind: str) -> tuple[str, str]:
    """``(low, high)`` bounding every RowKey that starts with ``kind|``."""
    return f"{kind}{SEP}", f"{kind}{chr(ord(SEP) + 1)}"


def instant(moment: dt.datetime) -> str:
    """``moment`` as fixed-width UTC text (a naive value is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    utc = moment.astimezone(dt.UTC)
    # Not strftime: %Y does not zero-pad years before 1000 on every platform.
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S.%f}Z"
