"""Deferral on Queue Storage (Azurite): spilling to Blob, delays by visibility timeout,
delays past Queue Storage's seven days re-deferred on delivery, and ``defer_at``
idempotent by ``(kind, key, at)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.azure import function_app
from momentum.adapters.azure.bootstrap import build_azure_app
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from tests.integration.azure_stack import LocalAzure, local_azure

pytestmark = [pytest.mark.integration, pytest.mark.azure]


@pytest.fixture
def azure() -> Iterator[LocalAzure]:
    with local_azure() as stack:
        yield stack


@pytest.fixture
def app(azure: LocalAzure, tmp_path: Path, clock: FixedClock) -> App:
    built = build_azure_app(
        azure.env(tmp_path),
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(),
    )
    function_app.set_app(built)
    return built


def recorder(app: App) -> list[dict[str, Any]]:
    ran: list[dict[str, Any]] = []
    app.deferred_handlers["test.echo"] = lambda _app, job: ran.append(job.payload)
    return ran


def test_a_payload_over_the_queue_limit_travels_through_blob_and_is_deleted_after(
    azure: LocalAzure, app: App
) -> None:
    ran = recorder(app)
    big = {"text": "x" * 60_000}
    app.scheduler.defer(DeferredJob("test.echo", big, key="big"))
    [envelope] = azure.waiting()
    ref = envelope["payload_ref"]
    assert "payload" not in envelope and ref.startswith("deferred/")
    blob = app.blob  # type: ignore[attr-defined]
    assert blob.get(ref) is not None
    assert azure.drain() == 1 and ran == [big]
    assert blob.get(ref) is None


def test_defer_at_hides_the_message_until_then_and_dedupes_by_key(
    azure: LocalAzure, app: App, clock: FixedClock
) -> None:
    job = DeferredJob("test.echo", {"n": 1}, key="ratelimit:1")
    at = clock.now() + dt.timedelta(minutes=15)
    app.scheduler.defer_at(job, at)
    app.scheduler.defer_at(job, at)  # the same (kind, key, at): nothing new
    assert azure.waiting() == []  # invisible for fifteen minutes
    props = azure.queue_client().get_queue_properties()
    assert props.approximate_message_count == 1


def test_a_delay_past_seven_days_is_sent_on_until_due(
    azure: LocalAzure, app: App, clock: FixedClock
) -> None:
    ran = recorder(app)
    at = clock.now() + dt.timedelta(days=10)
    app.scheduler.defer_at(DeferredJob("test.echo", {"n": 2}), at)
    [message] = azure.queue_client().peek_messages() or [None]
    assert message is None  # hidden (for just under seven days)
    envelope = {
        "momentum": "deferred",
        "kind": "test.echo",
        "key": "",
        "payload": {"n": 2},
        "not_before": at.isoformat(),
    }
    clock.set(clock.now() + dt.timedelta(days=7))
    assert app.scheduler.requeue_if_early(envelope)  # type: ignore[attr-defined]
    clock.set(at)
    assert not app.scheduler.requeue_if_early(envelope)  # type: ignore[attr-defined]
    assert ran == []


def test_defer_at_a_past_instant_defers_now(azure: LocalAzure, app: App, clock: FixedClock) -> None:
    ran = recorder(app)
    app.scheduler.defer_at(DeferredJob("test.echo", {"n": 3}), clock.now() - dt.timedelta(1))
    assert azure.drain() == 1 and ran == [{"n": 3}]


def test_a_job_failing_every_delivery_is_retried_then_moved_to_poison(
    azure: LocalAzure, app: App
) -> None:
    attempts: list[int] = []

    def failing(_app: App, job: DeferredJob) -> None:
        attempts.append(job.payload["n"])
        raise RuntimeError("the model is down")

    app.deferred_handlers["test.fail"] = failing
    app.scheduler.defer(DeferredJob("test.fail", {"n": 4}, key="doomed"))
    assert azure.drain() == 0
    assert attempts == [4] * 5  # host.json's maxDequeueCount, the same message id each time
    assert [str(e) for e in azure.failures] == ["the model is down"] * 5
    [poisoned] = azure.queue_client("-poison").peek_messages()
    assert '"kind":"test.fail"' in poisoned.content
    assert azure.waiting() == []
