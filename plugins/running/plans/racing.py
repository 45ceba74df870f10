"""Rules around races that the layout, the reshuffle, swaps and the guardrails all follow.

Conventions:

* **Post-race recovery.** No quality session (tempo, intervals, hills, sharpener) for one
  day per mile raced, counted from the day after the race: the old rule of thumb of "one
  easy day per mile raced" (usually credited to the masters marathoner Jack Foster, and
  repeated in many coaching books). The count is rounded to the nearest day, at least
  :data:`MIN_RECOVERY_DAYS` (the day after any race is easy anyway, and a 3 km race still
  earns a second one), and capped at :data:`MAX_RECOVERY_DAYS`. The cap is our own choice:
  the rule would give a marathon 26 days, which would blank out a month of a rolling plan;
  two weeks without quality is already a cautious restart, and a longer break after a
  marathon is the coach's call in conversation, not a layout rule. So a 5K earns 3 days, a
  10K 6, a half marathon 13, anything longer 14. Easy runs, the long run and strength are
  not restricted by this rule (the day after the race still is no long-run day, see
  :mod:`momentum.plugins.running.plans.layout`).
* **Races counted.** The goal race (ahead or past), race sessions in the plan and the
  athlete's race results: a 10K raced on Saturday and logged as a result counts as much as
  a planned one.
* **Race week.** The seven days before a race hold at most one quality session: the
  race-week sharpener, :data:`~momentum.plugins.running.plans.layout.HARD_CLEARANCE` to
  :data:`SHARPENER_LATEST` days out, ideally :data:`SHARPENER_IDEAL` (the classic short
  race-pace session midway through race week, e.g. the Tuesday or Wednesday before a
  weekend race). That day always falls in the plan week that
  :func:`momentum.plugins.running.plans.dates.race_week_start` names the race week, so a
  Monday–Thursday race's
  own plan week gets no sharpener of its own, and the taper week before a Friday–Sunday
  race keeps its quality session out of the race's last seven days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.model.plan import Plan, SessionKind
from momentum.plugins.running.profile import running_profile

MILE = 1609.344
MIN_RECOVERY_DAYS = 2
MAX_RECOVERY_DAYS = 14
RACE_WEEK_DAYS = 7
"""The race week: the seven days before a race."""
SHARPENER_LATEST = 6
"""The farthest a race-week sharpener sits from the race (still inside race week)."""
SHARPENER_IDEAL = 4
"""Days before the race the sharpener ideally sits."""

Race = tuple[dt.date, float]
"""A race: its date and distance in metres."""


def recovery_days(distance_m: float) -> int:
    """Days after a race of ``distance_m`` metres without quality sessions (see module doc)."""
    miles = max(0.0, distance_m) / MILE
    return max(MIN_RECOVERY_DAYS, min(MAX_RECOVERY_DAYS, int(miles + 0.5)))


def races_of(athlete: AthleteProfile | None, plan: Plan | None = None) -> tuple[Race, ...]:
    """Every race the rules know about: the goal race, the plan's race sessions and the
    athlete's race results (one entry per date, the longest distance on that date)."""
    found: dict[dt.date, float] = {}

    def add(day: dt.date, distance: float) -> None:
        found[day] = max(found.get(day, 0.0), distance)

    goal = running_profile(athlete).goal_race if athlete is not None else None
    if goal is not None:
        add(goal.date, goal.distance_meters)
    if athlete is not None:
        for result in running_profile(athlete).race_results:
            add(result.date, result.distance_meters)
    if plan is not None:
        for week in plan.weeks:
            for s in week.sessions:
                if s.kind is SessionKind.RACE:
                    distance = s.distance_meters
                    if distance is None:
                        distance = goal.distance_meters if goal is not None else 0.0
                    add(s.date, distance)
    return tuple(sorted(found.items()))


def recovery_window(races: Iterable[Race]) -> frozenset[dt.date]:
    """The days on which no quality session may be planned after ``races``."""
    days: set[dt.date] = set()
    for day, distance in races:
        for offset in range(1, recovery_days(distance) + 1):
            days.add(day + dt.timedelta(days=offset))
    return frozenset(days)


def recovering_from(races: Sequence[Race], day: dt.date) -> Race | None:
    """The race whose recovery window holds ``day``, if any (the latest one)."""
    hits = [r for r in races if 0 < (day - r[0]).days <= recovery_days(r[1])]
    return max(hits) if hits else None


def in_race_week(race_day: dt.date, day: dt.date) -> bool:
    """Whether ``day`` is one of the seven days before ``race_day``."""
    return 0 < (race_day - day).days <= RACE_WEEK_DAYS
