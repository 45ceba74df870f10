"""Take the plan with you: an iCalendar file of its sessions and a FIT workout per session.

``momentum plan export --ics FILE`` writes one all-day event per session (title, minutes,
zone, pace, purpose and its parts) with a stable UID, so importing an updated export
replaces the old events instead of doubling them. ``--fit DIR`` writes each run as a FIT
workout file a Garmin (or any FIT-reading) watch loads: one step per part of the session
(:func:`momentum.plugins.running.plans.structure.steps_of`), timed, with a pace target where the
athlete has paces and a heart-rate target otherwise. Both libraries are imported here only
(the ``export`` extra): ``icalendar`` and Garmin's own ``garmin-fit-sdk`` encoder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind
from momentum.plugins.running.plans.intensity import ZONES, Intensities, pace_text
from momentum.plugins.running.plans.structure import (
    COOLDOWN,
    RECOVER,
    WALK,
    WARMUP,
    Step,
    clock,
    steps_of,
)

PRODID = "-//Momentum//Training plan//EN"
FIT_MANUFACTURER_DEVELOPMENT = 255
FIT_SPORT_RUNNING = 1
FIT_FILE_WORKOUT = 5
_INTENSITY = {WARMUP: 2, COOLDOWN: 3, RECOVER: 4, WALK: 4}
_ACTIVE, _INTERVAL = 0, 5
_TARGET_SPEED, _TARGET_HR, _TARGET_OPEN = 0, 1, 2
_DURATION_TIME = 0
HR_OFFSET = 100
"""FIT's workout_hr type: values above 100 are beats per minute plus 100."""


def sessions_of(plan: Plan, start: dt.date) -> list[PlannedSession]:
    """The plan's sessions from ``start`` on (rest days left out), in date order."""
    return [
        s
        for w in plan.weeks
        for s in w.sessions
        if s.date >= start and s.kind is not SessionKind.REST
    ]


def _parts_text(session: PlannedSession) -> str:
    parts = steps_of(session)
    if len(parts) <= 1:
        return ""
    return " | ".join(f"{p.kind} {clock(p.seconds)}" for p in parts)


def write_ics(plan: Plan, athlete: AthleteProfile, start: dt.date, path: Path) -> int:
    """Write the sessions from ``start`` as an iCalendar file; returns the number of events."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Momentum: {plan.goal or 'training plan'}")
    count = 0
    per_day: dict[dt.date, int] = {}
    for session in sessions_of(plan, start):
        index = per_day.get(session.date, 0)
        per_day[session.date] = index + 1
        event = icalendar.Event()
        event.add("uid", f"{athlete.athlete_id}-{session.date.isoformat()}-{index}@momentum")
        title = session.title or session.kind.value
        timed = session.minutes and not re.search(r"\d+\s*min", title)
        event.add("summary", f"{title} ({session.minutes} min)" if timed else title)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
        event.add("dtstamp", plan.created)
        lines = [session.purpose]
        if session.zone:
            lines.append(f"Zone: {session.zone}")
        if session.pace is not None:
            lines.append(f"Pace: {pace_text(session.pace)}")
        parts = _parts_text(session)
        if parts:
            lines.append(f"Parts: {parts}")
        if session.strength is not None:
            lines += [f"{e.name}: {e.sets}×{e.reps}" for e in session.strength.main_set]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("categories", [session.kind.value])
        calendar.add_component(event)
        count += 1
    path.write_bytes(calendar.to_ical())
    return count


def _speed_target(pace: tuple[float, float]) -> tuple[int, int]:
    """(low, high) speed in mm/s for a (fast, slow) pace in s/km (FIT's scale of 1000)."""
    fast, slow = pace
    return round(1_000_000 / slow), round(1_000_000 / fast)


def _step_mesg(index: int, step: Step, it: Intensities) -> dict[str, Any]:
    """A workout_step message: timed, with a pace target (speed range) where the athlete
    has paces, else the heart-rate range of the step's zones, else open."""
    hard = step.intensity in ("tempo", "intervals", "hills", "race")
    intensity = _INTENSITY.get(step.kind, _INTERVAL if hard else _ACTIVE)
    mesg: dict[str, Any] = {
        "mesg_num": 27,
        "message_index": index,
        "wkt_step_name": f"{step.kind} {step.intensity}"[:15],
        "duration_type": _DURATION_TIME,
        "duration_value": step.seconds * 1000,
        "intensity": intensity,
    }
    key = {"walk": "recovery", "race": "tempo", "sharpener": "tempo"}.get(
        step.intensity, step.intensity
    )
    pace = it.pace(key) if key in ("easy", "long", "recovery", "tempo", "intervals") else None
    if step.kind == WALK:
        pace = None
    if pace is not None:
        low, high = _speed_target(pace)
        mesg.update(
            target_type=_TARGET_SPEED,
            target_value=0,
            custom_target_value_low=low,
            custom_target_value_high=high,
        )
    elif key in ZONES:
        lo_zone, hi_zone = ZONES[key]
        low = round(it.bounds[lo_zone - 1][0])
        high = round(it.bounds[hi_zone - 1][1])
        mesg.update(
            target_type=_TARGET_HR,
            target_value=0,
            custom_target_value_low=low + HR_OFFSET,
            custom_target_value_high=high + HR_OFFSET,
        )
    else:
        mesg.update(target_type=_TARGET_OPEN)
    return mesg


def fit_workout(session: PlannedSession, it: Intensities) -> bytes:
    """One session as a FIT workout file (Garmin's encoder)."""
    from garmin_fit_sdk import Encoder

    steps = steps_of(session)
    encoder = Encoder()
    created = dt.datetime.combine(session.date, dt.time(6), tzinfo=dt.UTC)
    encoder.write_mesg(
        {
            "mesg_num": 0,
            "type": FIT_FILE_WORKOUT,
            "manufacturer": FIT_MANUFACTURER_DEVELOPMENT,
            "product": 0,
            "serial_number": 19,
            "time_created": created,
        }
    )
    name = (session.title or session.kind.value)[:30]
    encoder.write_mesg(
        {
            "mesg_num": 26,
            "sport": FIT_SPORT_RUNNING,
            "num_valid_steps": len(steps),
            "wkt_name": name,
        }
    )
    for index, step in enumerate(steps):
        encoder.write_mesg(_step_mesg(index, step, it))
    data: bytes = encoder.close()
    return data


def _file_name(session: PlannedSession) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (session.title or session.kind.value).lower()).strip("-")
    return f"{session.date.isoformat()}-{slug or 'run'}.fit"


def write_fit_dir(plan: Plan, athlete: AthleteProfile, start: dt.date, folder: Path) -> list[Path]:
    """A FIT workout file per run from ``start`` on (strength and cross-training have no
    running steps); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    it = Intensities.at_vdot(athlete, plan.vdot)
    written: list[Path] = []
    runs: Iterable[PlannedSession] = (
        s for s in sessions_of(plan, start) if s.kind.is_run and s.kind is not SessionKind.RACE
    )
    for session in runs:
        path = folder / _file_name(session)
        path.write_bytes(fit_workout(session, it))
        written.append(path)
    return written
