"""stravalib, configured for Momentum: server, rate budget, and no hidden token refresh.

``StravaSettings.base_url`` moves every call (OAuth and API) to another host through
stravalib's ``ApiV3.server``, which is how tests reach a fake Strava; stravalib always
speaks HTTPS. stravalib's own automatic refresh is switched off: it would rotate the
refresh token behind Storage's back, and a rotated token that isn't stored is lost.
:mod:`momentum.plugins.strava.tokens` refreshes instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from momentum.core.errors import ConfigError, NotFoundError
from momentum.plugins.strava.ratelimit import RateBudget, RateLimited, budget_for
from momentum.plugins.strava.settings import StravaSettings

if TYPE_CHECKING:
    from stravalib import Client

    from momentum.core.ports.transport import Transport

log = logging.getLogger("momentum.strava")
T = TypeVar("T")

STREAM_TYPES = [
    "time",
    "distance",
    "latlng",
    "altitude",
    "velocity_smooth",
    "heartrate",
    "cadence",
    "watts",
    "grade_smooth",
    "moving",
]


def app_credentials(settings: StravaSettings) -> tuple[int, str]:
    """``(client_id, client_secret)``, or a ConfigError naming what is missing."""
    if not settings.client_id or not settings.client_secret:
        raise ConfigError(
            "STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET must be set "
            "(or [strava] client_id / client_secret in momentum.toml)"
        )
    try:
        return int(settings.client_id), settings.client_secret.reveal()
    except ValueError as exc:
        raise ConfigError(f"STRAVA_CLIENT_ID must be a number, got {settings.client_id!r}") from exc


def server_of(base_url: str) -> str:
    """``host[:port]`` for stravalib from a base URL like ``https://127.0.0.1:8443``."""
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.netloc:
        raise ConfigError(f"strava.base_url must be an https:// URL, got {base_url!r}")
    return parts.netloc


def make_client(
    settings: StravaSettings,
    *,
    access_token: str | None = None,
    budget: RateBudget | None = None,
    now: Callable[[], dt.datetime] | None = None,
    transport: Transport | None = None,
) -> Client:
    """A stravalib Client recording rate-limit headers into ``budget``. Its requests
    (API calls and OAuth refreshes) go through ``transport`` when given, or the Worker's
    ``fetch`` inside a Worker; else through requests' own sockets."""
    # stravalib warns on every construction unless told its env-based refresh is unused.
    os.environ.setdefault("SILENCE_TOKEN_WARNINGS", "true")
    from stravalib import Client
    from stravalib.util.limiter import RateLimiter

    clock = now or (lambda: dt.datetime.now(dt.UTC))
    limiter = RateLimiter()
    if budget is not None:
        limiter.rules.append(lambda headers, method: budget.record(headers, clock()))
    from momentum.adapters.outbound import worker_transport

    seam = transport or worker_transport()
    session = None
    if seam is not None:
        from momentum.adapters.outbound.requests_seam import session_over

        session = session_over(seam)
    client = Client(access_token=access_token, rate_limiter=limiter, requests_session=session)
    client.protocol.client_id = None  # no refresh inside stravalib (see module docstring)
    client.protocol.client_secret = None
    if settings.base_url:
        client.protocol.server = server_of(settings.base_url)
    return client


def fault_status(exc: BaseException) -> int | None:
    """The HTTP status of a stravalib Fault (or any requests HTTPError)."""
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


class StravaApi:
    """One athlete's Strava, with the rate budget checked before every request.

    ``max_wait`` is how long a request may wait for the budget: a deferred webhook job
    waits briefly then raises :class:`RateLimited`; the backfill waits out the window.
    ``on_wait(seconds, which)`` is told before each wait (the CLI shows it). ``now`` is the
    clock the budget reads (the app's, so a retry scheduled ``retry_after`` later on that
    clock finds the window reset); real time by default.
    """

    def __init__(
        self,
        settings: StravaSettings,
        access_token: str,
        *,
        budget: RateBudget | None = None,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: Callable[[float, str], None] | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self.budget = budget or budget_for(settings.client_id, settings.base_url)
        self.client = make_client(
            settings, access_token=access_token, budget=self.budget, now=self.now
        )
        self.max_wait = max_wait
        self.sleep = sleep
        self.on_wait = on_wait

    def _call(self, method: str, fn: Callable[[], T]) -> T:
        from stravalib import exc

        for _ in range(3):
            wait, which = self.budget.wait_seconds(method, self.now())
            if wait > self.max_wait:
                raise RateLimited(wait, which)
            if wait > 0:
                if self.on_wait is not None:
                    self.on_wait(wait, which)
                log.info("waiting %.0f s for Strava's %s rate limit", wait, which)
                self.sleep(wait)
            try:
                return fn()
            except exc.ObjectNotFound as error:
                raise NotFoundError(f"Strava has no such record ({error})") from error
            except exc.Fault as error:
                if fault_status(error) != 429:
                    raise
                headers = getattr(error.response, "headers", {}) or {}
                self.budget.record(dict(headers), self.now())
                log.warning("Strava answered 429 Too Many Requests")
        wait, which = self.budget.wait_seconds(method, self.now())
        raise RateLimited(max(wait, 60.0), which or "15-minute")

    def activity(self, activity_id: int) -> Any:
        """The detailed activity (``GET /activities/{id}``)."""
        return self._call("GET", lambda: self.client.get_activity(activity_id))

    def athlete(self) -> Any:
        """The authenticated athlete (``GET /athlete``): proves the token still works."""
        return self._call("GET", lambda: self.client.get_athlete())

    def streams(self, activity_id: int) -> dict[str, list[Any]]:
        """The activity's streams by type (only those the activity has)."""
        raw = self._call(
            "GET",
            lambda: self.client.get_activity_streams(activity_id, types=STREAM_TYPES),
        )
        return {str(kind): list(stream.data or []) for kind, stream in raw.items()}

    def activities(self, after: dt.datetime, before: dt.datetime | None = None) -> list[Any]:
        """Summaries of activities started in ``(after, before)``, newest first."""
        return self._call(
            "GET", lambda: list(self.client.get_activities(after=after, before=before))
        )
