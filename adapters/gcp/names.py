"""Firestore names for Momentum's records: collection names, safe document ids, instants.

A Firestore document id may not contain ``/``, be ``.`` or ``..``, or look like
``__name__``; athlete, activity and claim ids may contain any of those, so every id is
percent-encoded (``.`` and ``_`` included) before it becomes a document id.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

ATHLETES = "athletes"
DIRECTORY = "directory"
TIMEZONES_DOC = "timezones"
IDENTITIES = "identities"
CLAIMS = "claims"
ACTIVITIES = "activities"
MESSAGES = "messages"
REFLECTIONS = "reflections"
NOTES = "notes"
MEMORY = "memory"
USAGE = "usage"
TOKENS = "tokens"
PLANS = "plans"
CURRENT_PLAN = "current"
"""The document of the plan stored under core's ``LEGACY_PLAN_KEY`` (``""``)."""


def plan_doc(key: str) -> str:
    """The document id of a domain's plan in ``plans``: ``current``, or ``current-<key>``."""
    return f"{CURRENT_PLAN}-{key}" if key else CURRENT_PLAN


ATHLETE_SUBCOLLECTIONS = (ACTIVITIES, MESSAGES, REFLECTIONS, NOTES, MEMORY, USAGE, TOKENS, PLANS)
"""Everything kept under an athlete's document (deleted with the athlete)."""

TTL_FIELD = "expires_at"
"""The claim field Firestore's TTL policy sweeps (cleanup only; ``until`` decides)."""


def doc_id(value: str) -> str:
    """``value`` as a valid, reversible Firestore document id."""
    if not value:
        raise ValueError("a Firestore document id can't be empty")
    return quote(value, safe="").replace(".", "%2E").replace("_", "%5F")


def identity_id(kind: str, external_id: str) -> str:
    """The document id of one owner-id link (``strava`` + ``12345``)."""
    return f"{doc_id(kind)}:{doc_id(external_id)}"


def utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC instant (a naive value is taken as UTC), as Firestore stores it."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
