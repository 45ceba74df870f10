"""The Python Worker's entry point (``main`` in the wrangler config): ``class Default``.

Only this module touches the Workers runtime's objects; each handler reads them into plain
Python and calls :mod:`.handlers`, which the tests run on CPython. The coach is built on
the first event and kept for the isolate's life. Not exercised here: Python Workers cannot
start offline (workerd downloads the Pyodide bundle), so this file has run only through
the static import check (``tests/unit/test_cloudflare_worker_imports.py``).
"""

from __future__ import annotations

from typing import Any

from workers import Response, WorkerEntrypoint  # type: ignore[import-not-found]

from momentum.adapters.cloudflare import handlers
from momentum.adapters.cloudflare.bootstrap import (
    build_cloudflare_app,
    bundle_home,
    env_strings,
    ports_from_env,
    worker_plugins,
)

_apps: list[Any] = []


def app_for(env: Any) -> Any:
    """The coach for this isolate, built from ``env`` on first use."""
    if not _apps:
        variables, ports = env_strings(env), ports_from_env(env)
        variables.setdefault("MOMENTUM_HOME", str(bundle_home()))
        _apps.append(build_cloudflare_app(variables, ports, plugins=worker_plugins()))
    return _apps[0]


async def _body(request: Any) -> bytes:
    buffer = await request.js_object.arrayBuffer()
    return bytes(buffer.to_bytes())


class Default(WorkerEntrypoint):  # type: ignore[misc]
    """``fetch`` (webhooks), ``scheduled`` (the 15-minute cron) and ``queue`` (deferred
    work)."""

    async def fetch(self, request: Any) -> Any:
        """An HTTP request → core → the response."""
        headers = {str(k): str(v) for k, v in request.js_object.headers.entries()}
        body = await _body(request)
        answer = handlers.fetch(app_for(self.env), request.method, request.url, headers, body)
        return Response(answer.body, status=answer.status, headers=dict(answer.headers))

    async def scheduled(self, controller: Any, *args: Any) -> None:
        """The cron trigger: one tick at its scheduled time."""
        handlers.scheduled(app_for(self.env), float(controller.scheduledTime))

    async def queue(self, batch: Any, *args: Any) -> None:
        """Each message acked when handled, retried (then dead-lettered) when it raised."""
        app = app_for(self.env)
        for message in batch.messages:
            try:
                handlers.queue_message(app, str(message.id), message.body)
            except Exception:
                handlers.log.exception("queue message %s failed; retrying", message.id)
                message.retry()
            else:
                message.ack()
