"""Does the goal race still fit? Current fitness and the weeks left, checked in code.

Conventions:

* Fitness is the VDOT of the best evidence (:mod:`momentum.plugins.running.analytics.evidence`),
  reduced after a break (:func:`momentum.plugins.running.plans.intensity.vdot_after_break`).
* What training can add before the race: about one VDOT point per four weeks of
  consistent training, at most six (Daniels, *Daniels' Running Formula*: "VDOT values
  rarely rise more than a point or so per month" once past the beginner's first gains,
  which we do not count on). Half that while returning from a break.
* The distance needs a long run: 60 min for a 10K, 90 min for a half, 150 min for a
  marathon (and 120 min for trail races over 25 km), built by at most 15 minutes a week
  with a lighter week in four (:mod:`momentum.plugins.running.plans.progression`), from the longest
  run of the last three weeks, and ready two weeks before the race (taper).
* A goal time fits when its VDOT is within half a point of what the weeks can reach. When
  it does not, the coach offers the time the reachable VDOT predicts; when the distance
  itself does not fit, the longest standard distance whose long run can be built.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.analytics.evidence import best_evidence
from momentum.plugins.running.analytics.vdot import race_time, vdot_from_race
from momentum.plugins.running.plans.history import History, recent_break
from momentum.plugins.running.plans.intensity import vdot_after_break
from momentum.plugins.running.profile import GoalRace, running_profile

GAIN_PER_4_WEEKS = 1.0
MAX_GAIN = 6.0
FIT_MARGIN = 0.5
LONG_STEP_PER_WEEK = 15 * 3 / 4
TAPER_WEEKS = 2
STANDARD = ((42195.0, "marathon"), (21097.5, "half marathon"), (10000.0, "10K"), (5000.0, "5K"))


def long_run_needed(race: GoalRace) -> int:
    """Minutes of the longest run the race distance needs (see module doc)."""
    meters = race.distance_meters
    if meters <= 5_500:
        return 40
    if meters <= 10_500:
        return 60
    if meters <= 21_200:
        return 90
    trail = "trail" in (race.course_notes + race.name).lower()
    return 120 if trail and meters <= 35_000 else 150


@dataclass(frozen=True)
class GoalCheck:
    """The verdict on the goal race, with the numbers behind it."""

    fits: bool
    weeks_left: int
    current_vdot: float | None
    reachable_vdot: float | None
    goal_vdot: float | None
    long_run_now: float
    long_run_needed: int
    long_run_reachable: float
    suggestion: str
    """A plain alternative when it does not fit, else ``""``."""

    def sentence(self, race: GoalRace) -> str:
        """What the coach says about the goal, in one or two plain sentences."""
        what = f"{race.name} ({_km(race.distance_meters)}) in {self.weeks_left} weeks"
        if self.fits:
            if self.reachable_vdot is not None:
                predicted = _clock(race_time(self.reachable_vdot, race.distance_meters))
                return f"{what} fits: the weeks left can take you to about {predicted}."
            return f"{what} fits the weeks left."
        return f"{what} no longer fits. {self.suggestion}"


def _km(meters: float) -> str:
    return f"{round(meters / 1000, 1):g} km"


def _clock(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}:00" if minutes >= 60 else f"{minutes}:00"


def check_goal(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date
) -> GoalCheck | None:
    """The goal race checked against current fitness and the weeks left (``None`` without a
    goal race ahead)."""
    race = running_profile(athlete).goal_race
    if race is None or race.date < today or race.distance_meters <= 0:
        return None
    weeks = max(0, (race.date - today).days // 7)
    history = History.of(activities, athlete.timezone)
    brk = recent_break(history, today)
    evidence = best_evidence(athlete, activities, today)
    current = evidence.vdot if evidence is not None else None
    if current is not None and brk is not None:
        current = vdot_after_break(current, brk.days)
    rate = GAIN_PER_4_WEEKS * (0.5 if brk is not None else 1.0)
    reachable = current + min(MAX_GAIN, rate * weeks / 4) if current is not None else None
    goal_vdot = (
        vdot_from_race(race.distance_meters, race.goal_time_seconds)
        if race.goal_time_seconds
        else None
    )
    longest = history.longest_run(today - dt.timedelta(days=21), today + dt.timedelta(days=1))
    building = max(0, weeks - TAPER_WEEKS)
    reach_long = longest + LONG_STEP_PER_WEEK * building
    needed = long_run_needed(race)
    distance_fits = reach_long >= needed
    time_fits = goal_vdot is None or reachable is None or goal_vdot <= reachable + FIT_MARGIN
    suggestion = ""
    if not distance_fits:
        shorter = [
            label
            for meters, label in STANDARD
            if meters < race.distance_meters
            and reach_long >= long_run_needed(GoalRace("", race.date, meters))
        ]
        alt = shorter[0] if shorter else "a 5K"
        suggestion = (
            f"Your longest run lately is {longest:.0f} min and the race needs about "
            f"{needed} min, which {building} weeks of safe building won't reach "
            f"(about {reach_long:.0f} min). Pick {alt} on that date, or a later "
            f"{_km(race.distance_meters)} race."
        )
    elif not time_fits and reachable is not None:
        alt_time = _clock(race_time(reachable, race.distance_meters))
        goal = _clock(race.goal_time_seconds or 0)
        suggestion = (
            f"The goal {goal} needs VDOT {goal_vdot:.1f}; you're at {current:.1f} and the "
            f"weeks left can add about {reachable - (current or 0):.1f}. Aim for {alt_time} "
            "instead, or keep the goal for a later race."
        )
    return GoalCheck(
        fits=distance_fits and time_fits,
        weeks_left=weeks,
        current_vdot=current,
        reachable_vdot=reachable,
        goal_vdot=goal_vdot,
        long_run_now=longest,
        long_run_needed=needed,
        long_run_reachable=reach_long,
        suggestion=suggestion,
    )
