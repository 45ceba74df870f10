"""The demo athlete's simulated history: seeded, at least eight weeks, every kind of day."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter

import pytest

from momentum.adapters.local.demo.history import (
    DEFAULT_SEED,
    History,
    activity_id_for,
    build_history,
)
from momentum.adapters.local.demo.sessions import TREADMILL, WATCH
from momentum.adapters.local.demo.training_log import CALENDAR
from momentum.plugins.running.profile import running_profile


@functools.cache
def default_history() -> History:
    """The default history, simulated once per test process (other test modules reuse it)."""
    return build_history()


@pytest.fixture
def history() -> History:
    """The default history."""
    return default_history()


def fingerprint(history: History) -> str:
    """A digest of every id, start and heart-rate sample."""
    digest = hashlib.sha256()
    for session in history.sessions:
        digest.update(f"{session.activity_id}{session.start.isoformat()}".encode())
        if session.run is not None:
            digest.update(repr(session.run.streams.channels["heart_rate"]).encode())
    return digest.hexdigest()


def test_history_is_deterministic_for_a_seed(history: History) -> None:
    """Same seed: the same sessions, ids and samples, sample for sample."""
    assert fingerprint(build_history(DEFAULT_SEED)) == fingerprint(history)


def test_another_seed_gives_other_ids() -> None:
    """Ids depend on the seed (samples too: see the session tests)."""
    entry = CALENDAR[0]
    assert activity_id_for(1, entry) != activity_id_for(2, entry)
    assert activity_id_for(1, entry) == activity_id_for(1, entry)


def test_history_covers_at_least_eight_weeks(history: History) -> None:
    """Eight weeks or more, for the sample athlete of the talk."""
    assert history.days >= 56
    assert history.athlete.name == "Adam"
    assert history.athlete.timezone == "America/Toronto"
    assert running_profile(history.athlete).goal_race is not None
    assert running_profile(history.athlete).goal_race.date == dt.date(2026, 9, 19)
    assert running_profile(history.athlete).race_results[0].time_seconds == 4343


def test_history_has_every_kind_of_session(history: History) -> None:
    """Easy Z2 runs, long runs, intervals, strength and treadmill runs are all there."""
    kinds = Counter(s.kind for s in history.sessions)
    assert kinds["easy"] >= 8
    assert kinds["long"] + kinds["treadmill_long"] >= 8
    assert kinds["intervals"] >= 2
    assert kinds["strength"] >= 6
    assert kinds["treadmill"] >= 3
    assert any(s.via_chat and s.kind == "strength" for s in history.sessions)


def test_at_most_one_long_run_a_week(history: History) -> None:
    """One long run a week, never two."""
    weeks = Counter(
        s.entry.day.isocalendar()[:2]
        for s in history.sessions
        if s.kind in ("long", "treadmill_long")
    )
    assert max(weeks.values()) == 1


def test_history_has_short_and_long_missed_stretches(history: History) -> None:
    """A 2–4 day gap and, later, one of five days or more."""
    stretches = history.missed_stretches()
    lengths = [(end - start).days + 1 for start, end in stretches]
    assert any(2 <= n <= 4 for n in lengths)
    assert any(n >= 5 for n in lengths)
    short = min(start for (start, end), n in zip(stretches, lengths, strict=True) if n >= 2)
    long = max(start for (start, end), n in zip(stretches, lengths, strict=True) if n >= 5)
    assert short < long


def test_treadmill_runs_have_two_sources(history: History) -> None:
    """Every treadmill run is recorded by the treadmill and the watch, merged with ranges."""
    treadmill = [s for s in history.sessions if s.kind.startswith("treadmill")]
    for session in treadmill:
        assert session.run is not None
        assert set(session.run.sources) == {TREADMILL, WATCH}
        sources = {r.source for r in session.run.streams.source_ranges}
        assert sources == {TREADMILL, WATCH}


def test_ids_are_unique_and_sessions_in_time_order(history: History) -> None:
    """Stable Strava-like ids, no duplicates, oldest first, all times in UTC."""
    ids = [s.activity_id for s in history.sessions]
    assert len(set(ids)) == len(ids)
    assert all(i.isdigit() and len(i) == 11 for i in ids)
    starts = [s.start for s in history.sessions]
    assert starts == sorted(starts)
    assert all(s.utcoffset() == dt.timedelta(0) for s in starts)


def test_fatigue_follows_load(history: History) -> None:
    """The body arrives fresher after the eight-day break than before it."""
    by_day = {s.entry.day: s for s in history.sessions}
    before = by_day[dt.date(2026, 3, 1)].state.fatigue
    after = by_day[dt.date(2026, 3, 10)].state.fatigue
    assert after < before
