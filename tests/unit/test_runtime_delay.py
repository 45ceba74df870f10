"""core.runtime.delay: delayed work on a queue that hides a message only for so long."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.memory import InMemoryBlob, InMemoryStorage
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.runtime import delay

T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


class RecordingQueue(delay.QueueDeferral):
    limit = "cloudflare_queue"
    prefix = "test"
    max_delay = dt.timedelta(hours=12)

    def __init__(self, clock: FixedClock) -> None:
        super().__init__(InMemoryBlob(), InMemoryStorage(), clock=clock)
        self.sent: list[tuple[dict[str, object], dt.timedelta]] = []

    def send(self, text: str, wait: dt.timedelta) -> None:
        self.sent.append((json.loads(text), wait))


@given(st.integers(min_value=-(10**6), max_value=10**7))
def test_remaining_is_never_negative_and_counts_down_to_not_before(seconds: int) -> None:
    envelope = delay.stamp({"momentum": "deferred"}, T0 + dt.timedelta(seconds=seconds))
    assert delay.remaining(envelope, T0) == max(dt.timedelta(0), dt.timedelta(seconds=seconds))


def test_unreadable_or_missing_not_before_runs_now() -> None:
    assert delay.remaining({}, T0) == dt.timedelta(0)
    assert delay.remaining({"not_before": "soon"}, T0) == dt.timedelta(0)


def test_a_delay_past_the_queues_limit_is_capped_then_sent_on_until_due() -> None:
    clock = FixedClock(T0)
    queue = RecordingQueue(clock)
    due = T0 + dt.timedelta(hours=30)
    queue.defer_at(DeferredJob("x", {"n": 1}, "k"), due)
    queue.defer_at(DeferredJob("x", {"n": 1}, "k"), due)  # the same request: nothing new
    [(envelope, wait)] = queue.sent
    assert wait == dt.timedelta(hours=12) and envelope["not_before"] == due.isoformat()

    clock.set(T0 + dt.timedelta(hours=12))
    assert queue.requeue_if_early(envelope) is True
    assert queue.sent[-1][1] == dt.timedelta(hours=12)
    clock.set(due)
    assert queue.requeue_if_early(envelope) is False  # due: the delivery runs it


def test_a_past_instant_is_deferred_now_and_a_naive_one_refused() -> None:
    queue = RecordingQueue(FixedClock(T0))
    queue.defer_at(DeferredJob("x", {}, "k"), T0 - dt.timedelta(minutes=1))
    assert queue.sent[0][1] == dt.timedelta(0) and "not_before" not in queue.sent[0][0]
    with pytest.raises(ValueError, match="naive"):
        queue.defer_at(DeferredJob("x"), dt.datetime(2026, 3, 3, 12))
