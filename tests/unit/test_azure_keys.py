"""Table Storage keys: escaping is reversible and always legal; instants sort as time."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.azure import keys

pytestmark = pytest.mark.azure
FORBIDDEN = set("/\\#?|") | {chr(c) for c in range(32)} | {chr(127)}


@given(st.text())
def test_escaped_ids_round_trip_and_hold_no_forbidden_character(value: str) -> None:
    escaped = keys.esc(value)
    assert keys.unesc(escaped) == value
    assert not FORBIDDEN & set(escaped)


MOMENTS = st.datetimes(
    min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=st.timezones()
)


@given(MOMENTS, MOMENTS)
def test_instants_sort_as_the_moments_they_stand_for(a: dt.datetime, b: dt.datetime) -> None:
    ua, ub = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
    assert (keys.instant(a) < keys.instant(b)) == (ua < ub)
    assert len(keys.instant(a)) == len(keys.instant(b))


def test_a_prefix_range_bounds_exactly_its_kind() -> None:
    low, high = keys.prefix_range("act")
    assert low <= keys.row("act", "any|thing/x") < high
    assert not low <= keys.row("activity", "1") < high
    assert not low <= keys.row("ac", "t") < high
