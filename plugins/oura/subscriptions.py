"""Oura webhook subscriptions: created for every kind Momentum keeps, renewed before they
expire.

Subscriptions belong to the Oura application, not to an athlete. Creating one makes Oura
call the callback with the verification token and a challenge (answered by
:mod:`momentum.plugins.oura.webhook`) before it accepts it. Oura lets subscriptions expire;
:func:`ensure` renews any that expire within :data:`RENEW_WITHIN`, and the plugin's daily
job runs it once a day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from momentum import App, InputError
from momentum.plugins.oura.api import app_credentials, client_for
from momentum.plugins.oura.days import KINDS
from momentum.plugins.oura.settings import oura_settings
from momentum.plugins.oura.webhook import WEBHOOK_PATH

log = logging.getLogger("momentum.oura")

EVENT_TYPES = ("create", "update", "delete")
RENEW_WITHIN = dt.timedelta(days=7)


@dataclass
class Outcome:
    """What :func:`ensure` did."""

    created: list[str] = field(default_factory=list)
    renewed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def callback_url(app: App) -> str:
    """``public_url`` + ``/oura/webhook``."""
    base = oura_settings(app.settings).public_url.rstrip("/")
    if not base:
        raise InputError("oura subscribe", "[oura] public_url is not set (the coach's URL)")
    return base + WEBHOOK_PATH


def _expires(sub: dict[str, object]) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(sub.get("expiration_time")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def ensure(app: App, url: str | None = None) -> Outcome:
    """Every (event type, kind) subscribed at ``url``; those expiring soon renewed."""
    settings = oura_settings(app.settings)
    client_id, client_secret = app_credentials(settings)
    token = settings.verification_token.reveal()
    if not token:
        raise InputError("oura subscribe", "OURA_VERIFICATION_TOKEN is not set")
    url = url or callback_url(app)
    now = app.clock.now()
    outcome = Outcome()
    with client_for(settings) as client:
        existing = {
            (str(s.get("event_type")), str(s.get("data_type"))): s
            for s in client.subscriptions(client_id, client_secret)
            if s.get("callback_url") == url
        }
        for kind in KINDS:
            for event_type in EVENT_TYPES:
                name = f"{event_type} {kind}"
                found = existing.get((event_type, kind))
                if found is None:
                    client.subscribe(
                        client_id,
                        client_secret,
                        {
                            "callback_url": url,
                            "verification_token": token,
                            "event_type": event_type,
                            "data_type": kind,
                        },
                    )
                    outcome.created.append(name)
                    continue
                expires = _expires(found)
                if expires is None or expires - now < RENEW_WITHIN:
                    client.renew(client_id, client_secret, str(found.get("id")))
                    outcome.renewed.append(name)
                else:
                    outcome.kept.append(name)
    return outcome
