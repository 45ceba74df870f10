"""Adaptive Cards for Teams: drawn from core's presentation, so a card, its fallback text
and the coach's own messages print the same figures. The week is the demo athlete's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from momentum.adapters.local.demo.script import PLAN_DAY
from momentum.adapters.local.demo.sync import HistorySync
from momentum.adapters.teams.cards import message_card, plan_card, week_card
from momentum.adapters.teams.work import screen
from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion
from momentum.plugins.running.coach.render import aerobic_line, mvw_line, mvw_ticks, week_tree
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import build_plan, week_status
from tests.unit.test_simulator_history import default_history

pytestmark = pytest.mark.teams
THURSDAY = dt.datetime(2026, 2, 19, 17, 0, tzinfo=dt.UTC)  # noon in Toronto


@pytest.fixture(scope="module")
def demo() -> tuple[App, Plan]:
    """The demo athlete's coach on Thursday of the plan's third week."""
    history = default_history()
    athlete = history.athlete
    app = build_app(
        Settings(),
        storage=InMemoryStorage(),
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=ScriptedModel(
            respond=lambda r: Completion(text="Good work.", model="scripted", provider="test")
        ),
        clock=FixedClock(THURSDAY),
        plugins=load_plugins(),
    )
    app.storage.put_athlete(athlete)
    HistorySync(app, history).until(THURSDAY)
    start = THURSDAY - dt.timedelta(days=120)
    activities = app.storage.list_activities(athlete.athlete_id, start, THURSDAY)
    plan = build_plan(athlete, activities, (), PLAN_DAY)
    app.storage.put_plan(plan, expected_version=0)
    return app, plan


def _texts(card: dict) -> list[str]:
    return [block["text"] for block in card["body"]]


def test_the_week_card_is_core_s_week_picture(demo: tuple[App, Plan]) -> None:
    app, plan = demo
    athlete = app.storage.list_athletes()[0]
    text, card = screen(app, athlete, "week")
    today = dt.date(2026, 2, 19)
    monday = dt.date(2026, 2, 16)
    activities = app.storage.list_activities(
        athlete.athlete_id, THURSDAY - dt.timedelta(days=4), THURSDAY
    )
    status = week_status(plan, activities, today, timezone=athlete.timezone)
    assert status.start == monday
    tree = week_tree(status, plan.mvw)
    assert len(tree) == 7 and any(line.startswith("├─ ✓") for line in tree)
    expected = [
        "Week of Feb 16–22",
        aerobic_line(status),
        *tree,
        mvw_line(mvw_ticks(status, plan.mvw)),
    ]
    assert text == "\n".join(expected)
    title, aerobic, picture, ticks = _texts(card)
    assert (title, aerobic, ticks) == (expected[0], expected[1], expected[-1])
    assert picture.split("\n\n") == tree
    assert "█" in aerobic  # the Aerobic bar
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["fallbackText"] == text
    json.dumps(card)  # it is plain JSON


def test_the_check_in_prints_the_same_figures_as_the_card(demo: tuple[App, Plan]) -> None:
    app, _ = demo
    athlete = app.storage.list_athletes()[0]
    text, _ = screen(app, athlete, "week")
    message = app.coach.checkin(athlete.athlete_id, dt.date(2026, 2, 19))
    aerobic = text.splitlines()[1]
    assert aerobic in message.display
    card = message_card(message.display)
    monospace = [b["text"] for b in card["body"] if b.get("fontType") == "Monospace"]
    assert any(aerobic in block for block in monospace)
    assert card["fallbackText"] == message.display


def test_the_plan_card_names_the_phases_and_ends_with_the_week(demo: tuple[App, Plan]) -> None:
    app, plan = demo
    athlete = app.storage.list_athletes()[0]
    text, card = screen(app, athlete, "plan")
    assert text.endswith(screen(app, athlete, "week")[0])
    assert any(phase.name in text for phase in plan.phases)
    assert "▶" in text and "Minimum Viable Week:" in text
    assert _texts(card)[0] == "Your plan"


def test_no_plan_yet_is_said_plainly() -> None:
    status = week_status(None, (), dt.date(2026, 3, 3))
    text, card = plan_card(None, status, dt.date(2026, 3, 3))
    assert text.startswith("No plan yet") and card["fallbackText"] == text


def test_a_message_card_keeps_words_and_picture_apart() -> None:
    text = "Morning!\n\nAerobic: 1:00h / 5:00h ██░░░░░░░░\n├─ ✓ Mon - 48min Run\n\nGo easy."
    card = message_card(text)
    assert _texts(card) == [
        "Morning!",
        "Aerobic: 1:00h / 5:00h ██░░░░░░░░\n\n├─ ✓ Mon - 48min Run",
        "Go easy.",
    ]
    assert card["body"][1]["fontType"] == "Monospace"


def test_changes_to_the_week_are_listed(demo: tuple[App, Plan]) -> None:
    _app, plan = demo
    status = week_status(plan, (), dt.date(2026, 2, 19))
    changed = dataclasses.replace(status, changes=("Wed moved to Thu",))
    _, card = week_card(changed, plan, dt.date(2026, 2, 19))
    assert _texts(card)[-1] == "Changed: Wed moved to Thu"
