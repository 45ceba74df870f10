"""What the athlete's profile and the coach's memory say about how to lay out a week.

Memory tags (``MemoryItem.tags``) the plan engine acts on:

* ``separate_strength_long_run`` – the talk's DOMS lesson ("strength + long run on one day
  caused multi-day quad DOMS; separate by at least one day"): no strength on the long-run
  day or the day before it.
* ``strength_on_long_run_day`` – the athlete prefers to stack strength on the long-run day
  (some athletes keep their hard day hard); allowed unless the DOMS tag is also present.
* ``no_strength`` – the athlete does no strength work.
* ``injury:<area>`` – an active injury remembered from chat, added to the profile's injuries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.plans.injuries import areas_of

SEPARATE_STRENGTH_LONG_RUN = "separate_strength_long_run"
STRENGTH_ON_LONG_RUN_DAY = "strength_on_long_run_day"
NO_STRENGTH = "no_strength"
INJURY_PREFIX = "injury:"


@dataclass(frozen=True)
class Rules:
    """Constraints for laying out weeks, from the profile and active memory items."""

    separate_strength_long_run: bool = False
    strength_on_long_run_day: bool = False
    no_strength: bool = False
    injured_areas: frozenset[str] = frozenset()

    @property
    def strength_allowed_on_long_run_day(self) -> bool:
        """Strength may share the long-run day only when asked and no DOMS lesson says no."""
        return self.strength_on_long_run_day and not self.separate_strength_long_run


def rules_for(athlete: AthleteProfile, memory: Sequence[MemoryItem]) -> Rules:
    """The layout rules for ``athlete`` given their active memory items."""
    tags: set[str] = set()
    for item in memory:
        if item.active and item.athlete_id in ("", athlete.athlete_id):
            tags.update(tag.strip().lower() for tag in item.tags)
    areas: set[str] = set()
    for injury in athlete.injuries:
        areas |= areas_of(injury)
    for tag in tags:
        if tag.startswith(INJURY_PREFIX):
            areas |= areas_of(tag[len(INJURY_PREFIX) :])
    return Rules(
        separate_strength_long_run=SEPARATE_STRENGTH_LONG_RUN in tags,
        strength_on_long_run_day=STRENGTH_ON_LONG_RUN_DAY in tags,
        no_strength=NO_STRENGTH in tags,
        injured_areas=frozenset(areas),
    )
