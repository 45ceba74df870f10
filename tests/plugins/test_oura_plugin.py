"""The Oura plugin end to end against a fake Oura on loopback (tests/fakes/fake_oura.py):
the real httpx client, the plugin's routes served over HTTP by the local server, and the
check-in through PluginHarness."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import httpx
import pytest

from momentum import OAuthToken
from momentum.plugins.oura import plugin as oura_plugin
from momentum.plugins.oura.client import OuraError
from momentum.plugins.oura.days import load
from momentum.plugins.oura.oauth import redirect_uri_of, start
from momentum.plugins.oura.subscriptions import ensure
from momentum.plugins.oura.sync import fetch_range
from momentum.plugins.oura.tokens import PROVIDER, TokenKeeper, store_token
from momentum.plugins.running.model.plan import Plan
from momentum.testing import PluginHarness, free_port
from tests.fakes.fake_oura import (
    CLIENT_ID,
    CLIENT_SECRET,
    USER_ID,
    FakeOura,
    activity_day,
    signed,
    workout,
)

pytestmark = pytest.mark.oura

NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)  # Tuesday, 06:00 in Toronto
TODAY = dt.date(2026, 3, 3)
VERIFY = "fake-verification-token"


@pytest.fixture
def fake() -> Iterator[FakeOura]:
    with FakeOura() as server:
        yield server


class Coach:
    """A harness whose routes are also served over HTTP on 127.0.0.1."""

    def __init__(self, fake: FakeOura, *, builtins: bool = False) -> None:
        from momentum.adapters.local.server import LocalServer

        port = free_port()
        self.fake = fake
        self.url = f"http://127.0.0.1:{port}"
        self.harness = PluginHarness(
            oura_plugin,
            builtins=builtins,
            now=NOW,
            settings={
                "oura": {
                    "client_id": CLIENT_ID,
                    "api_url": fake.url,
                    "authorize_url": f"{fake.url}/oauth/authorize",
                    "public_url": self.url,
                }
            },
            env={"OURA_CLIENT_SECRET": CLIENT_SECRET, "OURA_VERIFICATION_TOKEN": VERIFY},
        )
        self.harness.add_athlete("ada")
        self.server = LocalServer(self.harness.app, port=port)
        self.server.start()

    @property
    def app(self):
        return self.harness.app

    def connect(self) -> OAuthToken:
        """A connection made earlier: a granted token set stored for ada."""
        grant = self.fake.grant()
        token = OAuthToken(
            athlete_id="ada",
            provider=PROVIDER,
            access_token=grant.access,
            refresh_token=grant.refresh,
            expires_at=NOW + dt.timedelta(hours=24),
            provider_athlete_id=USER_ID,
        )
        return store_token(self.harness.storage, token)

    def post_event(self, body: dict[str, str], **sign: object) -> httpx.Response:
        raw, headers = signed(body, **sign)  # type: ignore[arg-type]
        return httpx.post(f"{self.url}/oura/webhook", content=raw, headers=headers, timeout=10)


@pytest.fixture
def coach(fake: FakeOura) -> Iterator[Coach]:
    made = Coach(fake)
    yield made
    made.server.stop()


def _baseline(fake: FakeOura, days: int = 30, **night: float) -> None:
    for back in range(1, days + 1):
        day = TODAY - dt.timedelta(days=back)
        wobble = (back % 5) - 2  # a month with ordinary night-to-night variation
        fake.add_night(
            day,
            hrv=night.get("hrv", 50.0) + wobble,
            rhr=night.get("rhr", 50.0) + wobble / 2,
            hours=night.get("hours", 7.8),
        )
        fake.add("daily_activity", activity_day(day))


# -- OAuth ---------------------------------------------------------------------------------


def test_connect_completes_on_the_callback_route_and_a_replayed_redirect_stores_nothing(
    coach: Coach,
) -> None:
    url, state = start(coach.app, "ada", redirect_uri_of(coach.app))
    page = httpx.get(url, follow_redirects=True, timeout=10)  # consent → /oura/callback
    assert page.status_code == 200, page.text
    assert "connected" in page.text
    token = coach.harness.storage.get_token("ada", PROVIDER)
    assert token is not None and token.provider_athlete_id == USER_ID
    assert coach.harness.storage.find_identity(PROVIDER, USER_ID) == "ada"
    again = httpx.get(
        f"{coach.url}/oura/callback", params={"code": "x", "state": state}, timeout=10
    )
    assert again.status_code == 400 and "unknown or already used" in again.text
    assert coach.harness.storage.get_token("ada", PROVIDER) == token


def test_a_forged_state_is_refused_before_any_exchange(coach: Coach) -> None:
    answer = httpx.get(
        f"{coach.url}/oura/callback", params={"code": "abc", "state": "1772530000.forged"}
    )
    assert answer.status_code == 400
    assert "POST /oauth/token" not in coach.fake.requests
    assert coach.harness.storage.get_token("ada", PROVIDER) is None


def test_concurrent_refreshes_lose_no_token(coach: Coach) -> None:
    coach.connect()
    storage = coach.harness.storage
    token = storage.get_token("ada", PROVIDER)
    assert token is not None
    # the access token is about to expire: every worker refreshes
    storage.put_token(_expired(token), expected_version=token.version)
    coach.fake.refresh_delay = 0.2  # both workers reach Oura with the same refresh token
    from momentum.plugins.oura.api import refresher
    from momentum.plugins.oura.settings import oura_settings

    refresh = refresher(oura_settings(coach.app.settings))
    workers = [TokenKeeper(storage, lambda: NOW, refresh) for _ in range(2)]  # two processes
    results: list[str] = []
    errors: list[BaseException] = []

    def run(keeper: TokenKeeper) -> None:
        try:
            results.append(keeper.valid_token("ada").access_token)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in workers * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    stored = storage.get_token("ada", PROVIDER)
    assert stored is not None
    assert set(results) == {stored.access_token}  # everyone ends with the winner's token
    assert coach.fake.refresh_grants == 1
    assert stored.refresh_token in coach.fake.valid_refresh_tokens()  # the rotated one kept
    assert stored.expires_at > NOW


def _expired(token: OAuthToken) -> OAuthToken:
    import dataclasses

    return dataclasses.replace(token, expires_at=NOW)


# -- data ------------------------------------------------------------------------------------


def test_backfill_keeps_every_kind_and_a_second_run_changes_nothing(coach: Coach) -> None:
    from momentum.plugins.oura.cli import backfill

    coach.connect()
    _baseline(coach.fake, days=40)
    start_run = dt.datetime(2026, 2, 28, 14, 0, tzinfo=dt.UTC)
    coach.fake.add("workout", workout("w-1", start_run, 45), workout("w-2", NOW, 30, "cycling"))
    first = backfill(coach.app, "ada", 45, chunk=20)
    assert first["sleep"] == 40 and first["daily_readiness"] == 40
    assert first["daily_activity"] == 40 and first["workout"] == 2
    night = load(coach.harness.storage, "ada", "sleep", TODAY - dt.timedelta(days=1))
    assert night is not None
    assert night.get("average_hrv") == 50.0 + ((1 % 5) - 2)
    assert night.get("resting_hr") == night.get("lowest_heart_rate")
    assert night.get("latency") == 600 and night.get("efficiency") == 88
    readiness = load(coach.harness.storage, "ada", "daily_readiness", TODAY - dt.timedelta(days=3))
    assert readiness is not None and readiness.get("contributor_hrv_balance") == 75
    runs = coach.harness.activities("ada")
    assert [(a.activity_type, a.source, a.distance_meters) for a in runs] == [
        ("Run", "oura", 8000.0),
        ("Ride", "oura", 0.0),
    ]
    pages = coach.fake.requests.count("GET /v2/usercollection/sleep")
    assert pages == 2 + 2 + 1  # 16, 20 and 4 nights in pages of 10: next_token followed
    assert backfill(coach.app, "ada", 45, chunk=20) == dict.fromkeys(first, 0)


def test_429_then_success_and_a_lasting_5xx_is_a_clear_error(coach: Coach) -> None:
    coach.connect()
    _baseline(coach.fake, days=3)
    coach.fake.fail_next(2, 429, "0")
    changed = fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=3), TODAY, kinds=("sleep",))
    assert changed == {"sleep": 3}
    coach.fake.fail_next(10, 503, "0")
    with pytest.raises(OuraError, match=r"reading Oura sleep: Oura answered 503"):
        fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=3), TODAY, kinds=("sleep",))


def test_an_expired_access_token_is_refreshed_on_401(coach: Coach) -> None:
    coach.connect()
    _baseline(coach.fake, days=2)
    coach.fake.expire_access_tokens()  # Oura revoked it early; our record says it's fine
    assert fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=2), TODAY, kinds=("sleep",))
    assert coach.fake.refresh_grants == 1


def test_a_malformed_document_stores_nothing_and_names_the_field(coach: Coach) -> None:
    from momentum import InputError

    coach.connect()
    _baseline(coach.fake, days=2)
    bad = dict(coach.fake.documents["sleep"][0], average_hrv="lots")
    coach.fake.add("sleep", bad)
    with pytest.raises(InputError, match=r"average_hrv is not a number"):
        fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=2), TODAY, kinds=("sleep",))
    assert load(coach.harness.storage, "ada", "sleep", TODAY - dt.timedelta(days=1)) is None


# -- webhooks ------------------------------------------------------------------------------


def test_subscriptions_are_created_through_the_challenge_then_renewed(coach: Coach) -> None:
    first = ensure(coach.app)
    assert len(first.created) == 15 and not first.renewed
    assert {s["callback_url"] for s in coach.fake.subscriptions} == {f"{coach.url}/oura/webhook"}
    soon = (NOW + dt.timedelta(days=2)).isoformat()
    coach.fake.subscriptions[0]["expiration_time"] = soon
    second = ensure(coach.app)
    assert not second.created and len(second.renewed) == 1 and len(second.kept) == 14


def test_a_wrong_verification_token_fails_the_challenge(coach: Coach) -> None:
    answer = httpx.get(
        f"{coach.url}/oura/webhook", params={"verification_token": "nope", "challenge": "c"}
    )
    assert answer.status_code == 401


def test_an_incremental_webhook_fetches_the_changed_day_once(coach: Coach) -> None:
    coach.connect()
    coach.fake.add_night(TODAY, hrv=48, rhr=51, hours=7.5)
    event = {
        "event_type": "create",
        "data_type": "sleep",
        "object_id": f"sleep-{TODAY}",
        "event_time": "2026-03-03T10:58:00+00:00",
        "user_id": USER_ID,
    }
    at = NOW.timestamp()
    answer = coach.post_event(event, at=at)
    assert answer.status_code == 200 and answer.text == "ok"
    assert coach.harness.pending == ["oura.fetch_changed"]
    coach.harness.run_deferred()
    night = load(coach.harness.storage, "ada", "sleep", TODAY)
    assert night is not None and night.get("average_hrv") == 48
    again = coach.post_event(event, at=at)  # Oura delivers twice
    assert again.text == "duplicate" and coach.harness.pending == []


@pytest.mark.parametrize(
    ("how", "sign"),
    [
        ("forged", {"secret": "not-the-client-secret"}),
        ("stale", {"at": NOW.timestamp() - 600}),
        ("from the future", {"at": NOW.timestamp() + 600}),
    ],
)
def test_forged_and_stale_deliveries_are_refused(coach: Coach, how: str, sign: dict) -> None:
    coach.connect()
    event = {
        "event_type": "update",
        "data_type": "daily_readiness",
        "object_id": "r-1",
        "event_time": "2026-03-03T10:58:00+00:00",
        "user_id": USER_ID,
    }
    answer = coach.post_event(event, **{"at": NOW.timestamp(), **sign})
    assert answer.status_code == 401, how
    assert coach.harness.pending == []


def test_an_unsigned_delivery_is_refused(coach: Coach) -> None:
    answer = httpx.post(f"{coach.url}/oura/webhook", json={"event_type": "create"})
    assert answer.status_code == 401 and "missing" in answer.text


def test_a_workout_deleted_on_oura_is_removed(coach: Coach) -> None:
    coach.connect()
    coach.fake.add("workout", workout("w-9", NOW - dt.timedelta(hours=3), 40))
    fetch_range(coach.app, "ada", TODAY, TODAY, kinds=("workout",))
    assert [a.activity_id for a in coach.harness.activities("ada")] == ["oura-w-9"]
    coach.fake.remove("workout", "w-9")
    event = {
        "event_type": "delete",
        "data_type": "workout",
        "object_id": "w-9",
        "event_time": "2026-03-03T10:59:00+00:00",
        "user_id": USER_ID,
    }
    assert coach.post_event(event, at=NOW.timestamp()).status_code == 200
    coach.harness.run_deferred()
    assert coach.harness.activities("ada") == []


# -- the coach's day -----------------------------------------------------------------------


@pytest.fixture
def full_coach(fake: FakeOura) -> Iterator[Coach]:
    made = Coach(fake, builtins=True)
    yield made
    made.server.stop()


def test_a_poor_readiness_morning_gives_a_softer_day(full_coach: Coach) -> None:
    from momentum.plugins.oura.cli import backfill

    coach = full_coach
    coach.connect()
    _baseline(coach.fake)
    backfill(coach.app, "ada", 31)  # the month that makes the baseline
    coach.fake.add_night(TODAY, hrv=31, rhr=50, hours=5.0)
    event = {  # the ring synced at 05:50: Oura says last night's sleep is in
        "event_type": "create",
        "data_type": "sleep",
        "object_id": f"sleep-{TODAY}",
        "event_time": "2026-03-03T10:50:00+00:00",
        "user_id": USER_ID,
    }
    assert coach.post_event(event, at=NOW.timestamp()).text == "ok"
    coach.harness.run_deferred()
    assert load(coach.harness.storage, "ada", "sleep", TODAY) is not None
    message = coach.app.coach.checkin("ada", TODAY)
    line = next(x for x in message.display.splitlines() if x.startswith("Readiness"))
    assert line.startswith("Readiness (Oura): HRV 31 ms is ")
    assert "below your 30-day baseline and you slept 5.0 h of 8 h. Today is softer" in line
    plan = coach.harness.storage.get_plan(Plan, "ada")
    assert plan is not None
    week = plan.week_of(TODAY)
    assert week is not None
    today = [s for s in week.sessions if s.date == TODAY]
    assert today and all("instead" in s.purpose.lower() or s.minutes <= 45 for s in today)
    prompt = "\n".join(m.content for r in coach.harness.model.requests for m in r.messages)
    assert "readiness_hrv: 31 ms" in prompt and "readiness_sleep: 5.0 h" in prompt


def test_a_good_morning_changes_nothing_and_re_syncing_stores_nothing(full_coach: Coach) -> None:
    coach = full_coach
    coach.connect()
    _baseline(coach.fake)
    from momentum.plugins.oura.jobs import sync_recent

    coach.fake.add_night(TODAY, hrv=51, rhr=50, hours=7.9)
    first = fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=30), TODAY)
    assert first["sleep"] == 31
    sync_recent(coach.app, "ada", TODAY)  # `momentum oura sync`: re-reads, stores nothing new
    again = fetch_range(coach.app, "ada", TODAY - dt.timedelta(days=30), TODAY)
    assert again == dict.fromkeys(first, 0)
    message = coach.app.coach.checkin("ada", TODAY)
    assert "Readiness" not in message.display
