"""Storage contract: concurrent writers. Threads released together by a barrier race on the
same key; exactly one wins each conditional write and no upsert is lost."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from momentum.core.ports.storage import ConflictError, Storage
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r

T = TypeVar("T")
WORKERS = 8
FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def race(work: Callable[[int], T], workers: int = WORKERS) -> list[T]:
    """Run ``work(i)`` on ``workers`` threads that all start at the same moment."""
    barrier = threading.Barrier(workers)

    def start(i: int) -> T:
        barrier.wait(timeout=10)
        return work(i)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(start, range(workers)))


def test_claim_race_has_exactly_one_winner(storage: Storage) -> None:
    for round_ in range(5):
        key = f"strava:activity:{round_}"
        wins = race(lambda i, key=key: storage.claim(key, r.T0, dt.timedelta(minutes=5)))
        assert wins.count(True) == 1, wins


def test_expired_claim_race_has_exactly_one_taker(storage: Storage) -> None:
    assert storage.claim("k", r.T0, dt.timedelta(seconds=1))
    later = r.T0 + dt.timedelta(minutes=1)
    wins = race(lambda i: storage.claim("k", later, dt.timedelta(minutes=5)))
    assert wins.count(True) == 1


def test_token_race_has_exactly_one_winner(storage: Storage) -> None:
    def refresh(i: int) -> int | None:
        try:
            return storage.put_token(r.token(access=f"acc-{i}"), expected_version=0).version
        except ConflictError:
            return None

    results = race(refresh)
    assert results.count(1) == 1 and results.count(None) == WORKERS - 1
    winner = results.index(1)
    stored = storage.get_token("adam", "strava")
    assert stored is not None and stored.access_token == f"acc-{winner}" and stored.version == 1


def test_token_read_modify_write_loses_no_update(storage: Storage) -> None:
    storage.put_token(r.token(access="seed"), 0)
    per_worker = 10

    def rotate(i: int) -> int:
        done = 0
        while done < per_worker:
            current = storage.get_token("adam", "strava")
            assert current is not None
            try:
                storage.put_token(
                    dataclasses.replace(current, access_token=f"w{i}-{done}"), current.version
                )
            except ConflictError:
                continue
            done += 1
        return done

    assert sum(race(rotate, workers=4)) == 4 * per_worker
    stored = storage.get_token("adam", "strava")
    assert stored is not None and stored.version == 1 + 4 * per_worker


def test_plan_version_race_has_exactly_one_winner(storage: Storage) -> None:
    base = storage.put_plan(r.plan())

    def refresh(i: int) -> bool:
        try:
            storage.put_plan(dataclasses.replace(base, goal=f"w{i}"), base.version)
        except ConflictError:
            return False
        return True

    results = race(refresh)
    assert results.count(True) == 1
    stored = storage.get_plan(Plan, "adam")
    assert stored is not None and stored.version == 2
    assert stored.goal == f"w{results.index(True)}"


def test_unconditional_plan_puts_each_get_their_own_version(storage: Storage) -> None:
    versions = race(lambda i: storage.put_plan(dataclasses.replace(r.plan(), goal=str(i))).version)
    assert sorted(versions) == list(range(1, WORKERS + 1))


def test_message_if_absent_race_has_exactly_one_winner(storage: Storage) -> None:
    wins = race(lambda i: storage.put_message_if_absent(r.message("review:a1", text=f"writer {i}")))
    assert wins.count(True) == 1
    stored = storage.get_message("adam", "review:a1")
    assert stored is not None and stored.text == f"writer {wins.index(True)}"


def test_many_writers_upserting_lose_nothing(storage: Storage) -> None:
    per_worker = 25

    def write(i: int) -> None:
        for n in range(per_worker):
            at = r.T0 + dt.timedelta(minutes=i * per_worker + n)
            storage.put_activity(r.activity(f"w{i}-{n}", start=at))
            storage.put_message(r.message(f"w{i}-{n}", at=at))
            storage.put_usage(r.usage(f"w{i}-{n}", at=at))
            # Everyone also hammers one shared record.
            storage.put_athlete(dataclasses.replace(r.athlete(), weekly_minutes_target=i))

    race(write)
    total = WORKERS * per_worker
    assert len(storage.list_activities("adam", FAR_PAST, FAR_FUTURE)) == total
    assert len(storage.list_messages("adam", FAR_PAST, FAR_FUTURE)) == total
    assert len(storage.list_usage(None, FAR_PAST, FAR_FUTURE)) == total
    (athlete,) = storage.list_athletes()
    assert athlete.weekly_minutes_target in range(WORKERS)


def test_readers_see_whole_records_while_writers_write(storage: Storage) -> None:
    storage.put_activity(r.activity())
    stop = threading.Event()

    def work(i: int) -> int:
        seen = 0
        if i % 2 == 0:
            for n in range(40):
                storage.put_activity(dataclasses.replace(r.activity(), name=f"v{n}"))
            stop.set()
        else:
            while not stop.is_set():
                got = storage.get_activity("adam", "a1")
                assert got is not None and got.source_ids == r.activity().source_ids
                seen += 1
        return seen

    assert sum(race(work, workers=4)) > 0
