"""The Slack user directory: one identity read per user (cached briefly), never a walk
over every athlete profile."""

from __future__ import annotations

import dataclasses
import time

from momentum.adapters.slack.users import AthleteDirectory, athlete_for
from momentum.core.memory import InMemoryStorage
from momentum.core.model import AthleteProfile


class CountingStorage(InMemoryStorage):
    """Counts identity lookups and refuses to list every athlete."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def find_identity(self, kind: str, external_id: str) -> str | None:
        self.reads += 1
        return super().find_identity(kind, external_id)

    def list_athletes(self) -> list[AthleteProfile]:
        raise AssertionError("a Slack lookup must not list every athlete")


def test_a_lookup_is_one_identity_read_and_is_cached(athlete: AthleteProfile) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    directory = AthleteDirectory(storage, ttl=60)
    assert directory.find("") is None
    assert directory.find(athlete.chat_user_id) == athlete
    for _ in range(20):
        assert directory.find(athlete.chat_user_id) == athlete
        assert directory.find("U999STRANGER") is None
    assert storage.reads == 2  # the athlete once, the stranger once


def test_a_new_athlete_and_a_changed_chat_user_count_after_the_ttl(
    athlete: AthleteProfile,
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    directory = AthleteDirectory(storage, ttl=0.0)
    assert directory.find("U2MALCOLM") is None
    newcomer = dataclasses.replace(athlete, athlete_id="malcolm", chat_user_id="U2MALCOLM")
    storage.put_athlete(newcomer)
    time.sleep(0.001)
    assert directory.find("U2MALCOLM") == newcomer
    storage.put_athlete(dataclasses.replace(newcomer, chat_user_id="U3NEW"))
    time.sleep(0.001)
    assert directory.find("U2MALCOLM") is None
    assert athlete_for(storage, "U3NEW") is not None
