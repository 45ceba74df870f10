"""Chat that does things without a model (issue 19, item 7): the grammar, then the coach's
scenarios through the offline composer on a real (in-memory) coach: moving the long run,
logging a workout by hand, race results and questions answered from facts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.coach.commands import command_calls
from momentum.plugins.running.coach.grammar import (
    day_in,
    distance_in,
    duration_in,
    pace_in,
    session_in,
)
from momentum.plugins.running.coach.intent import guess_tool_calls
from momentum.plugins.running.coach.planning import ensure_plan
from momentum.plugins.running.model.plan import Plan, SessionKind
from momentum.plugins.running.profile import running_profile
from tests.unit.test_coach_support import at, offline_app, talk_history

WED = dt.date(2026, 3, 4)
MON = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", WED),
        ("yesterday", dt.date(2026, 3, 3)),
        ("tomorrow", dt.date(2026, 3, 5)),
        ("on Sunday", dt.date(2026, 3, 8)),
        ("sat", dt.date(2026, 3, 7)),
        ("next monday", dt.date(2026, 3, 9)),
        ("last sunday", dt.date(2026, 3, 1)),
        ("2026-02-14", dt.date(2026, 2, 14)),
    ],
)
def test_days(text: str, expected: dt.date) -> None:
    assert day_in(text, WED) == expected


def test_a_weekday_for_something_done_looks_back() -> None:
    assert day_in("ran 10k on monday", WED, past=True) == MON
    assert day_in("did 5k on friday", WED, past=True) == dt.date(2026, 2, 27)


@pytest.mark.parametrize(
    ("text", "meters"),
    [
        ("5 km easy", 5000),
        ("a 10k", 10000),
        ("3 mi", 4828.032),
        ("3 miles", 4828.032),
        ("800 m reps", 800),
        ("10.5 kilometres", 10500),
        ("half marathon", 21097.5),
        ("marathon", 42195),
        ("30 m", None),
        ("5:30/km", None),
    ],
)
def test_distances(text: str, meters: float | None) -> None:
    found = distance_in(text)
    assert found == (pytest.approx(meters) if meters is not None else None)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45 min", 2700),
        ("90 minutes", 5400),
        ("1:05:00", 3900),
        ("in 52:30", 3150),
        ("1h20", 4800),
        ("1.5 hours", 5400),
        ("8 km at 5:30/km", None),
    ],
)
def test_durations(text: str, seconds: float | None) -> None:
    assert duration_in(text) == seconds


def test_paces_and_sessions() -> None:
    assert pace_in("5:30/km") == 330
    assert pace_in("8:45 per mile") == pytest.approx(525 / 1.609344)
    assert session_in("move my long run") == "long"
    assert session_in("the tempo") == "tempo"
    assert session_in("swap Tuesday and Thursday") is None


@given(st.integers(1, 59), st.integers(0, 59))
def test_any_clock_time_parses(minutes: int, seconds: int) -> None:
    assert duration_in(f"ran it in {minutes}:{seconds:02d}") == minutes * 60 + seconds


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("move my long run to Sunday", "move_session", {"session": "long", "to_day": "sunday"}),
        (
            "swap Tuesday and Thursday",
            "move_session",
            {"from_day": "tuesday", "to_day": "thursday"},
        ),
        (
            "can we do thursday's run on wednesday",
            "move_session",
            {"from_day": "thursday", "to_day": "wednesday"},
        ),
        (
            "5 km easy yesterday",
            "log_activity",
            {"distance_km": 5.0, "day": "yesterday", "intensity": "easy"},
        ),
        ("ran 10k in 52:30 on sunday", "log_activity", {"distance_km": 10.0, "duration": 52}),
        ("did 8 km at 5:30/km this morning", "log_activity", {"distance_km": 8.0, "pace": "5:30"}),
        (
            "I ran the Winter 10K race in 48:30 on sunday",
            "add_race_result",
            {"time": "48:30", "day": "sunday"},
        ),
        ("what's on my plan this week?", "coaching_question", {"topic": "plan"}),
        ("what pace should my easy runs be?", "coaching_question", {"topic": "pace"}),
        ("how was my last run?", "coaching_question", {"topic": "last_run"}),
    ],
)
def test_commands(text: str, tool: str, args: dict[str, object]) -> None:
    (call,) = command_calls(text) or [None]
    assert call is not None and call.name == tool
    assert args.items() <= call.arguments.items()


def test_the_old_intents_still_hold() -> None:
    """The keyword rules behind the grammar keep their cases."""
    (log,) = guess_tool_calls("did 60 min strength, totally gassed", activity_in_context=False)
    assert log.arguments == {"activity_type": "strength", "intensity": "hard", "duration": 60}
    opinion = guess_tool_calls("60 minutes is a long time for strength", activity_in_context=False)
    assert [c.name for c in opinion] == ["save_reflection"]
    short = guess_tool_calls("I only have 20 minutes today", activity_in_context=False)
    assert [c.name for c in short] == ["adjust_session"]


# -- the coach, offline --------------------------------------------------------------------------


@pytest.fixture
def coach(athlete):  # type: ignore[no-untyped-def]
    app = offline_app(athlete, FixedClock(at(MON, 19)))
    talk_history(app.storage, "adam", MON - dt.timedelta(days=42), MON - dt.timedelta(days=1))
    ensure_plan(app.storage, app.coach.view("adam", MON))
    return app


def _say(app, text: str, n: int = 0) -> str:  # type: ignore[no-untyped-def]
    return app.coach.reply("adam", text, event_id=f"e{n}").text


def test_move_my_long_run_to_sunday_moves_it(coach) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: it used to cut Sunday to a 30-minute easy run."""
    before = coach.storage.get_plan(Plan, "adam")
    sat = [s for s in before.week_of(MON).sessions if s.kind is SessionKind.LONG]
    reply = _say(coach, "move my long run to Sunday")
    plan = coach.storage.get_plan(Plan, "adam")
    (long_run,) = [s for s in plan.week_of(MON).sessions if s.kind is SessionKind.LONG]
    assert long_run.date == dt.date(2026, 3, 8) and long_run.minutes == sat[0].minutes
    assert "Moved" in reply and "Sun Mar 8" in reply
    assert plan.version == before.version + 1
    again = _say(coach, "move my long run to Sunday", 1)
    assert "already on Sun Mar 8" in again


def test_five_km_easy_yesterday_becomes_an_activity(coach) -> None:  # type: ignore[no-untyped-def]
    reply = _say(coach, "5 km easy yesterday")
    start = at(MON - dt.timedelta(days=2), 0)
    logged = [
        a for a in coach.storage.list_activities("adam", start, at(MON, 23)) if a.source == "chat"
    ]
    (run,) = logged
    assert run.distance_meters == 5000 and run.activity_type == "Run"
    assert run.start.astimezone(at(MON).tzinfo).date() == MON - dt.timedelta(days=1)
    assert run.moving_time_seconds > 0 and "Logged it: 5 km run" in reply
    _say(coach, "5 km easy yesterday", 0)  # the same delivery again: still one activity
    again = [
        a for a in coach.storage.list_activities("adam", start, at(MON, 23)) if a.source == "chat"
    ]
    assert len(again) == 1


def test_a_distance_with_a_time_keeps_the_time(coach) -> None:  # type: ignore[no-untyped-def]
    _say(coach, "ran 10k in 52:30 yesterday")
    start = at(MON - dt.timedelta(days=2), 0)
    (run,) = [
        a for a in coach.storage.list_activities("adam", start, at(MON, 23)) if a.source == "chat"
    ]
    assert run.distance_meters == 10000 and run.moving_time_seconds == 52 * 60


def test_questions_are_answered_from_facts_never_good_question(coach) -> None:  # type: ignore[no-untyped-def]
    plan_answer = _say(coach, "what's my plan this week?", 1)
    assert "Today:" in plan_answer and "This week:" in plan_answer
    pace_answer = _say(coach, "what pace should my easy runs be?", 2)
    assert "easy and long runs" in pace_answer and "VDOT" in pace_answer
    last = _say(coach, "how was my last run?", 3)
    assert "Your last run: Sun" in last
    other = _say(coach, "what do you think about carbon shoes?", 4)
    assert "Good question" not in other and "Today's plan" in other


def test_a_race_result_in_chat_sets_the_vdot(coach) -> None:  # type: ignore[no-untyped-def]
    reply = _say(coach, "I ran the Winter 10K race in 48:30 on sunday", 5)
    profile = coach.storage.get_athlete("adam")
    assert any(r.time_seconds == 48 * 60 + 30 for r in running_profile(profile).race_results)
    assert "Saved the race result" in reply and "VDOT" in reply


def test_swapping_two_sessions_by_name(coach) -> None:  # type: ignore[no-untyped-def]
    """ "swap my long run and the strength": the two sessions change days (or the swap is
    refused naming the rule it would break, never silently turned into something else)."""
    plan = coach.storage.get_plan(Plan, "adam")
    week = plan.week_of(MON)
    days = {
        s.kind: s.date for s in week.sessions if s.kind in (SessionKind.LONG, SessionKind.STRENGTH)
    }
    reply = _say(coach, "swap my long run and the strength", 7)
    after = coach.storage.get_plan(Plan, "adam").week_of(MON)
    moved = {
        s.kind: s.date for s in after.sessions if s.kind in (SessionKind.LONG, SessionKind.STRENGTH)
    }
    if "couldn't" in reply:
        assert moved == days and "strength" in reply.lower()
    else:
        assert moved[SessionKind.LONG] == days[SessionKind.STRENGTH]
        assert moved[SessionKind.STRENGTH] == days[SessionKind.LONG]
