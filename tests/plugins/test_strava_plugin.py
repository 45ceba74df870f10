"""The Strava plugin through ``momentum.testing``: a webhook from the fake Strava server
(real HTTPS, real stravalib) in, the activity fetched by the deferred half, stored, and the
coach's review sent by DM."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from momentum import OAuthToken
from momentum.plugins.running import plugin as running_plugin
from momentum.plugins.strava import plugin as strava_plugin
from momentum.testing import PluginHarness
from tests.fakes.fake_strava import (
    CLIENT_ID,
    CLIENT_SECRET,
    OWNER_ID,
    SUBSCRIPTION_ID,
    VERIFY_TOKEN,
    FakeStrava,
    synthetic_run,
)

pytestmark = pytest.mark.integration
RUN_ID = 777001


@pytest.fixture
def strava(tmp_path, monkeypatch):
    with FakeStrava(tmp_path) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        server.add_athlete(OWNER_ID)
        yield server


def connected(strava: FakeStrava) -> PluginHarness:
    harness = PluginHarness(
        strava_plugin,
        running_plugin,
        settings={
            "strava": {
                "client_id": CLIENT_ID,
                "verify_token": VERIFY_TOKEN,
                "subscription_id": str(SUBSCRIPTION_ID),
                "base_url": strava.base_url,
            }
        },
        secrets={"STRAVA_CLIENT_SECRET": CLIENT_SECRET},
    )
    harness.add_athlete("ada")
    tokens = strava.issue_tokens(OWNER_ID)
    harness.storage.put_token(
        OAuthToken(
            athlete_id="ada",
            provider="strava",
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            expires_at=dt.datetime.fromtimestamp(tokens["expires_at"], dt.UTC),
            provider_athlete_id=str(OWNER_ID),
            scope="read,activity:read_all",
        ),
        expected_version=0,
    )
    return harness


def test_a_new_run_on_strava_is_stored_and_reviewed(strava: FakeStrava) -> None:
    harness = connected(strava)
    start = dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)
    strava.add_activity(
        OWNER_ID,
        RUN_ID,
        name="Evening Run",
        sport_type="Run",
        start=start,
        streams=synthetic_run(40),
    )
    event = FakeStrava.event("activity", "create", RUN_ID, OWNER_ID, SUBSCRIPTION_ID)

    assert harness.webhook("/strava/webhook", event).status == 200

    [run] = harness.activities("ada")
    assert (run.activity_id, run.name, run.source) == (str(RUN_ID), "Evening Run", "strava")
    [review] = harness.dms("ada")
    assert review.startswith("*Latest activity: Evening Run*") and "(review)" in review


def test_the_subscription_challenge_needs_the_verify_token(strava: FakeStrava) -> None:
    harness = connected(strava)
    query = {"hub.mode": "subscribe", "hub.challenge": "abc", "hub.verify_token": VERIFY_TOKEN}
    ok = harness.webhook("/strava/webhook", method="GET", query=query)
    assert ok.status == 200 and json.loads(ok.body) == {"hub.challenge": "abc"}
    wrong = harness.webhook(
        "/strava/webhook", method="GET", query={**query, "hub.verify_token": "x"}
    )
    assert wrong.status == 403
