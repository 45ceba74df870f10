"""Cloud Tasks' REST surface on loopback (CreateTask), for the real google-cloud-tasks
client (``transport="rest"``, ``api_endpoint`` = this server), and delivery of the queued
tasks to their targets over HTTP with a locally signed OIDC token, as Cloud Tasks does.

There is no official Cloud Tasks emulator; this implements only what Momentum uses:
named tasks are unique (a reused name is 409 ALREADY_EXISTS), ``scheduleTime`` holds a
task back, and :meth:`FakeCloudTasks.deliver_due` dispatches with ``X-CloudTasks-TaskName``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from momentum.adapters.gcp.testing.loopback import LoopbackServer, google_error
from momentum.adapters.gcp.testing.oidc_issuer import LocalOidcIssuer


@dataclass
class QueuedTask:
    """One task as created."""

    name: str
    url: str
    body: bytes
    headers: dict[str, str]
    audience: str
    service_account: str
    schedule_time: dt.datetime | None
    delivered: bool = False


class FakeCloudTasks:
    """``POST /v2/{queue}/tasks`` on loopback; ``issuer`` signs the delivery tokens."""

    def __init__(self, issuer: LocalOidcIssuer) -> None:
        self.issuer = issuer
        self.tasks: dict[str, QueuedTask] = {}
        self._lock = threading.Lock()
        self._server = LoopbackServer(self._route)

    @property
    def endpoint(self) -> str:
        """The ``api_endpoint`` for the client."""
        return self._server.endpoint

    def client(self) -> Any:
        """A real ``CloudTasksClient`` on this server (REST, anonymous credentials)."""
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import tasks_v2

        return tasks_v2.CloudTasksClient(
            credentials=AnonymousCredentials(),
            transport="rest",
            client_options=ClientOptions(api_endpoint=self.endpoint),
        )

    def _create(self, queue: str, task: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        http = task.get("httpRequest") or {}
        oidc = http.get("oidcToken") or {}
        name = task.get("name") or f"{queue}/tasks/{uuid.uuid4().hex}"
        when = task.get("scheduleTime")
        queued = QueuedTask(
            name=name,
            url=str(http.get("url", "")),
            body=base64.b64decode(http.get("body", "")),
            headers=dict(http.get("headers") or {}),
            audience=str(oidc.get("audience", "")),
            service_account=str(oidc.get("serviceAccountEmail", "")),
            schedule_time=dt.datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None,
        )
        with self._lock:
            if name in self.tasks:
                return google_error(
                    409, "ALREADY_EXISTS", f"Requested entity already exists: {name}"
                )
            self.tasks[name] = queued
        return 200, {**task, "name": name}

    def deliver_due(self, now: dt.datetime | None = None) -> list[tuple[str, int]]:
        """POST every undelivered task due by ``now`` to its URL with an OIDC token;
        returns (short task name, HTTP status). A task answered 2xx is done; any other
        status leaves it queued (Cloud Tasks would retry)."""
        now = now or dt.datetime.now(dt.UTC)
        with self._lock:
            due = [
                t
                for t in self.tasks.values()
                if not t.delivered and (t.schedule_time is None or t.schedule_time <= now)
            ]
        results = []
        for task in due:
            short = task.name.rsplit("/", 1)[-1]
            token = self.issuer.sign(task.audience, task.service_account)
            headers = {
                **task.headers,
                "Authorization": f"Bearer {token}",
                "X-CloudTasks-TaskName": short,
                "X-CloudTasks-QueueName": task.name.split("/")[5],
            }
            request = urllib.request.Request(task.url, task.body, headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            if 200 <= status < 300:
                task.delivered = True
            results.append((short, status))
        return results

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        parts = path.split("?")[0].strip("/").split("/")
        # v2/projects/P/locations/L/queues/Q/tasks
        if method != "POST" or len(parts) != 8 or parts[0] != "v2" or parts[7] != "tasks":
            return google_error(404, "NOT_FOUND", f"unknown method {method} {path}")
        request = json.loads(body or b"{}")
        return self._create("/".join(parts[1:7]), request.get("task") or {})

    def start(self) -> str:
        """Serve on a free port; returns :attr:`endpoint`."""
        return self._server.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()
