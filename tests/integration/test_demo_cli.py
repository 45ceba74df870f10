"""`momentum demo` end to end: the real CLI in a subprocess, SQLite in a temporary home.

Offline (no API key) it must print the five kinds of message and keep the coach in the
home; run again on the same home it must not duplicate anything; with GROQ_API_KEY set
(the real groq SDK pointed at the fake Groq server) the words come from Groq.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.demo.history import build_history
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.model import MessageKind, Role

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
TIMEOUT_S = 180


@dataclass(frozen=True)
class Run:
    """One finished `momentum demo`."""

    home: Path
    code: int
    out: str
    err: str


def demo(home: Path | None, **env: str) -> Run:
    """Run ``momentum [--home HOME] demo`` as a user would (module entry point)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("GROQ_API_KEY", "MOMENTUM_HOME")}
    environ.update(env, COLUMNS="100", PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "momentum.adapters.local.cli"]
    if home is not None:
        args += ["--home", str(home)]
    done = subprocess.run(
        [*args, "demo", "--width", "100"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    return Run(home or Path(), done.returncode, done.stdout, done.stderr)


def counts(home: Path) -> dict[str, int]:
    """How many records of each kind the coach in ``home`` holds."""
    storage = SqliteStorage(home / "momentum.db")
    try:
        messages = storage.list_messages("adam", EPOCH, END)
        return {
            "activities": len(storage.list_activities("adam", EPOCH, END)),
            "messages": len(messages),
            "coach_messages": sum(1 for m in messages if m.role is Role.COACH),
            "memory": len(storage.list_memory("adam")),
            "reflections": len(storage.list_reflections("adam", EPOCH, END)),
            "usage": len(storage.list_usage(None, EPOCH, END)),
        }
    finally:
        storage.close()


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The demo, offline, into a fresh home."""
    home = tmp_path_factory.mktemp("demo") / "coach"
    run = demo(home)
    assert run.code == 0, run.err
    return Run(home, run.code, run.out, run.err)


def test_demo_exits_zero_and_keeps_the_coach(offline: Run) -> None:
    """The home holds the SQLite coach and a config naming the demo athlete."""
    assert (offline.home / "momentum.db").exists()
    assert 'athlete_id = "adam"' in (offline.home / "momentum.toml").read_text()
    assert str(offline.home) in offline.out
    assert "Traceback" not in offline.err
    # the demo's own settings file is private from the start: no warning about it
    assert "warning:" not in offline.out + offline.err
    assert (offline.home / "momentum.toml").stat().st_mode & 0o777 == 0o600


def test_demo_prints_the_five_kinds_of_message(offline: Run) -> None:
    """Thriving check-in, post-run review, Monday plan, fragile and low check-ins, each
    with the coach's own judgement of the athlete's state."""
    out = offline.out
    for heading in (
        "thriving check-in",
        "post-run review",
        "Monday plan",
        "fragile check-in",
        "low check-in",
    ):
        assert heading in out
    assert out.count("Momentum APP") >= 13
    for state in ("state: thriving", "state: fragile", "state: low"):
        assert state in out
    assert "Latest activity" in out  # the review's code-rendered header
    assert "MVW:" in out  # the weekly picture
    assert "Week of Feb 23" in out  # the Monday plan's week


def test_demo_states_match_the_moments(offline: Run) -> None:
    """What the coach stored: the check-in on each chosen day carries the intended state."""
    storage = SqliteStorage(offline.home / "momentum.db")
    try:
        stored = {m.message_id: m for m in storage.list_messages("adam", EPOCH, END)}
    finally:
        storage.close()
    assert stored["checkin:2026-02-22"].state == "thriving"
    assert stored["checkin:2026-02-25"].state == "fragile"
    assert stored["checkin:2026-03-10"].state == "low"
    assert stored["monday_plan:2026-02-23"].kind is MessageKind.MONDAY_PLAN
    reviews = [m for m in stored.values() if m.kind is MessageKind.REVIEW]
    assert len(reviews) == 2
    assert all(m.ref for m in stored.values() if m.role is Role.COACH), "all delivered"


def test_demo_shows_the_talks_function_calls_and_memory(offline: Run) -> None:
    """The chat lines leave their footprints: a logged strength session, reflections, an
    activity note, and the Discoveries & Experiments item about stacking."""
    out = offline.out
    assert "did 60 min strength, totally gassed" in out
    assert "log_activity → WeightTraining, 60 min, hard" in out
    assert "save_reflection" in out
    assert "save_activity_note" in out
    assert "## Discoveries & Experiments" in out
    assert "DOMS" in out
    assert "Stranger Things" in out


def test_demo_summary_offline(offline: Run) -> None:
    """Where it lives, what was simulated, zero cost offline, and what to run next."""
    out = offline.out
    assert "100 days (01 Dec 2025 – 10 Mar 2026)" in out
    assert "1 Hz streams" in out
    assert "$0.0000" in out
    assert "0 tokens (0 in / 0 out)" in out
    assert f"momentum --home {offline.home} checkin --date 2026-03-11" in out


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Another ``momentum`` command on the demo's home, offline."""
    environ = {k: v for k, v in os.environ.items() if k not in ("GROQ_API_KEY", "MOMENTUM_HOME")}
    environ.update(COLUMNS="100", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home), *args]
    return subprocess.run(
        command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=TIMEOUT_S
    )


def test_the_user_can_carry_on_with_the_suggested_commands(offline: Run) -> None:
    """The summary's check-in and review commands work on the kept home."""
    checkin = cli(offline.home, "checkin", "--date", "2026-03-11")
    assert checkin.returncode == 0, checkin.stderr
    assert "Wednesday, March 11 check-in" in checkin.stdout
    found = re.search(r"demo review (\d{11})\b", offline.out.replace(str(offline.home), "demo"))
    assert found, "the summary suggests reviewing the last run"
    review = found.group(1)
    shown = cli(offline.home, "review", review)
    assert shown.returncode == 0, shown.stderr
    assert "Run" in shown.stdout


def test_rerun_on_the_same_home_duplicates_nothing(offline: Run) -> None:
    """Records are upserted by id and messages read back, never regenerated or paid."""
    before = counts(offline.home)
    again = demo(offline.home)
    assert again.code == 0, again.err
    after = counts(offline.home)
    assert after == before
    recorded = len(build_history().recorded())
    assert before["activities"] == recorded + 1, "synced from devices, plus 1 logged in chat"
    assert "0 new this run" in again.out
    assert "low check-in" in again.out
    assert "read back from storage" in again.out


@pytest.fixture
def fake_groq() -> Iterator[Any]:
    """The fake Groq server (skips when the groq SDK is absent)."""
    pytest.importorskip("groq", reason="the groq SDK is not installed")
    from tests.fakes.fake_groq import FakeGroq

    with FakeGroq() as server:
        yield server


def test_with_a_groq_key_the_words_come_from_groq(fake_groq: Any, tmp_path: Path) -> None:
    """No special case: GROQ_API_KEY makes the model chain start with Groq; the chat's
    "did 60 min strength" arrives with the tools offered and is logged by a tool call."""
    from tests.fakes.fake_groq import API_KEY, Reply

    def answer(body: dict[str, Any]) -> Reply:
        said = str(body["messages"][-1].get("content") or "")
        if body.get("tools") and "60 min strength" in said:
            args = {"activity_type": "strength", "duration": 60, "intensity": "hard"}
            return Reply("", tool_calls=[("log_activity", args)])
        return Reply("Steady work this week. What made starting easiest today?")

    fake_groq.default = answer
    run = demo(tmp_path / "coach", GROQ_API_KEY=API_KEY, GROQ_BASE_URL=fake_groq.url)
    assert run.code == 0, run.err
    assert len(fake_groq.requests) >= 13
    assert any("log_activity" in r.tool_names for r in fake_groq.requests)
    assert "What made starting easiest today?" in run.out
    assert "log_activity → WeightTraining, 60 min, hard" in run.out
    assert "openai/gpt-oss-120b" in run.out
    assert "$0.0000" not in run.out
