"""Stream cleaning (heart-rate dropouts and spikes, GPS jumps, pauses) and merging sources."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.model import SourceRange, Streams
from momentum.plugins.running.analytics.clean import clean_heart_rate, distance_increments
from momentum.plugins.running.analytics.geo import (
    haversine_metres,
    position_increments,
    segment_metres,
)
from momentum.plugins.running.analytics.merge import SourceStreams, merge_streams
from momentum.plugins.running.analytics.prepare import prepare
from tests.unit.test_analytics_fixtures import steady


def test_heart_rate_dropouts_become_gaps_and_short_ones_are_filled() -> None:
    time = [float(i) for i in range(20)]
    hr: list[float | None] = [140.0] * 20
    hr[3] = 0.0  # strap lost contact for one reading: filled by interpolation
    for i in range(8, 16):
        hr[i] = 0.0  # 8 s without contact: stays a gap (> 5 s)
    cleaned = clean_heart_rate(time, hr)
    assert cleaned[3] == pytest.approx(140.0)
    assert all(cleaned[i] is None for i in range(8, 16))
    assert cleaned[16] == 140.0


def test_heart_rate_spike_is_removed_but_a_real_change_is_kept() -> None:
    time = [float(i) for i in range(30)]
    spike: list[float | None] = [140.0] * 30
    spike[10] = 215.0
    assert clean_heart_rate(time, spike)[10] == pytest.approx(140.0)  # removed, then filled
    step: list[float | None] = [120.0] * 10 + [150.0] * 20  # sprint start: confirmed level
    assert clean_heart_rate(time, step)[10] == 150.0


def test_gps_jump_in_distance_is_replaced_by_speed() -> None:
    time = [float(i) for i in range(6)]
    distance: list[float | None] = [0.0, 3.0, 6.0, 306.0, 309.0, 312.0]  # 300 m in 1 s
    speed: list[float | None] = [3.0] * 6
    inc = distance_increments(time, distance, speed, max_speed=12.5)
    assert inc == [0.0, 3.0, 3.0, 3.0, 3.0, 3.0]


def test_gps_position_jump_is_skipped() -> None:
    time = [float(i) for i in range(5)]
    lat: list[float | None] = [45.0, 45.00003, 45.5, 45.00006, 45.00009]  # one wild fix
    lng: list[float | None] = [14.0] * 5
    inc = position_increments(time, lat, lng, max_speed=12.5)
    assert inc[2] == 0.0
    assert sum(inc) == pytest.approx(segment_metres(45.0, 14.0, 45.00009, 14.0), rel=1e-6)


def test_equirectangular_agrees_with_haversine_for_short_segments() -> None:
    # Tolerance 0.1 % for a 100 m segment (the module's stated accuracy).
    a = segment_metres(43.65, -79.38, 43.6509, -79.3795)
    b = haversine_metres(43.65, -79.38, 43.6509, -79.3795)
    assert a == pytest.approx(b, rel=1e-3)


def test_pauses_are_not_moving_time() -> None:
    # 10 min running, a 2 min auto-pause gap in the recording, a 1 min stop at a light
    # (samples keep coming at speed 0), then 10 more minutes.
    time = list(range(601)) + list(range(721, 781)) + list(range(781, 1381))
    speed = [3.0] * 601 + [0.0] * 60 + [3.0] * 600
    total = 0.0
    distance = []
    for i, t in enumerate(time):
        if i and speed[i] > 0:
            total += speed[i] * (t - time[i - 1]) if t - time[i - 1] == 1 else 0.0
        distance.append(total)
    streams = Streams(
        time=tuple(float(t) for t in time),
        channels={"speed": tuple(speed), "distance": tuple(distance)},
    )
    prep = prepare(streams, "Run")
    moving = sum(d for d, m in zip(prep.dt, prep.moving, strict=True) if m)
    assert moving == pytest.approx(1200, abs=6)  # the 5 s smoothing may add a few seconds
    assert time[-1] - time[0] == 1380


def talk_sources(peloton_end: int = 250, watch_end: int = 275) -> list[SourceStreams]:
    """The talk's treadmill run in miniature: Peloton speed/grade/power, watch HR+speed."""
    peloton = Streams(
        time=tuple(float(i) for i in range(peloton_end)),
        channels={
            "speed": tuple(2.5 for _ in range(peloton_end)),
            "grade": tuple(8.0 for _ in range(peloton_end)),
            "power": tuple(180.0 for _ in range(peloton_end)),
        },
        is_indoor=True,
    )
    watch = Streams(
        time=tuple(float(i) for i in range(watch_end)),
        channels={
            "heart_rate": tuple(130.0 + i % 5 for i in range(watch_end)),
            "speed": tuple(2.4 for _ in range(watch_end)),
        },
    )
    return [SourceStreams("peloton", peloton), SourceStreams("coros", watch)]


def test_talk_example_merge_field_by_field() -> None:
    merged = merge_streams(talk_sources(), priority={"speed": ["peloton"]})
    assert len(merged.time) == 275
    assert merged.is_indoor
    speed = merged.channels["speed"]
    assert speed[0] == 2.5 and speed[249] == 2.5 and speed[250] == 2.4
    assert set(merged.source_ranges) == {
        SourceRange("heart_rate", "coros"),
        SourceRange("speed", "peloton", 0, 250),
        SourceRange("speed", "coros", 250, 275),
        SourceRange("grade", "peloton", 0, 250),
        SourceRange("power", "peloton", 0, 250),
    }


def test_merge_without_priority_prefers_coverage() -> None:
    merged = merge_streams(talk_sources())
    assert SourceRange("speed", "coros") in merged.source_ranges


def test_merge_aligns_offsets_and_interpolates() -> None:
    a = Streams(time=(0.0, 2.0, 4.0), channels={"heart_rate": (100.0, 110.0, 120.0)})
    b = Streams(time=(0.0, 1.0), channels={"cadence": (170.0, 172.0)})
    merged = merge_streams([SourceStreams("a", a), SourceStreams("b", b, offset_seconds=3.0)])
    assert merged.time == (0.0, 1.0, 2.0, 3.0, 4.0)
    assert merged.channels["heart_rate"] == (100.0, 105.0, 110.0, 115.0, 120.0)
    assert merged.channels["cadence"] == (None, None, None, 170.0, 172.0)


def test_merged_distance_continues_across_a_source_switch() -> None:
    a = Streams(time=(0.0, 1.0, 2.0), channels={"distance": (0.0, 3.0, 6.0)})
    b = Streams(
        time=(0.0, 1.0, 2.0, 3.0, 4.0), channels={"distance": (500.0, 503.0, 506.0, 509.0, 512.0)}
    )
    merged = merge_streams(
        [SourceStreams("a", a), SourceStreams("b", b)], priority={"distance": ["a"]}
    )
    assert merged.channels["distance"] == (0.0, 3.0, 6.0, 9.0, 12.0)


def test_merge_rejects_duplicate_or_empty_sources() -> None:
    s = steady(10)
    with pytest.raises(ValueError, match="repeated"):
        merge_streams([SourceStreams("x", s), SourceStreams("x", s)])
    with pytest.raises(ValueError, match="no sources"):
        merge_streams([])


def _source(name: str, start: int, length: int, fields: list[str], seed: int) -> SourceStreams:
    channels = {
        f: tuple(
            None if (i * seed) % 7 == 0 else float((i * seed) % 50 + 100) for i in range(length)
        )
        for f in fields
    }
    return SourceStreams(
        name, Streams(time=tuple(float(i) for i in range(length)), channels=channels), float(start)
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 20),
            st.integers(2, 40),
            st.lists(
                st.sampled_from(["heart_rate", "speed", "power", "grade"]), min_size=1, unique=True
            ),
            st.integers(1, 13),
        ),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_merge_does_not_depend_on_source_order(specs, data) -> None:  # type: ignore[no-untyped-def]
    sources = [_source(f"s{k}", *spec) for k, spec in enumerate(specs)]
    fields = ["heart_rate", "speed", "power", "grade"]
    priority = {f: data.draw(st.permutations([s.source for s in sources])) for f in fields}
    reference = merge_streams(sources, priority=priority)
    for order in itertools.islice(itertools.permutations(sources), 6):
        assert merge_streams(list(order), priority=priority) == reference


def test_merged_treadmill_run_builds_a_record_with_provenance() -> None:
    import datetime as dt

    from momentum.plugins.running.analytics.record import build_activity
    from tests.unit.test_analytics_fixtures import ATHLETE

    merged = merge_streams(talk_sources(1800, 1825), priority={"speed": ["peloton"]})
    record = build_activity(
        merged,
        ATHLETE,
        activity_id="17321805264",
        activity_type="Run",
        start=dt.datetime(2026, 2, 19, 23, 0, tzinfo=dt.UTC),
    )
    assert record.activity_subtype == "Indoor"
    assert record.avg_incline == pytest.approx(8.0, abs=0.01)
    assert record.distance_meters == pytest.approx(2.5 * 1799 + 2.4 * 25, rel=1e-6)
    assert record.streams is merged
    assert SourceRange("speed", "coros", 1800, 1825) in record.streams.source_ranges
