"""GPX: segments are separate lines, files without times import their distance."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.plugins.files.common import to_activity
from momentum.plugins.files.gpx import UNTIMED_NOTE, read_gpx
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.geo import haversine_metres
from tests.unit.test_analytics_fixtures import ATHLETE

HEAD = b'<?xml version="1.0"?>\n<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'


def _arc(lat0: float, lng0: float, n: int, t0: int, radius_deg: float = 0.004) -> list[tuple]:
    """Points on part of a circle around a lake, 1 s apart from second ``t0``."""
    out = []
    for i in range(n):
        angle = math.pi * i / (n - 1)
        lat = lat0 + radius_deg * math.sin(angle)
        lng = lng0 + radius_deg * math.cos(angle) / math.cos(math.radians(lat0))
        out.append((lat, lng, t0 + i))
    return out


def _segment(points: list[tuple], timed: bool = True) -> str:
    rows = []
    start = dt.datetime(2026, 5, 2, 8, 0, tzinfo=dt.UTC)
    for lat, lng, t in points:
        stamp = (start + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        time = f"<time>{stamp}</time>" if timed else ""
        rows.append(f'<trkpt lat="{lat:.7f}" lon="{lng:.7f}"><ele>200</ele>{time}</trkpt>')
    return "<trkseg>" + "".join(rows) + "</trkseg>"


def _length(points: list[tuple]) -> float:
    return sum(haversine_metres(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points))


def test_a_lake_course_in_three_segments_is_not_bridged() -> None:
    # Three half-laps of a lake, recorded as three segments with the watch stopped while
    # the runner crossed back. Reference: the sum of the segments' own lengths
    # (haversine), 4,192 m; tolerance 0.5 %. Bridged into one line (the old reader) the
    # same file measured 7,673 m (+83 %).
    parts = [
        _arc(46.0, 14.0, 600, 0),
        _arc(46.009, 14.0, 600, 900),
        _arc(46.0, 14.013, 600, 1800),
    ]
    body = "<trk><name>Lake</name><type>running</type>" + "".join(map(_segment, parts)) + "</trk>"
    (parsed,) = read_gpx(HEAD + body.encode() + b"</gpx>", "lake.gpx")
    activity = to_activity(parsed, ATHLETE, "lake")
    expected = sum(_length(p) for p in parts)
    assert activity.distance_meters == pytest.approx(expected, rel=0.005)
    assert activity.moving_time_seconds == pytest.approx(3 * 599, abs=6)
    assert activity.elapsed_time_seconds == 1800 + 599


def test_korita_tracks_measure_like_gpxpy(data_dir: Path) -> None:
    # Reference: gpxpy's length_2d() of the two timed "ACTIVE LOG" tracks, 2,284.6 m +
    # 3,984.0 m; tolerance 0.5 %. (The untimed planned tracks in the file are ignored.)
    (parsed,) = read_gpx((data_dir / "gpx" / "korita-zbevnica.gpx").read_bytes(), "k.gpx")
    activity = to_activity(parsed, ATHLETE, "korita")
    assert activity.distance_meters == pytest.approx(2284.6 + 3984.0, rel=0.005)


def test_a_track_without_times_imports_its_distance() -> None:
    points = _arc(46.0, 14.0, 300, 0)
    body = "<metadata><time>2026-05-01T07:30:00Z</time></metadata><trk>"
    body += _segment(points, timed=False) + "</trk>"
    (parsed,) = read_gpx(HEAD + body.encode() + b"</gpx>", "planned.gpx")
    assert parsed.start == dt.datetime(2026, 5, 1, 7, 30, tzinfo=dt.UTC)
    activity = to_activity(parsed, ATHLETE, "planned")
    assert activity.distance_meters == pytest.approx(_length(points), rel=0.002)
    assert (
        activity.moving_time_seconds == 0 and running_metrics(activity).gap_seconds_per_km is None
    )
    assert UNTIMED_NOTE in activity.notes


def test_a_route_without_any_date_is_dated_on_import() -> None:
    body = "<rte><name>Loop</name>"
    body += "".join(f'<rtept lat="{46 + i * 0.001:.4f}" lon="14.0"></rtept>' for i in range(11))
    body += "</rte>"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    (parsed,) = read_gpx(HEAD + body.encode() + b"</gpx>", "route.gpx")
    assert before <= parsed.start <= dt.datetime.now(dt.UTC)
    assert parsed.summary is not None
    assert parsed.summary.distance_meters == pytest.approx(10 * 111.2, rel=0.01)
    assert any("dated when imported" in note for note in parsed.notes)


def test_deep_documents_and_entities_are_refused_whole() -> None:
    from momentum.core.errors import InputError

    padding = b"<!-- " + b"x" * 70_000 + b" -->"
    bomb = (
        b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>'
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        read_gpx(bomb, "late-doctype.gpx")


@st.composite
def _tracks(draw: st.DrawFn) -> list[list[tuple]]:
    segments = []
    t = 0
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        lat = draw(st.floats(min_value=-60, max_value=60))
        lng = draw(st.floats(min_value=-170, max_value=170))
        points = []
        for _ in range(draw(st.integers(min_value=2, max_value=30))):
            lat += draw(st.floats(min_value=-3e-5, max_value=3e-5))
            lng += draw(st.floats(min_value=-3e-5, max_value=3e-5))
            points.append((lat, lng, t))
            t += 1
        t += draw(st.integers(min_value=1, max_value=3600))
        segments.append(points)
    return segments


@settings(max_examples=60, deadline=None)
@given(_tracks())
def test_a_tracks_distance_is_the_sum_of_its_segments(segments: list[list[tuple]]) -> None:
    def distance(parts: list[list[tuple]]) -> float:
        body = "<trk>" + "".join(_segment(p) for p in parts) + "</trk>"
        (parsed,) = read_gpx(HEAD + body.encode() + b"</gpx>", "p.gpx")
        assert parsed.streams is not None
        return to_activity(parsed, ATHLETE, "p").distance_meters

    whole = distance(segments)
    alone = sum(distance([seg]) for seg in segments)
    assert whole == pytest.approx(alone, rel=1e-6, abs=1e-6)
