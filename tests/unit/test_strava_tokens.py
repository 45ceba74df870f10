"""Token refresh with optimistic versioning, with a scripted token endpoint: fresh tokens
are reused, rotated refresh tokens are stored, and two refreshers racing settle on one
stored token whether Strava lets both refresh or refuses the second."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from momentum.core.memory import InMemoryStorage
from momentum.core.model import OAuthToken
from momentum.core.ports.clock import FixedClock
from momentum.plugins.strava.tokens import (
    InvalidGrant,
    NotConnected,
    RefreshRefused,
    TokenKeeper,
    athlete_for_owner,
    store_token,
)

NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def token(expires_in: dt.timedelta, refresh: str = "r1") -> OAuthToken:
    return OAuthToken("adam", "strava", "a1", refresh, NOW + expires_in, "134815", "read")


class Endpoint:
    """A token endpoint: each refresh returns new tokens; ``strict`` rejects a refresh
    token that was already used (Strava rotates them)."""

    def __init__(self, *, strict: bool = True, barrier: threading.Barrier | None = None):
        self.strict = strict
        self.barrier = barrier
        self.used: set[str] = set()
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, refresh_token: str) -> dict:
        if self.barrier is not None:
            self.barrier.wait(5)
        with self.lock:
            self.calls += 1
            if self.strict and refresh_token in self.used:
                raise InvalidGrant("refresh token already used")
            self.used.add(refresh_token)
            n = self.calls
        return {
            "access_token": f"a{n + 1}",
            "refresh_token": f"r{n + 1}",
            "expires_at": (NOW + dt.timedelta(hours=6)).timestamp(),
        }


@pytest.fixture
def storage(athlete):
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    return storage


def keeper(storage, endpoint) -> TokenKeeper:
    return TokenKeeper(storage, FixedClock(NOW), endpoint, sleep=lambda s: None)


def test_a_fresh_token_is_used_as_it_is(storage):
    stored = store_token(storage, token(dt.timedelta(hours=1)))
    endpoint = Endpoint()
    assert keeper(storage, endpoint).valid_token("adam") == stored
    assert endpoint.calls == 0


def test_a_token_about_to_expire_is_refreshed_and_the_rotation_stored(storage):
    store_token(storage, token(dt.timedelta(minutes=4)))  # inside the 5-minute margin
    refreshed = keeper(storage, Endpoint()).valid_token("adam")
    assert (refreshed.access_token, refreshed.refresh_token, refreshed.version) == ("a2", "r2", 2)
    assert storage.get_token("adam", "strava") == refreshed


def test_no_token_means_not_connected(storage):
    with pytest.raises(NotConnected, match="momentum strava connect"):
        keeper(storage, Endpoint()).valid_token("adam")


@pytest.mark.parametrize("strict", [True, False], ids=["strava-refuses-second", "both-refresh"])
def test_two_racing_refreshers_settle_on_one_stored_token(storage, strict):
    store_token(storage, token(-dt.timedelta(minutes=1)))
    barrier = threading.Barrier(2)
    endpoint = Endpoint(strict=strict, barrier=barrier)
    # two processes: two keepers (each with its own lock), one database
    keepers = [keeper(storage, endpoint), keeper(storage, endpoint)]
    results: list = [None, None]

    def run(i: int) -> None:
        results[i] = keepers[i].valid_token("adam")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    stored = storage.get_token("adam", "strava")
    assert stored is not None and stored.version == 2
    assert results[0] == results[1] == stored
    assert endpoint.calls == 2
    if strict:
        # the refresh token Strava would take next is the stored one
        assert stored.refresh_token not in endpoint.used


def test_a_refused_refresh_with_nothing_newer_stored_asks_to_reconnect(storage):
    store_token(storage, token(-dt.timedelta(minutes=1), refresh="revoked"))
    endpoint = Endpoint()
    endpoint.used.add("revoked")
    with pytest.raises(RefreshRefused, match="momentum strava connect"):
        keeper(storage, endpoint).valid_token("adam")


def test_owners_map_to_athletes_through_their_tokens(storage):
    store_token(storage, token(dt.timedelta(hours=1)))
    assert athlete_for_owner(storage, 134815) == "adam"
    assert athlete_for_owner(storage, "999") is None
