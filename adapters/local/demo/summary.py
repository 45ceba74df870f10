"""The demo's closing summary: where the coach lives, what was simulated, what it cost."""

from __future__ import annotations

import shlex
from collections.abc import Collection

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from momentum.adapters.local.demo.runner import DemoResult

CONTINUE_DATE = "2026-03-11"
"""The day after the demo's history ends: commands that take a date stay in its timeline."""
REVIEW_WEEK = "2026-02-16"
"""The talk's week (Feb 16–22), for ``momentum weekly``."""


def suggestions(result: DemoResult) -> tuple[tuple[str, str], ...]:
    """(command, arguments) to suggest after the demo, pinned to the demo's dates."""
    last_run = [s for s in result.history.recorded() if s.is_run][-1]
    return (
        ("checkin", f"checkin --date {CONTINUE_DATE}"),
        ("week", f"week --date {CONTINUE_DATE}"),
        ("plan", f"plan --date {CONTINUE_DATE} --weeks 4"),
        ("review", f"review {last_run.activity_id}"),
        ("weekly", f"weekly --week {REVIEW_WEEK}"),
        ("chat", "chat"),
    )


def next_commands(result: DemoResult, available: Collection[str] | None = None) -> list[str]:
    """Commands to keep going with the demo's coach (only those ``available``)."""
    home = shlex.quote(str(result.home))
    athlete = "" if result.default_athlete else f" --athlete {result.history.athlete.athlete_id}"
    return [
        f"momentum --home {home} {arguments}{athlete}"
        for command, arguments in suggestions(result)
        if available is None or command in available
    ]


def print_summary(
    console: Console, result: DemoResult, available: Collection[str] | None = None
) -> None:
    """Print the summary panel."""
    history = result.history
    runs = [s for s in history.recorded() if s.is_run]
    treadmill = [s for s in runs if s.run is not None and s.run.plan.indoor]
    samples = sum(len(s.run.streams.time) for s in runs if s.run is not None)
    strength = [s for s in history.sessions if not s.is_run]
    body = Text()
    body.append("Coach home  ", style="bold")
    body.append(f"{result.home}\n")
    body.append("Simulated   ", style="bold")
    body.append(
        f"{history.days} days ({history.first_day:%d %b %Y} – {history.last_day:%d %b %Y}), "
        f"{len(history.sessions)} sessions: {len(runs)} runs with 1 Hz streams "
        f"({samples:,} samples; {len(treadmill)} treadmill runs merged from peloton + watch), "
        f"{len(strength)} strength (one told in chat), seed {history.seed}\n"
    )
    body.append("Stored      ", style="bold")
    body.append(
        f"{result.records_stored} activity records ({result.records_new} new this run), "
        f"{len(result.messages)} coach messages\n"
    )
    body.append("Model       ", style="bold")
    models = ", ".join(result.models) or "none called (messages read back from storage)"
    tokens_in = sum(u.tokens_in for u in result.usage)
    tokens_out = sum(u.tokens_out for u in result.usage)
    body.append(
        f"{models}; {len(result.usage)} calls, {result.tokens:,} tokens "
        f"({tokens_in:,} in / {tokens_out:,} out), ${result.cost_usd:.4f}\n"
    )
    body.append("Wall time   ", style="bold")
    body.append(f"{result.seconds:.1f} s\n\n")
    body.append("Keep going with this coach ", style="bold")
    body.append(
        f"(its clock stopped on {result.history.last_day:%a %d %b %Y}; "
        "commands without a date use today's):\n",
        style="dim",
    )
    for command in next_commands(result, available):
        body.append(f"  {command}\n", style="green")
    console.print()
    console.print(Panel(body, title="Momentum demo", title_align="left", border_style="magenta"))
