"""One class, two sources, one activity: a Peloton ride that also reaches Strava, in either
order, minutes apart, with Strava's webhook delivered twice. Both fakes on loopback, driven
through the real clients: the fake Strava over TLS with stravalib (its webhook through the
app's ``/strava/webhook`` route and deferred handlers), the fake Peloton with the plugin's
httpx client; the real coach reviews (an echo model), so a second review would show."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from momentum import Activity
from momentum.plugins.peloton.connect import with_password
from momentum.plugins.peloton.poll import poll
from momentum.testing import PluginHarness
from tests.fakes.fake_peloton import EMAIL, PASSWORD, FakePeloton, session

pytestmark = [pytest.mark.peloton, pytest.mark.integration]

NOW = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)  # 18:30 in Toronto
START = NOW - dt.timedelta(minutes=40)  # the class began at 17:50 and ran 20 minutes
RIDE_ID = 17321805264
MINUTES = 20
ORDERS = ("peloton_first", "strava_first", "strava_acked_then_peloton")


@pytest.fixture
def strava(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    fakes = pytest.importorskip("tests.fakes.fake_strava", reason="the Strava fake is not here")
    folder = tmp_path / "strava"
    folder.mkdir()
    with fakes.FakeStrava(folder, clock=lambda: NOW.timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server


@pytest.fixture
def peloton() -> Iterator[FakePeloton]:
    with FakePeloton() as server:
        yield server


@pytest.fixture
def harness(strava: object, peloton: FakePeloton) -> PluginHarness:
    from momentum.core.config import Secret
    from momentum.plugins.strava.settings import StravaSettings
    from tests.fakes import fake_strava as fs

    harness = PluginHarness(
        builtins=True,
        now=NOW,
        settings={
            "strava": StravaSettings(
                client_id=str(fs.CLIENT_ID),
                client_secret=Secret(fs.CLIENT_SECRET),
                verify_token=Secret(fs.VERIFY_TOKEN),
                subscription_id=str(fs.SUBSCRIPTION_ID),
                base_url=strava.base_url,  # type: ignore[attr-defined]
            ),
            "peloton": peloton.settings(),
        },
    )
    harness.add_athlete("ada")
    fs.connect_athlete(harness.app, strava, "ada")
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    # The ride on Peloton: the bike's output, cadence and speed, second by second.
    workout, samples = session(
        "w-ride", "cycling", START, MINUTES, {"output": 180, "cadence": 85, "speed": 18.0}
    )
    peloton.add(workout, samples)
    # The same ride on Strava, from the watch: started 20 s late, heart rate and power.
    seconds = MINUTES * 60
    strava.add_activity(  # type: ignore[attr-defined]
        fs.OWNER_ID,
        RIDE_ID,
        name="Evening Ride",
        sport_type="VirtualRide",
        start=START + dt.timedelta(seconds=20),
        trainer=True,
        streams={
            "time": list(range(seconds)),
            "heartrate": [131] * seconds,
            "watts": [175] * seconds,
        },
    )
    return harness


def deliver_strava_webhook(harness: PluginHarness) -> int:
    """Strava POSTs the create event: the app acks and defers the import (run later by
    ``harness.run_deferred()``)."""
    from tests.fakes.fake_strava import OWNER_ID, SUBSCRIPTION_ID, FakeStrava

    event = FakeStrava.event("activity", "create", RIDE_ID, OWNER_ID, SUBSCRIPTION_ID)
    response = harness.webhook("/strava/webhook", json.dumps(event), run_deferred=False)
    return response.status


def the_one_activity(harness: PluginHarness) -> Activity:
    activities = harness.activities("ada")
    assert len(activities) == 1, [a.activity_id for a in activities]
    return activities[0]


@pytest.mark.parametrize("order", ORDERS)
def test_one_activity_with_both_sources_ranges_and_one_review(
    harness: PluginHarness, order: str
) -> None:
    if order == "peloton_first":
        assert poll(harness.app, "ada").added == ["peloton-w-ride"]
        assert len(harness.dms("ada")) == 1  # Peloton's record was reviewed
        assert deliver_strava_webhook(harness) == 200
        assert deliver_strava_webhook(harness) == 200  # Strava delivers it twice
        harness.run_deferred()
    elif order == "strava_first":
        assert deliver_strava_webhook(harness) == 200
        harness.run_deferred()
        assert deliver_strava_webhook(harness) == 200  # a late duplicate
        harness.run_deferred()
        assert poll(harness.app, "ada").merged == [str(RIDE_ID)]
    else:  # both within minutes: Strava's event acked, Peloton polled before it ran
        assert deliver_strava_webhook(harness) == 200
        assert deliver_strava_webhook(harness) == 200
        assert harness.activities("ada") == []  # nothing imported before the ack
        assert poll(harness.app, "ada").added == ["peloton-w-ride"]
        harness.run_deferred()

    one = the_one_activity(harness)
    assert one.activity_id == str(RIDE_ID) and one.source == "strava"
    assert one.source_ids == {"strava": str(RIDE_ID), "peloton": "w-ride"}
    assert one.activity_type == "VirtualRide" and one.name == "Evening Ride"
    streams = harness.storage.get_streams("ada", one.activity_id)
    assert streams is not None
    ranges = {(r.field, r.source) for r in streams.source_ranges}
    assert {("power", "peloton"), ("cadence", "peloton"), ("heart_rate", "strava")} <= ranges
    power = streams.channels["power"]
    # the bike's output for its 20 minutes; the watch's for the 20 s it ran on after
    assert power.count(180.0) >= MINUTES * 60 - 1 and power.count(175.0) <= 21
    assert len(streams.time) == MINUTES * 60 + 20
    assert harness.storage.get_activity("ada", "peloton-w-ride") is None
    assert len(harness.dms("ada")) == 1  # one review for one session
    review = harness.storage.get_message("ada", f"review:{RIDE_ID}")
    assert review is not None and review.ref

    # Re-runs change nothing: another poll, another duplicate delivery, the job again.
    before = (harness.activities("ada"), harness.storage.get_streams("ada", one.activity_id))
    again = poll(harness.app, "ada")
    assert again.added == [] and again.merged == []
    assert deliver_strava_webhook(harness) == 200
    harness.run_deferred()
    harness.run_job("peloton_poll_21", "ada")
    after = (harness.activities("ada"), harness.storage.get_streams("ada", one.activity_id))
    assert after == before
    assert len(harness.dms("ada")) == 1
