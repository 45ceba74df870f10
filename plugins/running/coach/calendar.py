"""What the calendar says about a day: race day, the days before and after, days away.

A race day is a race day whatever the athlete's state: a low spell or a missed week does
not turn it into "let's not talk workouts". The days before it bring taper and logistics
(sleep, kit, fuel, travel), one topic a day so the week's messages do not repeat; the day
after is recovery. Days the athlete cannot train (``unavailable_days`` in the profile, or
memory items tagged ``unavailable:<date>`` / ``holiday:<date>``) are named as such, not
counted as slack.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from momentum.core.coach.state import MotivationState, StateAssessment
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.profile import running_profile

RACE_WEEK_DAYS = 6
"""Days before a race that count as its week (taper and logistics)."""
RECOVERY_DAYS = 2
"""Days after a race that are recovery."""

_LOGISTICS = {
    6: "Taper week: the work is done, so the job now is sleep. Aim for an extra 30–60 "
    "minutes a night this week; sleep two nights out counts most.",
    5: "Kit check: race shoes, socks and shorts you've already run long in; nothing new "
    "on race day. Charge the watch tonight.",
    4: "Fuel plan: write down what you'll eat the night before and the morning of, and "
    "what you'll carry (gels or chews every 30–40 minutes on long efforts).",
    3: "Travel and timing: check the start time, parking or transit, and bib pickup; "
    "plan to arrive an hour early.",
    2: "Carbs up a little today and tomorrow, keep the fibre down, and drink to thirst. "
    "Legs may feel flat in a taper: that's normal.",
}
_EVE = (
    "Race eve: lay everything out tonight (bib and pins, shoes, watch, gels, breakfast), "
    "eat a familiar dinner early and get to bed. A few minutes of easy shakeout at most."
)
_DAY = (
    "Race day! Eat your usual breakfast 2–3 hours before, warm up with 10 easy minutes and "
    "a few strides, and start slower than you want: the first third should feel easy. "
    "Enjoy it."
)
_AFTER = {
    1: "The day after the race is recovery: walk, stretch gently, eat and sleep well. "
    "No running today; how did it go?",
    2: "Second day of recovery: an easy walk or a short spin at most. Soreness is normal; "
    "sharp pain is not, so tell me if anything hurts.",
}


@dataclass(frozen=True)
class CalendarDay:
    """The calendar's word on one day."""

    day: dt.date
    kind: str = ""
    """``race_day``, ``race_eve``, ``race_week``, ``race_recovery``, ``unavailable`` or ``""``."""
    race: str = ""
    days_to_race: int | None = None
    message: str = ""

    @property
    def race_related(self) -> bool:
        """Race day, its eve or the recovery after it: the calendar outranks the state."""
        return self.kind in ("race_day", "race_eve", "race_recovery")

    def facts(self) -> dict[str, str]:
        """Facts for the prompt and the offline composer."""
        if not self.kind:
            return {}
        facts = {"calendar": self.kind, "calendar_message": self.message}
        if self.race:
            facts["race_name"] = self.race
        return facts


def _races(view: AthleteView) -> list[tuple[dt.date, str]]:
    races: dict[dt.date, str] = {}
    goal = running_profile(view.athlete).goal_race
    if goal is not None:
        races[goal.date] = goal.name
    for week in view.plan.weeks if view.plan else ():
        for session in week.sessions:
            if session.kind is SessionKind.RACE:
                races.setdefault(session.date, session.title or "race")
    return sorted(races.items())


def _away(view: AthleteView, day: dt.date) -> bool:
    if day.weekday() in {int(d) for d in view.athlete.unavailable_days}:
        return True
    marks = {f"unavailable:{day.isoformat()}", f"holiday:{day.isoformat()}"}
    return any(marks & set(item.tags) for item in view.memory if item.active)


def calendar_day(view: AthleteView, day: dt.date) -> CalendarDay:
    """What the calendar says about ``day`` (the nearest race first)."""
    for race_day, name in _races(view):
        days = (race_day - day).days
        if days == 0:
            return CalendarDay(day, "race_day", name, 0, f"{_DAY} Good luck at {name}!")
        if days == 1:
            return CalendarDay(day, "race_eve", name, 1, f"{name} is tomorrow. {_EVE}")
        if 2 <= days <= RACE_WEEK_DAYS:
            text = f"{name} in {days} days. {_LOGISTICS[days]}"
            return CalendarDay(day, "race_week", name, days, text)
        if -RECOVERY_DAYS <= days < 0:
            return CalendarDay(day, "race_recovery", name, days, _AFTER[-days])
    if _away(view, day):
        return CalendarDay(
            day,
            "unavailable",
            message="You're away from training today, and that's planned: enjoy the day. "
            "Nothing to catch up on.",
        )
    return CalendarDay(day)


def steady(state: StateAssessment, calendar: CalendarDay) -> StateAssessment:
    """The state to write in: a race day (its eve, the recovery) is never fragile or low."""
    if calendar.race_related and state.state.off_track:
        return dataclasses.replace(state, state=MotivationState.ON_TRACK)
    return state
