"""Safety scenarios end to end on in-memory ports, a fixed clock and the offline chain
(or a scripted model that tries to send the athlete running)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings

from momentum.core.app import App
from momentum.core.memory import ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, Model, ToolCall
from momentum.plugins.running.coach.safety.overlay import is_plyometric
from momentum.plugins.running.coach.safety.records import health_records
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.plans import strength as strength_mod
from momentum.plugins.running.plans.injuries import areas_of
from tests.unit.test_coach_support import (
    at,
    offline_app,
    plan_for,
    recording_model,
    run,
    talk_history,
)
from tests.unit.test_safety_classify import PREFIX, RED_FLAGS, SUFFIX

FIRST = dt.date(2026, 1, 19)
SAT = dt.date(2026, 3, 7)  # the talk's long-run day


def day(offset: int) -> dt.date:
    return SAT + dt.timedelta(days=offset)


def sessions(app: App, when: dt.date) -> list[PlannedSession]:
    plan = app.storage.get_plan(Plan, "adam")
    week = plan.week_of(when) if plan else None
    return [s for s in (week.sessions if week else ()) if s.date == when]


def _app(athlete: AthleteProfile, clock: FixedClock, model: Model | None = None) -> App:
    app = offline_app(athlete, clock, model)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, day(-1))
    return app


def test_shin_pain_mid_plan_then_recovery(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(SAT, 7))
    app = _app(athlete, clock)
    reply = app.coach.reply("adam", "my shin hurts", event_id="pain-1")
    assert "Long Run" not in reply.text and "Today's plan is" not in reply.text
    assert "Sorry to hear about the shin pain" in reply.text
    assert "Don't run through pain" in reply.text
    assert "cross-training" in reply.text
    (today,) = sessions(app, SAT)
    assert today.kind is SessionKind.CROSS and today.minutes <= 45
    (record,) = health_records(app.storage.list_memory("adam"))
    assert record.active and "shin" in record.areas and record.since == SAT
    assert record.text == "my shin hurts" and record.source == "chat"

    # The day after: the check-in asks about the shin; still no impact.
    clock.set(at(day(1), 6))
    sunday = app.coach.checkin("adam", day(1))
    assert "Day 2 with the shin pain" in sunday.text
    assert not any(s.kind.is_run for s in sessions(app, day(1)))

    # The weekly refresh regenerates the weeks ahead: they still avoid impact.
    clock.set(at(day(1), 21))
    app.coach.refresh_plan("adam", day(1))
    assert not any(
        s.kind.is_run
        for w in app.storage.get_plan(Plan, "adam").weeks
        for s in w.sessions
        if s.date >= day(1)
    )

    # Better on Monday: a graded return, easy and short, no intensity.
    clock.set(at(day(2), 8))
    better = app.coach.reply("adam", "shin feels fine now", event_id="pain-2")
    assert "Glad the shin is better" in better.text
    assert "graded return" in better.text
    (record,) = health_records(app.storage.list_memory("adam"))
    assert record.resolved == day(2)
    ahead = [
        s
        for w in app.storage.get_plan(Plan, "adam").weeks
        for s in w.sessions
        if day(2) <= s.date < day(2 + 14) and s.kind.is_run
    ]
    assert ahead and all(s.kind is SessionKind.EASY for s in ahead)
    assert all(s.minutes <= 30 for s in ahead if s.date < day(2 + 7))
    assert all(s.minutes <= 60 for s in ahead)

    clock.set(at(day(3), 6))
    tuesday = app.coach.checkin("adam", day(3))
    assert "Day 2 of the graded return after the shin pain" in tuesday.text


def test_fever_is_rest_not_got_it_saved(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(SAT, 7))
    app = _app(athlete, clock)
    reply = app.coach.reply("adam", "I have a fever", event_id="ill-1")
    assert "Got it" not in reply.text and "saved" not in reply.text
    assert "Today is rest" in reply.text and "doctor" in reply.text
    assert all(s.kind is SessionKind.REST for s in sessions(app, SAT))
    assert all(s.kind is SessionKind.REST for s in sessions(app, day(1)))


def test_chest_pain_points_to_urgent_care(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(SAT, 7))
    app = _app(athlete, clock)
    reply = app.coach.reply("adam", "had chest pain on my run this morning", event_id="c-1")
    assert "urgent care" in reply.text
    assert all(s.kind is SessionKind.REST for s in sessions(app, SAT))


def test_a_model_cannot_send_an_injured_athlete_running(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(SAT, 7))
    pushy = recording_model("Shin's fine, push through! Today's plan is Long Run (120min).")
    app = _app(athlete, clock, pushy)
    reply = app.coach.reply("adam", "sharp pain in my shin bone", event_id="m-1")
    assert "push through" not in reply.text
    assert "physio" in reply.text and "Don't run through pain" in reply.text
    assert "safety" in reply.model
    # The model saw the decision as facts before it wrote.
    prompt = "\n".join(m.content for m in pushy.requests[0].messages)
    assert "safety: no_impact" in prompt
    clock.set(at(day(1), 6))
    checkin = app.coach.checkin("adam", day(1))
    assert "Long Run" not in checkin.text and "physio" in checkin.text


def test_tools_cannot_undo_the_safety_layer(athlete: AthleteProfile) -> None:
    """A model that answers an injury report by moving the long run back onto today."""
    clock = FixedClock(at(SAT, 7))
    calls = iter(
        [
            Completion(
                "",
                model="m",
                provider="p",
                tool_calls=(
                    ToolCall("adjust_session", {"day": "today", "reason": "only 20 minutes"}, "t1"),
                ),
            ),
            Completion("Done, 20 minute run today then!", model="m", provider="p"),
        ]
    )
    model = ScriptedModel(respond=lambda request: next(calls))
    app = _app(athlete, clock, model)
    reply = app.coach.reply("adam", "my knee hurts", event_id="t-1")
    assert not any(s.kind.is_run for s in sessions(app, SAT))
    assert "20 minute run" not in reply.text and "Don't run through pain" in reply.text


def test_pain_in_a_runs_notes_changes_tomorrow(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(day(-1), 19))
    app = _app(athlete, clock)
    sore = dataclasses.replace(
        run("adam", day(-1), 40, activity_id="friday-run", hour=18),
        notes=("sharp pain in my left shin near the end, right on the bone",),
    )
    app.storage.put_activity(sore)
    review = app.coach.on_activity("adam", "friday-run")
    assert "physio" in review.text and "Don't run through pain" in review.text
    (saturday,) = sessions(app, SAT)  # the long run
    assert not saturday.kind.is_run
    (record,) = health_records(app.storage.list_memory("adam"))
    assert record.source == "activity friday-run" and record.bone


def test_stress_fracture_history_gets_no_plyometrics(athlete: AthleteProfile) -> None:
    history = dataclasses.replace(athlete, injuries=("stress fracture, left tibia (2024)",))
    plan = build_plan(history, [], [], dt.date(2026, 5, 4))
    strength = [
        e
        for w in plan.weeks
        for s in w.sessions
        if s.strength is not None
        for e in s.strength.main_set
    ]
    assert strength, "the plan has strength work"
    assert not any(is_plyometric(e) for e in strength)
    # The race-specific level has jumping drills, except after a bone-stress injury.
    level, kit = strength_mod.MODERATE, athlete.equipment
    assert any(is_plyometric(e) for e in strength_mod.build_workout(level, kit).main_set)
    spared = frozenset(areas_of(history.injuries[0]))
    workout = strength_mod.build_workout(level, kit, spared)
    assert workout.main_set and not any(is_plyometric(e) for e in workout.main_set)


def test_bone_pain_means_no_long_run_tomorrow(athlete: AthleteProfile) -> None:
    history = dataclasses.replace(athlete, injuries=("stress fracture, left tibia (2024)",))
    clock = FixedClock(at(day(-1), 12))
    app = _app(history, clock)
    app.coach.reply("adam", "bone pain in my shin again", event_id="b-1")
    (saturday,) = sessions(app, SAT)
    assert saturday.kind is not SessionKind.LONG and not saturday.kind.is_run
    for s in (s for w in app.storage.get_plan(Plan, "adam").weeks for s in w.sessions):
        if s.strength is not None and s.date >= day(-1):
            assert not any(is_plyometric(e) for e in s.strength.main_set)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(prefix=PREFIX, flag=RED_FLAGS, suffix=SUFFIX)
def test_a_red_flag_in_chat_never_leaves_a_run_today(
    athlete: AthleteProfile, prefix: str, flag: str, suffix: str
) -> None:
    """The whole chat path (offline chain): whatever the red-flag words, today is no run
    and the reply proposes none."""
    text = prefix + flag + suffix
    clock = FixedClock(at(SAT, 7))
    app = _app(athlete, clock)
    reply = app.coach.reply("adam", text, event_id="p")
    assert not any(s.kind.is_run for s in sessions(app, SAT)), text
    assert "Long Run" not in reply.text and "Today's plan is" not in reply.text
