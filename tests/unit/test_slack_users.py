"""The Slack user directory: built once, then refreshed in the background so no ack waits
while every athlete profile is read."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

from momentum.adapters.slack.users import AthleteDirectory
from momentum.core.memory import InMemoryStorage
from momentum.core.model import AthleteProfile


class CountingStorage(InMemoryStorage):
    """Counts ``list_athletes`` calls; ``hold`` makes them wait (a slow read)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.hold = threading.Event()
        self.hold.set()

    def list_athletes(self) -> list[AthleteProfile]:
        self.reads += 1
        assert self.hold.wait(5)
        return super().list_athletes()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_the_first_lookup_builds_the_map_and_later_ones_read_no_profiles(
    athlete: AthleteProfile,
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    directory = AthleteDirectory(storage, ttl=60)
    assert directory.find("") is None
    assert directory.find(athlete.chat_user_id) == athlete
    for _ in range(20):
        assert directory.find(athlete.chat_user_id) == athlete
        assert directory.find("U999STRANGER") is None
    assert storage.reads == 1


def test_a_stale_map_answers_at_once_while_it_is_rebuilt_in_the_background(
    athlete: AthleteProfile,
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    directory = AthleteDirectory(storage, ttl=0.0)
    assert directory.find(athlete.chat_user_id) == athlete
    newcomer = dataclasses.replace(athlete, athlete_id="malcolm", chat_user_id="U2MALCOLM")
    storage.put_athlete(newcomer)

    storage.hold.clear()  # the rebuild's read is slow
    assert directory.find(athlete.chat_user_id) == athlete  # answered from the old map
    assert directory.find("U2MALCOLM") is None  # not known yet: the rebuild is waiting
    assert wait_until(lambda: storage.reads == 2)
    directory.find(athlete.chat_user_id)
    assert storage.reads == 2  # one rebuild at a time
    storage.hold.set()
    assert wait_until(lambda: directory.find("U2MALCOLM") == newcomer)
