"""A rate-limited Strava create is retried by itself once the window resets: nothing lost,
one review. Loopback: the fake Strava over TLS answers 429 or reports exhausted
``X-RateLimit`` usage, the real stravalib reads it; the app's clock is a FixedClock that
the test moves past the retry's time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.memory import InMemoryScheduler
from momentum.core.model import AthleteProfile
from momentum.core.ports.clock import FixedClock
from momentum.plugins.strava import ratelimit
from momentum.plugins.strava.source import create_claim_key
from momentum.plugins.strava.sync import KIND_CREATE, MAX_RATE_LIMIT_RETRIES, RETRY_MARGIN
from tests.fakes.fake_strava import (
    OWNER_ID,
    SUBSCRIPTION_ID,
    FakeStrava,
    ReviewRecorder,
    build_strava_app,
    connect_athlete,
    synthetic_run,
    webhook_request,
)

pytestmark = pytest.mark.integration

QUARTER = dt.timedelta(minutes=15)


@pytest.fixture
def fake(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    folder = tmp_path / "strava"
    folder.mkdir()
    with FakeStrava(folder, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        for activity_id in (1, 2):
            server.add_activity(
                OWNER_ID,
                activity_id,
                name=f"Run {activity_id}",
                sport_type="Run",
                start=dt.datetime(2026, 3, activity_id, 12, tzinfo=dt.UTC),
                streams=synthetic_run(5),
            )
        yield server


@pytest.fixture
def coach() -> ReviewRecorder:
    return ReviewRecorder()


@pytest.fixture
def app(
    fake: Any, clock: FixedClock, athlete: AthleteProfile, coach: ReviewRecorder, tmp_path: Path
) -> Any:
    app = build_strava_app(fake, clock, [athlete], tmp_path, coach=coach)
    connect_athlete(app, fake, athlete.athlete_id)
    return app


def post_create(app: Any, activity_id: int) -> bytes:
    event = FakeStrava.event("activity", "create", activity_id, OWNER_ID, SUBSCRIPTION_ID)
    response = app.handle_http(webhook_request("POST", json.dumps(event).encode()))
    assert response.status == 200
    body: bytes = response.body
    return body


def delayed(app: Any) -> list[tuple[dt.datetime, Any]]:
    assert isinstance(app.scheduler, InMemoryScheduler)
    return list(app.scheduler.delayed)


def api_reads(fake: Any, activity_id: int) -> int:
    return fake.requests.count(("GET", f"/api/v3/activities/{activity_id}"))


def test_a_429_reschedules_the_create_after_the_window_and_it_is_reviewed_once(
    app: Any, fake: Any, clock: FixedClock, coach: ReviewRecorder
) -> None:
    fake.exhaust("15-minute")  # other traffic used the window up; our budget knows nothing
    assert post_create(app, 1) == b"ok"
    assert app.scheduler.run_pending() == 1  # ran, hit 429, rescheduled itself: no error
    assert api_reads(fake, 1) == 1 and coach.reviews == []
    [(due, retry)] = delayed(app)
    # 11:00 + the rest of the quarter hour (Strava's reset) + a margin
    assert due == dt.datetime(2026, 3, 3, 11, 15, tzinfo=dt.UTC) + RETRY_MARGIN
    assert retry.kind == KIND_CREATE and retry.key == create_claim_key(1)
    assert retry.payload["attempt"] == 1 and retry.payload["activity_id"] == 1

    assert post_create(app, 1) == b"duplicate"  # Strava redelivers while the retry waits
    assert len(delayed(app)) == 1 and app.scheduler.pending == []

    clock.advance(QUARTER)  # 11:15: the window reset, but the retry is not due yet
    fake.reset_window()
    assert app.scheduler.run_pending() == 0
    clock.advance(RETRY_MARGIN)
    assert app.scheduler.run_pending() == 1
    assert coach.reviews == [("adam", "1")]
    stored = app.storage.get_activity("adam", "1")
    assert stored is not None and stored.name == "Run 1"
    assert delayed(app) == []
    assert post_create(app, 1) == b"duplicate"  # done: the claim still holds
    assert app.scheduler.run_pending() == 0 and coach.reviews == [("adam", "1")]


def test_an_exhausted_budget_is_respected_without_asking_strava(
    fake: Any, clock: FixedClock, athlete: AthleteProfile, tmp_path: Path, coach: ReviewRecorder
) -> None:
    fake.read_limits = (4, 1000)  # two reads per activity; RESERVE keeps the last two back
    app = build_strava_app(fake, clock, [athlete], tmp_path, coach=coach)
    connect_athlete(app, fake, "adam")
    post_create(app, 1)
    app.scheduler.run_pending()
    post_create(app, 2)
    assert app.scheduler.run_pending() == 1
    assert api_reads(fake, 2) == 0  # the headers said "used up": no 429 needed
    [(due, retry)] = delayed(app)
    assert due == clock.now() + QUARTER + RETRY_MARGIN and retry.payload["attempt"] == 1
    clock.advance(QUARTER + RETRY_MARGIN)
    fake.reset_window()
    assert app.scheduler.run_pending() == 1
    assert coach.reviews == [("adam", "1"), ("adam", "2")]


def test_a_daily_limit_waits_for_midnight_utc(
    app: Any, fake: Any, clock: FixedClock, coach: ReviewRecorder
) -> None:
    fake.exhaust("daily")
    post_create(app, 2)
    app.scheduler.run_pending()
    [(due, _)] = delayed(app)
    assert due == dt.datetime(2026, 3, 4, 0, 0, tzinfo=dt.UTC) + RETRY_MARGIN
    clock.advance(QUARTER * 2)
    fake.reset_window()  # a new quarter hour does not help: the day is used up
    assert app.scheduler.run_pending() == 0
    clock.set(due)
    fake.reset_day()
    assert app.scheduler.run_pending() == 1 and coach.reviews == [("adam", "2")]


def test_retries_stop_at_the_cap_then_the_claim_is_released_for_a_backfill(
    app: Any, fake: Any, clock: FixedClock, coach: ReviewRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    fake.exhaust("15-minute")
    post_create(app, 1)
    app.scheduler.run_pending()
    attempts = []
    with caplog.at_level(logging.WARNING, logger="momentum.strava"):
        for _ in range(MAX_RATE_LIMIT_RETRIES - 1):
            [(due, retry)] = delayed(app)
            attempts.append(retry.payload["attempt"])
            clock.set(due)
            fake.exhaust("15-minute")  # still busy: every window is used up again
            assert app.scheduler.run_pending() == 1
        [(due, last)] = delayed(app)
        attempts.append(last.payload["attempt"])
        clock.set(due)
        with pytest.raises(ratelimit.RateLimited):
            app.scheduler.run_pending()  # the last retry gives up, loudly
    assert attempts == list(range(1, MAX_RATE_LIMIT_RETRIES + 1))
    assert delayed(app) == [] and coach.reviews == []
    assert api_reads(fake, 1) == MAX_RATE_LIMIT_RETRIES + 1
    assert any("giving up" in r.getMessage() for r in caplog.records)
    assert any(f"retry 2 of {MAX_RATE_LIMIT_RETRIES}" in r.getMessage() for r in caplog.records)
    # The claim is free again: a redelivery (or `momentum strava backfill`) takes it up.
    assert post_create(app, 1) == b"ok"


def test_a_retry_that_cannot_be_scheduled_fails_and_frees_the_claim(
    app: Any, fake: Any, clock: FixedClock
) -> None:
    def refuse(job: Any, at: dt.datetime) -> None:
        raise RuntimeError("scheduler unavailable")

    app.scheduler.defer_at = refuse
    fake.exhaust("15-minute")
    post_create(app, 1)
    with pytest.raises(ratelimit.RateLimited):
        app.scheduler.run_pending()
    assert app.storage.claim(create_claim_key(1), clock.now(), dt.timedelta(0))


# -- the local scheduler: the retry is in momentum.db and survives a restart ------------------
def test_a_rate_limit_retry_survives_a_restart_of_serve(
    fake: Any, clock: FixedClock, athlete: AthleteProfile, tmp_path: Path, coach: ReviewRecorder
) -> None:
    db = tmp_path / "momentum.db"

    def serve() -> Any:
        storage = SqliteStorage(db)
        scheduler = LocalScheduler(workers=2, interval=3600)
        app = build_strava_app(
            fake, clock, [athlete], tmp_path, coach=coach, storage=storage, scheduler=scheduler
        )
        scheduler.attach(app)
        return app

    first = serve()
    connect_athlete(first, fake, "adam")
    fake.exhaust("15-minute")
    assert post_create(first, 1) == b"ok"
    assert first.scheduler.wait_idle(10)
    assert list(first.scheduler.failures) == []  # a rescheduled retry is not a failure
    [waiting] = first.storage.list_deferred_jobs()
    assert waiting.job.payload["attempt"] == 1
    assert waiting.due == dt.datetime(2026, 3, 3, 11, 15, tzinfo=dt.UTC) + RETRY_MARGIN
    first.scheduler.stop(timeout=5)
    first.storage.close()  # `momentum serve` restarted

    second = serve()
    assert post_create(second, 1) == b"duplicate"  # the claim is in the database too
    clock.advance(QUARTER + RETRY_MARGIN)
    fake.reset_window()
    assert second.scheduler.run_due() == 1
    assert second.scheduler.wait_idle(10)
    assert list(second.scheduler.failures) == []
    assert coach.reviews == [("adam", "1")]
    assert second.storage.get_activity("adam", "1") is not None
    assert second.storage.list_deferred_jobs() == []
    second.scheduler.stop(timeout=5)
    second.storage.close()
