"""The demo's closing summary: where the coach lives, what was simulated, what it cost."""

from __future__ import annotations

import shlex

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from adapters.local.demo.runner import DemoResult

CONTINUE_DATE = "2026-03-11"
"""The day after the demo's history ends, for commands that take ``--date``."""


def next_commands(result: DemoResult) -> list[str]:
    """Commands to keep going with the demo's coach."""
    home = shlex.quote(str(result.home))
    return [
        f"momentum --home {home} checkin --date {CONTINUE_DATE}",
        f"momentum --home {home} week",
        f"momentum --home {home} review",
        f"momentum --home {home} chat",
    ]


def print_summary(console: Console, result: DemoResult) -> None:
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
    body.append(
        f"{models}; {len(result.usage)} calls, {result.tokens:,} tokens, ${result.cost_usd:.4f}\n"
    )
    body.append("Wall time   ", style="bold")
    body.append(f"{result.seconds:.1f} s\n\n")
    body.append("Keep going with this coach:\n", style="bold")
    for command in next_commands(result):
        body.append(f"  {command}\n", style="green")
    console.print()
    console.print(Panel(body, title="Momentum demo", title_align="left", border_style="magenta"))
