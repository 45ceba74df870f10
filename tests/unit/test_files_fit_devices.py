"""FIT files as different devices write them (made with Garmin's FIT SDK encoder and raw
header forms), damage read past, and each sport's own moving-time rule."""

from __future__ import annotations

import datetime as dt

import pytest

from momentum.core.errors import InputError
from momentum.plugins.files.common import to_activity
from momentum.plugins.files.fit import read_fit
from tests import fit_files
from tests.unit.test_analytics_fixtures import ATHLETE


def test_compressed_timestamps_and_compressed_speed_distance() -> None:
    # 120 records: one full timestamp, then 5-bit time offsets; distance packed 12 bits
    # at 1/16 m and accumulated across its 256 m wrap-around (3 m/s for 119 s = 357 m).
    (parsed,) = read_fit(fit_files.compressed_timestamp_run(120), "footpod.fit")
    streams = parsed.streams
    assert streams is not None
    assert streams.time == tuple(float(t) for t in range(120))
    distance = streams.channels["distance"]
    assert distance[-1] == pytest.approx(357.0)
    assert streams.channels["speed"][-1] == pytest.approx(3.0)
    # The first record has no distance: the activity counts from the first reading (3 m).
    assert to_activity(parsed, ATHLETE, "x").distance_meters == pytest.approx(354.0, abs=0.5)


def test_odd_field_sizes_are_read_not_refused() -> None:
    # Field sizes that are not a multiple of the type's size: the FIT SDK and fitparse
    # read those fields as bytes and the rest normally; so do we, with a note.
    (parsed,) = read_fit(fit_files.odd_field_size_run(60), "odd.fit")
    assert parsed.streams is not None and len(parsed.streams.time) == 60
    assert parsed.streams.channels["heart_rate"] == (140.0,) * 60
    assert parsed.streams.channels["speed"] == (3.0,) * 60
    assert parsed.notes and "invalid field size" in parsed.notes[0]


def test_definitions_redefined_on_rotating_local_numbers_lose_no_record() -> None:
    # 40 record definitions on local numbers 0..15, with event definitions between:
    # every one of the 1,200 records is kept, in order, whatever objects the decoder
    # frees and reallocates along the way.
    (parsed,) = read_fit(fit_files.redefined_records(40, 30), "watch.fit")
    streams = parsed.streams
    assert streams is not None
    assert len(streams.time) == 1200
    assert streams.channels["distance"][-1] == pytest.approx(1199 * 3.0)


def test_sdk_encoded_run_with_several_record_layouts() -> None:
    # Garmin's own encoder opens a new local definition whenever a message's fields
    # change: records with and without heart rate and position alternate here.
    samples = []
    for t in range(300):
        sample: dict[str, object] = {"t": t, "distance": 3.0 * t, "speed": 3.0}
        if t % 3:
            sample["heart_rate"] = 140 + t % 7
        if t % 5 == 0:
            sample["position_lat"] = int(43.65 / (180 / 2**31))
            sample["position_long"] = int(-79.38 / (180 / 2**31))
        samples.append(sample)
    (parsed,) = read_fit(fit_files.records(samples, "running", 299.0), "sdk.fit")
    assert parsed.activity_type == "Run"
    assert parsed.streams is not None and len(parsed.streams.time) == 300
    activity = to_activity(parsed, ATHLETE, "sdk")
    assert activity.distance_meters == pytest.approx(897.0, abs=1)
    assert activity.moving_time_seconds == pytest.approx(299.0, abs=1)


def test_a_truncated_sdk_file_keeps_the_records_before_the_cut() -> None:
    samples = [{"t": t, "distance": 3.0 * t, "heart_rate": 140} for t in range(600)]
    data = fit_files.records(samples, "running", 599.0)
    cut = data[: len(data) * 6 // 10]
    (parsed,) = read_fit(cut, "cut.fit")
    assert parsed.streams is not None
    kept = len(parsed.streams.time)
    assert 300 < kept < 600
    assert parsed.streams.channels["distance"] == tuple(3.0 * t for t in range(kept))
    assert "truncated" in parsed.notes[0]


def test_a_flipped_bit_with_the_crc_intact_is_still_refused() -> None:
    data = bytearray(fit_files.compressed_timestamp_run(40))
    data[40] ^= 0x10
    with pytest.raises(InputError, match="CRC"):
        read_fit(bytes(data), "flipped.fit")


# -- moving time by the sport's own rules -------------------------------------------
POOL_SET = [("active", 35.0)] * 8 + [("idle", 60.0)] + [("active", 38.0)] * 8
POOL_SET += [("idle", 90.0)] + [("active", 45.0)] * 4


def test_pool_swim_moving_time_is_the_active_lengths() -> None:
    # Reference: the watch's own definition (Garmin Connect's "moving time" of a pool
    # swim is the sum of the active lengths; rests at the wall are idle lengths): 764 s
    # of 914 s, 20 lengths of 25 m. Tolerance: 1 s, 0 m. Records-only decoding of the
    # same file gave 96 s (-87 %), the figure in issue 20.
    data, active, metres = fit_files.pool_swim(POOL_SET)
    (parsed,) = read_fit(data, "pool.fit")
    assert parsed.activity_type == "Swim" and parsed.subtype == "Pool"
    activity = to_activity(parsed, ATHLETE, "pool")
    assert active == 764.0 and metres == 500.0
    assert activity.moving_time_seconds == pytest.approx(active, abs=1)
    assert activity.distance_meters == pytest.approx(metres)
    assert activity.elapsed_time_seconds == pytest.approx(914.0, abs=1)
    assert activity.avg_hr == pytest.approx(130)


def test_erg_rowing_moving_time_follows_the_strokes() -> None:
    # 4 x 4 min at 24 spm with 2 min rests; the erg reports distance every 30 s. Reference:
    # the strokes (960 s rowing, 3,840 m). Tolerance: 2 s (the first sample has no
    # duration), 1 m. Before, the 120 m bursts were thrown away as GPS jumps (0 m).
    data, rowing, metres = fit_files.erg_rowing()
    (parsed,) = read_fit(data, "erg.fit")
    activity = to_activity(parsed, ATHLETE, "erg")
    assert activity.activity_type == "Rowing"
    assert activity.moving_time_seconds == pytest.approx(rowing, abs=2)
    assert activity.distance_meters == pytest.approx(metres, abs=1)


def test_rowing_on_the_water_does_not_count_the_glide_between_pieces() -> None:
    # The boat glides on at 1.5 m/s through the rests: a speed threshold counted them
    # (+37 %); strokes do not. Reference 960 s, tolerance 2 s.
    data, rowing, _ = fit_files.erg_rowing(push_every_s=1, glide=1.5)
    (parsed,) = read_fit(data, "row.fit")
    activity = to_activity(parsed, ATHLETE, "row")
    assert activity.moving_time_seconds == pytest.approx(rowing, abs=2)


def test_a_run_still_uses_the_speed_rule() -> None:
    # Cadence on a run is no reason to count standing still: a 60 s stop at a light with
    # the cadence sensor reading is paused.
    samples = []
    metres = 0.0
    for t in range(360):
        stopped = 150 <= t < 210
        metres += 0.0 if stopped else 3.0
        samples.append({"t": t, "distance": metres, "cadence": 85})
    (parsed,) = read_fit(fit_files.records(samples, "running", 359.0), "stop.fit")
    activity = to_activity(parsed, ATHLETE, "stop")
    assert activity.moving_time_seconds == pytest.approx(299, abs=6)


def test_start_time_is_the_session_start() -> None:
    data, _, _ = fit_files.pool_swim(POOL_SET[:3])
    (parsed,) = read_fit(data, "pool.fit")
    assert parsed.start == fit_files.START
    assert parsed.start.tzinfo is dt.UTC or parsed.start.utcoffset() == dt.timedelta(0)
