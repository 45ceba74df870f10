"""The code-rendered pictures: the week tree, the aerobic bar, MVW ticks, fitness line."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.running.activity_metrics import with_running_metrics
from momentum.plugins.running.coach.render import (
    activity_header,
    aerobic_line,
    bar,
    fitness_line,
    gap_picture,
    mvw_line,
    mvw_ticks,
    week_picture,
    week_tree,
)
from momentum.plugins.running.model.plan import MinimumViableWeek, PlannedSession, SessionKind
from momentum.plugins.running.plans import DayStatus, WeekStatus
from tests.unit.test_coach_support import run, strength

MON = dt.date(2026, 2, 16)
MVW = MinimumViableWeek()


def talk_week() -> WeekStatus:
    """The talk's post-run review week (Feb 16–22, reviewed on Wednesday)."""
    d = [MON + dt.timedelta(days=i) for i in range(7)]
    mon = run("adam", d[0], 72, core_ef=1.01)
    wed = run("adam", d[2], 46, indoor=True, core_ef=0.98, activity_id="iqp2upoi")
    days = (
        DayStatus(d[0], PlannedSession(d[0], SessionKind.EASY, 70), (mon,), "done"),
        DayStatus(d[1], None),
        DayStatus(d[2], PlannedSession(d[2], SessionKind.EASY, 45), (wed,), "done"),
        DayStatus(d[3], PlannedSession(d[3], SessionKind.STRENGTH, 60), (), "planned"),
        DayStatus(d[4], None),
        DayStatus(
            d[5],
            PlannedSession(d[5], SessionKind.LONG, 105, title="Long Run (1:45-2:00)"),
            (),
            "planned",
        ),
        DayStatus(d[6], PlannedSession(d[6], SessionKind.EASY, 45, zone="Z2"), (), "planned"),
    )
    return WeekStatus(
        MON,
        days,
        aerobic_minutes_done=118,
        aerobic_minutes_planned=300,
        mvw={"runs": (2, 3), "long_run": (0, 1), "strength": (0, 1)},
    )


def test_the_talks_week_tree() -> None:
    lines = week_tree(talk_week(), MVW, highlight="iqp2upoi")
    assert lines == [
        "├─ ✓ Mon - 1:12 Run - EF: 1.01",
        "├─ — Tue",
        "├─ ✓ Wed - 46min Run - EF: 0.98 ← just now",
        "├─ ○ Thu - Strength (60min)",
        "├─ — Fri",
        "├─ ○ Sat - Long Run (1:45-2:00)",
        "└─ ○ Sun - 45min Z2 Run",
    ]


def test_aerobic_bar_mvw_and_fitness_lines() -> None:
    status = talk_week()
    assert aerobic_line(status) == "Aerobic: 1:58h / 5:00h ████░░░░░░"
    assert mvw_line(mvw_ticks(status, MVW)) == "MVW: 3 runs ✓✓○ | Long Run ○ | Strength ○"
    assert fitness_line(5.2, "building") == "Fitness: ↑ +5% (30d) | Durability: building"
    assert fitness_line(-3, "slipping").startswith("Fitness: ↓ -3%")
    assert fitness_line(0.4, "steady").startswith("Fitness: → 0%")


def test_full_picture_order() -> None:
    text = week_picture(talk_week(), MVW, fitness="Fitness: ↑ +5% (30d) | Durability: building")
    lines = text.splitlines()
    assert lines[0] == "*Week of Feb 16–22*"
    assert lines[1].startswith("Aerobic:")
    assert lines[-2].startswith("MVW:") and lines[-1].startswith("Fitness:")


def test_missed_and_extra_days() -> None:
    d = MON
    status = WeekStatus(
        MON,
        (
            DayStatus(
                d, PlannedSession(d, SessionKind.EASY, 45, title="45min Z1-Z2 Run"), (), "missed"
            ),
            DayStatus(
                d + dt.timedelta(days=1),
                None,
                (strength("adam", d + dt.timedelta(days=1)),),
                "extra",
            ),
        ),
    )
    lines = week_tree(status, MVW)
    assert lines[0] == "├─ · Mon - 45min Z1-Z2 Run (skipped)"
    assert lines[1] == "└─ ✓ Tue - 1:00 Strength (extra)"


def test_counted_ticks_when_status_has_none() -> None:
    d = [MON + dt.timedelta(days=i) for i in range(7)]
    acts = (run("adam", d[0], 45), run("adam", d[5], 95), strength("adam", d[6]))
    status = WeekStatus(
        MON, tuple(DayStatus(x, None, (a,), "extra") for x, a in zip(d, acts, strict=False))
    )
    ticks = mvw_ticks(status, MVW)
    assert ticks.runs == (2, 3) and ticks.long_run == (1, 1) and ticks.strength == (1, 1)


def test_fragile_picture_has_no_bars() -> None:
    text = gap_picture(3, (True, False, False, True, False, False, False))
    assert text == "⚠ Last run: 3 days ago\nLast 7 days: 2/7 ●○○●○○○"
    assert "█" not in text and "Aerobic" not in text


def test_activity_header_like_the_talk() -> None:
    activity = run(
        "adam", MON + dt.timedelta(days=2), 46, indoor=True, core_ef=0.98, name="Evening Run"
    )
    activity = with_running_metrics(
        dataclasses.replace(activity, distance_meters=4400, avg_incline=8.5), gap_seconds_per_km=636
    )
    lines = activity_header(activity)
    assert lines[0] == "*Latest activity: Evening Run* (treadmill)"
    assert lines[1] == (
        "Distance: 4.40 km · Duration: 46min · Pace: 10:27 min/km (GAP: 10:36 min/km) · Grade: 8.5%"
    )
    assert lines[2].startswith("Core EF: 0.98 (41min steady-state)")
    assert lines[3].startswith("HR Zones: Z1: 5min, Z2:")


def test_untrusted_titles_are_defused_for_chat() -> None:
    activity = run("adam", MON, 30, name="@channel free pizza https://evil.example/x <!here>")
    header = activity_header(activity)[0]
    assert "@channel" not in header and "evil.example" not in header and "<!here>" not in header


@given(st.floats(0, 1000), st.floats(1, 1000))
def test_bar_is_always_ten_cells(done: float, planned: float) -> None:
    drawn = bar(done, planned)
    assert len(drawn) == 10 and set(drawn) <= {"█", "░"}
