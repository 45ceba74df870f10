"""Key parts for the single table (see :mod:`momentum.adapters.aws.schema` for the layout).

Ids come from users and platforms, so each part is escaped: ``%`` and ``#`` (the separator)
become ``%25`` and ``%23``. Instants become fixed-width UTC text so that string order is
time order, which is what DynamoDB sorts by.
"""

from __future__ import annotations

import datetime as dt

SEP = "#"
ATHLETES = "ATHLETES"
USAGE_INDEX_PK = "USAGE"


def part(value: str) -> str:
    """One id, escaped so it can't be mistaken for a separator or a prefix."""
    return value.replace("%", "%25").replace("#", "%23")


def instant(value: dt.datetime) -> str:
    """An instant as sortable UTC text, e.g. ``2026-03-03T11:00:00.000000Z``.

    A naive datetime is taken to be UTC. Instants beyond what UTC can hold clamp to the
    smallest or largest datetime.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        utc = (dt.datetime.min if value.year < 2 else dt.datetime.max).replace(tzinfo=dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def athlete_pk(athlete_id: str) -> str:
    """The partition holding one athlete's records."""
    return f"A{SEP}{part(athlete_id)}"


def claim_pk(key: str) -> str:
    """The partition of one idempotency claim."""
    return f"CLAIM{SEP}{part(key)}"


def record_sk(kind: str, record_id: str) -> str:
    """The sort key of a record found by id, e.g. ``ACT#123``."""
    return f"{kind}{SEP}{part(record_id)}"


def timed_sk(kind: str, at: dt.datetime, record_id: str) -> str:
    """The time-ordered index key of a record, e.g. ``ACT#2026-03-03T11:00:00.000000Z#123``."""
    return f"{kind}{SEP}{instant(at)}{SEP}{part(record_id)}"


def time_bounds(kind: str, start: dt.datetime, end: dt.datetime) -> tuple[str, str]:
    """``BETWEEN`` bounds selecting ``start <= at < end``: a key at ``start`` sorts after
    ``kind#start``, and a key at ``end`` sorts after ``kind#end`` (it has ``#id`` after it)."""
    return f"{kind}{SEP}{instant(start)}", f"{kind}{SEP}{instant(end)}"


def epoch_micros(value: dt.datetime) -> int:
    """Microseconds since the epoch (exact, for comparing claim expiry in a condition)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
