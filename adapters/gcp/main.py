"""The Cloud Run functions entry point: one HTTP function, ``momentum``, served by
functions-framework (``--target momentum``), that converts each request into a core event
and hands it to :func:`momentum.core.runtime.dispatch.dispatch`.

==========================  =============================================================
request                     what happens
==========================  =============================================================
``POST /tasks``             a Cloud Tasks delivery: the OIDC token is verified (else 401),
                            the body is core's deferred (or an operator's ``run``)
                            envelope, the task name is the delivery id, so a redelivered
                            task runs once; a failure answers 500 and Cloud Tasks retries
``POST /tick``              the 15-minute Cloud Scheduler tick, OIDC verified (else 401):
                            core fans out the jobs due in each time zone
anything else               Slack, Strava, Teams and plugin routes: core verifies each
                            (Slack's signature, Strava's token) and answers
==========================  =============================================================

A task or tick body that can never succeed is logged and answered 200 with the error (Cloud
Tasks retries anything else). The app is built on the first request and kept for the
instance's life; the Google SDKs are imported then, not at import. The deployed source's
``main.py`` is :data:`ROOT_MAIN_PY`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from typing import TYPE_CHECKING, Any

from momentum.adapters.gcp import conversions
from momentum.adapters.gcp.cloud_tasks import TASKS_PATH
from momentum.core.errors import InputError
from momentum.core.events import HttpResponse
from momentum.core.runtime.dispatch import deliver, dispatch
from momentum.core.runtime.holder import AppHolder

if TYPE_CHECKING:
    from momentum.adapters.gcp.bootstrap import OidcCheck
    from momentum.core.app import App
    from momentum.core.runtime.events import Outcome

log = logging.getLogger("momentum.gcp")
logging.getLogger("momentum").setLevel(os.environ.get("MOMENTUM_LOG_LEVEL", "INFO").upper())

ENTRY_POINT = "momentum"
TICK_PATH = "/tick"
ROOT_MAIN_PY = "from momentum.adapters.gcp.main import momentum  # noqa: F401\n"
"""The ``main.py`` at the root of the deployed source: functions-framework loads it."""


def _build() -> App:
    from momentum.adapters.gcp.bootstrap import build_gcp_app

    return build_gcp_app()


_holder = AppHolder(_build)
_checks: list[OidcCheck] = []


get_app = _holder.get
"""The coach for this instance, built from the environment on first use."""


@functools.cache
def _env_check() -> OidcCheck:
    from momentum.adapters.gcp.bootstrap import OidcCheck

    return OidcCheck.from_env(os.environ)


def oidc_check() -> OidcCheck:
    """Who may call ``/tasks`` and ``/tick`` (from the environment unless set)."""
    return _checks[0] if _checks else _env_check()


def set_app(app: App | None, oidc: OidcCheck | None = None) -> None:
    """Serve ``app`` (and check tokens with ``oidc``) from now on (tests, a custom
    composition); ``None`` forgets both, so the next request builds from the environment."""
    _holder.set(app)
    _checks[:] = [oidc] if oidc is not None else []
    _env_check.cache_clear()


def momentum(request: Any) -> conversions.FlaskReturn:
    """The function: convert the request, dispatch it, convert the answer."""
    if request.method == "POST" and request.path in (TASKS_PATH, TICK_PATH):
        try:
            oidc_check().verify(request.headers.get("Authorization"))
        except InputError as error:
            log.warning("refused %s: %s", request.path, error)
            return conversions.text(401, "unauthorized")
        return handle_task(request) if request.path == TASKS_PATH else handle_tick(request)
    try:
        core_request = conversions.http_request(request)
    except (InputError, ValueError) as error:
        return conversions.text(400, str(error))
    response = dispatch(get_app(), core_request)
    if not isinstance(response, HttpResponse):
        raise TypeError(f"core answered an HTTP request with {type(response).__name__}")
    return conversions.flask_response(response)


def handle_task(request: Any) -> conversions.FlaskReturn:
    """A verified Cloud Tasks delivery: deferred work once per task name, or a run-now."""
    from momentum.core.runtime.envelope import DEFERRED, RUN, parse_envelope

    task = request.headers.get(conversions.TASK_NAME_HEADER, "")
    try:
        envelope = parse_envelope(request.get_data(cache=True), "task body", (DEFERRED, RUN))
    except InputError as error:
        log.error("dropped task %s: %s", task or "-", error)
        return _answer({"error": str(error)})
    try:
        outcome = deliver(get_app(), envelope, task)
    except Exception:
        log.exception("task %s failed; Cloud Tasks will retry it", task or "-")
        return conversions.text(500, "failed; retry")
    return _answer(outcome)


def handle_tick(request: Any) -> conversions.FlaskReturn:
    """A verified Cloud Scheduler tick: core fans out what is due."""
    app = get_app()
    try:
        tick = conversions.scheduled_tick(request, app.clock.now())
    except InputError as error:
        log.error("dropped a scheduler tick: %s", error)
        return _answer({"error": str(error)})
    try:
        outcome = dispatch(app, tick)
        if isinstance(outcome, HttpResponse):
            raise TypeError("core answered a tick with an HTTP response")
    except Exception:
        log.exception("the tick failed; Cloud Scheduler will retry it")
        return conversions.text(500, "failed; retry")
    log.info("tick %s: %s", tick.at.isoformat(), outcome)
    return _answer(outcome)


def _answer(outcome: Outcome | dict[str, Any]) -> conversions.FlaskReturn:
    values = outcome if isinstance(outcome, dict) else outcome.as_dict()
    body = json.dumps(values, default=str).encode()
    return body, 200, {"content-type": "application/json"}
