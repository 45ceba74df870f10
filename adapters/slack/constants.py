"""Names shared by the Slack adapter's halves (the HTTP/socket ack and the deferred work)."""

from __future__ import annotations

import datetime as dt

EVENTS_PATH = "/slack/events"
COMMAND = "/momentum"

KIND_THINKING = "slack.thinking"
"""Deferred on a fast lane: post "Thinking…", then defer ``slack.reply``."""
KIND_REPLY = "slack.reply"
"""Deferred: answer a DM or mention with the coach, updating "Thinking…"."""
KIND_SCREEN = "slack.screen"
"""Deferred: post ``/momentum week|plan|usage`` to the athlete's DM."""
KIND_STRANGER = "slack.stranger"
"""Deferred: the polite answer to someone the coach doesn't know (nothing is stored)."""
KIND_ACTION = "slack.action"
"""Deferred: a button on the weekly tree or under a coach DM."""

THINKING = "Thinking…"
APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that. "
    "Please try again in a minute."
)
BUSY = "I'm swamped right now and couldn't take that. Please send it again in a minute."
"""Said when the deferred work queue is full (the local scheduler's bound)."""
BUSY_STATUS = 503
"""The answer to an event that could not be queued: Slack retries a non-2xx delivery."""
EVENT_CLAIM_TTL = dt.timedelta(days=1)
"""How long an event id stays claimed. Slack retries within about five minutes."""


def event_claim_key(event_id: str) -> str:
    """The Storage claim that makes an Events API delivery idempotent."""
    return f"slack:event:{event_id}"
