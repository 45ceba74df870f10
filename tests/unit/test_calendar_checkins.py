"""A race week: check-ins from race-5 to race+1 follow the calendar, whatever the state."""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.core.model import AthleteProfile, Weekday
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.profile import GoalRace, with_running_profile
from tests.unit.test_coach_support import at, offline_app, plan_for, talk_history

FIRST = dt.date(2026, 1, 19)
RACE = dt.date(2026, 3, 14)  # a Saturday


def _race_athlete(athlete: AthleteProfile) -> AthleteProfile:
    return with_running_profile(
        dataclasses.replace(athlete, unavailable_days=(Weekday.WED,)),
        goal_race=GoalRace("Spring 10K", RACE, 10000),
    )


def test_race_week_checkins(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(RACE - dt.timedelta(days=5), 6))
    app = offline_app(_race_athlete(athlete), clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=10))
    # A low spell: the last activity was three weeks before the race.
    talk_history(app.storage, "adam", FIRST, RACE - dt.timedelta(days=21))
    words: dict[int, str] = {}
    for offset in range(-5, 2):
        day = RACE + dt.timedelta(days=offset)
        clock.set(at(day, 6))
        message = app.coach.checkin("adam", day)
        words[offset] = message.text
        assert "Let's not talk workouts" not in message.text
        assert "No training talk" not in message.text
    assert "Spring 10K in 5 days" in words[-5] and "Kit check" in words[-5]
    assert "Fuel plan" in words[-4]
    assert "Travel and timing" in words[-3]
    assert "Carbs up" in words[-2]
    assert "Spring 10K is tomorrow" in words[-1] and "lay everything out" in words[-1]
    assert words[0].startswith("Race day!") and "Good luck at Spring 10K" in words[0]
    assert "recovery" in words[1] and "how did it go?" in words[1]
    assert len(set(words.values())) == len(words)  # one topic a day, no repeats
    # Race day is never judged low on the page either: the week picture is shown.
    race_day = app.storage.get_message("adam", f"checkin:{RACE.isoformat()}")
    assert race_day is not None and race_day.state != "low" and race_day.rendered


def test_an_unavailable_day_is_named_not_counted(athlete: AthleteProfile) -> None:
    wednesday = dt.date(2026, 3, 4)
    clock = FixedClock(at(wednesday, 6))
    app = offline_app(dataclasses.replace(athlete, unavailable_days=(Weekday.WED,)), clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, wednesday - dt.timedelta(days=1))
    message = app.coach.checkin("adam", wednesday)
    assert "away from training today" in message.text
