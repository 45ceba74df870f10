"""The token-refresh race against a fake Strava that rotates refresh tokens strictly (the
old one stops working at once, as Strava documents): two "processes" — separate token
keepers, and for SQLite separate connections to one database file — refresh the same
expired token at the same moment. Neither may lose the rotated refresh token."""

from __future__ import annotations

import threading

import pytest

from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.memory import InMemoryStorage
from momentum.plugins.strava.settings import strava_settings
from momentum.plugins.strava.tokens import TokenKeeper, stravalib_refresher
from tests.fakes.fake_strava import OWNER_ID, FakeStrava, build_strava_app, connect_athlete

pytestmark = pytest.mark.integration


@pytest.fixture
def fake(tmp_path, clock, monkeypatch):
    with FakeStrava(tmp_path, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server


def _token_posts(fake: FakeStrava) -> int:
    return sum(1 for request in fake.requests if request == ("POST", "/oauth/token"))


def _race(keepers: list[TokenKeeper]) -> list:
    barrier = threading.Barrier(len(keepers))
    results: list = [None] * len(keepers)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = keepers[i].valid_token("adam")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(keepers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return results


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
@pytest.mark.parametrize("delay", [0.0, 0.05])
def test_concurrent_refreshes_never_lose_the_rotated_token(
    fake, clock, athlete, tmp_path, backend, delay
):
    if backend == "memory":
        shared = InMemoryStorage()
        storages = [shared, shared]
    else:
        storages = [SqliteStorage(tmp_path / "race.db"), SqliteStorage(tmp_path / "race.db")]
    app = build_strava_app(fake, clock, [athlete], tmp_path, storage=storages[0])
    fake.token_delay = delay
    for _ in range(4):
        first = connect_athlete(app, fake, "adam", expires_in=-60)
        refresher = stravalib_refresher(strava_settings(app.settings))
        keepers = [TokenKeeper(s, clock, refresher) for s in storages]
        posts, refreshes = _token_posts(fake), fake.refreshes
        results = _race(keepers)
        if delay:
            # the race really happened: both asked Strava, only one refresh was granted
            assert _token_posts(fake) - posts == 2
            assert fake.refreshes - refreshes == 1

        stored = storages[0].get_token("adam", "strava")
        assert stored is not None
        # the refresh token Strava will accept next is the one we kept
        assert stored.refresh_token == fake.current_refresh_token(OWNER_ID)
        assert stored.refresh_token != first.refresh_token
        # both callers got a working access token: the stored one
        for token in results:
            assert token.access_token == stored.access_token
            assert fake.accepts(token.access_token)
    for s in storages:
        if isinstance(s, SqliteStorage):
            s.close()


def test_many_concurrent_callers_cause_one_refresh_per_expiry(fake, clock, athlete, tmp_path):
    shared = InMemoryStorage()
    app = build_strava_app(fake, clock, [athlete], tmp_path, storage=shared)
    connect_athlete(app, fake, "adam", expires_in=-60)
    keeper = TokenKeeper(shared, clock, stravalib_refresher(strava_settings(app.settings)))
    before = fake.refreshes
    results = _race([keeper] * 6)  # one process, six threads
    assert fake.refreshes - before == 1
    assert len({t.access_token for t in results}) == 1


def test_a_revoked_refresh_token_asks_for_a_new_connection(fake, clock, athlete, tmp_path):
    from momentum.plugins.strava.tokens import RefreshRefused

    app = build_strava_app(fake, clock, [athlete], tmp_path)
    connect_athlete(app, fake, "adam", expires_in=-60)
    fake.issue_tokens(OWNER_ID)  # rotated elsewhere and never stored here: ours is dead
    keeper = TokenKeeper(
        app.storage, clock, stravalib_refresher(strava_settings(app.settings)), sleep=lambda s: None
    )
    with pytest.raises(RefreshRefused, match="momentum strava connect"):
        keeper.valid_token("adam")
