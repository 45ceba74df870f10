"""Plan commands: ``momentum plan [--weeks N] [--json]``, ``momentum plan adjust DATE
"reason"`` and ``momentum week``.

They open the local coach at ``--home``, build and store a plan when there is none (or when
the stored one no longer covers today), and print it with rich. The plan engine is
:mod:`momentum.plugins.running.plans`; this module only converts between the terminal and it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from momentum.adapters.local.cli import fail, home_of
from momentum.adapters.local.dates import parse_date
from momentum.core.errors import MomentumError
from momentum.core.model import Activity, AthleteProfile, MemoryItem
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind
from momentum.plugins.running.profile import running_profile

HISTORY_DAYS = 70
"""Activities read for a plan: ten weeks covers the 4-week base and the 21-day long run."""
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MARKS = {"done": "✓", "planned": "○", "missed": "·", "rest": "—", "extra": "+"}

ATHLETE_OPTION = typer.Option(None, "--athlete", help="Athlete id (default: the coach's).")
DATE_OPTION = typer.Option(
    None, "--date", help="Show the plan as of this day, YYYY-MM-DD (default: today)."
)


@dataclass(frozen=True)
class _Coach:
    """What a plan command needs from the local coach."""

    app: Any
    athlete: AthleteProfile
    today: dt.date
    activities: list[Activity]
    memory: list[MemoryItem]


@contextlib.contextmanager
def _coach(
    ctx: typer.Context,
    athlete: str | None,
    day: str | None,
    *,
    writes: bool = False,
    history_days: int = HISTORY_DAYS,
) -> Iterator[_Coach]:
    """The local coach for one command. A view (``writes=False``) runs on a read-only copy
    (:func:`momentum.core.readonly.read_only`): a plan it needs is built in memory and the
    stored plan, with its adjustments, stays as it was."""
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.core.readonly import read_only
    from momentum.plugins.running.analytics.load import local_day

    home: Path = home_of(ctx)
    try:
        opened = open_app(home)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    app = opened if writes else read_only(opened)
    try:
        try:
            profile = _athlete(app, athlete, home)
            now = app.clock.now()
            today = parse_date(day, "--date") if day else local_day(now, profile.timezone)
            moment = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
            activities = app.storage.list_activities(
                profile.athlete_id,
                moment - dt.timedelta(days=history_days),
                moment + dt.timedelta(days=2),
            )
            memory = [m for m in app.storage.list_memory(profile.athlete_id) if m.active]
        except MomentumError as exc:
            raise fail(str(exc)) from None
        yield _Coach(app, profile, today, activities, memory)
    finally:
        close_app(opened)


def _rebalanced(coach: _Coach) -> Plan | None:
    """Reshuffle the current week the way the coach does after a chat adjustment, and
    return the stored plan (None if there is none)."""
    from momentum.plugins.running.coach import planning

    view = coach.app.coach.view(coach.athlete.athlete_id, coach.today)
    _run(lambda: planning.reconcile(coach.app.storage, view))
    plan: Plan | None = coach.app.storage.get_plan(Plan, coach.athlete.athlete_id)
    return plan


def _athlete(app: Any, athlete_id: str | None, home: Path) -> AthleteProfile:
    wanted = athlete_id or app.settings.athlete_id
    profile: AthleteProfile | None = app.storage.get_athlete(wanted)
    if profile is not None:
        return profile
    athletes = app.storage.list_athletes()
    if athlete_id is None and len(athletes) == 1:
        only: AthleteProfile = athletes[0]
        return only
    raise MomentumError(f"no athlete {wanted!r} in the coach at {home} (run `momentum init`)")


def current_plan(coach: _Coach, weeks: int | None = None) -> Plan:
    """The stored plan, built and stored first when there is none or it does not cover
    today; asking for more ``weeks`` than it holds builds a longer one."""
    from momentum.plugins.running.plans import build_plan, weekly_refresh

    storage = coach.app.storage
    plan: Plan | None = storage.get_plan(Plan, coach.athlete.athlete_id)
    if plan is not None and plan.week_of(coach.today) is not None:
        ahead = [w for w in plan.weeks if w.start + dt.timedelta(days=6) >= coach.today]
        if weeks is None or len(ahead) >= weeks or _reaches_race(plan):
            return plan
    args = (coach.athlete, coach.activities, coach.memory, coach.today)
    if plan is None or weeks is not None:
        new = build_plan(*args, weeks=weeks or 8)
    else:
        new = weekly_refresh(plan, *args)
    stored: Plan = storage.put_plan(new, expected_version=plan.version if plan else 0)
    return stored


def _reaches_race(plan: Plan) -> bool:
    return any(s.kind is SessionKind.RACE for w in plan.weeks for s in w.sessions)


def _run(action: Any) -> Any:
    from momentum.core.ports.storage import ConflictError

    try:
        return action()
    except (MomentumError, ConflictError) as exc:
        raise fail(str(exc)) from None


# -- formatting ------------------------------------------------------------------------------


def _hours(minutes: float) -> str:
    total = round(minutes)
    return f"{total // 60}:{total % 60:02d}h"


def _pace(session: PlannedSession) -> str:
    from momentum.plugins.running.plans.intensity import pace_text

    return pace_text(session.pace)


def _label(session: PlannedSession) -> str:
    text = session.title or session.kind.value
    return f"{text} (optional)" if session.optional else text


def _plan_tables(plan: Plan) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    from momentum.plugins.running.plans.guardrails import aerobic_minutes

    out: list[Any] = []
    head = Text()
    head.append(f"Goal: {plan.goal}", style="bold")
    if plan.vdot is not None:
        head.append(f"  ·  VDOT {plan.vdot:.1f}")
    head.append(f"\nMinimum Viable Week: {plan.mvw.describe()}\n")
    for phase in plan.phases:
        head.append(f"• {phase.name} ({phase.start:%b %d} – {phase.end:%b %d}): ", style="bold")
        head.append(f"{phase.focus}\n")
    out.append(head)
    for week in plan.weeks:
        end = week.start + dt.timedelta(days=6)
        title = (
            f"Week of {week.start:%b %d} – {end:%b %d} · {week.phase} · "
            f"aerobic {_hours(aerobic_minutes(week))} · total {_hours(week.planned_minutes)}"
            + (" · down week" if week.is_recovery else "")
        )
        table = Table(title=title, title_justify="left", show_lines=False)
        for column in ("Day", "Session", "Min", "Zone", "Pace", "Purpose", "Status"):
            table.add_column(column, overflow="fold")
        for s in week.sessions:
            table.add_row(
                f"{DAY_NAMES[s.date.weekday()]} {s.date:%d}",
                _label(s),
                str(s.minutes) if s.kind is not SessionKind.REST else "",
                s.zone,
                _pace(s),
                s.purpose,
                s.status.value if s.kind is not SessionKind.REST else "",
            )
        out.append(table)
    return out


def _coach_notes(coach: _Coach) -> list[str]:
    """Where the plan starts (a return after a gap, a beginner) and whether the goal race
    still fits, in the coach's plain words."""
    from momentum.plugins.running.plans.comeback import starting_point
    from momentum.plugins.running.plans.goal_check import check_goal
    from momentum.plugins.running.plans.history import History

    notes = []
    history = History.of(coach.activities, coach.athlete.timezone)
    start = starting_point(coach.athlete, history, coach.today)
    if start.why:
        notes.append(f"Starting point: {start.why}.")
    verdict = check_goal(coach.athlete, coach.activities, coach.today)
    race = running_profile(coach.athlete).goal_race
    if verdict is not None and race is not None:
        notes.append(f"Goal check: {verdict.sentence(race)}")
    return notes


def _session_lines(sessions: list[PlannedSession]) -> list[str]:
    lines = []
    for s in sessions:
        detail = f"{_label(s)}"
        if s.zone:
            detail += f" · {s.zone}"
        if s.pace is not None:
            detail += f" · {_pace(s)}"
        lines.append(f"{detail}\n  {s.purpose}")
        if s.strength is not None:
            lines.append("  Warm-up: " + "; ".join(s.strength.warm_up))
            for ex in s.strength.main_set:
                lines.append(f"  • {ex.name}: {ex.sets}×{ex.reps} — {ex.notes}")
            lines.append("  Cool-down: " + "; ".join(s.strength.cool_down))
    return lines


# -- commands --------------------------------------------------------------------------------


def register(cli: typer.Typer) -> None:
    """Add ``plan`` (with ``plan adjust``) and ``week`` to the root CLI."""
    plan_app = typer.Typer(
        help="The training plan: phases, the Minimum Viable Week and the coming weeks.",
        no_args_is_help=False,
    )

    @plan_app.callback(invoke_without_command=True)
    def plan(
        ctx: typer.Context,
        weeks: int | None = typer.Option(
            None, "--weeks", "-w", min=1, max=52, help="Weeks to show (default: all, 8 new)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
        athlete: str | None = ATHLETE_OPTION,
        date: str | None = DATE_OPTION,
    ) -> None:
        """Show the plan (built and stored first when there is none)."""
        if ctx.invoked_subcommand is not None:
            return
        from momentum.plugins.running.plans import plan_json

        with _coach(ctx, athlete, date) as coach:
            stored = _run(lambda: current_plan(coach, weeks))
            shown = [w for w in stored.weeks if w.start + dt.timedelta(days=6) >= coach.today]
            view = dataclasses.replace(stored, weeks=tuple(shown[: weeks or len(shown)]))
            if as_json:
                typer.echo(json.dumps(plan_json(view), ensure_ascii=False))
                return
            from rich.console import Console

            console = Console()
            for item in _plan_tables(view):
                console.print(item)
            for line in _coach_notes(coach):
                console.print(line)

    @plan_app.command("adjust")
    def adjust(
        ctx: typer.Context,
        day: str = typer.Argument(..., metavar="DATE", help="The day to change, YYYY-MM-DD."),
        reason: str = typer.Argument(..., help='Why, e.g. "only 20 minutes", "calf is sore".'),
        athlete: str | None = ATHLETE_OPTION,
        date: str | None = DATE_OPTION,
    ) -> None:
        """Replace one day's session to fit the reason; the rest of the plan stays."""
        from momentum.plugins.running.plans import adjust_session

        when = _run(lambda: parse_date(day))
        with _coach(ctx, athlete, date, writes=True) as coach:
            stored = _run(lambda: current_plan(coach))
            changed = _run(
                lambda: adjust_session(stored, coach.athlete, when, reason, coach.memory)
            )
            saved: Plan = _run(
                lambda: coach.app.storage.put_plan(changed, expected_version=stored.version)
            )
            if saved.week_of(coach.today) is not None and saved.week_of(when) is saved.week_of(
                coach.today
            ):
                # This week changed: let the reshuffle restore its guardrails (80/20).
                saved = _rebalanced(coach) or saved
            week = saved.week_of(when)
            sessions = [s for s in (week.sessions if week else ()) if s.date == when]
            typer.echo(f"{DAY_NAMES[when.weekday()]} {when.isoformat()} is now:")
            for line in _session_lines(sessions):
                typer.echo(f"  {line}")

    @plan_app.command("export")
    def export(
        ctx: typer.Context,
        ics: Path | None = typer.Option(None, "--ics", help="Write an iCalendar file here."),
        fit: Path | None = typer.Option(
            None, "--fit", help="Write a FIT workout file per run into this folder."
        ),
        athlete: str | None = ATHLETE_OPTION,
        date: str | None = DATE_OPTION,
    ) -> None:
        """Export the plan from today on: a calendar (.ics) and/or watch workouts (.fit)."""
        if ics is None and fit is None:
            raise fail("say where: --ics FILE and/or --fit DIR")
        try:
            from momentum.adapters.local import plan_export
        except ImportError as exc:  # pragma: no cover - the export extra is missing
            raise fail(f"plan export needs the 'export' extra ({exc.name} is missing)") from None

        with _coach(ctx, athlete, date) as coach:
            stored = _run(lambda: current_plan(coach))
            if ics is not None:
                if ics.is_dir():
                    raise fail(f"--ics {ics} is a folder; give a file name like plan.ics")
                count = plan_export.write_ics(stored, coach.athlete, coach.today, ics)
                typer.echo(f"Wrote {count} sessions to {ics}")
            if fit is not None:
                if fit.exists() and not fit.is_dir():
                    raise fail(f"--fit {fit} is a file; give a folder")
                files = plan_export.write_fit_dir(stored, coach.athlete, coach.today, fit)
                typer.echo(f"Wrote {len(files)} FIT workouts to {fit}")

    cli.add_typer(plan_app, name="plan")

    @cli.command("week")
    def week(
        ctx: typer.Context,
        athlete: str | None = ATHLETE_OPTION,
        date: str | None = DATE_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print the week as JSON."),
    ) -> None:
        """This week: planned, done and missed, with the Minimum Viable Week ticks."""
        from momentum.plugins.running.plans import week_status

        with _coach(ctx, athlete, date) as coach:
            stored = _run(lambda: current_plan(coach))
            status = week_status(
                stored, coach.activities, coach.today, timezone=coach.athlete.timezone
            )
            if as_json:
                typer.echo(json.dumps(_week_json(status), ensure_ascii=False))
                return
            _print_week(status)


def _week_json(status: Any) -> dict[str, Any]:
    return {
        "start": status.start.isoformat(),
        "phase": status.phase,
        "aerobic_minutes_done": status.aerobic_minutes_done,
        "aerobic_minutes_planned": status.aerobic_minutes_planned,
        "mvw": {k: list(v) for k, v in status.mvw.items()},
        "days": [
            {
                "date": d.day.isoformat(),
                "status": d.status,
                "planned": [
                    {"kind": s.kind.value, "minutes": s.minutes, "title": s.title}
                    for s in d.sessions
                ],
                "done": [
                    {
                        "id": a.activity_id,
                        "type": a.activity_type,
                        "minutes": round((a.moving_time_seconds or a.elapsed_time_seconds) / 60),
                    }
                    for a in d.activities
                ],
            }
            for d in status.days
        ],
        "changes": list(status.changes),
    }


def _print_week(status: Any) -> None:
    from rich.console import Console
    from rich.tree import Tree

    end = status.start + dt.timedelta(days=6)
    tree = Tree(f"[bold]Week of {status.start:%b %d} – {end:%b %d}[/bold]  {status.phase}")
    for d in status.days:
        mark = MARKS.get(d.status, "?")
        name = DAY_NAMES[d.day.weekday()]
        parts = [f"{mark} {name}"]
        if d.sessions:
            parts.append(" + ".join(_label(s) for s in d.sessions))
        if d.activities:
            done = ", ".join(
                f"{round((a.moving_time_seconds or a.elapsed_time_seconds) / 60)}min "
                f"{a.activity_type}"
                for a in d.activities
            )
            parts.append(f"did {done}")
        if d.assumed:
            parts.append("(assumed: no device data yet)")
        tree.add(" - ".join(parts) + f"  [dim]{d.status}[/dim]")
    console = Console()
    console.print(tree)
    console.print(
        f"Aerobic: {_hours(status.aerobic_minutes_done)} / {_hours(status.aerobic_minutes_planned)}"
    )
    ticks = []
    for key, label in (("runs", "runs"), ("long_run", "Long Run"), ("strength", "Strength")):
        done, target = status.mvw.get(key, (0, 0))
        marks = "✓" * min(done, target) + "○" * max(0, target - done)
        ticks.append(f"{target} {label} {marks}" if key == "runs" else f"{label} {marks}")
    console.print("MVW: " + " | ".join(ticks))
    for change in status.changes:
        console.print(f"[dim]• {change}[/dim]")
