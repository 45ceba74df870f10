"""Who is writing: Slack user id → athlete (``AthleteProfile.chat_user_id``)."""

from __future__ import annotations

import html
import re

from core.model import AthleteProfile
from core.ports.storage import Storage

_LEADING_MENTIONS = re.compile(r"^(\s*<@[A-Z0-9]+(\|[^>]*)?>\s*)+")


def athlete_for(storage: Storage, slack_user_id: str) -> AthleteProfile | None:
    """The athlete whose chat user id is ``slack_user_id``, or ``None`` (a stranger).

    A personal coach has a handful of athletes, so a scan beats keeping an index in sync.
    """
    if not slack_user_id:
        return None
    for athlete in storage.list_athletes():
        if athlete.chat_user_id == slack_user_id:
            return athlete
    return None


def stranger_reply(slack_user_id: str) -> str:
    """The polite answer to someone the coach doesn't know (nothing about them is kept)."""
    return (
        "Hi! I'm a personal coach, and I only coach the athletes I was set up for, "
        "so I can't help here. If this should be you, ask whoever runs me to put your "
        f"Slack user id (`{slack_user_id}`) in your athlete profile."
    )


def message_text(raw: str) -> str:
    """What the athlete wrote: leading @mentions of the bot dropped, Slack's escapes undone."""
    return html.unescape(_LEADING_MENTIONS.sub("", raw or "")).strip()
