"""GPX and TCX: the real files, plus the cases the real files do not cover."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from momentum.core.errors import InputError
from momentum.plugins.files.common import to_activity
from momentum.plugins.files.gpx import read_gpx
from momentum.plugins.files.tcx import read_tcx
from momentum.plugins.running.activity_metrics import running_metrics
from tests.unit.test_analytics_fixtures import ATHLETE


def test_gpx_with_two_active_logs(data_dir: Path) -> None:
    # korita-zbevnica.gpx: two timestamped "ACTIVE LOG" tracks (176 + 337 points,
    # 09:36:30–13:19:31 UTC) and two untimed tracks that are ignored.
    (parsed,) = read_gpx((data_dir / "gpx" / "korita-zbevnica.gpx").read_bytes(), "korita.gpx")
    assert parsed.streams is not None and len(parsed.streams.time) == 176 + 337
    assert parsed.start == dt.datetime(2010, 10, 3, 9, 36, 30, tzinfo=dt.UTC)
    activity = to_activity(parsed, ATHLETE, "korita")
    assert activity.elapsed_time_seconds == (13 * 3600 + 19 * 60 + 31) - (9 * 3600 + 36 * 60 + 30)
    assert activity.moving_time_seconds < activity.elapsed_time_seconds
    assert activity.distance_meters > 5000 and activity.elevation_gain_meters > 100
    assert activity.avg_hr is None and running_metrics(activity).gap_seconds_per_km is not None


def test_gpx_with_an_unset_clock_imports_its_distance(data_dir: Path) -> None:
    # Mojstrovka.gpx: all 184 points carry 1901-12-13T20:45:52 (the smallest 32-bit Unix
    # time: an unset clock). The points count as untimed: the file becomes a distance-only
    # activity dated by its own <time> (2010-12-14T06:17:04Z), flagged in its notes.
    # Reference: gpxpy's length_2d() of the same track, 2,700.6 m; tolerance 0.5 %.
    (parsed,) = read_gpx((data_dir / "gpx" / "Mojstrovka.gpx").read_bytes(), "Mojstrovka.gpx")
    assert parsed.start == dt.datetime(2010, 12, 14, 6, 17, 4, tzinfo=dt.UTC)
    assert parsed.streams is None and parsed.summary is not None
    activity = to_activity(parsed, ATHLETE, "mojstrovka")
    assert activity.distance_meters == pytest.approx(2700.6, rel=0.005)
    assert activity.moving_time_seconds == 0 and activity.elapsed_time_seconds == 0
    assert activity.elevation_gain_meters > 100
    assert any("distance only" in note for note in activity.notes)
    assert any("1901-12-13" in note for note in activity.notes)


GPX_WITH_HR = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><name>Lunch Run</name><type>running</type><trkseg>
%s
</trkseg></trk></gpx>"""


def _points(n: int) -> bytes:
    out = []
    for i in range(n):
        out.append(
            f'<trkpt lat="{43.65 + i * 0.00003:.6f}" lon="-79.38"><ele>100</ele>'
            f"<time>2026-02-19T17:00:{i:02d}Z</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{140 + i % 3}</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    return "\n".join(out).encode()


def test_gpx_heart_rate_and_cadence_extensions() -> None:
    (parsed,) = read_gpx(GPX_WITH_HR % _points(50), "lunch.gpx")
    assert parsed.name == "Lunch Run" and parsed.activity_type == "Run"
    streams = parsed.streams
    assert streams is not None
    assert streams.channels["heart_rate"][:3] == (140.0, 141.0, 142.0)
    assert streams.channels["cadence"][0] == 170.0  # per-leg 85 → 170 steps/min
    activity = to_activity(parsed, ATHLETE, "lunch")
    assert activity.distance_meters == pytest.approx(49 * 3.336, rel=0.01)  # 0.00003° ≈ 3.34 m


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x0e\x10\xd9\x07binary", "not"),
        (b"<html><body>hello</body></html>", "GPX"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><gpx></gpx>', "DOCTYPE"),
        (
            b'<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>',
            "single",
        ),
        (b'<gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>', "no track or route points"),
        (b"<gpx><trk><trkseg><trkpt lat=", "GPX"),
    ],
)
def test_bad_gpx(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        read_gpx(data, "bad.gpx")


def test_tcx_run_with_heart_rate(data_dir: Path) -> None:
    # test.tcx: a run of 384 track points from 2012-12-26T21:29:53Z, with heart rate.
    (parsed,) = read_tcx((data_dir / "tcx" / "test.tcx").read_bytes(), "test.tcx")
    assert parsed.activity_type == "Run" and parsed.name == "Aerobics"
    assert parsed.start == dt.datetime(2012, 12, 26, 21, 29, 53, tzinfo=dt.UTC)
    assert parsed.streams is not None and len(parsed.streams.time) == 384
    activity = to_activity(parsed, ATHLETE, "tcx")
    last_distance = max(d for d in parsed.streams.channels["distance"] if d is not None)
    assert activity.distance_meters == pytest.approx(last_distance, rel=0.005)
    assert activity.avg_hr is not None and activity.max_hr == 189
    assert activity.splits[0].distance_meters == pytest.approx(1000)


def test_tcx_without_heart_rate(data_dir: Path) -> None:
    (parsed,) = read_tcx((data_dir / "tcx" / "no_hr.tcx").read_bytes(), "no_hr.tcx")
    assert parsed.streams is not None and "heart_rate" not in parsed.streams.channels
    activity = to_activity(parsed, ATHLETE, "tcx")
    assert (
        activity.avg_hr is None
        and running_metrics(activity).trimp is None
        and activity.distance_meters > 4000
    )


def test_tcx_laps_only_becomes_a_summary() -> None:
    data = b"""<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Biking"><Id>2026-02-01T10:00:00Z</Id>
<Lap StartTime="2026-02-01T10:00:00Z"><TotalTimeSeconds>1800</TotalTimeSeconds>
<DistanceMeters>15000</DistanceMeters><AverageHeartRateBpm><Value>130</Value></AverageHeartRateBpm>
</Lap></Activity></Activities></TrainingCenterDatabase>"""
    (parsed,) = read_tcx(data, "laps.tcx")
    activity = to_activity(parsed, ATHLETE, "laps")
    assert activity.activity_type == "Ride" and activity.moving_time_seconds == 1800
    assert activity.avg_hr == 130 and running_metrics(activity).trimp is not None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"   ", "empty"),
        (b"<gpx></gpx>", "not a TCX"),
        (b"<TrainingCenterDatabase><Activities>", "malformed XML"),
        (b"<TrainingCenterDatabase/>", "no activity"),
    ],
)
def test_bad_tcx(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        read_tcx(data, "bad.tcx")
