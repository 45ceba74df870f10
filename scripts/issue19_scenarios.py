"""Issue 19's coaching scenarios, printed as the coach would show them.

Run from a checkout (``python scripts/issue19_scenarios.py``): it builds plans, asks the
offline coach and runs the CLI views on temporary data, so the same script shows what one
branch does against another (docs/notes/issue19-plans.md holds main's output "before" and
the plans branch's "after"). It uses only public entry points that exist on both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

from momentum.plugins.running.model.plan import Plan

sys.path.insert(0, str(Path.cwd()))

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.plans.guardrails import aerobic_minutes
from momentum.plugins.running.profile import RaceResult
from tests.unit.test_plans_support import activity, talk_athlete

TODAY = dt.date(2026, 3, 2)  # a Monday
VIEW_DAYS = 91  # what the coach's view loads


def history(last_day: dt.date, weeks: int = 8, weekly: float = 300) -> list[Activity]:
    """``weeks`` steady weeks of running ending on ``last_day`` (long run 40 %)."""
    acts = []
    start = last_day - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    for offset in range((last_day - start).days + 1):
        day = start + dt.timedelta(days=offset)
        share = {0: 0.2, 2: 0.2, 4: 0.2, 5: 0.4}.get(day.weekday())
        if share:
            acts.append(activity(day, weekly * share))
    return acts


def visible(acts: list[Activity], today: dt.date) -> list[Activity]:
    """What the coach's view would load: the last :data:`VIEW_DAYS` days."""
    first = today - dt.timedelta(days=VIEW_DAYS)
    return [a for a in acts if first <= a.start.date() < today]


def week_line(week) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for s in week.sessions:
        if s.kind is SessionKind.REST:
            continue
        parts.append(f"{s.date:%a} {s.title or s.kind.value}")
    hard = [s for s in week.sessions if s.kind.is_hard]
    longest = max((s.minutes for s in week.sessions if s.kind.is_run), default=0)
    return (
        f"week of {week.start}: {aerobic_minutes(week)} min, longest {longest} min, "
        f"{len(hard)} quality — " + "; ".join(parts)
    )


def plan_scenario(title: str, athlete: AthleteProfile, acts: list[Activity]) -> None:
    plan = build_plan(athlete, visible(acts, TODAY), [], TODAY, 3)
    print(f"### {title}")
    vdot = f"{plan.vdot:.1f}" if plan.vdot is not None else "none"
    print(f"VDOT {vdot}; goal: {plan.goal}")
    for week in plan.weeks[:3]:
        print("- " + week_line(week))
    print()


def offline_chat(lines: list[str]) -> None:
    from momentum.core.ports.clock import FixedClock
    from momentum.plugins.running.coach.planning import ensure_plan
    from tests.unit.test_coach_support import at, offline_app, talk_history

    athlete = talk_athlete()
    app = offline_app(athlete, FixedClock(at(TODAY, 19)))
    talk_history(app.storage, "adam", TODAY - dt.timedelta(days=42), TODAY - dt.timedelta(days=1))
    ensure_plan(app.storage, app.coach.view("adam", TODAY))
    print("### Chat without a model")
    for index, line in enumerate(lines):
        reply = app.coach.reply("adam", line, event_id=f"e{index}")
        print(f"- **{line}** → {reply.text.strip()}".replace("\n", " "))
    long_day = [
        s.date
        for w in (app.storage.get_plan(Plan, "adam").weeks or ())  # type: ignore[union-attr]
        for s in w.sessions
        if s.kind is SessionKind.LONG and TODAY <= s.date < TODAY + dt.timedelta(days=7)
    ]
    print(f"- long run this week now on: {[f'{d:%a}' for d in long_day]}")
    end = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    logged = [
        a
        for a in app.storage.list_activities("adam", end - dt.timedelta(days=3), end)
        if a.source == "chat"
    ]
    for a in logged:
        print(
            f"- chat-logged activity: {a.activity_type} {a.distance_meters / 1000:g} km, "
            f"{a.moving_time_seconds / 60:.0f} min on {a.start.date()}"
        )
    print()


def views_scenario() -> None:
    from typer.testing import CliRunner

    from momentum.adapters.local import cli as root
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from tests.unit.test_plans_support import DOMS_MEMORY, talk_history

    root._register_all()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with SqliteStorage(home / "momentum.db") as storage:
            storage.put_athlete(talk_athlete())
            for a in talk_history():
                storage.put_activity(a)
            storage.put_memory(DOMS_MEMORY)
            plan = build_plan(talk_athlete(), talk_history(), [DOMS_MEMORY], dt.date(2026, 2, 23))
            storage.put_plan(plan, expected_version=0)

        def dump() -> list[str]:
            con = sqlite3.connect(home / "momentum.db")
            try:
                return list(con.iterdump())
            finally:
                con.close()

        runner = CliRunner()
        base = ["--home", str(home)]
        runner.invoke(
            root.cli,
            [*base, "plan", "adjust", "2026-02-28", "only 20 minutes", "--date", "2026-02-23"],
        )
        before = dump()
        for args in (
            ["plan", "--date", "2026-03-09"],
            ["week", "--date", "2026-02-25"],
            ["checkin", "--date", "2026-02-25"],
            ["plan", "--json"],
        ):
            runner.invoke(root.cli, [*base, *args])
        after = dump()
        changed = sorted(
            {
                line.split('"')[1]
                for line in set(before) ^ set(after)
                if line.startswith("INSERT INTO")
            }
        )
        print("### Views never writing")
        print(
            f"- after `plan --date`, `week`, `checkin`, `plan --json`: tables changed: "
            f"{changed or 'none'}"
        )
        with SqliteStorage(home / "momentum.db") as storage:
            stored = storage.get_plan(Plan, "adam")
        sat = [
            s
            for w in stored.weeks
            for s in w.sessions  # type: ignore[union-attr]
            if s.date == dt.date(2026, 2, 28)
        ]
        print(f"- Saturday Feb 28 after the views: {[f'{s.title} ({s.minutes} min)' for s in sat]}")
        print()


def cli_scenario() -> None:
    """Paces, a goal and an export through the CLI (what a new user types)."""
    from typer.testing import CliRunner

    from momentum.adapters.local import cli as root
    from momentum.adapters.local.sqlite_storage import SqliteStorage

    root._register_all()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "momentum.toml").write_text('athlete_id = "adam"\n')
        today = dt.date.today()
        with SqliteStorage(home / "momentum.db") as storage:
            storage.put_athlete(talk_athlete(race_results=(), goal_race=None))
            for back in range(1, 40, 2):
                a = activity(today - dt.timedelta(days=back), 50)
                storage.put_activity(dataclasses.replace(a, distance_meters=9000, avg_hr=140))
        runner = CliRunner()
        goal_day = (today + dt.timedelta(weeks=8)).isoformat()
        print("### Paces, a goal and the plan to take along (CLI)")
        for args in (
            ["paces"],
            [
                "race",
                "goal",
                "-n",
                "Spring Half",
                "--date",
                goal_day,
                "-d",
                "half",
                "-t",
                "1:25:00",
            ],
            ["predict"],
            ["plan", "export", "--ics", str(home / "plan.ics"), "--fit", str(home / "fit")],
        ):
            result = runner.invoke(root.cli, ["--home", str(home), *args])
            text = " / ".join(line.strip() for line in result.output.splitlines() if line.strip())
            print(f"- `momentum {' '.join(args[:2])}` → {text[:400]}")
        print()


def main() -> None:
    athlete = talk_athlete(goal_race=None, race_results=())
    plan_scenario("27 days off", athlete, history(TODAY - dt.timedelta(days=28)))
    plan_scenario("6 months off", athlete, history(TODAY - dt.timedelta(days=182)))
    plan_scenario("9 months off", athlete, history(TODAY - dt.timedelta(days=274)))
    beginner = AthleteProfile(
        athlete_id="new",
        name="New Runner",
        timezone="America/Toronto",
        created=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    plan_scenario("A beginner who accepts the defaults", beginner, [])
    trail = talk_athlete(
        race_results=(
            RaceResult(
                TODAY - dt.timedelta(days=20), 30000, 4 * 3600 + 57 * 60, "Mazinaw 30K Trail"
            ),
        )
    )
    runs = []
    for back in range(1, 36, 2):
        day = TODAY - dt.timedelta(days=back)
        a = activity(day, 50)
        runs.append(dataclasses.replace(a, distance_meters=50 * 60 / 330 * 1000, avg_hr=140))
    plan_scenario("Trail race says VDOT 18, heart rate says otherwise", trail, runs)
    views_scenario()
    cli_scenario()
    offline_chat(
        [
            "move my long run to Sunday",
            "5 km easy yesterday",
            "what's my plan this week?",
            "what pace should my easy runs be?",
            "how was my last run?",
        ]
    )


if __name__ == "__main__":
    main()
