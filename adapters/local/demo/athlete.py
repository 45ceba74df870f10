"""The demo's sample athlete: the talk's runner in Toronto, chasing the Monster of Mazinaw."""

from __future__ import annotations

import datetime as dt

from momentum.core.model.athlete import (
    AthleteProfile,
    CoachingStyle,
    Equipment,
    HeartRateProfile,
    Weekday,
)
from momentum.plugins.running.profile import GoalRace, RaceResult, running_athlete

ATHLETE_ID = "adam"
TIMEZONE = "America/Toronto"


def demo_athlete(created: dt.datetime | None = None) -> AthleteProfile:
    """Adam: Toronto, last 10K (Mazinaw trail) 1:12:23, training for the 30K on 19 Sep 2026."""
    return running_athlete(
        athlete_id=ATHLETE_ID,
        name="Adam",
        timezone=TIMEZONE,
        heart_rate=HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162),
        goal_race=GoalRace(
            name="Monster of Mazinaw 30K Trail",
            date=dt.date(2026, 9, 19),
            distance_meters=30000,
            course_notes="technical trails, rocky climbs; beat Malcolm",
        ),
        race_results=(
            RaceResult(dt.date(2025, 9, 27), 10000, 1 * 3600 + 12 * 60 + 23, "Mazinaw 10K"),
        ),
        preferred_days=(Weekday.MON, Weekday.WED, Weekday.FRI, Weekday.SAT, Weekday.SUN),
        long_run_day=Weekday.SAT,
        equipment=(Equipment.BODYWEIGHT, Equipment.DUMBBELLS, Equipment.TREADMILL),
        coaching_style=CoachingStyle.ENCOURAGING,
        weekly_minutes_target=300,
        checkin_hour=6,
        chat_user_id="U123ADAM",
        created=created,
        sex="male",  # the talk's runner; the simulator's own TRIMP uses the men's curve too
    )
