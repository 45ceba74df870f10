"""Like with like: aerobic time is compared with planned aerobic time, strength stands apart.

The talk's bar ``Aerobic: 2:48h / 5:00h`` is aerobic (running) minutes done against
aerobic minutes planned. A week of runs and strength must never compare runs plus
strength with planned running, in what the athlete reads or in what the model is fed.

The week under review (Feb 23–Mar 1, 2026) against the talk-style plan (Mon 45, Thu 45,
Fri 30 optional, Sat 120 long, Sun 60: 300 aerobic minutes; Tue strength 60):

* done: Mon run 45, Tue strength 60, Thu run 45, Sat run 100, Sun run 30 + strength 40
  → aerobic 220 min (3:40h), strength 2 sessions / 100 min, total 320 min (5:20h);
* last week (Feb 16–22): Mon 45, Thu 45, Sat 95, Sun 60 runs, no strength → 245 (4:05h).

The mixed figures would read 5:20h vs 5:00h planned (107%) and +31% on last week; the
right ones are 3:40h vs 5:00h (73%) and -10%.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.coach.state import MotivationState, StateAssessment
from momentum.core.model import AthleteProfile
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import CompletionRequest, ModelMessage
from momentum.plugins.running.coach import layouts
from momentum.plugins.running.coach.metrics import UNKNOWN_FITNESS as UNKNOWN
from momentum.plugins.running.coach.offline import OfflineComposer
from momentum.plugins.running.coach.render import momentum_text
from momentum.plugins.running.coach.volume import (
    Strength,
    fmt_duration,
    planned_strength,
    week_volume,
)
from momentum.plugins.running.plans import week_status
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

FIRST = dt.date(2026, 1, 5)
LAST_WEEK = dt.date(2026, 2, 16)
WEEK = dt.date(2026, 2, 23)
THU, SUN = WEEK + dt.timedelta(days=3), WEEK + dt.timedelta(days=6)


def mixed_week_app(athlete: AthleteProfile, when: dt.datetime, model=None):  # type: ignore[no-untyped-def]
    """The app with the module docstring's two weeks stored, up to ``when``."""
    app = offline_app(athlete, FixedClock(when), model=model)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
    talk_history(app.storage, "adam", FIRST, LAST_WEEK - dt.timedelta(days=1))
    d = [LAST_WEEK + dt.timedelta(days=i) for i in range(14)]
    done = [
        run("adam", d[0], 45),
        run("adam", d[3], 45),
        run("adam", d[5], 95, indoor=True),
        run("adam", d[6], 60),
        run("adam", d[7], 45),
        strength("adam", d[8], 60),
        run("adam", d[10], 45, activity_id="thu-run"),
        run("adam", d[12], 100, indoor=True),
        run("adam", d[13], 30, hour=8),
        strength("adam", d[13], 40, hour=17),
    ]
    for activity in done:
        if activity.start <= when:
            app.storage.put_activity(activity)
    return app


def test_weekly_review_compares_aerobic_with_planned_aerobic(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = mixed_week_app(athlete, at(SUN, 21), model)
    message = app.coach.weekly_review("adam", WEEK)
    rendered = message.rendered
    assert "Sessions: 6 (4 runs, 2 strength)" in rendered
    assert "Aerobic: 3:40h · vs last week: 4:05h (-10%) · vs plan: 5:00h (73%)" in rendered
    assert "Strength: 2 sessions, 1:40h (plan: 1 session, 60min)" in rendered
    # The mixed figures (runs + strength against planned running) appear nowhere.
    assert "5:20h" not in rendered and "107%" not in rendered and "+31%" not in rendered
    prompt = prompt_text(model.requests[0])
    for fact in (
        "aerobic_time: 3:40h",
        "aerobic_sessions: 4 runs",
        "aerobic_last_week: 4:05h",
        "change_vs_last: -10%",
        "aerobic_planned: 5:00h",
        "vs_plan: 73%",
        "strength: 2 sessions, 1:40h",
        "strength_planned: 1 session, 60min",
    ):
        assert fact in prompt, fact
    assert "5:20" not in prompt and "Total time" not in prompt
    assert "Aerobic: 3:40h of 5:00h planned | Strength: 2 sessions, 1:40h" in prompt


def test_next_week_is_aerobic_planned_with_strength_apart(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = mixed_week_app(athlete, at(SUN, 21), model)
    app.coach.weekly_review("adam", WEEK)
    prompt = prompt_text(model.requests[0])
    # Next week's plan: 300 aerobic minutes and a 60-minute strength session (6:00h in all).
    assert (
        "next_focus: Winter Engine, 5:00h aerobic planned for Mar 2–8 plus strength "
        "(1 session, 60min)" in prompt
    )
    assert "6:00h" not in prompt


def test_offline_weekly_words_use_the_aerobic_figures(athlete: AthleteProfile) -> None:
    app = mixed_week_app(athlete, at(SUN, 21))
    text = app.coach.weekly_review("adam", WEEK).text
    assert text.startswith(
        "*Week:* 3:40h aerobic over 4 runs, -10% on last week, against 5:00h planned (73%); "
        "strength: 2 sessions, 1:40h (planned: 1 session, 60min)."
    )


def test_review_momentum_counts_aerobic_time_only(athlete: AthleteProfile) -> None:
    app = mixed_week_app(athlete, at(THU, 19))
    rendered = app.coach.review("adam", "thu-run").rendered
    # Mon + Thu runs both weeks (90 min); Tuesday's strength is not momentum.
    assert "Momentum: → 1:30h vs 1:30h aerobic at this point last week" in rendered
    assert "2:30h" not in rendered
    assert "Aerobic: 1:30h / 5:00h" in rendered


def test_checkin_context_keeps_strength_out_of_aerobic_time(athlete: AthleteProfile) -> None:
    model = recording_model()
    app = mixed_week_app(athlete, at(THU + dt.timedelta(days=1), 6), model)
    message = app.coach.checkin("adam", THU + dt.timedelta(days=1))
    assert "Aerobic: 1:30h / 5:00h" in message.rendered
    prompt = prompt_text(model.requests[0])
    assert "aerobic: 1:30h / 5:00h" in prompt
    assert "Activities: 3 (2 runs, 1 strength) | Aerobic: 1:30h of 5:00h planned" in prompt
    assert "Strength: 1 session, 60min" in prompt and "Total time" not in prompt
    # Last week's history line: aerobic 4:05h (its plan 5:00h), no strength.
    assert "Week of Feb 16–22: aerobic: 4:05h of 5:00h planned, strength: none" in prompt


def test_monday_plan_facts_are_aerobic_planned(athlete: AthleteProfile) -> None:
    model = recording_model()
    monday = WEEK + dt.timedelta(days=7)
    app = mixed_week_app(athlete, at(monday, 6), model)
    message = app.coach.monday_plan("adam", monday)
    assert "Aerobic: 0:00h / 5:00h" in message.rendered
    prompt = prompt_text(model.requests[0])
    assert "aerobic_planned: 5:00h" in prompt
    assert "strength_planned: 1 session, 60min" in prompt
    assert "6:00h" not in prompt


def test_week_volume_splits_kinds() -> None:
    plan = plan_for("adam", WEEK, weeks=1)
    acts = [
        run("adam", WEEK, 45),
        strength("adam", WEEK + dt.timedelta(days=1), 60),
        run("adam", WEEK + dt.timedelta(days=5), 100),
    ]
    status = week_status(plan, acts, WEEK + dt.timedelta(days=6), timezone="America/Toronto")
    volume = week_volume(status, plan.week_of(WEEK))
    assert (volume.aerobic_done, volume.aerobic_planned) == (145, 300)
    assert volume.strength == Strength(1, 60.0)
    assert volume.strength_planned == planned_strength(plan.week_of(WEEK)) == Strength(1, 60.0)
    assert volume.sessions_text() == "3 (2 runs, 1 strength)"
    assert volume.plan_share is not None and round(volume.plan_share, 3) == 0.483
    assert volume.run_distance_text() == "23.20 km"


def test_fragile_weekly_review_line_keeps_strength_apart() -> None:
    plan = plan_for("adam", WEEK, weeks=1)
    acts = [run("adam", WEEK, 45), strength("adam", WEEK + dt.timedelta(days=1), 60)]
    status = week_status(plan, acts, SUN, timezone="America/Toronto")
    fragile = StateAssessment(SUN, MotivationState.FRAGILE, 3, WEEK, WEEK, 2, 5, (False,) * 7)
    text = layouts.weekly_review(
        WEEK, fragile, week_volume(status, plan.week_of(WEEK)), 90, status, plan, UNKNOWN, ""
    )
    assert text.splitlines()[1] == "2 sessions · Aerobic: 0:45h · Strength: 1 session, 60min"


def test_duration_and_strength_text() -> None:
    assert fmt_duration(40) == "40min" and fmt_duration(60) == "60min"
    assert fmt_duration(100) == "1:40h"
    assert Strength().text() == "none"
    assert Strength(1, 60).text() == "1 session, 60min"
    assert Strength(2, 100).text() == "2 sessions, 1:40h"


def test_momentum_text_names_its_unit() -> None:
    assert momentum_text(158, 40) == "Momentum: ↑ 2:38h vs 0:40h aerobic at this point last week"
    assert momentum_text(0, 0) == "Momentum: fresh start"


def test_offline_weekly_words_without_strength_or_plan() -> None:
    facts = {"state": "on_track", "aerobic_time": "2:10h", "aerobic_sessions": "3 runs"}
    body = "## Facts\n" + "\n".join(f"{k}: {v}" for k, v in facts.items())
    request = CompletionRequest(
        messages=(ModelMessage("user", body),), purpose="weekly_review", athlete_id="adam"
    )
    text = OfflineComposer().complete(request).text
    assert text.startswith("*Week:* 2:10h aerobic over 3 runs.")
    assert "strength" not in text.split("\n")[0]


@settings(max_examples=40, deadline=None)
@given(
    runs=st.lists(st.integers(min_value=15, max_value=150), min_size=0, max_size=6),
    lifts=st.lists(st.integers(min_value=10, max_value=90), min_size=0, max_size=3),
)
def test_strength_never_moves_the_aerobic_figures(runs: list[int], lifts: list[int]) -> None:
    """Adding strength sessions changes the strength line and nothing aerobic."""
    plan = plan_for("adam", WEEK, weeks=1)
    run_acts = [run("adam", WEEK + dt.timedelta(days=i), m, hour=7) for i, m in enumerate(runs)]
    lift_acts = [
        strength("adam", WEEK + dt.timedelta(days=i), m, hour=19) for i, m in enumerate(lifts)
    ]
    sunday = WEEK + dt.timedelta(days=6)
    only_runs = week_volume(
        week_status(plan, run_acts, sunday, timezone="America/Toronto"), plan.week_of(WEEK)
    )
    both = week_volume(
        week_status(plan, run_acts + lift_acts, sunday, timezone="America/Toronto"),
        plan.week_of(WEEK),
    )
    assert both.aerobic_done == only_runs.aerobic_done == sum(runs)
    assert both.aerobic_planned == only_runs.aerobic_planned == 300
    assert both.plan_share == only_runs.plan_share
    assert both.strength == Strength(len(lifts), float(sum(lifts)))
    assert both.runs == only_runs.runs == len(runs)
