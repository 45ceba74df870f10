"""FIT decoding against the decoded-records CSV, and every real FIT file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from momentum.core.errors import InputError
from momentum.plugins.files.common import to_activity
from momentum.plugins.files.fit import SEMICIRCLE_DEGREES, read_fit
from momentum.plugins.running.activity_metrics import running_metrics
from tests.unit.test_analytics_fixtures import ATHLETE


def fit(data_dir: Path, name: str) -> bytes:
    return (data_dir / "fit" / name).read_bytes()


def test_walk_matches_the_decoded_records_csv(data_dir: Path) -> None:
    # garmin-fenix-5-walk-records.csv lists the file's 17 records as decoded by
    # python-fitparse. Every channel must agree (positions converted from semicircles;
    # cadence doubled to steps/min plus the fractional part; tolerance 1e-6).
    (parsed,) = read_fit(fit(data_dir, "garmin-fenix-5-walk.fit"), "walk.fit")
    assert parsed.activity_type == "Walk"
    assert parsed.start == dt.datetime(2017, 6, 11, 14, 32, 51, tzinfo=dt.UTC)
    streams = parsed.streams
    assert streams is not None
    with (data_dir / "fit" / "garmin-fenix-5-walk-records.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(streams.time) == 17
    pdt = dt.timezone(dt.timedelta(hours=-7))
    ch = streams.channels
    for i, row in enumerate(rows):
        stamp = dt.datetime.strptime(row["timestamp"].replace("PDT ", ""), "%a %b %d %H:%M:%S %Y")
        assert parsed.start + dt.timedelta(seconds=streams.time[i]) == stamp.replace(tzinfo=pdt)
        assert ch["heart_rate"][i] == float(row["heart_rate"])
        assert ch["speed"][i] == pytest.approx(float(row["speed"]), abs=1e-6)
        assert ch["distance"][i] == pytest.approx(float(row["distance"]), abs=1e-6)
        assert ch["altitude"][i] == pytest.approx(float(row["altitude"]), abs=1e-6)
        assert ch["lat"][i] == pytest.approx(
            int(row["position_lat"]) * SEMICIRCLE_DEGREES, abs=1e-9
        )
        assert ch["lng"][i] == pytest.approx(
            int(row["position_long"]) * SEMICIRCLE_DEGREES, abs=1e-9
        )
        cadence = ch["cadence"][i]
        assert cadence is not None and 0 <= cadence / 2 - int(row["cadence"]) < 1


def test_truncated_fit_keeps_the_records_before_the_end(data_dir: Path) -> None:
    # The file stops mid-message after 14 one-second records (fitparse's own test
    # expects an EOF error there; the FIT SDK and fitparse both yield those 14 records
    # first). They are kept, and the activity says the file was cut short.
    (parsed,) = read_fit(fit(data_dir, "activity-unexpected-eof.fit"), "eof.fit")
    assert parsed.streams is not None and len(parsed.streams.time) == 14
    assert parsed.start == dt.datetime(2012, 4, 9, 21, 22, 26, tzinfo=dt.UTC)
    assert parsed.notes and "truncated" in parsed.notes[0]
    activity = to_activity(parsed, ATHLETE, "eof")
    assert activity.notes == parsed.notes
    assert activity.distance_meters == pytest.approx(5.71, abs=0.01)


def test_a_file_cut_before_any_record_is_rejected_as_truncated(data_dir: Path) -> None:
    data = fit(data_dir, "garmin-fenix-5-walk.fit")[:40]
    with pytest.raises(InputError, match="truncated") as caught:
        read_fit(data, "cut.fit")
    assert caught.value.source == "cut.fit"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"<gpx></gpx>" * 3, "FIT"), (b"\x0e\x10" + b"\x00" * 40, "FIT")],
)
def test_empty_and_wrong_type_are_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        read_fit(data, "bad.fit")


def test_fenix2_run(data_dir: Path) -> None:
    # Session totals in the file: 9008.22 m, 2832 s timer time, 2809 records.
    (parsed,) = read_fit(fit(data_dir, "activity-small-fenix2-run.fit"), "run.fit")
    assert parsed.activity_type == "Run" and parsed.subtype == ""
    activity = to_activity(parsed, ATHLETE, "fenix2")
    # Two 1-second GPS jumps (30 m and 21 m at the start) are cleaned: within 1 % of the
    # device's total.
    assert activity.distance_meters == pytest.approx(9008.22, rel=0.01)
    assert activity.distance_meters < 9008.22
    assert activity.moving_time_seconds == pytest.approx(2832, abs=15)
    assert activity.avg_hr is not None and 140 < activity.avg_hr < 170
    assert sum(activity.zone_seconds) == pytest.approx(activity.moving_time_seconds, abs=5)
    assert len(activity.splits) == 9
    assert running_metrics(activity).gap_model == "minetti2002" and activity.core_ef is not None
    assert activity.name == "Morning Run"  # 10:45 in Toronto → Strava-style name


def test_ride_with_pauses(data_dir: Path) -> None:
    # Session: 11741.57 s elapsed, 10699.36 s timer time, 88797.21 m, avg HR 166.
    (parsed,) = read_fit(fit(data_dir, "sample-activity.fit"), "ride.fit")
    activity = to_activity(parsed, ATHLETE, "ride")
    assert activity.activity_type == "Ride"
    assert activity.elapsed_time_seconds == pytest.approx(11741, abs=2)
    assert activity.moving_time_seconds == pytest.approx(10699.36, rel=0.01)
    assert activity.distance_meters == pytest.approx(88797.21, rel=0.005)
    assert activity.avg_hr == pytest.approx(166, abs=2)
    assert running_metrics(activity).gap_seconds_per_km is None


def test_indoor_trainer(data_dir: Path) -> None:
    # Indoor ride, zero distance, power and cadence: moving time comes from pedalling.
    (parsed,) = read_fit(fit(data_dir, "sample-activity-indoor-trainer.fit"), "trainer.fit")
    assert parsed.subtype == "Indoor"
    activity = to_activity(parsed, ATHLETE, "trainer")
    assert activity.is_indoor and activity.distance_meters == 0
    assert 0.9 * 2261.85 < activity.moving_time_seconds <= 2261.85 + 1
    assert activity.avg_hr == pytest.approx(148, abs=2)
    assert activity.efficiency_factor is not None  # watts per beat


def test_a_flipped_byte_is_caught_by_the_crc(data_dir: Path) -> None:
    data = bytearray(fit(data_dir, "garmin-fenix-5-walk.fit"))
    data[len(data) // 2] ^= 0x01
    with pytest.raises(InputError, match="CRC") as caught:
        read_fit(bytes(data), "flipped.fit")
    assert caught.value.source == "flipped.fit"


@pytest.mark.parametrize(
    "name",
    ["garmin-fenix-5-walk.fit", "sample-activity-indoor-trainer.fit"],
)
def test_lean_processor_decodes_exactly_like_the_default(data_dir: Path, name: str) -> None:
    import io

    import fitdecode

    from momentum.plugins.files.fit import lean_processor

    def frames(processor: object) -> list[object]:
        out = []
        with fitdecode.FitReader(io.BytesIO(fit(data_dir, name)), processor=processor) as reader:
            for frame in reader:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                    out.append((frame.name, [(f.name, f.value, f.units) for f in frame.fields]))
        return out

    assert frames(lean_processor()) == frames(fitdecode.DefaultDataProcessor())
