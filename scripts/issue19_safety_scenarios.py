"""Issue 19 (safety, calendar, fresh messages): the scenarios, with the coach's own words.

Runs on the offline chain with in-memory ports and a fixed clock, so the same script runs
against any checkout: ``PYTHONPATH=/path/to/checkout python scripts/issue19_safety_scenarios.py``
(``PYTHONPATH=.`` for this one)
prints one ``scenario | words`` line per step (the before/after table in
``docs/notes/issue19-safety.md`` was made this way on main and on the branch).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys

from momentum.core.model import AthleteProfile, CoachingStyle, Weekday
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.profile import GoalRace, with_running_profile
from tests.unit.test_coach_support import at, offline_app, plan_for, run, talk_history

FIRST = dt.date(2026, 1, 19)
SAT = dt.date(2026, 3, 7)
ADAM = AthleteProfile(
    athlete_id="adam",
    name="Adam",
    timezone="America/Toronto",
    preferred_days=(Weekday.MON, Weekday.WED, Weekday.FRI, Weekday.SAT, Weekday.SUN),
    chat_user_id="U1",
)


def show(scenario: str, text: str) -> None:
    """One table row: the scenario and the words, on one line."""
    words = " ".join(text.split()).replace("|", "/")
    print(f"| {scenario} | {words[:400]} |")


def _app(athlete: AthleteProfile, clock: FixedClock):  # type: ignore[no-untyped-def]
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=10))
    talk_history(app.storage, "adam", FIRST, SAT - dt.timedelta(days=1))
    return app


def _today(app, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    plan = app.storage.get_plan(Plan, "adam")
    week = plan.week_of(day)
    from momentum.plugins.running.coach.render import session_label

    return ", ".join(session_label(s) for s in week.sessions if s.date == day) or "rest"


def pain_then_recovery() -> None:
    clock = FixedClock(at(SAT, 7))
    app = _app(ADAM, clock)
    text = app.coach.reply("adam", "my shin hurts", event_id="1").text
    show("Sat 7:00 chat: “my shin hurts”", text)
    show("… Saturday's session after it", _today(app, SAT))
    clock.set(at(SAT + dt.timedelta(days=1), 6))
    show("Sun check-in", app.coach.checkin("adam", SAT + dt.timedelta(days=1)).text)
    clock.set(at(SAT + dt.timedelta(days=2), 8))
    text = app.coach.reply("adam", "shin feels fine now", event_id="2").text
    show("Mon chat: “shin feels fine now”", text)
    clock.set(at(SAT + dt.timedelta(days=3), 6))
    show("Tue check-in", app.coach.checkin("adam", SAT + dt.timedelta(days=3)).text)


def illness() -> None:
    for n, words in enumerate(
        ("I have a fever", "had chest pain on my run this morning", "knee is sore after yesterday")
    ):
        clock = FixedClock(at(SAT, 7))
        app = _app(ADAM, clock)
        show(f"chat: “{words}”", app.coach.reply("adam", words, event_id=f"i{n}").text)
        show("… Saturday's session after it", _today(app, SAT))


def run_notes() -> None:
    friday = SAT - dt.timedelta(days=1)
    clock = FixedClock(at(friday, 19))
    app = _app(ADAM, clock)
    sore = dataclasses.replace(
        run("adam", friday, 40, activity_id="fri", hour=18),
        notes=("sharp pain in my left shin near the end, right on the bone",),
    )
    app.storage.put_activity(sore)
    review = app.coach.on_activity("adam", "fri").text
    show("Fri run, notes: “sharp pain … on the bone”: review", review)
    show("… Saturday's session after it", _today(app, SAT))


def stress_fracture() -> None:
    athlete = dataclasses.replace(ADAM, injuries=("stress fracture, left tibia (2024)",))
    plan = build_plan(athlete, [], [], dt.date(2026, 5, 4))
    moves = sorted(
        {
            e.name
            for w in plan.weeks
            for s in w.sessions
            if s.strength is not None
            for e in s.strength.main_set
        }
    )
    jumps = [m for m in moves if re.search(r"hop|bound|jump", m, re.I)]
    show("stress-fracture profile: jumping drills in strength", ", ".join(jumps) or "none")
    clock = FixedClock(at(SAT - dt.timedelta(days=1), 12))
    app = _app(athlete, clock)
    text = app.coach.reply("adam", "bone pain in my shin again", event_id="b").text
    show("… Fri chat: “bone pain in my shin again”", text)
    show("… Saturday (long-run day) after it", _today(app, SAT))


def race_week() -> None:
    race = dt.date(2026, 3, 14)
    athlete = with_running_profile(ADAM, goal_race=GoalRace("Spring 10K", race, 10000))
    clock = FixedClock(at(race - dt.timedelta(days=5), 6))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=10))
    talk_history(app.storage, "adam", FIRST, race - dt.timedelta(days=21))  # a low spell
    for offset in range(-5, 2):
        day = race + dt.timedelta(days=offset)
        clock.set(at(day, 6))
        message = app.coach.checkin("adam", day)
        show(f"race{offset:+d} check-in ({message.state})", message.text)


def month() -> None:
    for style in CoachingStyle:
        athlete = dataclasses.replace(ADAM, coaching_style=style)
        clock = FixedClock(at(dt.date(2026, 3, 2), 6))
        app = offline_app(athlete, clock)
        app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
        talk_history(app.storage, "adam", FIRST, dt.date(2026, 3, 4))  # then stops
        said: list[str] = []
        states: set[str] = set()
        for offset in range(31):
            day = dt.date(2026, 3, 2) + dt.timedelta(days=offset)
            clock.set(at(day, 6))
            message = app.coach.checkin("adam", day)
            states.add(message.state)
            said += [s for s in re.split(r"(?<=[.?!])\s+|\n+", message.text) if s.strip()]
        top = max(sorted(set(said)), key=said.count)
        show(
            f"31 check-ins, {style.value} ({', '.join(sorted(states))})",
            f"{len(said)} sentences, {len(set(said))} distinct; most repeated "
            f"({said.count(top)}×): “{top}”",
        )


def styles_and_claims() -> None:
    for style in CoachingStyle:
        athlete = dataclasses.replace(ADAM, coaching_style=style)
        clock = FixedClock(at(dt.date(2026, 3, 9), 6))
        app = offline_app(athlete, clock)
        app.storage.put_plan(plan_for("adam", FIRST, weeks=10))
        talk_history(app.storage, "adam", FIRST, dt.date(2026, 3, 8))
        message = app.coach.checkin("adam", dt.date(2026, 3, 9))
        show(f"Mon after a full week, 0 runs yet, {style.value} ({message.state})", message.text)
    clock = FixedClock(at(dt.date(2026, 3, 2), 19))
    app = offline_app(ADAM, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, dt.date(2026, 3, 1))
    seconds = 45 * 60
    vo2 = dataclasses.replace(
        run("adam", dt.date(2026, 3, 2), 45, activity_id="vo2", hour=18),
        zone1_seconds=600,
        zone2_seconds=seconds - 1860,
        zone3_seconds=300,
        zone4_seconds=240,
        zone5_seconds=720,
    )
    app.storage.put_activity(vo2)
    show("intervals run, 12 min in Z5: review", app.coach.on_activity("adam", "vo2").text)
    show("… feedback", app.coach.feedback("adam", "vo2").text)


def main() -> None:
    """Print every scenario."""
    print("| scenario | the coach's words |\n| --- | --- |")
    for scenario in (
        pain_then_recovery,
        illness,
        run_notes,
        stress_fracture,
        race_week,
        month,
        styles_and_claims,
    ):
        try:
            scenario()
        except Exception as exc:  # a checkout without the feature still prints the rest
            show(scenario.__name__, f"error: {type(exc).__name__}: {exc}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
