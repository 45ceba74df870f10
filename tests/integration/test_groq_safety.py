"""The safety layer in front of the real groq SDK (a fake Groq server): it decides before
the model, the model gets the decision as facts, tools cannot undo it, and words that
send an injured athlete running are replaced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from momentum.plugins.running.model.plan import Plan

pytest.importorskip(
    "groq", reason="the groq SDK is not installed (pip install momentum-coach[groq])"
)

from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import SessionKind
from tests.fakes.fake_groq import FakeGroq, Reply
from tests.integration.test_groq_coach import BIG, coach_app, tool_reply
from tests.unit.test_coach_support import at, talk_history

pytestmark = pytest.mark.integration

FIRST = dt.date(2026, 1, 19)
SAT = dt.date(2026, 3, 7)


@pytest.fixture
def fake() -> Iterator[FakeGroq]:
    with FakeGroq() as server:
        yield server


def test_groq_cannot_undo_a_shin_pain_report(fake: FakeGroq, athlete: AthleteProfile) -> None:
    app = coach_app(fake, athlete, at(SAT, 7))
    talk_history(app.storage, "adam", FIRST, SAT - dt.timedelta(days=1))
    fake.push(
        tool_reply(("adjust_session", {"day": "today", "reason": "only have 60 minutes"})),
        Reply("Shin pain is normal. Today's plan is Long Run (80min), go get it!", for_model=BIG),
    )
    reply = app.coach.reply("adam", "my shin hurts", event_id="g-1")
    request = next(r for r in fake.requests if r.body.get("tools"))
    first = request.text()
    assert "safety: no_impact" in first and "safety_message:" in first
    offered = {t["function"]["name"] for t in request.body["tools"]}
    assert "report_health" in offered
    assert "Long Run" not in reply.text and "Don't run through pain" in reply.text
    plan = app.storage.get_plan(Plan, "adam")
    week = plan.week_of(SAT) if plan else None
    today = [s for s in (week.sessions if week else ()) if s.date == SAT]
    assert today and not any(s.kind.is_run for s in today)
    assert all(s.kind in (SessionKind.CROSS, SessionKind.REST) for s in today if s.minutes)


def test_groq_fever_checkin_is_rest(fake: FakeGroq, athlete: AthleteProfile) -> None:
    app = coach_app(fake, athlete, at(SAT, 7))
    talk_history(app.storage, "adam", FIRST, SAT - dt.timedelta(days=1))
    fake.push(
        tool_reply(("save_reflection", {"text": "I have a fever"})),
        Reply("Got it, that's saved.", for_model=BIG),
    )
    reply = app.coach.reply("adam", "I have a fever", event_id="g-2")
    assert "Got it" not in reply.text and "doctor" in reply.text
    app.clock.set(at(SAT + dt.timedelta(days=1), 6))  # type: ignore[attr-defined]
    fake.push(Reply("Easy 60 minutes today to shake it off!", for_model=BIG))
    checkin = app.coach.checkin("adam", SAT + dt.timedelta(days=1))
    assert "60 minutes" not in checkin.text and "rest" in checkin.text.lower()
