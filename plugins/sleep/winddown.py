"""The evening wind-down nudge, at each athlete's own time.

One recurring job per 15-minute slot from 19:00 to 23:45 local time; each applies to the
athletes whose wind-down time (this week's bedtime target minus their wind-down lead, both
in the sleep profile the tick already holds) falls in its slot, rounded down to the grid.
A wind-down time before 19:00 is nudged at 19:00 and one after 23:45 at 23:45, so nobody is
left out. The tick claims each job per athlete and local day, and the message has a fixed
id per day, so a second delivery of the same run sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from momentum import App, AthleteProfile, InputError, Message, MessageKind, RecurringJob, Role
from momentum.plugins.sleep import render
from momentum.plugins.sleep.profile import DOMAIN, sleep_profile
from momentum.plugins.sleep.steps import wind_down_at

FIRST_SLOT = 19 * 60
LAST_SLOT = 23 * 60 + 45
SLOT_MINUTES = 15
JOB_PREFIX = "sleep_wind_down_"


def slot_of(athlete: AthleteProfile) -> int | None:
    """The athlete's wind-down slot (minutes after midnight), or ``None`` for an athlete
    without a sleep profile (or with a wrong one: the check-in names that)."""
    if DOMAIN not in athlete.domain_profiles:
        return None
    try:
        at = wind_down_at(sleep_profile(athlete))
    except InputError:
        return None
    if at < 12 * 60:  # after midnight: the night's nudge is the last evening slot
        return LAST_SLOT
    return min(LAST_SLOT, max(FIRST_SLOT, at - at % SLOT_MINUTES))


def message_id(day: dt.date) -> str:
    """The nudge's message id for a local day (one nudge a day)."""
    return f"sleep:wind_down:{day.isoformat()}"


def nudge_text(athlete: AthleteProfile) -> str:
    """The short nudge: it is time, and the bedtime target."""
    profile = sleep_profile(athlete)
    return (
        f"Time to wind down: lights out by {render.clock(profile.bedtime_target)}. "
        "Screens away, lights low."
    )


def run_wind_down(app: App, athlete_id: str, local_date: dt.date) -> None:
    """Send tonight's nudge once (a stored message of today's id means it went out)."""
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None or app.storage.get_message(athlete_id, message_id(local_date)):
        return

    message = Message(
        message_id=message_id(local_date),
        athlete_id=athlete_id,
        at=app.clock.now(),
        kind=MessageKind.CHAT,
        role=Role.COACH,
        text=nudge_text(athlete),
    )
    app.coach.deliver(message)


def _applies(slot: int) -> Callable[[AthleteProfile], bool]:
    return lambda athlete: slot_of(athlete) == slot


JOBS = tuple(
    RecurringJob(
        f"{JOB_PREFIX}{slot // 60:02d}{slot % 60:02d}",
        hour=slot // 60,
        minute=slot % 60,
        description=f"Sleep: wind-down nudge for athletes winding down at {render.clock(slot)}",
        run=run_wind_down,
        applies=_applies(slot),
    )
    for slot in range(FIRST_SLOT, LAST_SLOT + 1, SLOT_MINUTES)
)
"""The 20 wind-down jobs, 19:00 to 23:45."""
