"""The sleep domain's part of the coach loop: the morning check-in, the week's plan and the
weekly review, each a :class:`~momentum.Brief` whose numbers and lines come from code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from momentum import App, AthleteProfile, Brief, NotFoundError
from momentum.plugins.sleep import render
from momentum.plugins.sleep.grouping import efficiency_of
from momentum.plugins.sleep.metrics import DEBT_WINDOW_NIGHTS, sleep_debt
from momentum.plugins.sleep.nights import Night, read_nights
from momentum.plugins.sleep.profile import DOMAIN, SleepProfile, Targets, sleep_profile
from momentum.plugins.sleep.summary import LATE_MINUTES, late_by, missed_in_a_row, picture
from momentum.plugins.sleep.targets import bed_time, next_targets, week_start

TITLE = "Sleep"
DEBT_HIGH_HOURS = 5.0
"""A debt above this makes an early night the next step."""


def _athlete(app: App, athlete_id: str) -> AthleteProfile:
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    return athlete


def _recent(app: App, athlete_id: str, last: dt.date, nights: int) -> dict[dt.date, Night]:
    first = last - dt.timedelta(days=nights - 1)
    return {n.day: n for n in read_nights(app.storage, athlete_id, first, last)}


def _debt_hours(by_day: dict[dt.date, Night], last: dt.date) -> list[float | None]:
    days = [last - dt.timedelta(days=k) for k in range(DEBT_WINDOW_NIGHTS - 1, -1, -1)]
    return [by_day[d].hours if d in by_day else None for d in days]


def wind_down_at(profile: SleepProfile) -> int:
    """When tonight's wind-down starts: the bedtime target minus the athlete's lead."""
    return (profile.bedtime_target - profile.wind_down_minutes) % 1440


def checkin(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """Last night (the night ending on ``day``) against the plan, the 14-night debt and
    one easy step for today; ``None`` when the athlete has no night in 14 days (not
    using the sleep coach yet). ``missed_days``: nights in a row the bedtime target was
    missed by more than 30 minutes (see :func:`summary.missed_in_a_row`)."""
    profile = sleep_profile(_athlete(app, athlete_id))
    by_day = _recent(app, athlete_id, day, DEBT_WINDOW_NIGHTS)
    if not by_day:
        return None
    target = profile.bedtime_target
    debt = sleep_debt(_debt_hours(by_day, day), profile.need_hours)
    facts: dict[str, str] = {
        "sleep_need": render.duration(profile.need_hours),
        "sleep_debt": f"{debt.hours:.1f} h over {debt.window} nights "
        f"({debt.nights_with_data} with data)",
        "bedtime_target": render.clock(target),
    }
    lines: list[str] = []
    night = by_day.get(day)
    late = None
    if night is None:
        facts["last_night"] = "no data"
        lines.append("Last night: no sleep recorded.")
    else:
        eff = efficiency_of(night)
        said = f"Last night: {render.duration(night.hours)} asleep"
        if night.onset_min is not None and night.offset_min is not None:
            said += f" ({render.clock(night.onset_min)} → {render.clock(night.offset_min)})"
        if eff is not None:
            said += f", efficiency {eff:.0f}%"
        lines.append(said + ".")
        facts["last_night"] = said.removeprefix("Last night: ")
        late = late_by(night, target)
        began = bed_time(night)
        if late is not None and began is not None:
            lines.append(
                f"Bedtime {render.clock(began)} against the target {render.clock(target)} "
                f"({render.offset(late)})."
            )
            facts["bedtime"] = f"{render.clock(began)} ({render.offset(late)} vs target)"
    lines.append(f"Sleep debt: {debt.hours:.1f} h over the last {debt.window} nights.")
    return Brief(
        domain=DOMAIN,
        title=TITLE,
        facts=facts,
        lines=tuple(lines),
        next_step=_next_step(profile, debt.hours, late),
        missed_days=missed_in_a_row(by_day, target, day),
    )


def _next_step(profile: SleepProfile, debt_hours: float, late: float | None) -> str:
    target = render.clock(profile.bedtime_target)
    if debt_hours > DEBT_HIGH_HOURS:
        return f"Tonight, lights out by {target}: an early night pays the debt back fastest."
    if late is not None and late > LATE_MINUTES:
        return (
            f"Start winding down at {render.clock(wind_down_at(profile))} tonight: "
            "screens away, lights low."
        )
    return f"Get up at {render.clock(profile.wake_target)} again tomorrow, however the night went."


def _save_targets(app: App, athlete: AthleteProfile, targets: Targets) -> None:
    section = dict(athlete.domain_profiles.get(DOMAIN) or {})
    section["targets"] = {
        "week": targets.week.isoformat(),
        "bedtime": render.clock(targets.bedtime),
        "wake": render.clock(targets.wake),
    }
    if section == athlete.domain_profiles.get(DOMAIN):
        return
    profiles = {**athlete.domain_profiles, DOMAIN: section}
    app.storage.put_athlete(dataclasses.replace(athlete, domain_profiles=profiles))


def weekly_plan(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """The week's bed and wake targets (at most 15 minutes closer to the goal than last
    week's; :mod:`targets`), kept in the athlete's sleep profile for the wind-down nudge.
    Running it again the same week changes nothing."""
    athlete = _athlete(app, athlete_id)
    profile = sleep_profile(athlete)
    recent = list(_recent(app, athlete_id, day, DEBT_WINDOW_NIGHTS).values())
    targets = next_targets(profile, recent, day)
    _save_targets(app, athlete, targets)
    planned = dataclasses.replace(profile, targets=targets)
    bed, wake = render.clock(targets.bedtime), render.clock(targets.wake)
    lines = [
        f"This week: in bed by {bed}, up at {wake}.",
        f"Wind-down from {render.clock(wind_down_at(planned))}.",
    ]
    if (targets.bedtime, targets.wake) != (profile.goal_bedtime, profile.goal_wake):
        lines.append(
            f"Goal: {render.clock(profile.goal_bedtime)} to {render.clock(profile.goal_wake)}, "
            "15 minutes closer each week."
        )
    if profile.targets is not None and profile.targets.week != targets.week:
        lines.append(
            f"Last week: {render.clock(profile.targets.bedtime)} to "
            f"{render.clock(profile.targets.wake)}."
        )
    return Brief(
        domain=DOMAIN,
        title=TITLE,
        facts={"bedtime_target": bed, "wake_target": wake, "week": week_start(day).isoformat()},
        lines=tuple(lines),
        next_step=f"Tonight, start winding down at {render.clock(wind_down_at(planned))}.",
    )


def weekly_review(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """The seven nights ending on ``day``: average sleep and efficiency, nights on the
    bedtime target, the debt, the Sleep Regularity Index, bed and wake consistency and
    social jet lag (over 28 nights); ``None`` without a night in the week."""
    profile = sleep_profile(_athlete(app, athlete_id))
    long_run = _recent(app, athlete_id, day, 28)
    first = day - dt.timedelta(days=6)
    week = [n for d, n in sorted(long_run.items()) if d >= first]
    if not week:
        return None
    seen = picture(
        week,
        profile,
        first,
        day,
        debt_nights=_debt_hours(long_run, day),
        jet_lag_nights=list(long_run.values()),
    )
    facts: dict[str, str] = {"nights_recorded": f"{seen.nights} of 7"}
    lines = [f"Nights recorded: {seen.nights} of 7; on the bedtime target: {seen.on_target}."]
    if seen.average_sleep_h is not None:
        facts["average_sleep"] = render.duration(seen.average_sleep_h)
        text = f"Average sleep {render.duration(seen.average_sleep_h)}"
        if seen.average_efficiency is not None:
            text += f", efficiency {seen.average_efficiency:.0f}%"
        lines.append(text + f"; debt {seen.debt.hours:.1f} h.")
    facts["sleep_debt"] = f"{seen.debt.hours:.1f} h"
    if seen.sri is not None:
        facts["sleep_regularity_index"] = f"{seen.sri:.0f}"
        lines.append(f"Sleep Regularity Index: {seen.sri:.0f} (100 = the same every day).")
    spreads = (seen.bedtimes, seen.wakes)
    if seen.bedtimes and seen.wakes and all(math.isfinite(s.sd) for s in spreads if s):
        facts["bedtime_spread"] = f"±{seen.bedtimes.sd:.0f} min"
        facts["wake_spread"] = f"±{seen.wakes.sd:.0f} min"
        lines.append(
            f"Bedtime {render.clock(seen.bedtimes.mean)} ±{seen.bedtimes.sd:.0f} min, "
            f"wake {render.clock(seen.wakes.mean)} ±{seen.wakes.sd:.0f} min."
        )
    if seen.jet_lag is not None:
        facts["social_jet_lag"] = render.duration(seen.jet_lag.minutes / 60)
        lines.append(
            f"Social jet lag: {render.duration(seen.jet_lag.minutes / 60)} "
            f"(mid-sleep {render.clock(seen.jet_lag.msw)} workdays, "
            f"{render.clock(seen.jet_lag.msf)} free days)."
        )
    by_day = {n.day: n for n in week}
    return Brief(
        domain=DOMAIN,
        title=TITLE,
        facts=facts,
        lines=tuple(lines),
        next_step=_review_step(seen.wakes.sd if seen.wakes else None, profile),
        missed_days=missed_in_a_row(by_day, profile.bedtime_target, day),
    )


def _review_step(wake_sd: float | None, profile: SleepProfile) -> str:
    wake = render.clock(profile.wake_target)
    if wake_sd is not None and wake_sd > 45:
        return f"This week, the same wake time every day ({wake}), weekends too."
    return f"Keep the wake time at {wake}; the bedtime follows it."
