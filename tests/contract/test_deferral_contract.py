"""The Deferral port's contract, on every implementation (tests/contract/ports.py):
deferred work runs once with its payload; fast work runs; delayed work never early; a
payload over a queue's limit still arrives (spilled to Blob where the platform needs it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from momentum.core.ports.scheduler import DeferredJob
from tests.contract.ports import DeferralUnderTest


def recording(deferral: DeferralUnderTest) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []

    def handler(app: Any, job: DeferredJob) -> None:
        runs.append(dict(job.payload))

    deferral.app.deferred_handlers["test.record"] = handler
    return runs


def test_deferred_work_runs_once_with_its_payload(deferral: DeferralUnderTest) -> None:
    runs = recording(deferral)
    deferral.app.scheduler.defer(DeferredJob("test.record", {"n": 1, "text": "héllo"}, "k1"))
    deferral.app.scheduler.defer_fast(DeferredJob("test.record", {"n": 2}, "k2"))
    deferral.drain()
    assert sorted(runs, key=lambda r: r["n"]) == [{"n": 1, "text": "héllo"}, {"n": 2}]


def test_a_large_payload_arrives_whole(deferral: DeferralUnderTest) -> None:
    runs = recording(deferral)
    rows = ["x" * 1000] * 300  # 300 KB: over Lambda's 256 KB asynchronous invoke
    deferral.app.scheduler.defer(DeferredJob("test.record", {"rows": rows}))
    deferral.drain()
    assert runs == [{"rows": rows}]


def test_delayed_work_never_runs_early(deferral: DeferralUnderTest) -> None:
    if deferral.delayed:
        pytest.skip(deferral.delayed)
    runs = recording(deferral)
    at = deferral.clock.now() + dt.timedelta(minutes=15)
    deferral.app.scheduler.defer_at(DeferredJob("test.record", {"n": 3}, "late"), at)
    deferral.app.scheduler.defer_at(DeferredJob("test.record", {"n": 3}, "late"), at)  # once
    deferral.drain()
    assert runs == []
    deferral.clock.set(at + dt.timedelta(seconds=1))
    deferral.drain()
    assert runs == [{"n": 3}]


def test_defer_at_needs_an_aware_instant(deferral: DeferralUnderTest) -> None:
    with pytest.raises(ValueError, match="naive"):
        deferral.app.scheduler.defer_at(DeferredJob("test.record"), dt.datetime(2026, 3, 3, 12))
