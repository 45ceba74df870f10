"""Coach commands: ``momentum checkin``, ``review``, ``weekly``, ``chat`` and ``usage``.

Each opens the local coach in the ``--home`` folder, asks the coach engine for the
message (a stored one is shown again without another model call) and prints it as the
athlete would read it. Errors are one line and a non-zero exit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from momentum.adapters.local.cli import fail, home_of
from momentum.core.errors import MomentumError

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.model import Message

T = TypeVar("T")
EXIT_WORDS = {"exit", "quit", ":q", "bye"}


def _parse_date(value: str | None, option: str) -> dt.date | None:
    from momentum.adapters.local.dates import parse_date
    from momentum.core.errors import InputError

    if not value:
        return None
    try:
        return parse_date(value, option)
    except InputError as exc:
        raise fail(str(exc)) from None


def _emit(message: Message, as_json: bool) -> None:
    """The message as a panel, or (``--json``) as one JSON object."""
    if as_json:
        typer.echo(json.dumps(message_json(message)))
    else:
        _print_message(message)


def message_json(message: Message) -> dict[str, Any]:
    """The ``--json`` form of a coach message."""
    return {
        "message_id": message.message_id,
        "athlete_id": message.athlete_id,
        "kind": message.kind.value,
        "at": message.at.isoformat(),
        "text": message.display,
        "state": message.state,
        "model": message.model,
    }


@contextmanager
def _coach_app(ctx: typer.Context) -> Iterator[App]:
    from momentum.adapters.local.bootstrap import close_app, open_app

    home: Path = home_of(ctx)
    try:
        app = open_app(home)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    try:
        yield app
    finally:
        close_app(app)


def _athlete_id(app: App, athlete: str | None) -> str:
    athlete_id = athlete or app.settings.athlete_id
    if app.storage.get_athlete(athlete_id) is None:
        raise fail(f"no athlete {athlete_id!r} in this coach (run `momentum init` first)")
    return athlete_id


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except MomentumError as exc:
        raise fail(str(exc)) from None


def _event_id() -> str:
    return f"cli-{uuid.uuid4().hex[:12]}"


def _print_message(message: Message) -> None:
    from rich.console import Console
    from rich.panel import Panel

    from momentum.adapters.local.mrkdwn import mrkdwn_text

    title = f"Momentum · {message.kind.value.replace('_', ' ')}"
    subtitle = f"{message.state or ''} · {message.model or ''}".strip(" ·")
    Console().print(
        Panel(mrkdwn_text(message.display), title=title, subtitle=subtitle, expand=False)
    )


def checkin(
    ctx: typer.Context,
    date: str = typer.Option(
        None, "--date", help="Local date (YYYY-MM-DD, today, yesterday); default today."
    ),
    athlete: str = typer.Option(None, "--athlete", help="Athlete id (default from settings)."),
    as_json: bool = typer.Option(False, "--json", help="Print the message as JSON."),
) -> None:
    """Show the day's check-in: the one the 6 am job sent, else a preview (a view: nothing is
    stored, the plan is not touched)."""
    from momentum.core.readonly import read_only

    day = _parse_date(date, "--date")
    with _coach_app(ctx) as app:
        athlete_id = _athlete_id(app, athlete)
        view = read_only(app)
        when = day or view.coach.today(athlete_id)
        sent = app.storage.get_message(athlete_id, f"checkin:{when.isoformat()}")
        message = sent or _run(lambda: view.coach.checkin(athlete_id, when))
        if as_json:
            typer.echo(json.dumps({**message_json(message), "preview": sent is None}))
            return
        _print_message(message)
        if sent is None:
            typer.secho("(preview: the check-in job has not sent this one yet)", dim=True)


def review(
    ctx: typer.Context,
    activity: str = typer.Argument(None, help="Activity id; default the latest activity."),
    feedback: bool = typer.Option(
        False, "--feedback", help="Session feedback: went well, watch, next time."
    ),
    athlete: str = typer.Option(None, "--athlete", help="Athlete id (default from settings)."),
    as_json: bool = typer.Option(False, "--json", help="Print the message as JSON."),
) -> None:
    """Review an activity (a stored review is shown again at no cost)."""
    with _coach_app(ctx) as app:
        athlete_id = _athlete_id(app, athlete)
        activity_id = activity or _latest_activity(app, athlete_id)
        coach = app.coach
        if feedback:
            message = _run(lambda: coach.feedback(athlete_id, activity_id))
        else:
            message = _run(lambda: coach.review(athlete_id, activity_id))
        _emit(message, as_json)


def _latest_activity(app: App, athlete_id: str) -> str:
    now = app.clock.now()
    recent = app.storage.list_activities(athlete_id, now - dt.timedelta(days=60), now)
    if not recent:
        raise fail("no activities in the last 60 days; import some or name one")
    return recent[-1].activity_id


def weekly(
    ctx: typer.Context,
    week: str = typer.Option(
        None, "--week", help="Any date in the week (YYYY-MM-DD, today, …); default last week."
    ),
    athlete: str = typer.Option(None, "--athlete", help="Athlete id (default from settings)."),
    as_json: bool = typer.Option(False, "--json", help="Print the message as JSON."),
) -> None:
    """Show the weekly review of a Monday-to-Sunday week."""
    day = _parse_date(week, "--week")
    with _coach_app(ctx) as app:
        athlete_id = _athlete_id(app, athlete)
        coach = app.coach
        if day is None:
            day = coach.today(athlete_id) - dt.timedelta(days=7)
        start = day - dt.timedelta(days=day.weekday())
        _emit(_run(lambda: coach.weekly_review(athlete_id, start)), as_json)


def chat(
    ctx: typer.Context,
    athlete: str = typer.Option(None, "--athlete", help="Athlete id (default from settings)."),
) -> None:
    """Talk to the coach. Empty line, `exit` or Ctrl-D to leave."""
    from rich.console import Console
    from rich.text import Text

    from momentum.adapters.local.mrkdwn import mrkdwn_text

    console = Console()
    with _coach_app(ctx) as app:
        athlete_id = _athlete_id(app, athlete)
        coach = app.coach
        console.print(Text("Talk to your coach (exit or Ctrl-D to leave).", style="dim"))
        while True:
            try:
                line = input("you › ").strip()
            except (EOFError, KeyboardInterrupt):
                console.print()
                break
            if not line or line.lower() in EXIT_WORDS:
                break
            message = _run(partial(coach.reply, athlete_id, line, event_id=_event_id()))
            console.print(Text("coach › ", style="bold green") + mrkdwn_text(message.text))


def usage(
    ctx: typer.Context,
    days: int = typer.Option(14, "--days", min=1, max=366, help="Days to list."),
    months: int = typer.Option(6, "--months", min=1, max=36, help="Months to list."),
    athlete: str = typer.Option(None, "--athlete", help="Only this athlete (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Model usage and cost per day and per month."""
    from rich.console import Console

    from momentum.core.coach.usage import summarize
    from momentum.plugins.running.coach.view import athlete_zone

    with _coach_app(ctx) as app:
        now = app.clock.now()
        start = now - dt.timedelta(days=31 * months)
        records = app.storage.list_usage(athlete, start, now + dt.timedelta(seconds=1))
        profile = app.storage.get_athlete(athlete or app.settings.athlete_id)
        tz = athlete_zone(profile) if profile else None
        summary = summarize(records, tz)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "days": [_row_json(r) for r in summary.days[-days:]],
                        "months": [_row_json(r) for r in summary.months[-months:]],
                        "models": [_row_json(r) for r in summary.models],
                        "total": _row_json(summary.total),
                    }
                )
            )
            return
        console = Console()
        if not records:
            console.print("No model calls recorded yet.")
            return
        console.print(_table("Cost per day", summary.days[-days:], "day"))
        console.print(_table("Cost per month", summary.months[-months:], "month"))
        console.print(_table("By model", summary.models, "model"))
        total = summary.total
        console.print(
            f"Total: {total.calls} calls, {total.tokens_in:,} tokens in, "
            f"{total.tokens_out:,} out, ${total.cost_usd:.4f}"
        )


def _row_json(row: Any) -> dict[str, Any]:
    """One usage row for ``usage --json``."""
    return {
        "key": getattr(row, "key", "total"),
        "calls": row.calls,
        "failed": row.failed,
        "tokens_in": row.tokens_in,
        "tokens_out": row.tokens_out,
        "median_latency_ms": row.median_latency_ms,
        "cost_usd": round(row.cost_usd, 6),
    }


def _table(title: str, rows: list[Any], key: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(key)
    for name in ("calls", "failed", "tokens in", "tokens out", "median ms", "cost USD"):
        table.add_column(name, justify="right")
    for row in rows:
        latency = row.median_latency_ms
        table.add_row(
            row.key,
            str(row.calls),
            str(row.failed) if row.failed else "",
            f"{row.tokens_in:,}",
            f"{row.tokens_out:,}",
            f"{latency:.0f}" if latency is not None else "",
            f"${row.cost_usd:.4f}",
        )
    return table


def register(cli: typer.Typer) -> None:
    """Add the coach commands to the root CLI."""
    cli.command("checkin")(checkin)
    cli.command("review")(review)
    cli.command("weekly")(weekly)
    cli.command("chat")(chat)
    cli.command("usage")(usage)
