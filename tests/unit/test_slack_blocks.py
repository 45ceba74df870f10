"""Block Kit rendering: the weekly tree in the talk's shape, the day menus, Slack's limits
(checked by the same validator the fake Slack uses) and mrkdwn escaping."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.slack import blocks
from momentum.adapters.slack.mrkdwn import SECTION_LIMIT, split_sections, to_mrkdwn
from momentum.core.model import Activity, LLMUsage
from momentum.plugins.running.model.plan import PlannedSession, SessionKind, SessionStatus
from momentum.plugins.running.plans import DayStatus, WeekStatus
from tests.fakes.fake_slack import check_blocks

MONDAY = dt.date(2026, 2, 16)


def _d(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def _run(day: int, minutes: int, ef: float | None = None, **kw) -> Activity:
    return Activity(
        f"a{day}",
        "adam",
        "Run",
        dt.datetime.combine(_d(day), dt.time(12), dt.UTC),
        moving_time_seconds=minutes * 60.0,
        core_ef=ef,
        **kw,
    )


def talk_week() -> WeekStatus:
    """Feb 16–22 from the talk's review screenshot."""
    easy = PlannedSession(_d(0), SessionKind.EASY, 60)
    strength = PlannedSession(_d(3), SessionKind.STRENGTH, 60)
    long_run = PlannedSession(_d(5), SessionKind.LONG, 105, title="Long Run (1:45-2:00)")
    sunday = PlannedSession(_d(6), SessionKind.EASY, 45, zone="Z2")
    days = (
        DayStatus(_d(0), easy, (_run(0, 72, 1.01),), "done", (easy,)),
        DayStatus(_d(1), None),
        DayStatus(_d(2), None, (_run(2, 46, 0.98, activity_subtype="Indoor"),), "extra"),
        DayStatus(_d(3), strength, (), "planned", (strength,)),
        DayStatus(_d(4), None),
        DayStatus(_d(5), long_run, (), "planned", (long_run,)),
        DayStatus(_d(6), sunday, (), "planned", (sunday,)),
    )
    mvw = {"runs": (2, 3), "long_run": (0, 1), "strength": (0, 1)}
    return WeekStatus(MONDAY, days, 118, 300, mvw)


def test_the_weekly_tree_reads_like_the_talk():
    text = blocks.week_text(talk_week(), _d(2))
    assert text.splitlines() == [
        "Week of Feb 16–22",
        "Aerobic: 1:58h / 5:00h",
        "└─ ✓ Mon - 1:12 Run - EF: 1.01",
        "└─ — Tue",
        "└─ + Wed - 46min Run (treadmill) - EF: 0.98  ← today",
        "└─ ○ Thu - Strength (60min)",
        "└─ — Fri",
        "└─ ○ Sat - Long Run (1:45-2:00)",
        "└─ ○ Sun - 45min Z2 Run",
        "MVW: 3 runs ✓✓○ | Long Run ○ | Strength ○",
    ]


def test_week_blocks_fit_slacks_limits_and_carry_menus_only_where_useful():
    text, rendered = blocks.week_blocks(talk_week(), _d(2))
    assert check_blocks(rendered) == ""
    assert text == blocks.week_text(talk_week(), _d(2))
    days = rendered[2:9]
    menus = {b["text"]["text"][3:8]: b.get("accessory") for b in days}
    assert menus["✓ Mon"] is None  # done
    assert menus["— Tue"] is None  # rest
    thursday = menus["○ Thu"]
    values = [o["value"] for o in thursday["options"]]
    # Thursday is ahead of today: no "done" yet, swaps with the days still to come
    assert values == [
        "swap:2026-02-19:2026-02-18",
        "swap:2026-02-19:2026-02-20",
        "swap:2026-02-19:2026-02-21",
        "swap:2026-02-19:2026-02-22",
    ]
    labels = [o["text"]["text"] for o in thursday["options"]]
    assert labels == ["→ Move to Wed", "→ Move to Fri", "⇄ Swap with Sat", "⇄ Swap with Sun"]


def test_a_missed_day_can_be_marked_done_but_not_moved_into_the_past():
    easy = PlannedSession(_d(0), SessionKind.EASY, 45)
    week = WeekStatus(
        MONDAY,
        (
            DayStatus(_d(0), easy, (), "missed", (easy,)),
            *(DayStatus(_d(i), None) for i in range(1, 7)),
        ),
    )
    _, rendered = blocks.week_blocks(week, _d(6))
    monday = rendered[2]["accessory"]
    assert monday["type"] == "overflow"
    assert [o["value"] for o in monday["options"]] == [
        "done:2026-02-16",
        "swap:2026-02-16:2026-02-22",
    ]
    _, static = blocks.week_blocks(week, _d(6), interactive=False)
    assert all("accessory" not in b for b in static)


def test_assumed_and_double_sessions_are_shown():
    run = PlannedSession(_d(0), SessionKind.EASY, 45, status=SessionStatus.ASSUMED)
    lift = PlannedSession(_d(0), SessionKind.STRENGTH, 30)
    day = DayStatus(_d(0), run, (), "done", (run, lift), assumed=True)
    assert blocks.day_line(day, _d(3)) == "✓ Mon - 45min Run + Strength (30min) (assumed)"


def test_headlines_and_durations():
    assert blocks.week_title(dt.date(2026, 2, 23)) == "Week of Feb 23–Mar 1"
    assert [blocks.duration(m) for m in (5, 48, 60, 72, 121)] == [
        "5min",
        "48min",
        "1:00",
        "1:12",
        "2:01",
    ]
    assert blocks.hours(210) == "3:30h"
    assert blocks.bar(150, 300) == "▓▓▓▓▓░░░░░" and blocks.bar(5, 0) == "░" * 10


def test_usage_totals_by_model():
    at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    usage = [
        LLMUsage("1", "adam", at, "groq", "gpt-oss-120b", "review", 1000, 100, 900, 0.002),
        LLMUsage("2", "adam", at, "groq", "gpt-oss-20b", "chat", 500, 50, 300, 0.0005),
        LLMUsage("3", "adam", at, "offline", "composer", "chat", 0, 0, 1, 0.0, ok=False),
    ]
    text, rendered = blocks.usage_blocks(usage, "March 2026")
    assert text == (
        "Model usage, March 2026: 3 model calls (1 failed), 1,500 tokens in, 150 out, "
        "$0.0025, average 0.4 s"
    )
    assert check_blocks(rendered) == ""
    assert "groq/gpt-oss-120b: 1 calls, $0.0020" in rendered[-1]["elements"][0]["text"]


def test_help_lists_every_subcommand():
    text, rendered = blocks.help_blocks()
    for word in ("plan", "week", "usage", "help"):
        assert f"/momentum {word}" in text
    assert check_blocks(rendered) == ""


def test_coach_dms_get_quick_actions():
    rendered = blocks.message_blocks("Nice run.", quick_actions=True)
    assert rendered[-1]["type"] == "actions"
    assert [e["action_id"] for e in rendered[-1]["elements"]] == [
        blocks.ACTION_SHOW_WEEK,
        blocks.ACTION_SHOW_PLAN,
    ]


# -- mrkdwn --------------------------------------------------------------------------------


def test_markdown_becomes_mrkdwn():
    assert to_mrkdwn("**Great work** on [the run](https://strava.com/a/1) & more") == (
        "*Great work* on <https://strava.com/a/1|the run> &amp; more"
    )
    assert to_mrkdwn("## Week of Feb 16\n<!channel> hi") == "*Week of Feb 16*\n&lt;!channel&gt; hi"


@given(st.text())
def test_model_text_can_never_inject_slack_markup(text):
    out = to_mrkdwn(text.replace("](", ""))  # no Markdown links: no angle brackets at all
    assert "<" not in out and ">" not in out


@given(st.text(min_size=0, max_size=9000))
def test_long_messages_split_into_valid_sections(text):
    rendered = blocks.message_blocks(text)
    assert check_blocks(rendered) == "" or not rendered
    pieces = split_sections(to_mrkdwn(text))
    assert all(0 < len(p) <= SECTION_LIMIT for p in pieces)
    assert "".join(pieces).split() == to_mrkdwn(text).split()
