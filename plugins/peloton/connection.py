"""Which athletes connected Peloton, and how they signed in, kept in their profile
(``domain_profiles["peloton"]``).

The polling jobs' ``applies`` reads it from the profile the 15-minute tick already holds,
so athletes without Peloton cost the tick nothing: no token read, no queued job. Imports
only ``momentum`` (the plugin's hooks use it without loading httpx).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from momentum import AthleteProfile, NotFoundError, Storage

SECTION = "peloton"
PASSWORD = "password"
"""Signed in with an email/username and password (Peloton's app client)."""
WEB = "web"
"""Connected with a refresh token copied from Peloton's web app (its web client)."""


def section_of(profile: AthleteProfile) -> dict[str, Any]:
    """The athlete's Peloton section (empty when they never connected)."""
    found = profile.domain_profiles.get(SECTION)
    return found if isinstance(found, dict) else {}


def is_connected(profile: AthleteProfile) -> bool:
    """Whether the athlete connected Peloton (the polling jobs' ``applies``)."""
    return section_of(profile).get("connected") is True


def sign_in_of(profile: AthleteProfile | None) -> str:
    """How the athlete signed in: :data:`PASSWORD` or :data:`WEB` (the refresh token
    belongs to that client)."""
    kind = section_of(profile).get("sign_in") if profile is not None else None
    return WEB if kind == WEB else PASSWORD


def mark(storage: Storage, athlete_id: str, **section: Any) -> AthleteProfile:
    """Replace the athlete's Peloton section with ``section`` (removed when empty)."""
    profile = storage.get_athlete(athlete_id)
    if profile is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    profiles = {k: v for k, v in profile.domain_profiles.items() if k != SECTION}
    if section:
        profiles[SECTION] = section
    updated = dataclasses.replace(profile, domain_profiles=profiles)
    if updated != profile:
        storage.put_athlete(updated)
    return updated


def mark_connected(
    storage: Storage, athlete_id: str, member_id: str, sign_in: str
) -> AthleteProfile:
    """Record that the athlete connected Peloton member ``member_id``."""
    return mark(storage, athlete_id, connected=True, member_id=member_id, sign_in=sign_in)


def mark_refused(storage: Storage, athlete_id: str, at: str) -> AthleteProfile:
    """Record that Peloton refused the athlete's refresh token at ``at`` (ISO time):
    polling stops until they connect again, and ``status`` says so."""
    profile = storage.get_athlete(athlete_id)
    if profile is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    section = {**section_of(profile), "connected": False, "refused_at": at}
    return mark(storage, athlete_id, **section)


def refused_at(profile: AthleteProfile | None) -> str:
    """When Peloton refused the athlete's sign-in (ISO time), or ``""``."""
    return str(section_of(profile).get("refused_at") or "") if profile is not None else ""


def mark_disconnected(storage: Storage, athlete_id: str) -> AthleteProfile:
    """Record that the athlete has no Peloton connection (polling stops)."""
    return mark(storage, athlete_id)
