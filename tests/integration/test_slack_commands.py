"""``/momentum plan|week|usage|help`` and the weekly tree's buttons, over HTTP on loopback
with the real slack_bolt and slack_sdk, the real plan status (``momentum.plugins.running.plans``)
and the
coach's own ``log_activity`` tool. Every message the fake Slack accepts has passed its
Block Kit checks (block count, section length, overflow options)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from momentum.adapters.slack.blocks import ACTION_SHOW_WEEK
from momentum.core.memory import InMemoryScheduler
from momentum.core.model import LLMUsage
from momentum.plugins.running.model.plan import (
    MinimumViableWeek,
    Phase,
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
)
from tests.fakes.fake_slack import (
    FakeSlack,
    RecordingCoach,
    block_action,
    build_slack_app,
    command_fields,
    form_body,
    interaction_body,
    signed_headers,
    slack_request,
)

pytestmark = pytest.mark.integration

USER = "U123ADAM"
MONDAY = dt.date(2026, 3, 2)  # the fixed clock is Tuesday 3 March 2026, 06:00 in Toronto


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def the_plan() -> Plan:
    sessions = (
        PlannedSession(_day(0), SessionKind.EASY, 45, zone="Z1-Z2"),
        PlannedSession(_day(1), SessionKind.STRENGTH, 60),
        PlannedSession(_day(3), SessionKind.EASY, 45, zone="Z1-Z2"),
        PlannedSession(_day(4), SessionKind.EASY, 30, zone="Z1", optional=True),
        PlannedSession(_day(5), SessionKind.LONG, 120),
        PlannedSession(_day(6), SessionKind.EASY, 60, zone="Z1-Z2"),
    )
    return Plan(
        athlete_id="adam",
        created=dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC),
        phases=(
            Phase("Fall Reset", dt.date(2025, 10, 1), dt.date(2025, 12, 31), "rebuild"),
            Phase("Winter Engine", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "diesel building"),
            Phase("Spring Specificity", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "trails"),
        ),
        mvw=MinimumViableWeek(),
        weeks=(PlanWeek(MONDAY, "Winter Engine", sessions),),
        goal="Monster of Mazinaw 30K Trail",
        timezone="America/Toronto",
    )


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def app(fake_slack, clock, athlete):
    app = build_slack_app(fake_slack, clock, [athlete], coach=RecordingCoach())
    app.storage.put_plan(the_plan())
    return app


def _now(app) -> int:
    return int(app.clock.now().timestamp())


def command(app, text: str, *, user: str = USER, channel: str = "C0GENERAL"):
    body = form_body(command_fields(text, user, channel))
    headers = signed_headers(body, _now(app), content_type="application/x-www-form-urlencoded")
    return app.handle_http(slack_request(body, headers))


def click(app, action: dict, message_ts: str, *, user: str = USER):
    payload = block_action(user, action, FakeSlack.dm_channel(user), message_ts)
    body = interaction_body(payload)
    headers = signed_headers(body, _now(app), content_type="application/x-www-form-urlencoded")
    return app.handle_http(slack_request(body, headers))


def drain(app) -> int:
    assert isinstance(app.scheduler, InMemoryScheduler)
    return app.scheduler.run_pending()


def posted(fake_slack) -> list:
    """Web API calls other than Bolt's one-off ``auth.test``."""
    return [call for call in fake_slack.calls if call[0] != "auth.test"]


def dm(fake_slack):
    return fake_slack.in_channel(fake_slack.dm_channel(USER))


# -- slash commands -------------------------------------------------------------------------


def test_help_is_answered_in_the_ack_and_shows_no_athlete_data(app, fake_slack):
    response = command(app, "help")
    assert response.status == 200
    body = json.loads(response.body)
    assert body["response_type"] == "ephemeral"
    assert "/momentum week" in body["text"] and "/momentum usage" in body["text"]
    assert posted(fake_slack) == []


def test_an_unknown_word_gets_help(app):
    body = json.loads(command(app, "sprint").body)
    assert "I don't know `sprint`" in body["text"]


def test_week_goes_to_the_dm_as_the_weekly_tree(app, fake_slack):
    response = command(app, "week")
    assert json.loads(response.body)["text"] == "On its way to our DM."
    assert posted(fake_slack) == []  # acked before any Slack call

    assert drain(app) == 1
    [week] = dm(fake_slack)
    assert fake_slack.in_channel("C0GENERAL") == []
    lines = week.text.splitlines()
    assert lines[0] == "Week of Mar 2–8"
    assert lines[1] == "Aerobic: 0:00h / 5:00h"
    assert "└─ ✗ Mon - 45min Z1-Z2 Run" in lines  # Monday has passed, nothing recorded
    assert "└─ ○ Tue - Strength (60min)  ← today" in lines
    assert "└─ — Wed" in lines
    assert "└─ ○ Sat - Long Run (120min)" in lines
    assert lines[-1] == "MVW: 3 runs ○○○ | Long Run ○ | Strength ○"

    header, _aerobic, *days = week.blocks[:9]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Week of Mar 2–8", "emoji": True},
    }
    menus = {d["text"]["text"].split(" - ")[0]: d.get("accessory") for d in days}
    tuesday = menus["└─ ○ Tue"]
    assert tuesday["type"] == "overflow"
    values = [o["value"] for o in tuesday["options"]]
    assert values[0] == "done:2026-03-03"
    assert "swap:2026-03-03:2026-03-04" in values
    assert menus["└─ — Wed"] is None
    assert menus["└─ ✗ Mon"]["type"] in ("overflow", "button")  # a missed day can be logged


def test_the_command_from_the_dm_needs_no_pointer(app, fake_slack):
    response = command(app, "week", channel=FakeSlack.dm_channel(USER))
    assert response.status == 200 and response.body == b""
    drain(app)
    assert dm(fake_slack)[0].text.startswith("Week of")


def test_plan_shows_goal_phases_and_the_minimum_viable_week(app, fake_slack):
    command(app, "plan")
    drain(app)
    [plan] = dm(fake_slack)
    assert "Monster of Mazinaw 30K Trail" in plan.text
    assert "✓ *Fall Reset*" in plan.text and "▶ *Winter Engine*" in plan.text
    assert "diesel building" in plan.text
    assert "3× 45–60 min Z2" in plan.text
    assert plan.blocks[0]["text"]["text"] == "Your plan"


def test_usage_sums_this_months_model_calls(app, fake_slack):
    for i, (cost, ok) in enumerate([(0.0012, True), (0.0030, True), (0.0, False)]):
        app.storage.put_usage(
            LLMUsage(
                f"u{i}",
                "adam",
                dt.datetime(2026, 3, 2, 12, i, tzinfo=dt.UTC),
                "groq",
                "openai/gpt-oss-120b",
                "chat",
                900,
                120,
                800.0,
                cost,
                ok=ok,
            )
        )
    app.storage.put_usage(  # last month: not counted
        LLMUsage(
            "old",
            "adam",
            dt.datetime(2026, 2, 20, tzinfo=dt.UTC),
            "groq",
            "m",
            "chat",
            1,
            1,
            1.0,
            9.0,
        )
    )
    command(app, "usage")
    drain(app)
    [usage] = dm(fake_slack)
    assert usage.text.startswith("Model usage, March 2026: 3 model calls (1 failed)")
    assert "$0.0042" in usage.text


def test_strangers_get_a_polite_ephemeral_answer_and_nothing_else(app, fake_slack):
    body = json.loads(command(app, "week", user="U999").body)
    assert "U999" in body["text"] and body["response_type"] == "ephemeral"
    assert posted(fake_slack) == []
    assert drain(app) == 0


def test_a_command_body_without_its_fields_gets_400(app):
    body = form_body({"command": "/momentum", "text": "week"})
    headers = signed_headers(body, _now(app), content_type="application/x-www-form-urlencoded")
    response = app.handle_http(slack_request(body, headers))
    assert response.status == 400
    assert b"user_id" in response.body


# -- buttons --------------------------------------------------------------------------------


def _week_message(app, fake_slack):
    command(app, "week", channel=FakeSlack.dm_channel(USER))
    drain(app)
    return dm(fake_slack)[-1]


def _menu(message, day: str) -> dict:
    for block in message.blocks:
        if (
            block.get("text", {}).get("text", "").startswith("└─ ")
            and f" {day}" in (block["text"]["text"].split(" - ")[0])
        ):
            return block["accessory"]
    raise AssertionError(f"no menu for {day}")


def test_mark_done_logs_the_session_and_redraws_the_week(app, fake_slack):
    week = _week_message(app, fake_slack)
    menu = _menu(week, "Tue")
    action = {
        "type": "overflow",
        "action_id": menu["action_id"],
        "selected_option": menu["options"][0],
    }
    assert click(app, action, week.ts).status == 200
    assert drain(app) == 1

    start = dt.datetime(2026, 3, 3, 5, tzinfo=dt.UTC)
    [logged] = app.storage.list_activities("adam", start, start + dt.timedelta(days=1))
    assert logged.activity_type == "WeightTraining" and logged.moving_time_seconds == 3600
    [redrawn] = [m for m in dm(fake_slack) if m.ts == week.ts]
    assert "└─ ✓ Tue - 1:00 Strength" in redrawn.text
    assert "Marked Tuesday done" in json.dumps(redrawn.blocks)

    click(app, action, week.ts)  # a second press changes nothing
    drain(app)
    assert len(app.storage.list_activities("adam", start, start + dt.timedelta(days=1))) == 1


def test_swap_exchanges_two_days_in_the_stored_plan(app, fake_slack):
    week = _week_message(app, fake_slack)
    menu = _menu(week, "Thu")
    [swap] = [o for o in menu["options"] if o["value"] == "swap:2026-03-05:2026-03-04"]
    click(
        app, {"type": "overflow", "action_id": menu["action_id"], "selected_option": swap}, week.ts
    )
    drain(app)

    plan = app.storage.get_plan(Plan, "adam")
    assert plan is not None and plan.version == 2
    by_day = {s.date: s for s in plan.weeks[0].sessions}
    assert by_day[_day(2)].kind is SessionKind.EASY and by_day[_day(2)].minutes == 45
    assert _day(3) not in by_day
    [redrawn] = [m for m in dm(fake_slack) if m.ts == week.ts]
    assert "└─ ○ Wed - 45min Z1-Z2 Run" in redrawn.text
    assert "└─ — Thu" in redrawn.text


def test_quick_action_buttons_post_a_fresh_screen(app, fake_slack):
    action = {"type": "button", "action_id": ACTION_SHOW_WEEK, "value": "week"}
    click(app, action, "1772500000.000001")
    drain(app)
    [week] = dm(fake_slack)
    assert week.text.startswith("Week of Mar 2–8")


def test_a_bad_button_value_gets_a_short_explanation(app, fake_slack):
    action = {"type": "button", "action_id": "momentum_day_tue", "value": "done:yesterday"}
    click(app, action, "1772500000.000001")
    drain(app)
    [note] = dm(fake_slack)
    assert note.text.startswith("I couldn't do that: bad date")


def test_buttons_from_strangers_do_nothing(app, fake_slack):
    action = {"type": "button", "action_id": ACTION_SHOW_WEEK, "value": "week"}
    assert click(app, action, "1.1", user="U999").status == 200
    assert drain(app) == 0
    assert posted(fake_slack) == []
