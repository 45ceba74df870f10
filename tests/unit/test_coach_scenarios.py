"""The talk's scenarios end to end on the offline chain: thriving, fragile, low, the DOMS
lesson and the show nudge."""

from __future__ import annotations

import datetime as dt
import re

from momentum.core.model import AthleteProfile, MemorySection
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.coach.memory import SEPARATE_STRENGTH_LONG_RUN, TREADMILL_SHOW
from momentum.plugins.running.model.plan import Plan, SessionKind
from tests.unit.test_coach_support import (
    at,
    offline_app,
    plan_for,
    prompt_text,
    recording_model,
    run,
    strength,
    talk_history,
)

FIRST = dt.date(2026, 1, 19)  # a Monday, six weeks before the test week
MON, TUE, WED = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_thriving_checkin_shows_the_whole_week(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(TUE, 6))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, MON)
    message = app.coach.checkin("adam", TUE)
    assert message.state == "thriving"
    lines = message.rendered.splitlines()
    assert lines[0] == "*Tuesday, March 3 check-in*"
    assert lines[1] == "*Week of Mar 2–8*"
    assert lines[2].startswith("Aerobic: 0:45h / ")
    assert "├─ ✓ Mon - 45min Run - EF: 1.00" in lines
    assert any(line.startswith("├─ ○ Tue - Strength") for line in lines)
    assert any(line.startswith("MVW: 3 runs ✓○○ | Long Run ○ | Strength ○") for line in lines)
    assert lines[-1].startswith("Fitness: ") and "Durability:" in lines[-1]
    assert "Strength" in message.text  # one concrete step for today's session
    assert message.model == "offline"


def test_fragile_wednesday_names_the_gap(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(TUE, 6))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, MON - dt.timedelta(days=1))  # last run Sunday
    app.coach.checkin("adam", TUE)  # Tuesday's check-in reshuffles Monday's missed run
    clock.set(at(WED, 6))
    message = app.coach.checkin("adam", WED)
    assert message.state == "fragile"
    assert message.rendered.splitlines()[0] == "⚠ Last run: 3 days ago"
    assert message.rendered.splitlines()[1].startswith("Last 7 days: ")
    for banned in ("Aerobic", "█", "MVW", "✓"):
        assert banned not in message.display
    assert "since Sunday" in message.text
    assert message.text.count("?") == 1
    assert 2 <= len(sentences(message.text)) <= 3


def test_low_starts_with_a_motivation_prime(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(TUE, 6))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, dt.date(2026, 2, 22))
    message = app.coach.checkin("adam", TUE)
    assert message.state == "low"
    assert message.rendered == ""
    first = sentences(message.display)[0].lower()
    assert "workout" in first or "training" in first
    assert not re.search(r"\d+ ?min", message.display)  # no workout prescribed


def test_prompts_carry_the_state_examples(athlete: AthleteProfile) -> None:
    model = recording_model()
    clock = FixedClock(at(TUE, 6))
    app = offline_app(athlete, clock, model=model)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, dt.date(2026, 2, 22))
    app.coach.checkin("adam", TUE)
    system = model.requests[-1].messages[0].content
    assert "Today they are low" in system
    assert "motivation prime" in system
    assert "Principles:" in system and "Never shame" in system


def test_doms_lesson_is_learned_and_changes_plan_and_messages(athlete: AthleteProfile) -> None:
    sunday = MON - dt.timedelta(days=1)
    clock = FixedClock(at(sunday, 21, 48))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, sunday - dt.timedelta(days=2))
    app.storage.put_activity(run("adam", sunday, 90, indoor=True, hour=8))
    app.storage.put_activity(strength("adam", sunday, 60, hour=19))
    app.coach.reply(
        "adam",
        "I just finished my 60 min strength class and it was hard. I was going to pass out.",
        event_id="e1",
    )
    clock.set(at(MON, 12))
    answer = app.coach.reply(
        "adam", "Trouble walking from DOMS. Barely get down stairs", event_id="e2"
    )
    memory = app.storage.list_memory("adam")
    lessons = [m for m in memory if SEPARATE_STRENGTH_LONG_RUN in m.tags]
    assert len(lessons) == 1
    assert lessons[0].section is MemorySection.DISCOVERIES
    assert "separate" in lessons[0].text and "DOMS" in lessons[0].text
    assert answer.text
    # Plans: strength never sits on the long-run day or the day before it.
    plan = app.storage.get_plan(Plan, "adam")
    assert plan is not None
    for week in plan.weeks:
        if week.start < MON:
            continue
        longs = {s.date for s in week.sessions if s.kind is SessionKind.LONG}
        for s in week.sessions:
            if s.kind is SessionKind.STRENGTH:
                assert s.date not in longs
                assert s.date + dt.timedelta(days=1) not in longs
    # Messages: the lesson is in every later prompt.
    model = recording_model()
    app.model.models.insert(0, model)  # type: ignore[attr-defined]
    clock.set(at(TUE, 6))
    app.coach.checkin("adam", TUE)
    assert "multi-day DOMS" in prompt_text(model.requests[-1])
    assert "Discoveries & Experiments" in prompt_text(model.requests[-1])


def test_the_show_comes_back_in_a_later_nudge(athlete: AthleteProfile) -> None:
    sunday = MON - dt.timedelta(days=1)
    clock = FixedClock(at(sunday, 20))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, sunday)
    app.coach.reply(
        "adam",
        "Today I didn't want to run, but once I got going, I kept going. Part of it was "
        "Stranger Things on the treadmill.",
        event_id="show-1",
    )
    enjoys = [m for m in app.storage.list_memory("adam") if TREADMILL_SHOW in m.tags]
    assert [m.section for m in enjoys] == [MemorySection.ENJOYS]
    assert "Stranger Things" in enjoys[0].text
    # Mon and Tue go quiet; Wednesday's fragile nudge brings the show back.
    clock.set(at(TUE, 6))
    app.coach.checkin("adam", TUE)
    clock.set(at(WED, 6))
    message = app.coach.checkin("adam", WED)
    assert message.state == "fragile"
    assert "Stranger Things" in message.text
