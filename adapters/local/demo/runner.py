"""Run the demo: a coach in a home folder, fourteen weeks of a simulated runner, and the walk.

:func:`run_demo` opens (or creates) the local coach in ``home`` with a fixed clock, stores
the sample athlete and the history synced so far, lays out the first plan, then stops the
clock at each moment of :data:`~momentum.adapters.local.demo.script.MOMENTS` and shows what the
coach said, through its real engine and chat port. The coach stays in ``home`` so the user
can carry on with the other commands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.demo import effects
from momentum.adapters.local.demo.history import DEFAULT_SEED, History, build_history
from momentum.adapters.local.demo.script import MOMENTS, PLAN_DAY, Action, Moment
from momentum.adapters.local.demo.sync import HistorySync
from momentum.adapters.local.demo.transcript import TranscriptChat, TranscriptRenderer
from momentum.core.app import App
from momentum.core.errors import MomentumError
from momentum.core.model.message import LLMUsage, Message
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import build_plan


@dataclass
class DemoResult:
    """What the demo did, for the closing summary and for tests."""

    home: Path
    history: History
    records_stored: int = 0
    records_new: int = 0
    messages: list[Message] = field(default_factory=list)
    usage: list[LLMUsage] = field(default_factory=list)
    seconds: float = 0.0
    default_athlete: bool = True
    """Whether the home's settings name the demo athlete, so commands need no --athlete."""

    @property
    def tokens(self) -> int:
        """Tokens in and out across the demo's model calls."""
        return sum(u.tokens_in + u.tokens_out for u in self.usage)

    @property
    def cost_usd(self) -> float:
        """What the demo's model calls cost."""
        return sum(u.cost_usd for u in self.usage)

    @property
    def models(self) -> list[str]:
        """The models that answered, most used first."""
        counts: dict[str, int] = {}
        for u in self.usage:
            if u.ok:
                counts[u.model] = counts.get(u.model, 0) + 1
        return sorted(counts, key=lambda m: -counts[m])


def run_demo(home: Path, console: Console, *, seed: int = DEFAULT_SEED) -> DemoResult:
    """Play the demo into ``home``, printing to ``console``. Safe to run again on the same
    home: records are upserted by id and messages are read back, not regenerated."""
    started = time.perf_counter()
    history = build_history(seed)
    athlete = history.athlete
    tz = ZoneInfo(athlete.timezone)
    plan_at = dt.datetime.combine(PLAN_DAY, dt.time(5, 0), tzinfo=tz).astimezone(dt.UTC)
    clock = FixedClock(plan_at)
    chat = TranscriptChat(clock)
    ensure_config(home, athlete.athlete_id)
    app = open_app(home, chat=chat, clock=clock)
    result = DemoResult(home=home, history=history)
    result.default_athlete = app.settings.athlete_id == athlete.athlete_id
    try:
        usage_before = {u.usage_id for u in _usage(app)}
        app.storage.put_athlete(athlete)
        sync = HistorySync(app, history)
        sync.until(plan_at)
        _ensure_plan(app, athlete.athlete_id, PLAN_DAY)
        renderer = TranscriptRenderer(console, chat, tz, athlete.name)
        for moment in MOMENTS:
            clock.set(moment.at)
            try:
                result.messages.append(_play(app, sync, renderer, moment))
            except Exception as exc:
                raise _stopped(home, moment, exc) from exc
        sync.until(dt.datetime.combine(history.last_day, dt.time(23, 59), tzinfo=tz))
        result.records_stored = len(sync.synced)
        result.records_new = sync.new_records
        result.usage = [u for u in _usage(app) if u.usage_id not in usage_before]
    finally:
        close_app(app)
    result.seconds = time.perf_counter() - started
    return result


class DemoError(MomentumError):
    """The demo stopped at one of its moments (the CLI prints it as one line)."""


ERROR_LOG = "demo-error.log"


def _stopped(home: Path, moment: Moment, exc: Exception) -> DemoError:
    """A one-line error naming the moment; the traceback goes to ``home/demo-error.log``."""
    log = Path(home) / ERROR_LOG
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return DemoError(
        f"the demo stopped at the {moment.title} of {moment.local:%a %d %b %Y %H:%M}: "
        f"{type(exc).__name__}: {exc} (details in {log})"
    )


def ensure_config(home: Path, athlete_id: str) -> bool:
    """Write ``momentum.toml`` naming the demo athlete if the home has none yet (an
    existing file is never touched). True if it was written."""
    from momentum.adapters.local.init_profile import config_text
    from momentum.adapters.local.private import create_private_file, make_private_dir
    from momentum.core.config import CONFIG_FILE

    path = Path(home) / CONFIG_FILE
    if path.exists():
        return False
    make_private_dir(path.parent)
    create_private_file(path)  # 0600 from the start: the coach's own check stays quiet
    path.write_text(config_text(athlete_id), encoding="utf-8")
    return True


def _usage(app: App) -> list[LLMUsage]:
    return app.storage.list_usage(None, effects.EPOCH, effects.END)


def _ensure_plan(app: App, athlete_id: str, day: dt.date) -> None:
    """Lay out the first plan from the history so far (kept if the home already has one)."""
    if app.storage.get_plan(Plan, athlete_id) is not None:
        return
    athlete = app.storage.get_athlete(athlete_id)
    assert athlete is not None
    activities = app.storage.list_activities(athlete_id, effects.EPOCH, app.clock.now())
    memory = app.storage.list_memory(athlete_id)
    plan = build_plan(athlete, activities, memory, day)
    app.storage.put_plan(plan, expected_version=0)


def _play(app: App, sync: HistorySync, renderer: TranscriptRenderer, moment: Moment) -> Message:
    athlete_id = sync.athlete_id
    renderer.moment(moment.at, moment.title, moment.caption)
    if moment.action is Action.REVIEW:
        session = sync.session_on(moment.day, moment.activity_kind)
        sync.until(moment.at, hold=frozenset({session.activity_id}))
        activity_id = sync.store(session)
        message = app.coach.on_activity(athlete_id, activity_id)
    elif moment.action is Action.JOB:
        sync.until(moment.at)
        message = app.coach.run_job(moment.job, athlete_id, moment.day)
    else:
        sync.until(moment.at)
        about = (
            sync.session_on(moment.day, moment.activity_kind).activity_id
            if moment.activity_kind
            else None
        )
        renderer.athlete_says(moment.at, moment.text)
        before = effects.footprint(app.storage, athlete_id, about)
        message = app.coach.reply(
            athlete_id, moment.text, activity_id=about, event_id=f"demo:{moment.local:%Y%m%dT%H%M}"
        )
        renderer.tool_effects(effects.changes(app.storage, athlete_id, before, about))
        if not message.ref:
            # A chat adapter delivers the answer to the conversation it came from.
            ref = app.coach.deliver(message)
            message = dataclasses.replace(message, ref=f"{ref.channel}/{ref.message_id}")
    renderer.new_messages(fallback=message)
    renderer.state(message.state)
    if moment.show_memory:
        renderer.memory(app.storage.list_memory(athlete_id), moment.show_memory)
    return message
