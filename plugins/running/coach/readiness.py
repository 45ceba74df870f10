"""Readiness in the coach's day: what the sources say, and a softer session when it is poor.

A source plugin (a ring, a watch) answers the ``momentum_readiness`` hook with a
:class:`~momentum.core.plugins.types.Readiness` computed in its own code. The check-in adds
the facts, and when a source asks to soften, today's open session is downgraded by the plan
engine as for an athlete who says they slept badly (an easy or recovery run, light
strength; see :mod:`momentum.plugins.running.plans.adjust`), stored with a conditional write, and
the
message carries the source's reason in one line. Without a source nothing changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from momentum.core.plugins.types import Readiness
from momentum.plugins.running.coach.view import AthleteView

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.coach")

SOFTEN_REASON = "poor readiness: tired, slept badly"
"""What the plan engine is told. Fixed words: the source's own line carries numbers
("5.2 h") that the engine would read as the time the athlete has."""


def readings(app: App, athlete_id: str, day: dt.date) -> list[Readiness]:
    """Every source's readiness for the athlete's local ``day``."""
    return [r for r in app.plugins.readiness(app, athlete_id, day) if isinstance(r, Readiness)]


def facts(found: Sequence[Readiness]) -> dict[str, str]:
    """The readiness facts for the prompt, each key prefixed ``readiness_``."""
    out: dict[str, str] = {}
    for reading in found:
        for key, value in reading.facts.items():
            out.setdefault(f"readiness_{key}", value)
    return out


def softening(found: Sequence[Readiness]) -> Readiness | None:
    """The first reading that asks to soften today, if any."""
    return next((r for r in found if r.soften), None)


def soften(app: App, view: AthleteView, reading: Readiness) -> tuple[AthleteView, str]:
    """Today's open session softened and stored; returns the view and the one line that
    says why (``""`` when nothing was softened: a rest day, a race, a session done)."""
    from momentum.core.errors import MomentumError
    from momentum.plugins.running.coach.planning import store_change
    from momentum.plugins.running.plans import adjust_session

    plan = view.plan
    if plan is None or plan.week_of(view.day) is None:
        return view, ""
    try:
        softer = adjust_session(plan, view.athlete, view.day, SOFTEN_REASON, view.memory)
    except MomentumError as exc:
        log.info("readiness: today's session of %s not softened (%s)", view.athlete_id, exc)
        return view, ""
    if softer == plan:
        return view, ""
    stored = store_change(app.storage, view, softer)
    line = f"Readiness ({reading.source}): {reading.reason}. Today is softer for it."
    return dataclasses.replace(view, plan=stored), line
