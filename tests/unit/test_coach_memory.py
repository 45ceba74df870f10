"""Memory curation: the DOMS discovery and what the athlete enjoys."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from momentum.core.model import MemorySection
from momentum.plugins.running.coach.memory import (
    SEPARATE_STRENGTH_LONG_RUN,
    curate,
    enjoyed_show,
    find_show,
    prompt_lines,
    stacked_days,
)
from tests.unit.test_coach_support import at, run, strength

TZ = ZoneInfo("America/Toronto")
SUN, MON = dt.date(2026, 2, 22), dt.date(2026, 2, 23)


@pytest.mark.parametrize(
    ("text", "show"),
    [
        ("Part of it was Stranger Things on the treadmill.", "Stranger Things"),
        ("watching The Bear on the treadmill tonight", "The Bear"),
        ("queued Dune 2 for the treadmill", "Dune 2"),
        ("Today Stranger Things on the treadmill again", "Stranger Things"),
        ("ran on the treadmill", None),
        ("I love the treadmill", None),
    ],
)
def test_find_show(text: str, show: str | None) -> None:
    assert find_show(text) == show


def test_doms_after_strength_and_long_run_is_a_discovery() -> None:
    recent = [run("adam", SUN, 90, hour=8), strength("adam", SUN, 60, hour=19)]
    assert stacked_days(recent, TZ) == [SUN]
    learned = curate(
        "adam", "Trouble walking from DOMS. Barely get down stairs", at(MON, 9), recent, TZ
    )
    [item] = learned
    assert item.section is MemorySection.DISCOVERIES
    assert item.tags == (SEPARATE_STRENGTH_LONG_RUN,)
    assert "Sun Feb 22" in item.text
    # Saying it again does not add a second item.
    assert curate("adam", "still sore", at(MON, 20), recent, TZ, existing=learned) == []


def test_soreness_without_stacking_is_not_a_discovery() -> None:
    recent = [run("adam", SUN, 90, hour=8)]
    assert curate("adam", "legs are sore", at(MON, 9), recent, TZ) == []


def test_old_stacking_does_not_count() -> None:
    recent = [run("adam", SUN, 90), strength("adam", SUN, 60)]
    later = at(MON + dt.timedelta(days=10), 9)
    assert curate("adam", "DOMS again", later, recent, TZ) == []


def test_enjoyment_is_remembered_and_comes_back() -> None:
    learned = curate(
        "adam", "Part of it was Stranger Things on the treadmill.", at(MON, 20), [], TZ
    )
    assert enjoyed_show(learned) == "Stranger Things"
    assert prompt_lines(learned) == [
        "- Enjoys: Watching Stranger Things on the treadmill makes starting easier."
    ]
