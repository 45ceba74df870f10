"""``momentum demo --domain NAME`` for a domain other than running: weeks of one simulated
person, offline, through core's coach loop.

The domain's own ``simulate(app, athlete_id, start, end)`` fills the person's records
(deterministic, no network). Then the clock walks day by day: the Monday plan at 6 am, the
morning check-in on the other days, and the weekly review on Sunday at 9 pm, each written by
:class:`~momentum.core.coach.loop.CoachLoop` over that domain alone and shown as the running
demo shows its messages. The words come from the domain's offline composer (core's plain
composer when it has none), so the demo needs no API key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from momentum.adapters.local.demo.transcript import TranscriptChat, TranscriptRenderer
from momentum.core.errors import MomentumError
from momentum.core.model import AthleteProfile, Message
from momentum.core.plugins.host import PluginHost
from momentum.core.plugins.types import Domain
from momentum.core.ports.clock import FixedClock

START = dt.date(2026, 3, 2)
"""The first simulated day (a Monday), so every run prints the same weeks."""
WEEKS = 3
ATHLETE = AthleteProfile(
    "sam", "Sam", timezone="America/Toronto", chat_user_id="USAM"
)  # a plain person: no running fields
MOMENTS = (
    (0, "monday_plan", dt.time(6, 0), "Monday 6 am: the week laid out"),
    (1, "checkin", dt.time(6, 0), "6 am check-in"),
    (2, "checkin", dt.time(6, 0), "6 am check-in"),
    (3, "checkin", dt.time(6, 0), "6 am check-in"),
    (4, "checkin", dt.time(6, 0), "6 am check-in"),
    (5, "checkin", dt.time(6, 0), "6 am check-in"),
    (6, "checkin", dt.time(6, 0), "6 am check-in"),
    (6, "weekly_refresh", dt.time(21, 0), "Sunday 9 pm: the weekly review"),
)
"""(weekday, job, local time, heading) of each message in a week."""


class DomainDemoError(MomentumError):
    """The domain cannot be demonstrated (unknown, or no ``simulate``)."""


@dataclass
class DomainDemoResult:
    """What the demo did, for the closing lines and for tests."""

    home: Path
    domain: str
    start: dt.date
    end: dt.date
    messages: list[Message] = field(default_factory=list)


def find_domain(plugins: PluginHost, name: str) -> tuple[Domain, object]:
    """The installed domain called ``name`` and the plugin that provides it, or a
    :class:`DomainDemoError` naming the installed ones; a domain without ``simulate`` is
    named in the error too."""
    known: list[str] = []
    for impl in plugins.pm.hook.momentum_domains.get_hookimpls():
        for domain in impl.function() or []:
            known.append(domain.name)
            if domain.name != name:
                continue
            if domain.simulate is None:
                raise DomainDemoError(
                    f"domain {name!r} has no simulate step, so it cannot be demonstrated "
                    "offline (Domain.simulate fills one athlete's records for the demo)"
                )
            return domain, impl.plugin
    raise DomainDemoError(
        f"no domain named {name!r} is installed (installed: {', '.join(sorted(known)) or 'none'})"
    )


def run_domain_demo(
    home: Path,
    console: Console,
    name: str,
    *,
    weeks: int = WEEKS,
    plugins: PluginHost | None = None,
) -> DomainDemoResult:
    """Simulate ``weeks`` of the demo person for domain ``name`` into ``home`` and print
    every message of the coach loop. ``plugins`` defaults to the installed ones."""
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.adapters.local.demo.runner import ensure_config
    from momentum.core.coach.loop import CoachLoop
    from momentum.core.coach.plain import PlainComposer
    from momentum.core.plugins.host import load_plugins

    if weeks < 1:
        raise DomainDemoError(f"--weeks must be at least 1, got {weeks}")
    domain, plugin = find_domain(plugins or load_plugins(), name)
    only = PluginHost()  # the chosen domain's plugin alone: its coach, not running's
    only.register(plugin, name=f"demo-{name}")
    tz = ZoneInfo(ATHLETE.timezone)
    end = START + dt.timedelta(days=7 * weeks - 1)
    clock = FixedClock(dt.datetime.combine(START, dt.time(5, 0), tzinfo=tz).astimezone(dt.UTC))
    chat = TranscriptChat(clock)
    ensure_config(home, ATHLETE.athlete_id)
    model = domain.composer() if domain.composer is not None else PlainComposer()
    app = open_app(home, chat=chat, clock=clock, model=model, plugins=only)
    result = DomainDemoResult(home=home, domain=name, start=START, end=end)
    try:
        app.storage.put_athlete(ATHLETE)
        domain.simulate(app, ATHLETE.athlete_id, START, end)  # type: ignore[misc]
        coach = CoachLoop(app, domains=[domain])
        renderer = TranscriptRenderer(console, chat, tz, ATHLETE.name)
        for offset in range(7 * weeks):
            day = START + dt.timedelta(days=offset)
            for weekday, job, at, title in MOMENTS:
                if weekday != day.weekday():
                    continue
                moment = dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)
                clock.set(moment)
                renderer.moment(moment, title)
                message = coach.run_job(job, ATHLETE.athlete_id, day)
                renderer.new_messages(fallback=message)
                renderer.state(message.state)
                result.messages.append(message)
    finally:
        close_app(app)
    console.print()
    console.print(
        Text(
            f"{len(result.messages)} messages from the {name} coach, {START:%d %b} to "
            f"{end:%d %b %Y}; the coach is kept in {home}.",
            style="bold",
        )
    )
    return result
