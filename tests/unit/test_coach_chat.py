"""Chat through the engine: the talk's examples become tool calls and stored records."""

from __future__ import annotations

import datetime as dt

from momentum.core.memory import ScriptedModel
from momentum.core.model import AthleteProfile, MessageKind, Role
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, ToolCall
from momentum.plugins.running.model.plan import Plan
from tests.unit.test_coach_support import at, offline_app, plan_for, run, talk_history

FIRST = dt.date(2026, 1, 19)
TUE = dt.date(2026, 3, 3)


def app_at(athlete: AthleteProfile, hour: int = 19, model: ScriptedModel | None = None):  # type: ignore[no-untyped-def]
    clock = FixedClock(at(TUE, hour))
    app = offline_app(athlete, clock, model=model)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(app.storage, "adam", FIRST, TUE - dt.timedelta(days=1))
    return app


def window(app):  # type: ignore[no-untyped-def]
    now = app.clock.now()
    return now - dt.timedelta(days=3), now + dt.timedelta(days=1)


def test_did_60_min_strength_is_logged_hard(athlete: AthleteProfile) -> None:
    app = app_at(athlete)
    reply = app.coach.reply("adam", "did 60 min strength, totally gassed", event_id="c1")
    logged = [a for a in app.storage.list_activities("adam", *window(app)) if a.source == "chat"]
    assert len(logged) == 1
    assert logged[0].activity_type == "WeightTraining"
    assert logged[0].moving_time_seconds == 3600 and logged[0].intensity == "hard"
    assert "Logged it" in reply.text and "60min strength" in reply.text
    # The plan now counts Tuesday's strength as done.
    week = app.storage.get_plan(Plan, "adam").week_of(TUE)
    assert any(s.kind.value == "strength" and s.status.value == "done" for s in week.sessions)


def test_an_opinion_is_kept_as_a_reflection(athlete: AthleteProfile) -> None:
    app = app_at(athlete)
    app.coach.reply("adam", "60 minutes is a long time for strength", event_id="c2")
    reflections = app.storage.list_reflections("adam", *window(app))
    assert [r.text for r in reflections] == ["60 minutes is a long time for strength"]
    assert all(a.source != "chat" for a in app.storage.list_activities("adam", *window(app)))


def test_that_run_felt_harder_with_a_run_in_context(athlete: AthleteProfile) -> None:
    app = app_at(athlete)
    today_run = run("adam", TUE, 50, activity_id="evening-run", hour=18)
    app.storage.put_activity(today_run)
    app.coach.reply("adam", "that run felt harder than expected", event_id="c3")
    notes = app.storage.list_notes("adam", "evening-run")
    assert [n.text for n in notes] == ["that run felt harder than expected"]
    assert app.storage.list_reflections("adam", *window(app)) == []


def test_that_run_felt_harder_without_a_run_is_a_reflection(athlete: AthleteProfile) -> None:
    app = app_at(athlete, hour=7)
    app.coach.reply("adam", "that run felt harder than expected", event_id="c4")
    assert [r.text for r in app.storage.list_reflections("adam", *window(app))] == [
        "that run felt harder than expected"
    ]


def test_tired_legs_question_saves_and_answers(athlete: AthleteProfile) -> None:
    app = app_at(athlete, hour=7)
    reply = app.coach.reply("adam", "legs are tired, should I rest?", event_id="c5")
    assert [r.text for r in app.storage.list_reflections("adam", *window(app))] == [
        "legs are tired, should I rest?"
    ]
    assert "rest" in reply.text.lower() or "easy" in reply.text.lower()


def test_a_retry_of_the_same_event_is_not_paid_twice(athlete: AthleteProfile) -> None:
    model = ScriptedModel(respond=lambda r: Completion("Noted.", model="m", provider="groq"))
    app = app_at(athlete, model=model)
    first = app.coach.reply("adam", "hello coach, quick note about today", event_id="dup")
    calls = len(model.requests)
    again = app.coach.reply("adam", "hello coach, quick note about today", event_id="dup")
    assert again == first and len(model.requests) == calls
    messages = app.storage.list_messages("adam", *window(app))
    assert [(m.role, m.kind) for m in messages] == [
        (Role.ATHLETE, MessageKind.CHAT),
        (Role.COACH, MessageKind.CHAT),
    ]


def test_model_tool_calls_run_and_a_second_call_writes_the_reply(athlete: AthleteProfile) -> None:
    model = ScriptedModel(
        [
            Completion(
                "",
                model="openai/gpt-oss-120b",
                provider="groq",
                tool_calls=(
                    ToolCall(
                        "log_activity",
                        {"activity_type": "strength", "duration": 60, "intensity": "hard"},
                        "c1",
                    ),
                ),
            ),
            Completion(
                "Logged. Easy on the legs tomorrow.", model="openai/gpt-oss-120b", provider="groq"
            ),
        ]
    )
    app = app_at(athlete, model=model)
    reply = app.coach.reply("adam", "did 60 min strength, totally gassed", event_id="m1")
    assert reply.text == "Logged. Easy on the legs tomorrow."
    assert [r.purpose for r in model.requests] == ["chat", "chat_reply"]
    assert model.requests[0].tools and not model.requests[1].tools
    assert (
        "log_activity → ok: Logged 60min strength (hard)" in model.requests[1].messages[1].content
    )


def test_adjust_session_changes_only_that_day(athlete: AthleteProfile) -> None:
    app = app_at(athlete, hour=7)
    before = app.storage.get_plan(Plan, "adam")
    reply = app.coach.reply("adam", "I can't run today, only have 20 minutes", event_id="c6")
    after = app.storage.get_plan(Plan, "adam")
    assert after.version > before.version
    assert reply.text.startswith("Done:")
    later = before.week_of(TUE).start + dt.timedelta(days=7)
    assert [w for w in after.weeks if w.start >= later] == [
        w for w in before.weeks if w.start >= later
    ]
    today = [s for s in after.week_of(TUE).sessions if s.date == TUE]
    assert today and all(s.minutes <= 20 or s.kind.value == "rest" for s in today), reply.text


def test_a_message_too_long_to_read_is_refused_with_a_message(athlete: AthleteProfile) -> None:
    """10,000 characters are never cut to 2,000 silently: the coach says it did not read it."""
    model = ScriptedModel(respond=lambda request: Completion(text="read it", model="m"))
    app = app_at(athlete, model=model)
    reply = app.coach.reply("adam", "tempo " * 1667, event_id="long1")
    assert "10,001 characters" in reply.text and "shorter pieces" in reply.text
    assert model.requests == []  # nothing was paid for
    again = app.coach.reply("adam", "tempo " * 1667, event_id="long1")
    assert again.text == reply.text  # a redelivery gets the same answer
    assert app.coach.reply("adam", "x" * 2000, event_id="ok").text != reply.text
