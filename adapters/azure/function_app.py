"""The Azure Functions entry point (v2 Python programming model): four functions that
convert Azure's triggers into core events and hand them to
:func:`momentum.core.runtime.dispatch.dispatch`.

- ``http``: every route (``{*path}``, anonymous: Slack's signature and Strava's token are
  verified by the routes themselves);
- ``tick``: the 15-minute UTC timer (NCRONTAB ``0 */15 * * * *``); local times come from
  the tick, as on every target;
- ``deferred``: the queue of deferred work (the message id is the delivery id), and an
  operator's ``{"momentum": "run", "job", "athlete_id"}`` (the first check-in now);
- ``poison``: ``<queue>-poison``, where the host moves a message after ``maxDequeueCount``
  failed deliveries: logged so an operator sees it, then dropped.

The app is built on the first invocation and cached for the worker's life; Azure SDKs
are imported then, not at import.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import azure.functions as func

from momentum.adapters.azure import triggers
from momentum.core.errors import InputError
from momentum.core.events import HttpResponse
from momentum.core.runtime.dispatch import deliver, dispatch
from momentum.core.runtime.holder import AppHolder

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.azure")
QUEUE = "%MOMENTUM_QUEUE%"
CONNECTION = "AzureWebJobsStorage"
TICK_SCHEDULE = "0 */15 * * * *"


def _build() -> App:
    from momentum.adapters.azure.bootstrap import build_azure_app

    return build_azure_app()


_holder = AppHolder(_build)


def get_app() -> App:
    """The coach for this worker: built from the app settings on first use, then cached."""
    return _holder.get()


def set_app(app: App | None) -> None:
    """Use ``app`` from now on; ``None`` forgets it (and any built one)."""
    _holder.set(app)


app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.function_name("http")
@app.route(route="{*path}", methods=["GET", "POST"], auth_level=func.AuthLevel.ANONYMOUS)
def http(req: func.HttpRequest) -> func.HttpResponse:
    """Slack, Strava and plugin webhooks."""
    try:
        request = triggers.http_request(req)
    except (InputError, ValueError) as error:
        return triggers.http_response(HttpResponse.text(400, str(error)))
    response = dispatch(get_app(), request)
    if not isinstance(response, HttpResponse):
        raise TypeError(f"core answered an HTTP request with {type(response).__name__}")
    return triggers.http_response(response)


@app.function_name("tick")
@app.timer_trigger(arg_name="timer", schedule=TICK_SCHEDULE, run_on_startup=False, use_monitor=True)
def tick(timer: func.TimerRequest) -> None:
    """The 15-minute tick: core fans out the jobs due in each time zone."""
    core = get_app()
    outcome = dispatch(core, triggers.scheduled_tick(core.clock.now()))
    log.info("tick%s: %s", " (past due)" if timer.past_due else "", outcome)


@app.function_name("deferred")
@app.queue_trigger(arg_name="msg", queue_name=QUEUE, connection=CONNECTION)
def deferred(msg: func.QueueMessage) -> None:
    """Deferred work; raising lets the host retry, then move the message to poison."""
    try:
        envelope = triggers.envelope(msg)
    except InputError as error:
        log.error("dropped queue message %s: %s", msg.id, error)
        return
    core = get_app()
    deferral: Any = core.scheduler
    if hasattr(deferral, "requeue_if_early") and deferral.requeue_if_early(envelope):
        log.info("queue message %s is not due yet: sent on", msg.id)
        return
    deliver(core, envelope, msg.id or "")  # deferred work, or an operator's run-now


@app.function_name("poison")
@app.queue_trigger(arg_name="msg", queue_name=f"{QUEUE}-poison", connection=CONNECTION)
def poison(msg: func.QueueMessage) -> None:
    """A message that failed every delivery: log what it was (never its payload)."""
    try:
        envelope = triggers.envelope(msg)
        what = f"{envelope.get('kind')} (key {envelope.get('key') or '-'})"
        if envelope.get("payload_ref"):
            what += f", payload kept at {envelope['payload_ref']}"
    except InputError as error:
        what = str(error)
    log.error("deferred work failed every retry, message %s: %s", msg.id, what)
