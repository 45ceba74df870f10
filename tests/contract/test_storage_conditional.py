"""Storage contract: conditional writes (claims, token and plan versions, message if absent)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from momentum.core.ports.storage import ConflictError, Storage
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r

TTL = dt.timedelta(minutes=1)


# -- claims ------------------------------------------------------------------------------
def test_claim_is_won_once_while_held(storage: Storage) -> None:
    assert storage.claim("strava:123", r.T0, TTL) is True
    assert storage.claim("strava:123", r.T0, TTL) is False
    assert storage.claim("strava:123", r.T0 + dt.timedelta(seconds=30), TTL) is False
    assert storage.claim("strava:456", r.T0, TTL) is True


def test_release_lets_the_next_caller_claim(storage: Storage) -> None:
    assert storage.claim("k", r.T0, TTL)
    storage.release("k")
    assert storage.claim("k", r.T0, TTL) is True
    assert storage.claim("k", r.T0, TTL) is False


def test_extend_claim_moves_the_expiry_with_no_gap(storage: Storage) -> None:
    lease = dt.timedelta(minutes=15)
    assert storage.claim("job", r.T0, lease)
    storage.extend_claim("job", r.T0, dt.timedelta(days=8))
    # Past the short lease the claim is still held: the extension replaced its expiry.
    assert storage.claim("job", r.T0 + lease + dt.timedelta(minutes=1), lease) is False
    assert storage.claim("job", r.T0 + dt.timedelta(days=8), lease) is True


def test_extend_claim_of_a_lost_claim_recreates_it(storage: Storage) -> None:
    storage.extend_claim("gone", r.T0, TTL)
    assert storage.claim("gone", r.T0, TTL) is False


def test_release_of_an_unknown_key_is_harmless(storage: Storage) -> None:
    storage.release("never-claimed")
    assert storage.claim("never-claimed", r.T0, TTL) is True


def test_claim_expires_after_its_ttl(storage: Storage) -> None:
    assert storage.claim("k", r.T0, TTL)
    assert storage.claim("k", r.T0 + TTL - dt.timedelta(microseconds=1), TTL) is False
    # At the expiry instant the claim is over (expires <= now).
    assert storage.claim("k", r.T0 + TTL, TTL) is True
    # ...and the taker's claim now runs from its own time.
    assert storage.claim("k", r.T0 + TTL + dt.timedelta(seconds=59), TTL) is False
    assert storage.claim("k", r.T0 + 2 * TTL, TTL) is True


def test_claim_compares_instants_across_offsets(storage: Storage) -> None:
    assert storage.claim("k", r.T0, TTL)
    same_instant_in_toronto = r.T0.astimezone(r.TORONTO)
    assert storage.claim("k", same_instant_in_toronto, TTL) is False


# -- tokens ------------------------------------------------------------------------------
def test_token_versions_guard_rotation(storage: Storage) -> None:
    first = storage.put_token(r.token(access="acc-1"), expected_version=0)
    assert first.version == 1
    with pytest.raises(ConflictError):
        storage.put_token(r.token(access="acc-racer"), expected_version=0)
    second = storage.put_token(r.token(access="acc-2"), expected_version=1)
    assert second.version == 2
    with pytest.raises(ConflictError):
        storage.put_token(r.token(access="acc-stale"), expected_version=1)
    with pytest.raises(ConflictError):
        storage.put_token(r.token(access="acc-future"), expected_version=7)
    assert storage.get_token("adam", "strava") == second


def test_token_version_in_the_record_is_ignored_on_write(storage: Storage) -> None:
    sneaky = dataclasses.replace(r.token(), version=41)
    stored = storage.put_token(sneaky, expected_version=0)
    assert stored.version == 1
    assert storage.get_token("adam", "strava") == stored


def test_tokens_are_per_provider_and_athlete(storage: Storage) -> None:
    storage.put_token(r.token("adam", "strava"), 0)
    assert storage.put_token(r.token("adam", "oura"), 0).version == 1
    assert storage.put_token(r.token("mia", "strava"), 0).version == 1


def test_delete_token_starts_versions_over(storage: Storage) -> None:
    storage.put_token(r.token(), 0)
    storage.put_token(r.token(access="acc-2"), 1)
    storage.delete_token("adam", "strava")
    assert storage.get_token("adam", "strava") is None
    storage.delete_token("adam", "strava")  # twice is fine
    assert storage.put_token(r.token(access="acc-3"), 0).version == 1


# -- plans -------------------------------------------------------------------------------
def test_put_plan_bumps_the_version(storage: Storage) -> None:
    assert storage.put_plan(r.plan()).version == 1
    assert storage.put_plan(r.plan()).version == 2
    plan = storage.get_plan(Plan, "adam")
    assert plan is not None and plan.version == 2


def test_put_plan_with_expected_version(storage: Storage) -> None:
    created = storage.put_plan(r.plan(), expected_version=0)
    assert created.version == 1
    with pytest.raises(ConflictError):
        storage.put_plan(dataclasses.replace(r.plan(), goal="racer"), expected_version=0)
    updated = storage.put_plan(dataclasses.replace(created, goal="refreshed"), expected_version=1)
    assert updated.version == 2
    with pytest.raises(ConflictError):
        storage.put_plan(dataclasses.replace(created, goal="stale"), expected_version=1)
    assert storage.get_plan(Plan, "adam") == updated


def test_plans_are_per_athlete(storage: Storage) -> None:
    storage.put_plan(r.plan("adam"))
    storage.put_plan(r.plan("adam"))
    assert storage.put_plan(r.plan("mia"), expected_version=0).version == 1


# -- messages ----------------------------------------------------------------------------
def test_put_message_if_absent_keeps_the_first(storage: Storage) -> None:
    first = r.message("review:a1", text="first review")
    assert storage.put_message_if_absent(first) is True
    assert storage.put_message_if_absent(r.message("review:a1", text="second")) is False
    assert storage.get_message("adam", "review:a1") == first
    # Same id for another athlete is a different message.
    assert storage.put_message_if_absent(r.message("review:a1", athlete_id="mia")) is True
    # An unconditional put still replaces it (e.g. "Thinking…" → the answer).
    final = r.message("review:a1", text="final")
    storage.put_message(final)
    assert storage.get_message("adam", "review:a1") == final
