"""An athlete's local time zone, for every part of core that turns instants into days."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.core.model import AthleteProfile


def athlete_zone(athlete: AthleteProfile) -> ZoneInfo:
    """The athlete's time zone (UTC if the profile's is unknown)."""
    try:
        return ZoneInfo(athlete.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
