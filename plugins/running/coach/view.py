"""Everything the coach reads about one athlete for one day, loaded once.

A message needs the profile, the last few months of activities (fitness needs about
three), the plan, memory and recent reflections. :func:`load_view` reads them through
the Storage port for exactly one athlete; nothing else about other athletes is ever in
reach of a prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from momentum.core.errors import NotFoundError
from momentum.core.local_time import athlete_zone as athlete_zone  # re-exported
from momentum.core.model import Activity, AthleteProfile, MemoryItem, Message, Reflection
from momentum.core.ports.storage import Storage
from momentum.plugins.running.coach.formatting import (
    local_bounds,
    local_day,
    minutes_of,
    week_start,
)
from momentum.plugins.running.model.plan import Plan

HISTORY_DAYS = 91
REFLECTION_DAYS = 14
MESSAGE_DAYS = 7


@dataclass(frozen=True)
class AthleteView:
    """One athlete's data as of local ``day`` (activities up to the end of that day)."""

    athlete: AthleteProfile
    day: dt.date
    tz: ZoneInfo
    activities: tuple[Activity, ...]
    plan: Plan | None
    memory: tuple[MemoryItem, ...]
    reflections: tuple[Reflection, ...]
    messages: tuple[Message, ...] = ()

    @property
    def athlete_id(self) -> str:
        """Whose view this is."""
        return self.athlete.athlete_id

    @property
    def week_start(self) -> dt.date:
        """Monday of the view's week."""
        return week_start(self.day)

    def day_of(self, activity: Activity) -> dt.date:
        """The local day an activity started on."""
        return local_day(activity.start, self.tz)

    def day_of_instant(self, at: dt.datetime) -> dt.date:
        """The local day of any instant."""
        return local_day(at, self.tz)

    def between(self, start: dt.date, end: dt.date) -> list[Activity]:
        """Activities on local days ``start..end`` inclusive, oldest first."""
        return [a for a in self.activities if start <= self.day_of(a) <= end]

    def on(self, day: dt.date) -> list[Activity]:
        """Activities on one local day."""
        return self.between(day, day)

    def week(self, start: dt.date) -> list[Activity]:
        """Activities in the Monday-to-Sunday week starting ``start``."""
        return self.between(start, start + dt.timedelta(days=6))

    def minutes(self, activities: Sequence[Activity]) -> float:
        """Total moving minutes."""
        return sum(minutes_of(a) for a in activities)

    def last_run(self) -> Activity | None:
        """The most recent run up to the view's day."""
        runs = [a for a in self.activities if a.is_run]
        return runs[-1] if runs else None


def load_view(
    storage: Storage,
    athlete_id: str,
    day: dt.date,
    *,
    history_days: int = HISTORY_DAYS,
    include_messages: bool = False,
) -> AthleteView:
    """Read one athlete's view for local ``day``. Raises :class:`NotFoundError`."""
    athlete = storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    tz = athlete_zone(athlete)
    start, end = local_bounds(day - dt.timedelta(days=history_days), day, tz)
    activities = storage.list_activities(athlete_id, start, end)
    refl_start, _ = local_bounds(day - dt.timedelta(days=REFLECTION_DAYS), day, tz)
    reflections = storage.list_reflections(athlete_id, refl_start, end)
    messages: list[Message] = []
    if include_messages:
        msg_start, _ = local_bounds(day - dt.timedelta(days=MESSAGE_DAYS), day, tz)
        messages = storage.list_messages(athlete_id, msg_start, end)
    memory = [m for m in storage.list_memory(athlete_id) if m.active]
    return AthleteView(
        athlete=athlete,
        day=day,
        tz=tz,
        activities=tuple(sorted(activities, key=lambda a: a.start)),
        plan=storage.get_plan(Plan, athlete_id),
        memory=tuple(memory),
        reflections=tuple(reflections),
        messages=tuple(messages),
    )
