"""Deferral on Cloud Tasks: the real google-cloud-tasks client (REST) against the loopback
Cloud Tasks fake, which delivers each task over HTTP with an OIDC token signed by a local
issuer; the receiving side checks it with the adapter's ``verify_oidc``."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from momentum.adapters.gcp.cloud_tasks import CloudTasksDeferral
from momentum.adapters.gcp.oidc import bearer, verify_oidc
from momentum.adapters.gcp.testing.fake_tasks import FakeCloudTasks
from momentum.adapters.gcp.testing.oidc_issuer import LocalOidcIssuer
from momentum.core.errors import InputError
from momentum.core.ports.scheduler import DeferredJob

pytestmark = pytest.mark.gcp

QUEUE = "projects/demo/locations/europe-west1/queues/momentum"
ACCOUNT = "momentum-fn@demo.iam.gserviceaccount.com"


class Receiver:
    """The function's ``/tasks`` route, reduced to: verify the token, record the task."""

    def __init__(self, issuer: LocalOidcIssuer) -> None:
        self.issuer = issuer
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.rejected: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    verify_oidc(
                        bearer(self.headers.get("Authorization")),
                        audience=receiver.url,
                        service_account=ACCOUNT,
                        certs_url=receiver.issuer.certs_url,
                    )
                except InputError as error:
                    receiver.rejected.append(str(error))
                    self.send_response(401)
                    self.end_headers()
                    return
                receiver.received.append((self.headers["X-CloudTasks-TaskName"], json.loads(body)))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def stack() -> Iterator[tuple[FakeCloudTasks, Receiver, LocalOidcIssuer]]:
    issuer = LocalOidcIssuer()
    issuer.start()
    tasks = FakeCloudTasks(issuer)
    tasks.start()
    receiver = Receiver(issuer)
    receiver.start()
    yield tasks, receiver, issuer
    tasks.stop()
    issuer.stop()
    assert receiver.server is not None
    receiver.server.shutdown()


def deferral(tasks: FakeCloudTasks, receiver: Receiver) -> CloudTasksDeferral:
    return CloudTasksDeferral(QUEUE, receiver.url, ACCOUNT, client=tasks.client())


def test_deferred_job_is_delivered_once_with_a_verified_token(stack: Any) -> None:
    tasks, receiver, _ = stack
    queue = deferral(tasks, receiver)
    job = DeferredJob("slack.reply", {"text": "hi"}, key="slack:Ev1")
    queue.defer(job)
    (task,) = tasks.tasks.values()
    assert task.audience == receiver.url and task.service_account == ACCOUNT
    assert task.url == f"{receiver.url}/tasks"
    assert [status for _, status in tasks.deliver_due()] == [204]
    ((name, envelope),) = receiver.received
    assert name == task.name.rsplit("/", 1)[-1]
    assert envelope == {
        "momentum": "deferred",
        "kind": "slack.reply",
        "key": "slack:Ev1",
        "payload": {"text": "hi"},
    }
    assert tasks.deliver_due() == []


def test_defer_at_holds_the_task_until_its_time(stack: Any) -> None:
    tasks, receiver, _ = stack
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15)
    queue = deferral(tasks, receiver)
    queue.defer_at(DeferredJob("strava.retry", {}, key="a1"), at)
    queue.defer_at(DeferredJob("strava.retry", {}, key="a1"), at)  # pending: one task
    (task,) = tasks.tasks.values()
    assert task.schedule_time is not None and abs(task.schedule_time - at) < dt.timedelta(seconds=1)
    assert tasks.deliver_due() == []
    assert [s for _, s in tasks.deliver_due(at + dt.timedelta(seconds=1))] == [204]


def test_immediate_jobs_are_each_queued_under_names_cloud_tasks_gives(stack: Any) -> None:
    tasks, receiver, _ = stack
    queue = deferral(tasks, receiver)
    queue.defer(DeferredJob("ping", {}))
    queue.defer(DeferredJob("tick.run", {}, key="checkin:adam:2026-03-03"))
    queue.defer(DeferredJob("tick.run", {}, key="checkin:adam:2026-03-03"))  # re-fanned out
    assert len(tasks.tasks) == 3


@pytest.mark.parametrize(
    ("audience", "email", "extra", "reason"),
    [
        ("https://elsewhere.run.app", ACCOUNT, {}, "did not verify"),
        (None, "intruder@evil.iam.gserviceaccount.com", {}, "service account"),
        (None, ACCOUNT, {"iss": "https://evil.example"}, "issuer"),
        (None, ACCOUNT, {"exp": 1_000_000_000, "iat": 999_999_000}, "did not verify"),
    ],
)
def test_wrong_tokens_are_refused(
    stack: Any, audience: str | None, email: str, extra: dict[str, Any], reason: str
) -> None:
    _, receiver, issuer = stack
    token = issuer.sign(audience or receiver.url, email, **extra)
    with pytest.raises(InputError, match=reason):
        verify_oidc(
            token, audience=receiver.url, service_account=ACCOUNT, certs_url=issuer.certs_url
        )


def test_a_token_signed_by_another_key_is_refused(stack: Any) -> None:
    _, receiver, issuer = stack
    other = LocalOidcIssuer()
    token = other.sign(receiver.url, ACCOUNT)
    with pytest.raises(InputError, match="did not verify"):
        verify_oidc(
            token, audience=receiver.url, service_account=ACCOUNT, certs_url=issuer.certs_url
        )
    with pytest.raises(InputError, match="Bearer"):
        bearer("Basic abc")


def test_googles_certificates_are_fetched_once_while_their_cache_lifetime_lasts(
    stack: Any,
) -> None:
    """A warm instance verifies every task's token without fetching the certificates
    again while their ``Cache-Control: max-age`` lasts (Google's are cached for hours)."""
    _, receiver, issuer = stack
    before = issuer.cert_fetches
    for n in range(5):
        token = issuer.sign(receiver.url, ACCOUNT, sub=str(n) * 21)
        claims = verify_oidc(
            token, audience=receiver.url, service_account=ACCOUNT, certs_url=issuer.certs_url
        )
        assert claims["email"] == ACCOUNT
    assert issuer.cert_fetches - before == 1
