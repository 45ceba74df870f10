"""Chat tools: argument checks, one athlete only, idempotent writes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from momentum.core.coach.toolargs import ToolArgumentError, validate_arguments
from momentum.core.model import AthleteProfile, CoachingStyle, Weekday
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.coach.tools import builtin_tools, parse_day
from momentum.plugins.running.profile import running_profile
from tests.unit.test_coach_support import at, offline_app, plan_for, run

TUE = dt.date(2026, 3, 3)
TOOLS = {t.spec.name: t for t in builtin_tools()}


@pytest.fixture
def ctx(athlete: AthleteProfile) -> ToolContext:
    app = offline_app(athlete, FixedClock(at(TUE, 19)))
    app.storage.put_plan(plan_for("adam", dt.date(2026, 2, 23), weeks=4))
    app.storage.put_athlete(dataclasses.replace(athlete, athlete_id="bob", name="Bob"))
    app.storage.put_activity(run("bob", TUE, 40, activity_id="bob-run"))
    app.storage.put_activity(run("adam", TUE, 40, activity_id="adam-run"))
    return ToolContext(app, "adam", "adam-run")


def call(ctx: ToolContext, name: str, **args: object) -> str:
    return TOOLS[name].run(ctx, dict(args))


def test_every_builtin_tool_has_a_strict_schema() -> None:
    assert set(TOOLS) == {
        "move_session",
        "add_race_result",
        "set_goal_race",
        "log_activity",
        "save_reflection",
        "save_activity_note",
        "coaching_question",
        "update_profile",
        "adjust_session",
        "remember",
        "report_health",
    }
    for tool in TOOLS.values():
        params = tool.spec.parameters
        assert params["additionalProperties"] is False
        assert "athlete_id" not in params["properties"]
        assert tool.spec.description


def test_validation_names_the_field() -> None:
    schema = TOOLS["log_activity"].spec.parameters
    with pytest.raises(ToolArgumentError, match="athlete_id"):
        validate_arguments(
            schema,
            {"athlete_id": "bob", "activity_type": "run", "duration": 5, "intensity": "easy"},
        )
    with pytest.raises(ToolArgumentError, match="duration must be at most 600"):
        validate_arguments(schema, {"activity_type": "run", "duration": 900, "intensity": "easy"})
    with pytest.raises(ToolArgumentError, match="intensity must be one of"):
        validate_arguments(schema, {"activity_type": "run", "duration": 5, "intensity": "meh"})
    with pytest.raises(ToolArgumentError, match="missing argument"):
        validate_arguments(schema, {"activity_type": "run"})
    ok = validate_arguments(schema, {"activity_type": "Run", "duration": "45", "intensity": "EASY"})
    assert ok == {"activity_type": "run", "duration": 45, "intensity": "easy"}


def test_log_activity_is_idempotent_and_scoped(ctx: ToolContext) -> None:
    first = call(ctx, "log_activity", activity_type="strength", duration=60, intensity="hard")
    again = call(ctx, "log_activity", activity_type="strength", duration=60, intensity="hard")
    assert first.startswith("ok: Logged 60min strength (hard) on Tue Mar 3")
    assert again.startswith("ok: Already had")
    storage = ctx.app.storage
    lo, hi = at(TUE, 0), at(TUE, 23, 59)
    assert len([a for a in storage.list_activities("adam", lo, hi) if a.source == "chat"]) == 1
    assert [a.activity_id for a in storage.list_activities("bob", lo, hi)] == ["bob-run"]


def test_log_activity_refuses_the_future_and_the_distant_past(ctx: ToolContext) -> None:
    with pytest.raises(ToolArgumentError, match="within the last 14 days"):
        call(
            ctx,
            "log_activity",
            activity_type="run",
            duration=30,
            intensity="easy",
            day="2026-01-01",
        )
    with pytest.raises(ToolArgumentError, match="within the last 14 days"):
        call(
            ctx, "log_activity", activity_type="run", duration=30, intensity="easy", day="tomorrow"
        )


def test_notes_only_on_own_activities(ctx: ToolContext) -> None:
    assert call(ctx, "save_activity_note", text="felt hard").startswith(
        "ok: note saved on activity adam-run"
    )
    with pytest.raises(ToolArgumentError, match="no activity 'bob-run' for this athlete"):
        call(ctx, "save_activity_note", text="pwned", activity_id="bob-run")
    assert ctx.app.storage.list_notes("bob", "bob-run") == []
    no_context = dataclasses.replace(ctx, activity_id=None)
    with pytest.raises(ToolArgumentError, match="save a reflection instead"):
        call(no_context, "save_activity_note", text="felt hard")


def test_update_profile_fields(ctx: ToolContext) -> None:
    call(ctx, "update_profile", field="max_hr", value="186 bpm")
    call(ctx, "update_profile", field="long_run_day", value="Sundays")
    call(ctx, "update_profile", field="unavailable_days", value="tuesday and thursday")
    call(ctx, "update_profile", field="coaching_style", value="tough love")
    call(ctx, "update_profile", field="injuries", value="sore left achilles")
    profile = ctx.app.storage.get_athlete("adam")
    assert profile.heart_rate.max_hr == 186
    assert running_profile(profile).long_run_day is Weekday.SUN
    assert set(profile.unavailable_days) == {Weekday.TUE, Weekday.THU}
    assert profile.coaching_style is CoachingStyle.TOUGH_LOVE
    assert profile.injuries == ("sore left achilles",)
    with pytest.raises(ToolArgumentError, match="between 120 and 230"):
        call(ctx, "update_profile", field="max_hr", value="999")
    with pytest.raises(ToolArgumentError, match="field must be one of"):
        call(ctx, "update_profile", field="chat_user_id", value="U999")
    assert ctx.app.storage.get_athlete("bob").heart_rate.max_hr == 182


def test_coaching_question_returns_facts(ctx: ToolContext) -> None:
    facts = call(ctx, "coaching_question", question="should I rest?", topic="rest")
    assert "topic: rest" in facts and "planned today: Strength (60min)" in facts
    assert "Tue: 40min Run" in facts


def test_remember_and_reflection(ctx: ToolContext) -> None:
    call(ctx, "remember", section="enjoys", text="Trail runs with the dog", tag="dog")
    call(ctx, "remember", section="enjoys", text="Trail runs with the dog!", tag="dog")
    items = ctx.app.storage.list_memory("adam")
    assert len(items) == 1 and items[0].text == "Trail runs with the dog!"
    call(ctx, "save_reflection", text="Work is busy this week")
    assert ctx.app.storage.list_memory("bob") == []


def test_parse_day() -> None:
    assert parse_day("today", TUE) == TUE
    assert parse_day("Yesterday", TUE) == TUE - dt.timedelta(days=1)
    assert parse_day("sat", TUE) == dt.date(2026, 3, 7)
    assert parse_day("monday", TUE) == dt.date(2026, 3, 9)
    assert parse_day("monday", TUE, future=False) == dt.date(2026, 3, 2)
    with pytest.raises(ToolArgumentError, match="not a day"):
        parse_day("someday", TUE)
