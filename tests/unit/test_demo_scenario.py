"""The demo scenario: its moments, syncing the history, records and what a reply changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from momentum.adapters.local.demo import effects
from momentum.adapters.local.demo.history import History
from momentum.adapters.local.demo.records import activity_for, strava_name
from momentum.adapters.local.demo.runner import DemoResult
from momentum.adapters.local.demo.script import MOMENTS, PLAN_DAY, Action
from momentum.adapters.local.demo.summary import next_commands
from momentum.adapters.local.demo.sync import HistorySync
from momentum.adapters.local.demo.transcript import chat_time
from momentum.core.app import App
from momentum.core.model import Reflection
from tests.unit.test_simulator_history import default_history

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def history() -> History:
    """The default history, simulated once per test process."""
    return default_history()


def test_moments_walk_forward_through_the_history(history: History) -> None:
    """In time order, after the first plan and inside the simulated days."""
    times = [m.at for m in MOMENTS]
    assert times == sorted(times)
    assert MOMENTS[0].day > PLAN_DAY
    assert all(history.first_day <= m.day <= history.last_day for m in MOMENTS)


def test_moments_cover_the_five_kinds_and_the_talks_chat() -> None:
    """Thriving, review, Monday plan, fragile, low, plus the talk's chat lines."""
    titles = [m.title for m in MOMENTS]
    for kind in (
        "thriving check-in",
        "post-run review",
        "Monday plan",
        "fragile check-in",
        "low check-in",
        "weekly review",
        "Tuesday reshuffle",
    ):
        assert kind in titles
    said = " | ".join(m.text for m in MOMENTS if m.action is Action.CHAT)
    assert "did 60 min strength, totally gassed" in said
    assert "DOMS" in said
    assert "Legs are tired. Should I rest?" in said
    assert "Stranger Things on the treadmill" in said
    jobs = {m.job for m in MOMENTS if m.action is Action.JOB}
    assert jobs == {"checkin", "monday_plan", "weekly_refresh"}
    assert all(m.day.weekday() == 0 for m in MOMENTS if m.job == "monday_plan")
    assert all(m.day.weekday() == 6 for m in MOMENTS if m.job == "weekly_refresh")


def test_reviews_and_chats_name_sessions_that_exist(history: History) -> None:
    """Each moment about a run finds exactly that run in the history, finished before it."""
    sync = HistorySync(app=None, history=history)  # type: ignore[arg-type]
    for moment in MOMENTS:
        if moment.activity_kind:
            session = sync.session_on(moment.day, moment.activity_kind)
            assert session.end <= moment.at


def test_the_low_moment_follows_five_or_more_quiet_days(history: History) -> None:
    """Before the low check-in nothing happened for at least five days; before the fragile
    one, two to four."""
    days = {s.entry.day for s in history.sessions}

    def quiet_before(day: dt.date) -> int:
        count = 0
        while day - dt.timedelta(days=count + 1) not in days:
            count += 1
        return count

    by_title = {m.title: m for m in MOMENTS}
    assert quiet_before(by_title["low check-in"].day) >= 5
    assert 2 <= quiet_before(by_title["fragile check-in"].day) <= 4


def test_sync_stores_each_record_once(memory_app: App, history: History) -> None:
    """Syncing up to a moment stores what finished by then; again stores nothing new, and
    a second sync over the same storage upserts instead of duplicating."""
    cut = dt.datetime(2025, 12, 12, tzinfo=dt.UTC)  # the first two weeks: 7 sessions
    first = HistorySync(memory_app, history)
    stored = first.until(cut)
    assert stored and first.new_records == len(stored)
    assert first.until(cut) == []
    again = HistorySync(memory_app, history)
    assert again.until(cut) == stored
    assert again.new_records == 0
    listed = memory_app.storage.list_activities("adam", effects.EPOCH, effects.END)
    assert len(listed) == len(stored)
    assert all(a.start < cut for a in listed)
    assert not any(a.source == "chat" for a in listed)
    treadmill = next(a for a in listed if a.is_indoor)
    streams = memory_app.storage.get_streams("adam", treadmill.activity_id)
    assert streams is not None
    assert {r.source for r in streams.source_ranges} == {"peloton", "watch"}


def test_records_come_from_the_real_analytics(history: History) -> None:
    """Runs are full activity records; strength is a Strength record with intensity."""
    athlete = history.athlete
    run = next(s for s in history.sessions if s.kind == "treadmill")
    record = activity_for(run, athlete)
    assert record.activity_type == "Run"
    assert record.activity_subtype == "Indoor"
    assert record.source == "peloton"
    assert record.distance_meters > 1000
    assert record.avg_hr is not None and 120 < record.avg_hr < 165
    assert sum(record.zone_seconds) > 0
    assert record.avg_incline is not None and record.avg_incline > 3
    assert record.splits
    assert record.streams is not None
    strength = next(s for s in history.sessions if s.kind == "strength" and not s.via_chat)
    logged = activity_for(strength, athlete)
    assert logged.activity_type == "Strength"
    assert logged.moving_time_seconds == strength.entry.minutes * 60
    assert logged.intensity == strength.entry.intensity
    assert logged.streams is None


def test_strava_style_names() -> None:
    """Named by the local start hour, as Strava does."""
    at = dt.datetime(2026, 2, 18, 23, 20, tzinfo=dt.UTC)  # 18:20 in Toronto
    assert strava_name(at, "America/Toronto") == "Evening Run"
    assert strava_name(at.replace(hour=17), "America/Toronto") == "Lunch Run"


def test_chat_time_reads_like_slack() -> None:
    """The talk's stamps: "Feb 19th at 6:31 AM", "Mar 22nd at 9:05 PM"."""
    assert chat_time(dt.datetime(2026, 2, 19, 11, 31, tzinfo=dt.UTC), TORONTO) == (
        "Feb 19th at 6:31 AM"
    )
    assert chat_time(dt.datetime(2026, 3, 23, 1, 5, tzinfo=dt.UTC), TORONTO) == (
        "Mar 22nd at 9:05 PM"
    )
    assert chat_time(dt.datetime(2026, 3, 11, 16, 0, tzinfo=dt.UTC), TORONTO) == (
        "Mar 11th at 12:00 PM"
    )


def test_changes_name_the_tools_footprints(memory_app: App) -> None:
    """A new reflection shows as save_reflection; what existed before does not."""
    storage = memory_app.storage
    at = memory_app.clock.now()
    storage.put_reflection(Reflection("r1", "adam", at, "old news"))
    before = effects.footprint(storage, "adam")
    storage.put_reflection(Reflection("r2", "adam", at, "Legs are tired"))
    assert effects.changes(storage, "adam", before) == ["save_reflection → “Legs are tired”"]


def test_next_commands_quote_the_home(history: History) -> None:
    """Paths with spaces stay one argument; dates stay in the demo's timeline."""
    result = DemoResult(home=Path("/tmp/my coach"), history=history)
    commands = next_commands(result)
    assert all(c.startswith("momentum --home '/tmp/my coach' ") for c in commands)
    assert "momentum --home '/tmp/my coach' checkin --date 2026-03-11" in commands
    last_run = [s for s in history.recorded() if s.is_run][-1]
    assert f"momentum --home '/tmp/my coach' review {last_run.activity_id}" in commands


def test_next_commands_only_list_what_the_cli_has(history: History) -> None:
    """Missing commands are left out; a home whose settings name another athlete gets
    ``--athlete``."""
    result = DemoResult(home=Path("/h"), history=history, default_athlete=False)
    assert next_commands(result, {"checkin"}) == [
        "momentum --home /h checkin --date 2026-03-11 --athlete adam"
    ]


def test_a_failure_names_the_moment_in_one_line(tmp_path: Path) -> None:
    """The CLI prints MomentumErrors as one line: which moment, what went wrong, where the
    traceback was written."""
    from momentum.adapters.local.demo.runner import ERROR_LOG, DemoError, _stopped
    from momentum.core.errors import MomentumError

    moment = MOMENTS[0]
    try:
        raise KeyError("plan")
    except KeyError as exc:
        error = _stopped(tmp_path, moment, exc)
    assert isinstance(error, DemoError) and isinstance(error, MomentumError)
    text = str(error)
    assert "\n" not in text
    assert "post-run review of Sun 08 Feb 2026 11:05" in text
    assert "KeyError" in text
    assert "KeyError: 'plan'" in (tmp_path / ERROR_LOG).read_text()
