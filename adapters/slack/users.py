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
    """``athlete_for`` with a small index, so an ack doesn't read every profile.

    The index (Slack user id → athlete id) is rebuilt when a user is not in it and the
    index is older than ``ttl`` seconds; a hit is re-checked against the stored profile,
    so a changed ``chat_user_id`` is never trusted from the cache.
    """

    def __init__(self, storage: Storage, ttl: float = 5.0) -> None:
        self.storage = storage
        self.ttl = ttl
        self._index: dict[str, str] = {}
        self._built = float("-inf")
        self._lock = threading.Lock()

    def find(self, slack_user_id: str) -> AthleteProfile | None:
        """The athlete for ``slack_user_id``, or ``None`` for a stranger."""
        if not slack_user_id:
            return None
        with self._lock:
            athlete_id = self._index.get(slack_user_id)
            stale = time.monotonic() - self._built > self.ttl
        if athlete_id is not None:
            athlete = self.storage.get_athlete(athlete_id)
            if athlete is not None and athlete.chat_user_id == slack_user_id:
                return athlete
        elif not stale:
            return None
        return self._rebuild(slack_user_id)

    def _rebuild(self, slack_user_id: str) -> AthleteProfile | None:
        athletes = self.storage.list_athletes()
        with self._lock:
            self._index = {a.chat_user_id: a.athlete_id for a in athletes if a.chat_user_id}
            self._built = time.monotonic()
        return next((a for a in athletes if a.chat_user_id == slack_user_id), None)


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
