"""Strava webhooks end to end on loopback: a fake Strava over real TLS, the real stravalib
pointed at it (``ApiV3.server`` via ``strava.base_url``, the certificate trusted through
``REQUESTS_CA_BUNDLE``), the app's ``/strava/webhook`` route and its deferred handlers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from momentum.core.memory import InMemoryScheduler
from momentum.core.model import Activity
from momentum.plugins.strava.settings import strava_settings
from momentum.plugins.strava.source import create_claim_key
from tests.fakes.fake_strava import (
    OWNER_ID,
    SUBSCRIPTION_ID,
    VERIFY_TOKEN,
    FakeStrava,
    ReviewRecorder,
    build_strava_app,
    connect_athlete,
    streams_from_tcx,
    synthetic_run,
    webhook_request,
)

pytestmark = pytest.mark.integration

RUN_ID = 17321805264


@pytest.fixture
def fake(tmp_path, clock, monkeypatch):
    with FakeStrava(tmp_path, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server


@pytest.fixture
def coach() -> ReviewRecorder:
    return ReviewRecorder()


@pytest.fixture
def app(fake, clock, athlete, coach, tmp_path):
    app = build_strava_app(fake, clock, [athlete], tmp_path, coach=coach)
    connect_athlete(app, fake, athlete.athlete_id)
    return app


@pytest.fixture
def tcx_run(fake, data_dir, clock):
    start = dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)
    return fake.add_activity(
        OWNER_ID,
        RUN_ID,
        name="Evening Run",
        sport_type="Run",
        start=start,
        streams=streams_from_tcx(data_dir / "tcx" / "test.tcx"),
    )


def post_event(app, **fields):
    event = FakeStrava.event(
        fields.pop("object_type", "activity"),
        fields.pop("aspect_type", "create"),
        fields.pop("object_id", RUN_ID),
        fields.pop("owner_id", OWNER_ID),
        fields.pop("subscription_id", SUBSCRIPTION_ID),
        **fields,
    )
    return app.handle_http(webhook_request("POST", json.dumps(event).encode()))


def drain(app) -> int:
    assert isinstance(app.scheduler, InMemoryScheduler)
    return app.scheduler.run_pending()


def everything(app, athlete_id: str = "adam") -> list[Activity]:
    return app.storage.list_activities(
        athlete_id, dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    )


# -- subscription validation (GET) -------------------------------------------------------


def test_hub_challenge_is_echoed_for_the_right_verify_token(app):
    query = {"hub.mode": "subscribe", "hub.challenge": "15f7d1a9", "hub.verify_token": VERIFY_TOKEN}
    response = app.handle_http(webhook_request("GET", query=query))
    assert response.status == 200
    assert json.loads(response.body) == {"hub.challenge": "15f7d1a9"}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"hub.mode": "subscribe", "hub.challenge": "x", "hub.verify_token": "wrong"}, 403),
        ({"hub.mode": "subscribe", "hub.challenge": "x"}, 400),
        ({"hub.mode": "unsubscribe", "hub.challenge": "x", "hub.verify_token": VERIFY_TOKEN}, 400),
        ({}, 400),
    ],
)
def test_bad_challenges_are_refused(app, query, status):
    assert app.handle_http(webhook_request("GET", query=query)).status == status


# -- create ------------------------------------------------------------------------------


def test_create_fetches_builds_stores_and_reviews(app, fake, coach, tcx_run):
    response = post_event(app)
    assert response.status == 200
    assert everything(app) == []  # nothing fetched before the ack

    assert drain(app) == 1
    [activity] = everything(app)
    assert activity.activity_id == str(RUN_ID)
    assert activity.source == "strava" and activity.source_ids == {"strava": str(RUN_ID)}
    assert activity.name == "Evening Run" and activity.activity_type == "Run"
    assert activity.start == dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)
    # computed from the real device run's streams (test.tcx: ~1 mile laps, HR present)
    assert activity.distance_meters == pytest.approx(tcx_run.streams["distance"][-1], rel=0.02)
    assert activity.avg_hr is not None and 100 < activity.avg_hr < 190
    assert activity.splits
    streams = app.storage.get_streams("adam", str(RUN_ID))
    assert streams is not None
    assert len(streams.time) == len(tcx_run.streams["time"])
    assert streams.channel("lat") and streams.channel("lng") and streams.channel("heart_rate")
    assert coach.reviews == [("adam", str(RUN_ID))]


def test_a_create_event_delivered_twice_is_processed_once(app, fake, coach, tcx_run):
    assert post_event(app).status == 200
    again = post_event(app)
    assert again.status == 200 and again.body == b"duplicate"
    assert drain(app) == 1
    assert coach.reviews == [("adam", str(RUN_ID))]
    fetched = [p for m, p in fake.requests if p == f"/api/v3/activities/{RUN_ID}"]
    assert len(fetched) == 1


def test_a_failed_create_releases_its_claim_so_a_redelivery_is_processed(app, coach, tcx_run):
    coach.fail_times = 1
    post_event(app)
    with pytest.raises(RuntimeError, match="model unavailable"):
        drain(app)
    assert post_event(app).body == b"ok"  # not "duplicate": the claim was released
    drain(app)
    assert coach.reviews == [("adam", str(RUN_ID)), ("adam", str(RUN_ID))]
    assert len(everything(app)) == 1  # upserted, not duplicated


def test_indoor_run_cadence_is_doubled_to_steps_per_minute(app, fake, coach):
    start = dt.datetime(2026, 3, 1, 14, 0, tzinfo=dt.UTC)
    fake.add_activity(
        OWNER_ID,
        55,
        name="Treadmill",
        sport_type="Run",
        start=start,
        streams=synthetic_run(30),
        trainer=True,
    )
    post_event(app, object_id=55)
    drain(app)
    [activity] = everything(app)
    assert activity.activity_subtype == "Indoor" and activity.is_indoor
    streams = app.storage.get_streams("adam", "55")
    assert streams is not None and set(streams.channel("cadence") or ()) == {168.0}
    assert streams.sample_interval == 1.0


def test_a_manual_activity_without_streams_is_stored_from_its_summary(app, fake, coach):
    start = dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)
    fake.add_activity(
        OWNER_ID,
        77,
        name="Strength class",
        sport_type="WeightTraining",
        start=start,
        moving_time=3600,
        distance=0.0,
    )
    post_event(app, object_id=77)
    drain(app)
    [activity] = everything(app)
    assert activity.activity_type == "WeightTraining"
    assert activity.moving_time_seconds == 3600
    assert app.storage.get_streams("adam", "77") is None
    assert not any(p.endswith("/streams") for _, p in fake.requests)


def test_an_activity_deleted_before_the_fetch_is_skipped_quietly(app, coach):
    post_event(app, object_id=999)  # not on Strava (any more)
    drain(app)
    assert everything(app) == [] and coach.reviews == []


# -- update, delete ------------------------------------------------------------------------


def test_update_applies_title_and_type_without_a_new_review(app, fake, coach, tcx_run):
    post_event(app)
    drain(app)
    before = everything(app)[0]

    fake.rename(RUN_ID, name="Mazinaw recce")
    assert post_event(app, aspect_type="update", updates={"title": "Mazinaw recce"}).status == 200
    drain(app)
    [renamed] = everything(app)
    assert renamed.name == "Mazinaw recce"
    assert dataclasses.replace(renamed, name=before.name) == before

    fake.rename(RUN_ID, sport_type="Hike")
    post_event(app, aspect_type="update", updates={"type": "Hike"})
    drain(app)
    [retyped] = everything(app)
    assert retyped.activity_type == "Hike" and retyped.name == "Mazinaw recce"
    assert retyped.distance_meters == pytest.approx(before.distance_meters)
    assert coach.reviews == [("adam", str(RUN_ID))]  # still only the first review


def test_update_for_an_activity_we_do_not_have_is_ignored(app):
    post_event(app, aspect_type="update", object_id=4, updates={"title": "x"})
    drain(app)
    assert everything(app) == []


def test_a_forged_update_renames_nothing(app, fake, tcx_run):
    """The event's ``updates`` are never trusted: the title and type come from the API."""
    post_event(app)
    drain(app)
    before = everything(app)[0]
    forged = {"title": "<!channel> pwned", "type": "Walk"}
    assert post_event(app, aspect_type="update", updates=forged).status == 200
    drain(app)
    assert everything(app) == [before]


def test_delete_hides_the_activity_then_purges_it_after_the_grace_period(app, fake, clock):
    from momentum.plugins.strava.sync import DELETE_GRACE

    fake.add_activity(
        OWNER_ID, RUN_ID, name="Run", sport_type="Run", start=clock.now(), streams=synthetic_run(20)
    )
    post_event(app)
    drain(app)
    fake.delete_activity(RUN_ID)  # really deleted on Strava
    post_event(app, aspect_type="delete")
    drain(app)
    assert everything(app) == []  # hidden from lists (and so from the coach)
    kept = app.storage.get_activity("adam", str(RUN_ID))
    assert kept is not None and kept.deleted_at == clock.now()
    assert app.storage.get_streams("adam", str(RUN_ID)) is not None  # recoverable

    assert drain(app) == 0  # the purge waits for the grace period
    clock.advance(DELETE_GRACE + dt.timedelta(minutes=1))
    assert app.scheduler.run_pending(clock.now()) == 1
    assert app.storage.get_activity("adam", str(RUN_ID)) is None
    assert app.storage.get_streams("adam", str(RUN_ID)) is None


def test_a_forged_delete_keeps_the_activity(app, tcx_run, caplog):
    post_event(app)
    drain(app)
    before = everything(app)
    assert post_event(app, aspect_type="delete").status == 200  # Strava still has it
    drain(app)
    assert everything(app) == before
    assert app.storage.get_activity("adam", str(RUN_ID)).deleted_at is None
    assert "forged or stale" in caplog.text


def test_a_later_update_restores_a_deleted_activity(app, fake, tcx_run):
    post_event(app)
    drain(app)
    saved = fake.activities[RUN_ID]
    fake.delete_activity(RUN_ID)
    post_event(app, aspect_type="delete")
    drain(app)
    assert everything(app) == []
    fake.activities[RUN_ID] = saved  # Strava restored it (or the delete was a glitch)
    post_event(app, aspect_type="update", updates={"title": "Evening Run"})
    drain(app)
    assert [a.activity_id for a in everything(app)] == [str(RUN_ID)]


# -- deauthorisation -----------------------------------------------------------------------


def test_a_forged_deauthorisation_keeps_the_athlete(app, fake, tcx_run, caplog):
    post_event(app)
    drain(app)
    token = app.storage.get_token("adam", "strava")
    response = post_event(
        app,
        object_type="athlete",
        aspect_type="update",
        object_id=OWNER_ID,
        updates={"authorized": "false"},
    )
    assert response.status == 200
    drain(app)
    assert app.storage.get_token("adam", "strava") == token
    assert [a.activity_id for a in everything(app)] == [str(RUN_ID)]
    assert "forged event" in caplog.text


def test_deauthorisation_deletes_strava_data_and_tokens_only(app, fake, coach, tcx_run):
    post_event(app)
    drain(app)
    own = Activity("own-1", "adam", "WeightTraining", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    app.storage.put_activity(dataclasses.replace(own, source="slack"))
    fake.revoke(OWNER_ID)  # the athlete revoked Momentum on Strava

    response = post_event(
        app,
        object_type="athlete",
        aspect_type="update",
        object_id=OWNER_ID,
        updates={"authorized": "false"},
    )
    assert response.status == 200
    drain(app)
    assert [a.activity_id for a in everything(app)] == ["own-1"]
    assert app.storage.get_token("adam", "strava") is None
    assert app.storage.get_streams("adam", str(RUN_ID)) is None
    # the athlete is no longer ours on Strava: later events are ignored
    assert post_event(app, object_id=RUN_ID + 1).body == b"ignored"


def test_other_athlete_updates_are_ignored(app):
    response = post_event(
        app,
        object_type="athlete",
        aspect_type="update",
        object_id=OWNER_ID,
        updates={"firstname": "A"},
    )
    assert response.body == b"ignored"
    assert drain(app) == 0


# -- bad input: nothing stored ----------------------------------------------------------------


def _nothing_stored(app, object_id: int = RUN_ID) -> None:
    assert isinstance(app.scheduler, InMemoryScheduler) and app.scheduler.pending == []
    assert app.storage.claim(create_claim_key(object_id), app.clock.now(), dt.timedelta(0))
    assert everything(app) == []


def test_unknown_subscription_ids_get_403(app, tcx_run):
    assert post_event(app, subscription_id=SUBSCRIPTION_ID + 1).status == 403
    _nothing_stored(app)


def test_no_configured_subscription_refuses_every_event(fake, clock, athlete, tmp_path, tcx_run):
    app = build_strava_app(fake, clock, [athlete], tmp_path / "fresh")
    app.settings = app.settings.with_section(
        "strava", dataclasses.replace(strava_settings(app.settings), subscription_id="")
    )
    connect_athlete(app, fake, "adam")
    assert post_event(app).status == 403


def test_a_subscription_saved_by_the_cli_is_picked_up_without_restart(
    fake, clock, athlete, tmp_path, tcx_run
):
    from momentum.plugins.strava.subscriptions import remember

    app = build_strava_app(fake, clock, [athlete], tmp_path)
    app.settings = app.settings.with_section(
        "strava", dataclasses.replace(strava_settings(app.settings), subscription_id="")
    )
    connect_athlete(app, fake, "adam")
    assert post_event(app, subscription_id=2002).status == 403
    remember(tmp_path, 2002)
    assert post_event(app, subscription_id=2002).status == 200


def test_unknown_owners_are_acknowledged_and_ignored(app, tcx_run):
    response = post_event(app, owner_id=1)
    assert response.status == 200 and response.body == b"ignored"
    _nothing_stored(app)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"object_type": "activity"}).encode(),
        json.dumps(FakeStrava.event("route", "create", 1, OWNER_ID, SUBSCRIPTION_ID)).encode(),
        json.dumps(FakeStrava.event("activity", "explode", 1, OWNER_ID, SUBSCRIPTION_ID)).encode(),
        json.dumps(
            {
                **FakeStrava.event("activity", "create", RUN_ID, OWNER_ID, 1001),
                "object_id": "17321805264",
            }
        ).encode(),
        json.dumps(
            {**FakeStrava.event("activity", "create", RUN_ID, OWNER_ID, 1001), "updates": ["x"]}
        ).encode(),
        b"{" + b" " * 9000 + b"}",
    ],
    ids=[
        "text",
        "array",
        "fields-missing",
        "object-type",
        "aspect",
        "id-string",
        "updates",
        "oversized",
    ],
)
def test_malformed_bodies_get_400(app, body, tcx_run):
    response = app.handle_http(webhook_request("POST", body))
    assert response.status == 400
    _nothing_stored(app)


# -- tokens and rate limits -------------------------------------------------------------------


def test_an_expired_token_is_refreshed_and_the_rotated_refresh_token_stored(
    fake, clock, athlete, coach, tmp_path, tcx_run
):
    app = build_strava_app(fake, clock, [athlete], tmp_path, coach=coach)
    first = connect_athlete(app, fake, "adam", expires_in=-60)
    post_event(app)
    drain(app)
    stored = app.storage.get_token("adam", "strava")
    assert stored is not None and stored.version == first.version + 1
    assert stored.refresh_token == fake.current_refresh_token(OWNER_ID) != first.refresh_token
    assert stored.expires_at > clock.now()
    assert coach.reviews == [("adam", str(RUN_ID))]


def test_an_exhausted_rate_limit_defers_instead_of_sleeping(tmp_path, clock, athlete, monkeypatch):
    with FakeStrava(tmp_path, clock=lambda: clock.now().timestamp(), read_limits=(4, 1000)) as fake:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fake.cert_path))
        coach = ReviewRecorder()
        app = build_strava_app(fake, clock, [athlete], tmp_path, coach=coach)
        connect_athlete(app, fake, "adam")
        for activity_id in (1, 2):
            fake.add_activity(
                OWNER_ID,
                activity_id,
                name="Run",
                sport_type="Run",
                start=dt.datetime(2026, 3, activity_id, 12, tzinfo=dt.UTC),
                streams=synthetic_run(5),
            )
        post_event(app, object_id=1)
        drain(app)  # 2 reads: 2 of 4 used, and RESERVE keeps the last two back
        post_event(app, object_id=2)
        assert drain(app) == 1  # no sleep, no failure: the create rescheduled itself
        [(due, retry)] = app.scheduler.delayed
        assert dt.timedelta(0) < due - clock.now() <= dt.timedelta(minutes=16)
        assert retry.payload["attempt"] == 1
        assert coach.reviews == [("adam", "1")]
        # the claim is held while the retry waits (tests/integration/test_strava_ratelimit.py
        # follows the retry through)
        assert not app.storage.claim(create_claim_key(2), clock.now(), dt.timedelta(0))
