"""Who is writing: Slack user id → athlete (``AthleteProfile.chat_user_id``)."""

from __future__ import annotations

import html
import logging
import re
import threading
import time

from momentum.core.model import AthleteProfile
from momentum.core.ports.storage import Storage

log = logging.getLogger("momentum.slack")

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
    """:func:`athlete_for` behind a cache, so an ack doesn't read every profile.

    The Slack-user → athlete map is built from Storage on first use. Once it is older
    than ``ttl`` seconds the next lookup starts a rebuild on a background thread and
    answers from the current map meanwhile, so no ack (and no burst of acks) waits while
    every profile is read and parsed. A new athlete, or a changed ``chat_user_id``, counts
    after at most ``ttl`` seconds plus one rebuild.
    """

    def __init__(self, storage: Storage, ttl: float = 5.0) -> None:
        self.storage = storage
        self.ttl = ttl
        self._by_user: dict[str, AthleteProfile] | None = None
        self._built = float("-inf")
        self._refreshing = False
        self._lock = threading.Lock()

    def find(self, slack_user_id: str) -> AthleteProfile | None:
        """The athlete for ``slack_user_id``, or ``None`` for a stranger."""
        if not slack_user_id:
            return None
        by_user = self._by_user
        if by_user is None:
            with self._lock:
                if self._by_user is None:
                    self._rebuild()
                by_user = self._by_user
            assert by_user is not None
        elif time.monotonic() - self._built > self.ttl:
            self._refresh_in_background()
        return by_user.get(slack_user_id)

    def _rebuild(self) -> None:
        athletes = self.storage.list_athletes()
        self._by_user = {a.chat_user_id: a for a in athletes if a.chat_user_id}
        self._built = time.monotonic()

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
        try:
            threading.Thread(
                target=self._refresh, name="momentum-slack-directory", daemon=True
            ).start()
        except BaseException:
            self._refreshing = False
            raise

    def _refresh(self) -> None:
        try:
            self._rebuild()
        except Exception:  # the current map stays; the next lookup tries again
            log.warning("could not refresh the Slack user directory", exc_info=True)
        finally:
            self._refreshing = False


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
