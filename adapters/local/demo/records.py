"""Turn simulated sessions into activity records, with the real analytics.

Runs go through :func:`momentum.plugins.running.analytics.record.build_activity` (every number
computed from
the streams); strength classes have no streams and become ``Strength`` records with moving
time and intensity, as a Peloton class synced without heart rate would.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from momentum.adapters.local.demo.history import Session
from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.analytics.record import build_activity

STRENGTH_CLASSES = {
    "easy": "Core & Mobility",
    "moderate": "Full Body Strength",
    "hard": "Lower Body Strength",
}


def strava_name(start: dt.datetime, timezone: str, sport: str = "Run") -> str:
    """Strava's default title: Morning / Lunch / Afternoon / Evening by local start hour."""
    hour = start.astimezone(ZoneInfo(timezone)).hour
    if hour < 11:
        part = "Morning"
    elif hour < 14:
        part = "Lunch"
    elif hour < 18:
        part = "Afternoon"
    else:
        part = "Evening"
    return f"{part} {sport}"


def activity_for(session: Session, athlete: AthleteProfile) -> Activity:
    """The activity record of ``session`` (streams kept on the record for runs)."""
    if session.run is None:
        return strength_activity(session, athlete)
    indoor = session.run.plan.indoor
    source = "peloton" if indoor else "strava"
    activity = build_activity(
        session.run.streams,
        athlete,
        activity_id=session.activity_id,
        activity_type="Run",
        start=session.start,
        name=strava_name(session.start, athlete.timezone),
        source=source,
        subtype="Indoor" if indoor else "",
    )
    return activity


def strength_activity(session: Session, athlete: AthleteProfile) -> Activity:
    """A strength class with no streams: moving time and self-reported intensity."""
    intensity = session.entry.intensity or "moderate"
    seconds = float(session.entry.minutes * 60)
    return Activity(
        activity_id=session.activity_id,
        athlete_id=athlete.athlete_id,
        activity_type="Strength",
        start=session.start,
        name=f"{session.entry.minutes} min {STRENGTH_CLASSES.get(intensity, 'Strength')}",
        source="peloton",
        moving_time_seconds=seconds,
        elapsed_time_seconds=seconds,
        intensity=intensity,
    )
