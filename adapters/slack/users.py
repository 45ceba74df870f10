"""Who is writing: Slack user id → athlete (``AthleteProfile.chat_user_id``)."""

from __future__ import annotations

import html
import re
import threading
import time

from momentum.core.model import AthleteProfile
from momentum.core.ports.storage import CHAT_IDENTITY, Storage

_LEADING_MENTIONS = re.compile(r"^(\s*<@[A-Z0-9]+(\|[^>]*)?>\s*)+")


def athlete_for(storage: Storage, slack_user_id: str) -> AthleteProfile | None:
    """The athlete whose chat user id is ``slack_user_id``, or ``None`` (a stranger): one
    read of the identity link every store keeps for ``chat_user_id``, then the profile
    (checked to still name this user, so a stale link can't answer for someone else)."""
    if not slack_user_id:
        return None
    athlete_id = storage.find_identity(CHAT_IDENTITY, slack_user_id)
    if athlete_id is None:
        return None
    athlete = storage.get_athlete(athlete_id)
    return athlete if athlete is not None and athlete.chat_user_id == slack_user_id else None


class AthleteDirectory:
    """:func:`athlete_for` behind a short cache, so a burst of acks from one user reads
    Storage once. A new athlete, or a changed ``chat_user_id``, counts after at most
    ``ttl`` seconds."""

    def __init__(self, storage: Storage, ttl: float = 5.0) -> None:
        self.storage = storage
        self.ttl = ttl
        self._cache: dict[str, tuple[float, AthleteProfile | None]] = {}
        self._lock = threading.Lock()

    def find(self, slack_user_id: str) -> AthleteProfile | None:
        """The athlete for ``slack_user_id``, or ``None`` for a stranger."""
        if not slack_user_id:
            return None
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(slack_user_id)
        if cached is not None and now - cached[0] <= self.ttl:
            return cached[1]
        athlete = athlete_for(self.storage, slack_user_id)
        with self._lock:
            if len(self._cache) > 10_000:  # strangers can't grow it without bound
                self._cache.clear()
            self._cache[slack_user_id] = (now, athlete)
        return athlete


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
