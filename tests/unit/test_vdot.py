"""VDOT against Daniels' published tables, plus the formula's invariants.

Formula (Daniels & Gilbert 1979): VO2 = −4.60 + 0.182258·v + 0.000104·v² (v in m/min);
%max = 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t) (t in min);
VDOT = VO2 / %max. Reference values: Daniels' Running Formula, Table 3.1 (VDOT race
equivalents) and the training-pace table, as quoted in the sources named in each test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.running.analytics.vdot import (
    MARATHON_M,
    current_vdot,
    equivalent_times,
    race_time,
    riegel,
    training_paces,
    vdot_from_race,
)
from momentum.plugins.running.profile import RaceResult


def hms(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def test_forty_minute_10k_is_vdot_51_9() -> None:
    # Daniels' VDOT tables: a 10K in 40:00 ≈ VDOT 51.9 (between the table's 50, 41:21,
    # and 52). Tolerance ±0.1 VDOT.
    assert vdot_from_race(10_000, 40 * 60) == pytest.approx(51.9, abs=0.1)


def test_twenty_minute_5k_is_vdot_49_8() -> None:
    # Daniels' tables: 5K 20:00 ≈ VDOT 49.8 (VDOT 50 is 19:57). Tolerance ±0.1 VDOT.
    assert vdot_from_race(5_000, 20 * 60) == pytest.approx(49.8, abs=0.1)


# Daniels' Running Formula Table 3.1 rows for VDOT 30, 40, 50 (as quoted in "Dissecting
# Daniels, part 4", r/artc 2017): mile, 5K, 10K, half, marathon.
TABLE_3_1 = {
    30: {"mile": "9:11", "5k": "30:40", "10k": "63:46", "half": "2:21:04", "marathon": "4:49:17"},
    40: {"mile": "7:07", "5k": "24:08", "10k": "50:03", "half": "1:50:59", "marathon": "3:49:45"},
    50: {"mile": "5:50", "5k": "19:57", "10k": "41:21", "half": "1:31:35", "marathon": "3:10:49"},
}


@pytest.mark.parametrize("vdot", sorted(TABLE_3_1))
def test_equivalent_times_match_table_3_1(vdot: int) -> None:
    # Equivalent time = the t solving VDOT(d, t) = vdot. Tolerance 0.5 % of the table time
    # (the table is rounded to the second and computed by Daniels' own program).
    row = TABLE_3_1[vdot]
    times = equivalent_times(vdot)
    for key in ("5k", "10k", "half", "marathon"):
        assert times[key] == pytest.approx(hms(row[key]), rel=0.005), key
    assert race_time(vdot, 1609.344) == pytest.approx(hms(row["mile"]), rel=0.005)


def test_training_paces_vdot_50() -> None:
    # Daniels' pace table for VDOT 50: M 4:31/km (= marathon 3:10:49 / 42.195), T 4:15/km,
    # I 3:55/km, R 88 s per 400 m (3:40/km), E within 59–74 % of VO2max (4:52–5:52/km).
    # Tolerance ±3 s/km for single paces.
    paces = training_paces(50)
    assert paces["M"][0] == pytest.approx(hms("3:10:49") / 42.195, abs=3)
    assert paces["T"][0] == pytest.approx(hms("4:15"), abs=3)
    assert paces["I"][0] == pytest.approx(hms("3:55"), abs=3)
    assert paces["R"][0] == pytest.approx(88 * 2.5, abs=4)
    fast, slow = paces["E"]
    assert hms("4:50") <= fast <= hms("5:00") and hms("5:45") <= slow <= hms("5:55")


def test_training_paces_vdot_49_as_published() -> None:
    # Paces Daniels' tables give for VDOT 49 (quoted by fit360.blogspot.com, 2009):
    # M 7:24/mi, T 4:20/km, I 3:59/km, R 1:29 per 400 m, E 8:40/mi. Tolerance ±3 s/km.
    paces = training_paces(49)
    assert paces["M"][0] == pytest.approx(hms("7:24") / 1.609344, abs=3)
    assert paces["T"][0] == pytest.approx(hms("4:20"), abs=3)
    assert paces["I"][0] == pytest.approx(hms("3:59"), abs=3)
    assert paces["R"][0] == pytest.approx(89 * 2.5, abs=3)
    fast, slow = paces["E"]
    assert fast <= hms("8:40") / 1.609344 <= slow


def test_single_paces_have_fast_equal_slow() -> None:
    paces = training_paces(45)
    for key in "MTIR":
        assert paces[key][0] == paces[key][1]
    assert paces["E"][0] < paces["E"][1]


def test_riegel_formula() -> None:
    # Riegel (1981): T2 = T1 · (D2/D1)^1.06. 40:00 10K → marathon 2400 · 4.2195^1.06.
    assert riegel(10_000, 2400, MARATHON_M) == pytest.approx(2400 * 4.2195**1.06, rel=1e-12)
    assert riegel(10_000, 2400, 10_000) == pytest.approx(2400)
    assert riegel(5_000, 1200, 10_000, exponent=1.0) == pytest.approx(2400)


def test_current_vdot_uses_the_newest_result() -> None:
    old = RaceResult(dt.date(2025, 5, 1), 10_000, 40 * 60, "spring 10K")
    new = RaceResult(dt.date(2025, 9, 27), 10_000, 4343, "Mazinaw 10K")
    future = RaceResult(dt.date(2026, 5, 1), 5_000, 17 * 60)
    assert current_vdot([], dt.date(2026, 1, 1)) is None
    assert current_vdot([old, new, future], dt.date(2026, 1, 1)) == pytest.approx(
        vdot_from_race(10_000, 4343)
    )
    assert current_vdot([new, old], dt.date(2025, 6, 1)) == pytest.approx(51.9, abs=0.1)


def test_bad_race_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        vdot_from_race(0, 100)
    with pytest.raises(ValueError):
        vdot_from_race(5000, -1)
    with pytest.raises(ValueError):
        training_paces(0)


speeds = st.floats(min_value=120.0, max_value=400.0)  # m/min: 8:20/km to 2:30/km
distances = st.sampled_from([1500.0, 3000.0, 5000.0, 10_000.0, 21_097.5, 42_195.0])


@given(distances, speeds, speeds)
def test_vdot_is_monotonic_in_speed(distance: float, v1: float, v2: float) -> None:
    slow, fast = sorted((v1, v2))
    t_slow, t_fast = distance / slow * 60, distance / fast * 60
    assert vdot_from_race(distance, t_fast) >= vdot_from_race(distance, t_slow)


@given(st.floats(min_value=25.0, max_value=85.0), distances)
def test_race_time_inverts_vdot(vdot: float, distance: float) -> None:
    assert vdot_from_race(distance, race_time(vdot, distance)) == pytest.approx(vdot, abs=1e-3)


@given(st.floats(min_value=25.0, max_value=85.0))
def test_paces_are_ordered_by_intensity(vdot: float) -> None:
    p = training_paces(vdot)
    assert p["R"][0] < p["I"][0] < p["T"][0] < p["M"][0] < p["E"][0] < p["E"][1]


def test_a_time_trial_activity_becomes_the_newest_result() -> None:
    from momentum.core.model import Activity
    from momentum.plugins.running.analytics.vdot import race_result_of

    trial = Activity(
        activity_id="tt",
        athlete_id="adam",
        activity_type="Run",
        start=dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC),
        distance_meters=5000,
        moving_time_seconds=20 * 60,
        name="5K time trial",
    )
    result = race_result_of(trial)
    assert result == RaceResult(dt.date(2026, 2, 1), 5000, 1200, "5K time trial")
    older = RaceResult(dt.date(2025, 9, 27), 10_000, 4343)
    assert current_vdot([older, result], dt.date(2026, 3, 1)) == pytest.approx(49.8, abs=0.1)
    with pytest.raises(ValueError):
        race_result_of(Activity("x", "adam", "Run", trial.start))
