"""Who is writing: Slack user id → athlete (``AthleteProfile.chat_user_id``)."""

from __future__ import annotations

import html
import re
import threading
import time

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


class AthleteDirectory:
    """:func:`athlete_for` behind a short-lived cache, so an ack doesn't read every
    profile: the Slack-user → athlete map is rebuilt from Storage when it is older than
    ``ttl`` seconds (a new athlete, or a changed ``chat_user_id``, counts after at most
    that long)."""

    def __init__(self, storage: Storage, ttl: float = 5.0) -> None:
        self.storage = storage
        self.ttl = ttl
        self._by_user: dict[str, AthleteProfile] = {}
        self._built = float("-inf")
        self._lock = threading.Lock()

    def find(self, slack_user_id: str) -> AthleteProfile | None:
        """The athlete for ``slack_user_id``, or ``None`` for a stranger."""
        if not slack_user_id:
            return None
        if time.monotonic() - self._built > self.ttl:
            with self._lock:
                if time.monotonic() - self._built > self.ttl:
                    athletes = self.storage.list_athletes()
                    self._by_user = {a.chat_user_id: a for a in athletes if a.chat_user_id}
                    self._built = time.monotonic()
        return self._by_user.get(slack_user_id)


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
