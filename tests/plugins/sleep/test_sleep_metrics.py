"""The sleep metrics against worked references (formula, source and tolerance stated in
each test) and hypothesis properties for their invariants."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.sleep.clock import signed_difference, step_toward, wrap
from momentum.plugins.sleep.metrics import efficiency, sleep_debt
from momentum.plugins.sleep.regularity import clock_spread, sleep_regularity_index
from momentum.plugins.sleep.timing import mid_sleep, social_jet_lag

DAY = 1440


def test_efficiency_is_total_sleep_over_time_in_bed() -> None:
    # Reed & Sacco 2016: SE = TST / TIB x 100. 7 h asleep in 8 h in bed = 87.5 % exactly.
    assert efficiency(7 * 3600, 8 * 3600) == pytest.approx(87.5, abs=1e-9)
    assert efficiency(0, 0) is None


@given(st.floats(0, 20 * 3600), st.floats(1, 20 * 3600))
def test_efficiency_is_a_percentage(asleep: float, in_bed: float) -> None:
    value = efficiency(asleep, in_bed)
    assert value is not None and 0 <= value <= 100


def test_sleep_debt_worked_example() -> None:
    # Cumulative deficit (Van Dongen et al. 2003): 14 nights of 7 h against a need of 8 h
    # = 14 x 1 h = 14 h; one 10-hour night pays 2 h back; missing nights are not guessed.
    assert sleep_debt([7.0] * 14, 8.0).hours == pytest.approx(14.0, abs=1e-9)
    assert sleep_debt([7.0] * 13 + [10.0], 8.0).hours == pytest.approx(11.0, abs=1e-9)
    debt = sleep_debt([None] * 4 + [6.0] * 10, 8.0)
    assert (debt.hours, debt.nights_with_data) == (pytest.approx(20.0), 10)
    assert sleep_debt([9.0] * 14, 8.0).hours == 0.0  # sleep is not banked ahead
    assert sleep_debt([5.0] * 30, 8.0).hours == pytest.approx(42.0)  # only the last 14


@given(
    st.lists(st.one_of(st.none(), st.floats(0, 14)), min_size=1, max_size=20),
    st.integers(0, 19),
    st.floats(0, 5),
    st.floats(4, 12),
)
def test_more_sleep_never_adds_debt(
    nights: list[float | None], index: int, extra: float, need: float
) -> None:
    index %= len(nights)
    before = sleep_debt(nights, need).hours
    more = list(nights)
    if more[index] is None:
        more[index] = need + extra  # a night recorded at or above the need adds no debt
    else:
        more[index] = more[index] + extra
    assert sleep_debt(more, need).hours <= before + 1e-9
    assert 0 <= before <= 14 * need + 1e-9


def _schedule(days: int, onset: float, offset: float, shift: float = 0.0) -> list[tuple]:
    """Sleep from ``onset`` to ``offset`` (minutes from each midnight), every day; odd days
    shifted by ``shift`` minutes."""
    return [
        (d * DAY + onset + (shift if d % 2 else 0), d * DAY + offset + (shift if d % 2 else 0))
        for d in range(days)
    ]


def test_sri_identical_days_score_100() -> None:
    # Phillips et al. 2017: SRI = -100 + 200 x P(same state 24 h apart); identical days -> 100.
    # (15 nights: the 15th starts at 23:00 on the 14th day)
    assert sleep_regularity_index(_schedule(15, -60, 420), 14) == pytest.approx(100.0, abs=1e-9)


def test_sri_twelve_hour_shift_is_negative() -> None:
    # Sleep 23:00-07:00 and 11:00-19:00 on alternate days: of each 24 h pair of epochs,
    # both awake for 8 h, different for 16 h -> P = 1/3 -> SRI = -100 + 200/3 = -33.3.
    sri = sleep_regularity_index(_schedule(14, 0, 480, shift=720), 14)
    assert sri is not None and sri < 0
    # the first day's evening (before minute 0) is not on the timeline: exact on full days
    assert sri == pytest.approx(-100 + 200 / 3, abs=0.5)


def test_sri_worked_one_hour_shift() -> None:
    # Two days, 23:00-07:00 then 00:00-08:00: the states differ for 2 h of the 24 ->
    # P = 22/24 -> SRI = -100 + 200 x 22/24 = 83.33 (tolerance 0.01).
    asleep = [(-60, 420), (DAY + 0, DAY + 480), (2 * DAY - 60, 2 * DAY)]
    sri = sleep_regularity_index(asleep, 2)
    assert sri == pytest.approx(-100 + 200 * 22 / 24, abs=0.01)


def test_sri_random_states_score_about_zero() -> None:
    # Independent random 30-minute blocks, asleep with probability 1/2: P(same) = 1/2,
    # SRI ~ 0 (tolerance +-5 over 28 days of 48 blocks).
    rng = random.Random(7)
    asleep = [(b * 30, b * 30 + 30) for b in range(28 * 48) if rng.random() < 0.5]
    sri = sleep_regularity_index(asleep, 28)
    assert sri is not None and abs(sri) < 5


def test_sri_counts_only_valid_pairs() -> None:
    valid = [(0, DAY), (2 * DAY, 3 * DAY)]  # day 1 missing: no pair 24 h apart is valid
    assert sleep_regularity_index(_schedule(3, 0, 480), 3, valid=valid) is None


@given(st.lists(st.tuples(st.floats(0, 10 * DAY), st.floats(0, 600)), max_size=15))
def test_sri_is_within_bounds(spans: list[tuple[float, float]]) -> None:
    sri = sleep_regularity_index([(s, s + d) for s, d in spans], 10)
    assert sri is not None and -100 <= sri <= 100


def test_circular_spread_across_midnight() -> None:
    # Fisher 1993 / Mardia & Jupp 2000: 23:30 and 00:30 -> mean 00:00; R = cos(pi/24),
    # SD = sqrt(-2 ln R) rad = 30.04 min (tolerance 0.01 min); the arithmetic mean would
    # say 12:00.
    spread = clock_spread([23 * 60 + 30, 30])
    assert spread is not None
    assert signed_difference(spread.mean, 0) == pytest.approx(0, abs=1e-6)
    expected = math.sqrt(-2 * math.log(math.cos(math.pi / 24))) * DAY / (2 * math.pi)
    assert spread.sd == pytest.approx(expected, abs=1e-9)
    assert spread.sd == pytest.approx(30.04, abs=0.01)
    same = clock_spread([1380, 1380, 1380])
    assert same is not None and same.sd == pytest.approx(0, abs=1e-6)


@given(st.lists(st.floats(0, DAY), min_size=1, max_size=20), st.floats(-DAY, DAY))
def test_circular_spread_ignores_where_midnight_is(times: list[float], turn: float) -> None:
    a, b = clock_spread(times), clock_spread([t + turn for t in times])
    assert a is not None and b is not None
    if a.sd < 600:  # a well-defined mean (not a near-uniform spread)
        # sqrt(-2 ln R) near R = 1 turns float rounding of R (1e-16) into ~1e-5 min
        assert b.sd == pytest.approx(a.sd, abs=1e-3)
        assert signed_difference(b.mean, wrap(a.mean + turn)) == pytest.approx(0, abs=1e-5)


def test_mid_sleep_and_social_jet_lag_worked_example() -> None:
    # Wittmann et al. 2006: SJL = |MSF - MSW|. Workdays 23:00-06:30 -> mid 02:45; free
    # days 00:30-09:30 -> mid 05:00; SJL = 2 h 15 min = 135 min (tolerance 1e-6 min).
    assert mid_sleep(-60, 390) == pytest.approx(165)
    assert mid_sleep(30, 570) == pytest.approx(300)
    lag = social_jet_lag([165] * 5, [300] * 2)
    assert lag is not None and lag.minutes == pytest.approx(135, abs=1e-6)
    # mid-sleeps either side of midnight average on the clock, not through noon
    lag = social_jet_lag([1410, 30], [90])
    assert lag is not None and lag.minutes == pytest.approx(90, abs=1e-6)
    assert social_jet_lag([165], []) is None


@given(st.floats(0, DAY), st.floats(0, DAY), st.floats(1, 120))
def test_step_toward_moves_at_most_the_limit_and_never_away(
    current: float, goal: float, limit: float
) -> None:
    moved = step_toward(current, goal, limit)
    assert abs(signed_difference(moved, current)) <= limit + 1e-6
    assert abs(signed_difference(goal, moved)) <= abs(signed_difference(goal, current)) + 1e-6
