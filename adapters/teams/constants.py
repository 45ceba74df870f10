"""Names shared by the Teams adapter's halves (the ack and the deferred work)."""

from __future__ import annotations

import datetime as dt

MESSAGES_PATH = "/api/messages"
PROVIDER = "teams"
"""The Storage provider name under which an athlete's conversation reference is kept."""

KIND_TYPING = "teams.typing"
"""Deferred on a fast lane: send the typing indicator, then defer ``teams.reply``."""
KIND_REPLY = "teams.reply"
"""Deferred: answer a personal-chat message with the coach."""
KIND_STRANGER = "teams.stranger"
"""Deferred: the polite answer to someone the coach doesn't know (nothing is stored)."""

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that. "
    "Please try again in a minute."
)
ACTIVITY_CLAIM_TTL = dt.timedelta(days=1)
"""How long an activity id stays claimed; the Bot Connector retries within minutes."""


def activity_claim_key(activity_id: str) -> str:
    """The Storage claim that makes one incoming activity idempotent."""
    return f"teams:activity:{activity_id}"
