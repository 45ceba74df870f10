"""The dashboard's pure pieces: the route, the distance profile, specs and safe embedding.

Streams are built through the real record builder; invariants are hypothesis properties.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.dashboard.overview import cost_months
from momentum.core.dashboard.site import clock_text, script_json
from momentum.core.model import Activity, AthleteProfile, LLMUsage, Streams
from momentum.plugins.running.analytics.record import build_activity
from momentum.plugins.running.dashboard import charts, pace_text
from momentum.plugins.running.dashboard.activity import ROUTE_POINTS, activity_page, profile, route

START = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def loop_run(athlete: AthleteProfile, seconds: int = 1800, speed: float = 3.0) -> Activity:
    """A run around a circle of about 1.4 km at ``speed`` m/s, with heart rate and hills."""
    radius_deg = 0.002
    n = seconds
    lat = [43.65 + radius_deg * math.sin(2 * math.pi * i / 480) for i in range(n)]
    lng = [-79.38 + radius_deg * 1.38 * math.cos(2 * math.pi * i / 480) for i in range(n)]
    streams = Streams(
        time=tuple(float(i) for i in range(n)),
        channels={
            "distance": tuple(speed * i for i in range(n)),
            "speed": tuple(speed for _ in range(n)),
            "heart_rate": tuple(140.0 + 10 * math.sin(i / 300) for i in range(n)),
            "altitude": tuple(100.0 + 5 * math.sin(i / 200) for i in range(n)),
            "lat": tuple(lat),
            "lng": tuple(lng),
        },
    )
    return build_activity(streams, athlete, activity_id="loop", activity_type="Run", start=START)


def test_route_starts_at_the_origin_and_stays_within_the_loop(athlete: AthleteProfile) -> None:
    points = route(loop_run(athlete))
    assert points[0] == {"order": 0, "x": 0.0, "y": 0.0}
    assert 2 < len(points) <= ROUTE_POINTS + 1
    assert [p["order"] for p in points] == list(range(len(points)))
    # The circle's diameter is about 2 × 0.002° of latitude ≈ 445 m.
    ys = [p["y"] for p in points]
    assert 400 < max(ys) - min(ys) < 480


def test_profile_bins_cover_the_distance_and_keep_the_records_pace(
    athlete: AthleteProfile,
) -> None:
    run = loop_run(athlete)
    rows = profile(run)
    assert 100 <= len(rows) <= 121
    assert math.isclose(rows[-1]["km"] * 1000, run.distance_meters, rel_tol=0.01)
    steady = [r["pace"] for r in rows[1:-1]]
    assert all(math.isclose(p, 1000 / 3.0, rel_tol=0.02) for p in steady)
    assert all(r["hr"] is not None and r["elevation"] is not None for r in rows)


def test_activity_page_zones_are_the_records_zone_times(athlete: AthleteProfile) -> None:
    run = loop_run(athlete)
    page = activity_page(run, athlete, None)
    assert [z["minutes"] for z in page["zones"]] == [round(s / 60, 1) for s in run.zone_seconds]
    assert page["plan"] is None
    assert page["activity"]["pace"] == round(
        run.moving_time_seconds / run.distance_meters * 1000, 1
    )


def test_a_run_without_streams_has_no_route_or_profile(athlete: AthleteProfile) -> None:
    bare = Activity(
        activity_id="x", athlete_id=athlete.athlete_id, activity_type="Run", start=START
    )
    assert route(bare) == [] and profile(bare) == []
    assert [c["id"] for c in charts.activity_charts(activity_page(bare, athlete, None))] == [
        "zones"
    ]


def test_cost_months_are_the_usage_summary_with_the_budget() -> None:
    from zoneinfo import ZoneInfo

    usage = [
        LLMUsage(
            "a", "me", dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC), "groq", "m", "c", 1, 1, 1.0, 0.02
        ),
        LLMUsage(
            "b", "me", dt.datetime(2026, 2, 9, 12, tzinfo=dt.UTC), "groq", "m", "c", 1, 1, 1.0, 0.03
        ),
    ]
    rows = cost_months(usage, ZoneInfo("UTC"), dt.date(2026, 3, 10), 1.5, months=3)
    assert [r["month"] for r in rows] == ["2026-01", "2026-02", "2026-03"]
    assert [r["cost_usd"] for r in rows] == [0.0, 0.05, 0.0]
    assert {r["budget_usd"] for r in rows} == {1.5}


@settings(max_examples=60)
@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_script_json_never_closes_its_script_element(value: object) -> None:
    text = script_json(value)
    assert "<" not in text and ">" not in text
    assert json.loads(text) == value


@given(st.floats(min_value=0, max_value=36_000, allow_nan=False))
def test_pace_and_clock_text_read_back(seconds: float) -> None:
    minutes, rest = pace_text(seconds).split(":")
    assert int(minutes) * 60 + int(rest) == round(seconds)
    parts = [int(p) for p in clock_text(seconds).split(":")]
    total = sum(v * 60**k for k, v in enumerate(reversed(parts)))
    assert total == round(seconds)
    assert pace_text(None) == clock_text(None) == "–"


def test_every_chart_has_a_title_a_text_alternative_and_its_data(athlete: AthleteProfile) -> None:
    page = activity_page(loop_run(athlete), athlete, None)
    for chart in charts.activity_charts(page):
        assert chart["title"] and chart["description"].endswith(".")
        assert chart["spec"]["description"] == chart["description"]
        name = chart["spec"]["data"]["name"]
        assert chart["spec"]["datasets"][name], chart["id"]
