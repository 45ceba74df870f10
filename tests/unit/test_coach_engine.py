"""The engine: stored once, never paid twice, delivered once, jobs, usage and budgets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from momentum.core.coach.tokens import estimate_tokens
from momentum.core.coach.usage import summarize
from momentum.core.config import Settings
from momentum.core.errors import NotFoundError
from momentum.core.events import ScheduledTick
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile, MessageKind
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion
from momentum.plugins.running.model.plan import Plan
from tests.unit.test_coach_support import (
    at,
    offline_app,
    plan_for,
    prompt_text,
    recording_model,
    run,
    talk_history,
)

FIRST = dt.date(2026, 1, 5)
MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def ready(athlete: AthleteProfile, when: dt.datetime, model=None, settings=None):  # type: ignore[no-untyped-def]
    clock = FixedClock(when)
    app = offline_app(athlete, clock, model=model, settings=settings)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
    talk_history(app.storage, "adam", FIRST, when.date() - dt.timedelta(days=1))
    return app


def dms(app) -> list[str]:  # type: ignore[no-untyped-def]
    chat = app.chat
    assert isinstance(chat, RecordingChat)
    return [m.channel for m in chat.messages]


def test_checkin_is_generated_once(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = ready(athlete, at(TUE, 6), model)
    first = app.coach.checkin("adam", TUE)
    again = app.coach.checkin("adam", TUE)
    assert first.message_id == "checkin:2026-03-03" and first.kind is MessageKind.CHECKIN
    assert again == first
    assert len(model.requests) == 1
    assert first.text == "Nice and steady. What made starting easy today?"
    assert first.model == "openai/gpt-oss-120b"


def test_review_is_never_paid_for_twice(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = ready(athlete, at(TUE, 19), model)
    app.storage.put_activity(run("adam", TUE, 46, activity_id="iqp2upoi", indoor=True, hour=18))
    review = app.coach.review("adam", "iqp2upoi")
    assert review.message_id == "review:iqp2upoi"
    assert "← just now" in review.rendered and "Load: +" in review.rendered
    app.coach.review("adam", "iqp2upoi")
    assert len(model.requests) == 1
    usage = app.storage.list_usage("adam", at(TUE, 0), at(TUE, 23))
    assert [u.purpose for u in usage] == ["review"]
    assert usage[0].cost_usd == pytest.approx((1500 * 0.15 + 120 * 0.60) / 1e6)


def test_unknown_activity_is_a_clear_error(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 19))
    with pytest.raises(NotFoundError, match="no activity 'nope'"):
        app.coach.review("adam", "nope")
    with pytest.raises(NotFoundError, match="no athlete 'zed'"):
        app.coach.checkin("zed", TUE)


def test_on_activity_reviews_and_delivers_once(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(MON, 19))
    app.storage.put_activity(run("adam", MON, 46, activity_id="new-run", hour=18))
    message = app.coach.on_activity("adam", "new-run")
    assert message.ref.startswith("dm:U123ADAM/")
    assert app.storage.get_message("adam", "review:new-run").ref == message.ref
    app.coach.on_activity("adam", "new-run")
    assert dms(app) == ["dm:U123ADAM"]
    week = app.storage.get_plan(Plan, "adam").week_of(MON)
    assert [s.status.value for s in week.sessions if s.activity_id == "new-run"] == ["done"]


def test_run_job_delivers_once_per_day(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 6))
    first = app.coach.run_job("checkin", "adam", TUE)
    again = app.coach.run_job("checkin", "adam", TUE)
    assert first.ref and again.ref == first.ref
    assert dms(app) == ["dm:U123ADAM"]
    with pytest.raises(NotFoundError, match="no coach job named 'dance'"):
        app.coach.run_job("dance", "adam", TUE)


def test_the_six_am_tick_sends_the_checkin(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 6, 5))
    fired = app.tick(ScheduledTick("*", at(TUE, 6, 5)))
    assert [run.job.name for run in fired] == ["checkin"]
    app.scheduler.runner = app.run_deferred  # the tick fanned the run out through Deferral
    app.scheduler.run_pending()
    assert app.storage.get_message("adam", "checkin:2026-03-03") is not None
    assert app.tick(ScheduledTick("*", at(TUE, 6, 10))) == []


def test_dm_goes_to_the_athlete_id_without_a_chat_user(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 6))
    app.storage.put_athlete(dataclasses.replace(athlete, chat_user_id=""))
    app.coach.run_job("checkin", "adam", TUE)
    assert dms(app) == ["dm:adam"]


def test_monday_plan_lays_out_the_week(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(MON, 6))
    message = app.coach.run_job("monday_plan", "adam", MON)
    assert (
        message.kind is MessageKind.MONDAY_PLAN and message.message_id == "monday_plan:2026-03-02"
    )
    assert "*Week of Mar 2–8*" in message.rendered
    assert "Phase: Winter Engine" in message.rendered
    assert "○ Sat - Long Run" in message.rendered


def test_weekly_refresh_refreshes_and_reviews(athlete: AthleteProfile) -> None:
    sunday = MON - dt.timedelta(days=1)
    app = ready(athlete, at(sunday, 21))
    app.storage.put_activity(run("adam", sunday, 60, hour=8))
    before = app.storage.get_plan(Plan, "adam")
    message = app.coach.run_job("weekly_refresh", "adam", sunday)
    assert message.message_id == "weekly_review:2026-02-23"
    assert message.kind is MessageKind.WEEKLY_REVIEW
    assert message.rendered.startswith("*Week of Feb 23–Mar 1: review*")
    assert "vs last week:" in message.rendered and "vs plan:" in message.rendered
    assert "Zones (runs):" in message.rendered
    assert app.storage.get_plan(Plan, "adam").version > before.version
    assert dms(app) == ["dm:U123ADAM"]


def test_weekly_review_flags_grey_zone_running(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 6))
    for i in range(3):
        day = dt.date(2026, 2, 23) + dt.timedelta(days=i)
        app.storage.put_activity(
            run("adam", day, 50, z3_share=0.5, activity_id=f"grey{i}", hour=12)
        )
    message = app.coach.weekly_review("adam", dt.date(2026, 2, 23))
    assert "⚠ Z3-heavy" in message.rendered
    assert "in Z3" in message.text


def test_feedback_has_three_parts(athlete: AthleteProfile) -> None:
    app = ready(athlete, at(TUE, 19))
    app.storage.put_activity(run("adam", TUE, 50, z3_share=0.35, activity_id="fb", hour=18))
    message = app.coach.feedback("adam", "fb")
    assert message.message_id == "feedback:fb" and message.kind is MessageKind.FEEDBACK
    assert "*Went well:*" in message.text and "*Watch:*" in message.text
    assert "*Next time:*" in message.text and "Z3" in message.text
    assert message.rendered.startswith("*Session feedback:")


def test_empty_model_words_fall_back_to_offline(athlete: AthleteProfile) -> None:
    model = ScriptedModel(respond=lambda r: Completion("  @channel  ", model="m", provider="groq"))
    app = ready(athlete, at(TUE, 6), model)
    message = app.coach.checkin("adam", TUE)
    assert message.model == "offline" and message.text


def test_checkin_prompt_stays_within_budget(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = ready(athlete, at(TUE, 6), model)
    for i in range(10):
        app.coach.reply(
            "adam", f"note {i}: legs felt fine, slept well, work was busy", event_id=f"n{i}"
        )
    model.requests.clear()
    app.coach.checkin("adam", TUE)
    [request] = model.requests
    assert estimate_tokens(prompt_text(request)) <= 2000


def test_usage_is_summarised_per_day_and_month(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = ready(athlete, at(TUE, 6), model)
    app.coach.checkin("adam", TUE)
    app.storage.put_activity(run("adam", TUE, 40, activity_id="u1", hour=7))
    app.coach.review("adam", "u1")
    records = app.storage.list_usage(None, at(TUE, 0), at(TUE, 23))
    summary = summarize(records)
    assert [row.key for row in summary.days] == ["2026-03-03"]
    assert summary.months[0].key == "2026-03" and summary.months[0].calls == 2
    assert summary.total.cost_usd == pytest.approx(2 * (1500 * 0.15 + 120 * 0.6) / 1e6)
    assert summary.models[0].key == "groq/openai/gpt-oss-120b"


def test_a_coach_project_can_override_one_template(athlete: AthleteProfile, tmp_path: Path) -> None:
    (tmp_path / "prompts" / "examples").mkdir(parents=True)
    (tmp_path / "prompts" / "examples" / "thriving.j2").write_text(
        "Thriving, pirate style: arr, {{ athlete }}, the sea be calm."
    )
    model = recording_model()
    app = ready(athlete, at(TUE, 6), model, settings=Settings(home=tmp_path))
    app.coach.checkin("adam", TUE)
    system = model.requests[-1].messages[0].content
    assert "pirate style: arr, Adam" in system
    assert "Principles:" in system  # the rest is still the built-in templates
