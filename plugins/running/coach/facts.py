"""Facts: the handful of code-computed ``key: value`` lines at the top of every prompt.

They tell the model (and the offline composer, which has nothing else) the state, what
is planned today, what the athlete enjoys and which lessons apply right now. Values are
short strings; an empty value is left out of the prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from momentum.core.coach.state import StateAssessment
from momentum.core.model import Activity
from momentum.plugins.running.coach.formatting import (
    DAY_NAMES,
    activity_label,
    ago,
    fmt_hours,
    fmt_minutes,
    is_strength,
    long_date,
    minutes_of,
)
from momentum.plugins.running.coach.memory import SEPARATE_STRENGTH_LONG_RUN, enjoyed_show, has_tag
from momentum.plugins.running.coach.render import MvwTicks, session_label, zone_minutes
from momentum.plugins.running.coach.session_type import hard_minutes, run_type
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.coach.volume import Strength, WeekVolume, change_text
from momentum.plugins.running.model.plan import PlannedSession, SessionKind
from momentum.plugins.running.profile import running_profile

LONG_RUN_MINUTES = 75
Z3_JUNK_SHARE = 0.20
"""More than this share of run time in Z3 flags "junk miles" (the 80/20 polarised model,
Seiler 2010: easy days should stay below the first ventilatory threshold)."""
DECOUPLING_WATCH = 5.0
"""Aerobic decoupling above 5 % is the usual sign an effort outran its aerobic base
(Friel's Pa:HR guideline)."""

DOMS_BEFORE_STRENGTH = (
    "Last time strength and a long run shared a day it cost you days of DOMS, so keep "
    "today's strength away from the legs (upper body and core)."
)
DOMS_AFTER_LONG = (
    "Keep strength off today: the last time it followed a long run on the same day, the "
    "DOMS lasted days."
)
DOMS_STACKED = (
    "That's the strength-plus-long-run combination that cost you days of DOMS last time, "
    "so make tomorrow easy."
)


def sessions_on(view: AthleteView, day: dt.date) -> list[PlannedSession]:
    """Planned sessions (not rest) on ``day``."""
    week = view.plan.week_of(day) if view.plan else None
    return [
        s
        for s in (week.sessions if week else ())
        if s.date == day and s.kind is not SessionKind.REST
    ]


def _is_long(activity: Activity) -> bool:
    return activity.is_run and minutes_of(activity) >= LONG_RUN_MINUTES


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


def base_facts(view: AthleteView, state: StateAssessment, kind: str) -> dict[str, str]:
    """Facts every message carries."""
    day = view.day
    last_run = state.last_run_day
    facts = {
        "kind": kind,
        "athlete": _first_name(view.athlete.name),
        "date": long_date(day),
        "state": state.state.value,
        "missed_days": str(state.missed_days),
        "last_run": ago(state.days_since_run) if last_run else "none in 6 weeks",
        "last_run_day": (f"{last_run:%A}" if last_run and 0 < (day - last_run).days < 7 else ""),
        "style": view.athlete.coaching_style.value,
    }
    phase = view.plan.phase_on(day) if view.plan else None
    if phase is not None:
        facts["phase_name"] = phase.name
        facts["phase_focus"] = phase.focus
    race = running_profile(view.athlete).goal_race
    if race is not None and race.date >= day:
        facts["race"] = f"{race.name} in {(race.date - day).days} days"
        facts["race_short"] = race.name.split(" ")[0] if race.name else "race"
    show = enjoyed_show(view.memory)
    if show:
        facts["show"] = show
    if view.athlete.injuries:
        facts["injuries"] = "; ".join(view.athlete.injuries)
    return facts


def _doms_guard_for_day(view: AthleteView, day: dt.date) -> str:
    """A DOMS lesson that applies to ``day``'s plan, or ''."""
    if not has_tag(view.memory, SEPARATE_STRENGTH_LONG_RUN):
        return ""
    today = sessions_on(view, day)
    strength_today = any(s.kind is SessionKind.STRENGTH for s in today)
    long_today = any(s.kind is SessionKind.LONG for s in today)
    yesterday = day - dt.timedelta(days=1)
    long_near = (
        long_today
        or any(_is_long(a) for a in view.on(yesterday))
        or any(s.kind is SessionKind.LONG for s in sessions_on(view, yesterday))
    )
    if strength_today and long_near:
        return DOMS_BEFORE_STRENGTH
    if long_today and any(is_strength(a) for a in view.on(day)):
        return DOMS_AFTER_LONG
    return ""


def checkin_facts(
    view: AthleteView, state: StateAssessment, ticks: MvwTicks | None, aerobic: str
) -> dict[str, str]:
    """Facts for the morning check-in."""
    day = view.day
    facts = base_facts(view, state, "checkin")
    facts["weekday"] = f"{day:%A}"
    facts["today_session"] = ", ".join(session_label(s) for s in sessions_on(view, day))
    facts["tomorrow_session"] = ", ".join(
        session_label(s) for s in sessions_on(view, day + dt.timedelta(days=1))
    )
    yesterday = view.on(day - dt.timedelta(days=1))
    facts["yesterday"] = ", ".join(
        f"{fmt_minutes(minutes_of(a))} {activity_label(a)}" for a in yesterday
    )
    if ticks is not None:
        facts["runs_done"] = str(ticks.runs[0])
        facts["mvw"] = (
            f"runs {ticks.runs[0]}/{ticks.runs[1]}, long run "
            f"{ticks.long_run[0]}/{ticks.long_run[1]}, strength "
            f"{ticks.strength[0]}/{ticks.strength[1]}"
        )
    facts["aerobic"] = aerobic
    facts["doms_guard"] = _doms_guard_for_day(view, day)
    return facts


def review_facts(
    view: AthleteView,
    state: StateAssessment,
    activity: Activity,
    contribution: tuple[float, float] | None,
    momentum: str,
) -> dict[str, str]:
    """Facts for a post-activity review."""
    facts = base_facts(view, state, "review")
    label = activity_label(activity)
    facts["activity_kind"] = label.lower()
    facts["activity_id"] = activity.activity_id
    facts["activity"] = f"{fmt_minutes(minutes_of(activity))} {label}"
    facts["indoor"] = "yes" if activity.is_indoor else ""
    facts["long_run"] = "yes" if _is_long(activity) else ""
    zones = zone_minutes([activity])
    total = sum(zones)
    if total > 0:
        facts["z2_share"] = f"{(zones[0] + zones[1]) / total:.0%}"
        facts["z3_share"] = f"{zones[2] / total:.0%}"
        facts["z3_heavy"] = "yes" if zones[2] / total > Z3_JUNK_SHARE and activity.is_run else ""
    if activity.is_run:
        facts.update(_run_type_facts(zones))
    if contribution is not None:
        facts["fitness_delta"] = f"{contribution[0]:+.1f}"
        facts["fatigue_delta"] = f"{contribution[1]:+.1f}"
    facts["momentum"] = momentum
    day = view.day_of(activity)
    upcoming = [
        (d, s)
        for offset in range(1, 4)
        for d in [day + dt.timedelta(days=offset)]
        for s in sessions_on(view, d)
    ]
    if upcoming:
        d, s = upcoming[0]
        facts["next_session"] = f"{DAY_NAMES[d.weekday()]}'s {session_label(s)}"
    guard = ""
    if has_tag(view.memory, SEPARATE_STRENGTH_LONG_RUN):
        same_day = view.on(day)
        if _is_long(activity) and any(
            s.kind is SessionKind.STRENGTH for s in sessions_on(view, day)
        ):
            guard = DOMS_AFTER_LONG
        else:
            stacked = any(is_strength(a) for a in same_day) and any(_is_long(a) for a in same_day)
            guard = DOMS_STACKED if stacked else ""
    facts["doms_guard"] = guard
    return facts


def feedback_facts(
    view: AthleteView, state: StateAssessment, activity: Activity, z2_top_bpm: float | None
) -> dict[str, str]:
    """Facts for session feedback: what went well, what to watch, what next time."""
    facts = base_facts(view, state, "feedback")
    label = activity_label(activity)
    facts["activity_kind"] = label.lower()
    facts["activity_id"] = activity.activity_id
    zones = zone_minutes([activity])
    total = sum(zones)
    easy = (zones[0] + zones[1]) / total if total else None
    z3 = zones[2] / total if total else None
    fade = _second_half_fade(activity)
    recent_ef = [
        a.core_ef
        for a in view.between(view.day_of(activity) - dt.timedelta(days=28), view.day_of(activity))
        if a.core_ef is not None and a.activity_id != activity.activity_id and a.is_run
    ]
    usual = sum(recent_ef) / len(recent_ef) if recent_ef else None
    kind = run_type(zones) if activity.is_run else "unknown"
    if activity.is_run:
        facts.update(_run_type_facts(zones))
    if kind in ("intervals", "tempo"):
        went = (
            f"{hard_minutes(zones):.0f} minutes in Z4–Z5: real {kind} work, the hard part of 80/20."
        )
    elif easy is not None and easy >= 0.7:
        went = f"{easy:.0%} of the time in Z1–Z2: a genuinely aerobic session."
    elif activity.core_ef is not None and usual is not None and activity.core_ef >= usual:
        went = (
            f"Core EF {activity.core_ef:.2f} beats your recent {usual:.2f}: "
            "more speed for the same heart rate."
        )
    else:
        went = f"You got {fmt_minutes(minutes_of(activity))} done, and consistency is the game."
    if z3 is not None and z3 > Z3_JUNK_SHARE and activity.is_run:
        watch = f"{z3:.0%} drifted into Z3, the grey zone that tires without building much."
        cap = f" ({z2_top_bpm:.0f} bpm)" if z2_top_bpm else ""
        nxt = f"Cap heart rate at the top of Z2{cap} and let the pace fall where it does."
    elif activity.decoupling_percent is not None and activity.decoupling_percent > DECOUPLING_WATCH:
        watch = (
            f"Heart rate drifted {activity.decoupling_percent:.0f}% against pace late on: "
            "durability is still building."
        )
        nxt = "Start 10–15 s/km slower and take fluids early; aim for under 5% drift."
    elif fade is not None and fade > 0.05:
        watch = f"The second half was {fade:.0%} slower than the first."
        nxt = "Hold back over the first kilometres so the finish is the strongest part."
    else:
        watch = "Nothing worrying in the data."
        nxt = "Repeat it at the same effort; add 5–10 minutes if it still feels easy."
    facts["went_well"], facts["watch"], facts["next_time"] = went, watch, nxt
    return facts


def _run_type_facts(zones: Sequence[float]) -> dict[str, str]:
    """What the run was by its zones (:mod:`momentum.plugins.running.coach.session_type`), so review
    and feedback name it the same way."""
    kind = run_type(zones)
    facts = {"run_type": kind}
    if kind in ("intervals", "tempo"):
        facts["hard_minutes"] = f"{hard_minutes(zones):.0f}"
        facts["z3_heavy"] = ""
    return facts


def _second_half_fade(activity: Activity) -> float | None:
    """Second-half pace over first-half pace minus one (positive = slowed), from splits."""
    splits = [s for s in activity.splits if s.pace_seconds_per_km and s.distance_meters >= 500]
    if len(splits) < 4:
        return None
    half = len(splits) // 2
    first = sum(s.gap_seconds_per_km or s.pace_seconds_per_km or 0 for s in splits[:half]) / half
    second = sum(s.gap_seconds_per_km or s.pace_seconds_per_km or 0 for s in splits[half:]) / (
        len(splits) - half
    )
    return second / first - 1 if first else None


def weekly_facts(
    view: AthleteView,
    state: StateAssessment,
    week: Sequence[Activity],
    volume: WeekVolume,
    aerobic_last_week: int,
    ticks: MvwTicks | None,
    next_focus: str,
) -> dict[str, str]:
    """Facts for the weekly review. Every time figure is aerobic (runs and cross-training,
    the ``Aerobic:`` bar's convention) against aerobic; strength is its own fact."""
    facts = base_facts(view, state, "weekly_review")
    facts["sessions"] = volume.sessions_text()
    facts["aerobic_time"] = fmt_hours(volume.aerobic_done)
    facts["aerobic_sessions"] = volume.aerobic_sessions_text()
    facts["aerobic_last_week"] = fmt_hours(aerobic_last_week)
    facts["change_vs_last"] = change_text(volume.aerobic_done, aerobic_last_week)
    share = volume.plan_share
    if share is not None:
        facts["aerobic_planned"] = fmt_hours(volume.aerobic_planned)
        facts["vs_plan"] = f"{share:.0%}"
    if volume.strength.sessions or volume.strength_planned.sessions:
        facts["strength"] = volume.strength.text()
    if volume.strength_planned.sessions:
        facts["strength_planned"] = volume.strength_planned.text()
    runs = [a for a in week if a.is_run]
    zones = zone_minutes(runs)
    total = sum(zones)
    if total > 0:
        facts["z3_share"] = f"{zones[2] / total:.0%}"
        facts["junk"] = "yes" if zones[2] / total > Z3_JUNK_SHARE else ""
    facts["mvw_complete"] = "yes" if ticks is not None and ticks.complete else ""
    facts["next_focus"] = next_focus
    return facts


def monday_facts(
    view: AthleteView,
    state: StateAssessment,
    aerobic_planned: int,
    strength_planned: Strength | None = None,
) -> dict[str, str]:
    """Facts for the Monday plan: aerobic minutes planned (the bar's figure) and the
    strength planned beside them."""
    facts = base_facts(view, state, "monday_plan")
    day = view.day
    facts["aerobic_planned"] = fmt_hours(aerobic_planned)
    if strength_planned is not None and strength_planned.sessions:
        facts["strength_planned"] = strength_planned.text()
    facts["today_session"] = ", ".join(session_label(s) for s in sessions_on(view, day))
    week = view.plan.week_of(day) if view.plan else None
    key = [s for s in (week.sessions if week else ()) if s.is_key]
    if key:
        anchor = key[0]
        facts["anchor"] = f"{DAY_NAMES[anchor.date.weekday()]}'s {session_label(anchor)}"
    return facts
