"""The coach engine: state, messages and the model, wired to the app's ports.

For each message the engine loads one athlete's view, brings the plan up to date
through :mod:`momentum.plugins.running.plans`, judges the state, renders the code part (tree,
bars, ticks), assembles the context within a token budget, asks the model chain for a few
sentences, cleans them and stores the message under a deterministic id (``checkin:<day>``,
``review:<activity>`` …). A stored message is returned as is: nothing is paid for twice.
Callers that race for the same message (a webhook job and the CLI, two functions) agree
through a Storage claim (:mod:`momentum.core.coach.once`): one writes, the others wait for it.

The morning check-in, the Monday plan and the weekly review go through core's coach loop
(:class:`~momentum.core.coach.loop.CoachLoop`) like every other domain's: this engine brings
running's part as a Brief (:meth:`Coach.checkin_brief`, :meth:`Coach.plan_brief`,
:meth:`Coach.review_brief`) and writes the words in the tone the loop decided
(:meth:`Coach.write`). Run reviews, feedback, reshuffles and chat stay here: they are
running's alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from momentum.core.coach.context import Section
from momentum.core.coach.once import Patience, once, renew, writing_key
from momentum.core.coach.state import StateAssessment, StateThresholds, assess_state
from momentum.core.errors import NotFoundError
from momentum.core.model import Activity, Message, MessageKind, Role
from momentum.core.ports.chat import ChatMessageRef
from momentum.plugins.running.coach import facts as facts_mod
from momentum.plugins.running.coach import layouts, planning, sections
from momentum.plugins.running.coach.answers import race_facts
from momentum.plugins.running.coach.brief import Compose, RunningBrief
from momentum.plugins.running.coach.formatting import fmt_hours, local_day, week_range
from momentum.plugins.running.coach.metrics import aerobic_done, contribution_of, fitness, status_of
from momentum.plugins.running.coach.prompts import Prompts
from momentum.plugins.running.coach.render import (
    fitness_line,
    momentum_text,
    mvw_ticks,
    session_label,
)
from momentum.plugins.running.coach.safety.flow import SafetyDay, day_of, screen
from momentum.plugins.running.coach.safety.records import health_records
from momentum.plugins.running.coach.view import AthleteView, athlete_zone, load_view
from momentum.plugins.running.coach.volume import planned_strength, week_volume
from momentum.plugins.running.coach.writer import Draft, Writer, secret_values
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.profile import running_profile

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.coach.loop import CoachLoop
    from momentum.core.coach.state import MotivationState
    from momentum.core.plugins.types import Wording

log = logging.getLogger("momentum.coach")

JOBS = ("checkin", "monday_plan", "weekly_refresh")
DOMAIN = "running"
"""This domain's name; the other domains' briefs join its messages."""
BUDGETS = {
    "checkin": 1100,
    "review": 1100,
    "monday_plan": 1000,
    "weekly_review": 1400,
    "feedback": 1200,
    "chat": 900,
}
"""Context token budgets per message kind (the system prompt and task come on top)."""
SCREEN_DAYS = 3
"""A run's words are read by the safety layer when it is at most this many days old."""


class Coach:
    """One coach bound to an :class:`~momentum.core.app.App`."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.prompts = Prompts.for_app(app.settings, app.plugins)
        self.thresholds = StateThresholds(
            app.settings.fragile_missed_days, app.settings.low_missed_days
        )
        hosts = app.settings.extra.get("allowed_link_hosts")
        self.writer = Writer(
            app.model,
            self.prompts,
            secrets=secret_values(app.settings),
            **({"allowed_hosts": tuple(hosts)} if isinstance(hosts, list) else {}),
        )
        self.patience = Patience()
        """How a caller waits for a message another caller is writing."""
        self.sleep: Callable[[float], None] = time.sleep
        """Used while waiting (tests replace it)."""

    # -- scheduled jobs --------------------------------------------------------------
    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> Message:
        """Run a recurring job and deliver its message by DM (once: a delivered message
        is not sent again). ``weekly_refresh`` refreshes the plan, then sends the review
        of the week that ends on ``local_date``."""
        if name not in JOBS:
            raise NotFoundError(f"no coach job named {name!r} (known: {', '.join(JOBS)})")
        if name == "weekly_refresh":
            self.refresh_plan(athlete_id, local_date)
        return self._deliver_once(self.loop.message(name, athlete_id, local_date))

    @property
    def loop(self) -> CoachLoop:
        """Core's coach loop, which writes the check-in, Monday plan and weekly review of
        every domain combination; it waits for racing writers as this coach does."""
        from momentum.core.coach.loop import CoachLoop

        loop = CoachLoop(self.app)
        loop.patience, loop.sleep = self.patience, self.sleep
        return loop

    # -- helpers ---------------------------------------------------------------------
    def _zone(self, athlete_id: str) -> ZoneInfo:
        athlete = self.app.storage.get_athlete(athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {athlete_id!r}")
        return athlete_zone(athlete)

    def today(self, athlete_id: str) -> dt.date:
        """The athlete's local date now."""
        return local_day(self.app.clock.now(), self._zone(athlete_id))

    def view(self, athlete_id: str, day: dt.date, *, messages: bool = False) -> AthleteView:
        """The athlete's data as of ``day``."""
        return load_view(self.app.storage, athlete_id, day, include_messages=messages)

    def assess(self, view: AthleteView) -> StateAssessment:
        """The state on the view's day."""
        return assess_state(
            view.day,
            (view.day_of(a) for a in view.activities),
            (view.day_of(a) for a in view.activities if a.is_run),
            view.plan,
            self.thresholds,
            new_athlete=self._is_new(view),
        )

    def state(self, athlete_id: str, day: dt.date) -> StateAssessment:
        """The athlete's state on ``day``."""
        return self.assess(self.view(athlete_id, day))

    def _plan_exists(self, athlete_id: str) -> None:
        """Build a first plan (as of today) for an athlete who has none yet."""
        if self.app.storage.get_plan(Plan, athlete_id) is None:
            planning.ensure_plan(self.app.storage, self.view(athlete_id, self.today(athlete_id)))

    def _is_new(self, view: AthleteView) -> bool:
        created = view.athlete.created
        return created is not None and (view.day - view.day_of_instant(created)).days < 14

    def _stored(self, athlete_id: str, message_id: str) -> Message | None:
        return self.app.storage.get_message(athlete_id, message_id)

    def _once(self, athlete_id: str, message_id: str, write: Callable[[], Message]) -> Message:
        """The stored message, or ``write()`` under a claim so racing callers pay once."""
        return once(
            self.app.storage,
            self.app.clock,
            writing_key(athlete_id, message_id),
            find=lambda: self._stored(athlete_id, message_id),
            work=write,
            sleep=self.sleep,
            what=f"message {message_id} for athlete {athlete_id!r}",
            patience=self.patience,
        )

    def _keep(self, message: Message) -> Message:
        """Store ``message`` unless one with its id exists; return whichever is stored."""
        if self.app.storage.put_message_if_absent(message):
            return message
        return self._stored(message.athlete_id, message.message_id) or message

    def _message(
        self,
        view: AthleteView,
        message_id: str,
        kind: MessageKind,
        state: StateAssessment,
        rendered: str,
        draft: Draft,
    ) -> Message:
        # The model call is the slow, paid step: the claim's lease must cover all of it.
        renew(
            self.app.storage,
            self.app.clock,
            writing_key(view.athlete_id, message_id),
            self.patience,
        )
        text, model = self.writer.write(draft)
        return self._keep(
            Message(
                message_id=message_id,
                athlete_id=view.athlete_id,
                at=self.app.clock.now(),
                kind=kind,
                role=Role.COACH,
                text=text,
                rendered=rendered,
                state=state.state.value,
                model=model,
            )
        )

    def _recent_sentences(self, athlete_id: str) -> tuple[str, ...]:
        """The coach's sentences to this athlete in the last few weeks, newest first (the
        offline composer does not repeat them)."""
        from momentum.plugins.running.coach.phrasing import AVOID_DAYS, sentences

        now = self.app.clock.now()
        start = now - dt.timedelta(days=AVOID_DAYS)
        messages = self.app.storage.list_messages(athlete_id, start, now)
        mine = sorted(
            (m for m in messages if m.role is Role.COACH and m.text),
            key=lambda m: m.at,
            reverse=True,
        )
        return tuple(s for m in mine for s in sentences(m.text))

    def _checks(self, found: dict[str, str], safe: SafetyDay) -> Callable[[str], bool]:
        """The final check on a message: safe on a safety day, and true to its facts."""
        from momentum.plugins.running.coach.claims import consistent

        facts = dict(found)

        def check(text: str) -> bool:
            return (not safe.active or safe.check(text)) and consistent(text, facts)

        return check

    def draft(
        self,
        view: AthleteView,
        purpose: str,
        state: StateAssessment,
        secs: list[Section],
        **values: object,
    ) -> Draft:
        """A draft for ``purpose`` with the athlete's name, style and state filled in."""
        return Draft(
            avoid=self._recent_sentences(view.athlete_id),
            purpose=purpose,
            athlete_id=view.athlete_id,
            athlete_name=view.athlete.name.split()[0] if view.athlete.name.strip() else "",
            style=view.athlete.coaching_style.value,
            state=state.state,
            sections=tuple(secs),
            template=f"{purpose}.j2",
            budget=BUDGETS.get(purpose, 1000),
            values=values,
        )

    def brief(
        self,
        rendered: str,
        found: dict[str, str],
        state: StateAssessment,
        compose: Compose,
    ) -> RunningBrief:
        """Running's part of a loop message: the picture, the facts, the state it judged
        (and the missed days it judged it from) and how to draft its words."""
        return RunningBrief(
            domain=DOMAIN,
            title="Running",
            facts=dict(found),
            lines=tuple(rendered.split("\n")) if rendered else (),
            missed_days=state.missed_days,
            state=state.state.value,
            compose=compose,
        )

    def write(self, wording: Wording) -> tuple[str, str]:
        """The words of a loop message this domain leads, in the tone core decided: the
        draft gets every domain's facts (the others' keyed ``<domain>_<key>``) for the one
        model call, and the writer's checks read them all."""
        from momentum.core.coach.state import MotivationState

        brief = wording.brief
        if not isinstance(brief, RunningBrief) or brief.compose is None:
            raise TypeError(f"running writes only its own briefs, not {brief.domain!r}'s")
        tone = MotivationState(wording.state)
        found = {**brief.facts, **wording.others}
        if "state" in found:
            found["state"] = tone.value
        return self.writer.write(brief.compose(found, tone))

    # -- messages --------------------------------------------------------------------
    def checkin(self, athlete_id: str, day: dt.date) -> Message:
        """The daily check-in for ``day`` (written once by core's loop, then read from
        storage)."""
        return self.loop.message("checkin", athlete_id, day)

    def checkin_brief(self, athlete_id: str, day: dt.date) -> RunningBrief:
        """Running's part of the morning check-in: the plan reconciled, readiness applied,
        the day's picture and facts."""
        from momentum.plugins.running.coach import readiness
        from momentum.plugins.running.coach.calendar import calendar_day, steady

        view = planning.reconcile(self.app.storage, self.view(athlete_id, day, messages=True))
        ready = readiness.readings(self.app, athlete_id, day)
        poor = readiness.softening(ready)
        softened = ""
        if poor is not None:
            view, softened = readiness.soften(self.app, view, poor)
        cal = calendar_day(view, day)
        state = steady(self.assess(view), cal)  # a race day is never the low-state template
        safe = day_of(view.memory, view.plan, day)
        status = status_of(view, day, view.week(view.week_start))
        mvw = view.plan.mvw if view.plan else None
        ticks = mvw_ticks(status, mvw) if mvw else None
        fit = fitness(view)
        rendered = layouts.checkin(day, state, status, view.plan, fit)
        if softened:
            rendered = "\n\n".join(part for part in (softened, rendered) if part)
        aerobic = f"{fmt_hours(status.aerobic_minutes_done)} / " + fmt_hours(
            status.aerobic_minutes_planned
        )
        found = facts_mod.checkin_facts(view, state, ticks, aerobic)
        found["fitness"] = fitness_line(fit.change_30d_percent, fit.durability)
        found.update(cal.facts())
        found.update(safe.facts())
        found.update(readiness.facts(ready))
        if softened:
            found["readiness_softened"] = softened

        def compose(found: dict[str, str], tone: MotivationState) -> Draft:
            draft = self.draft(
                view,
                "checkin",
                state,
                [
                    sections.facts_section(found),
                    sections.current_week(view, day),
                    sections.memory_section(view),
                    sections.plan_and_race(view, day),
                    sections.reflections_section(view, day),
                    sections.recent_weeks(view, day),
                    sections.recent_coach_words(view.messages),
                ],
                weekday=f"{day:%A}",
                today_session=found.get("today_session", ""),
                calendar=cal.kind,
                safety=found.get("safety_reason", ""),
            )
            return dataclasses.replace(draft, state=tone, check=self._checks(found, safe))

        return self.brief(rendered, found, state, compose)

    def review(self, athlete_id: str, activity_id: str) -> Message:
        """The post-activity review, id ``review:<activity_id>``; never paid for twice."""
        message_id = f"review:{activity_id}"
        return self._once(
            athlete_id, message_id, lambda: self._write_review(athlete_id, activity_id, message_id)
        )

    def _write_review(self, athlete_id: str, activity_id: str, message_id: str) -> Message:
        activity = self.app.storage.get_activity(athlete_id, activity_id)
        if activity is None:
            raise NotFoundError(f"no activity {activity_id!r} for athlete {athlete_id!r}")
        day = local_day(activity.start, self._zone(athlete_id))
        self._plan_exists(athlete_id)
        view = self.view(athlete_id, day)
        state = self.assess(view)
        start = view.week_start
        status = status_of(view, day, view.week(start))
        # Aerobic against aerobic (the bar's figure): strength is not momentum's unit.
        last = aerobic_done(view, start - dt.timedelta(days=7), day - dt.timedelta(days=7))
        momentum = momentum_text(status.aerobic_minutes_done, last)
        gain = contribution_of(view, activity)
        rendered = layouts.review(activity, status, view.plan, gain, momentum)
        direction = (
            "up"
            if momentum.startswith("Momentum: ↑")
            else "down"
            if momentum.startswith("Momentum: ↓")
            else "flat"
        )
        found = facts_mod.review_facts(view, state, activity, gain, direction)
        safe = day_of(view.memory, view.plan, day, opening=self._reported_in(activity))
        found.update(safe.facts())
        if safe.opening:
            found["safety_new"] = "yes"
        notes = self.app.storage.list_notes(athlete_id, activity_id)
        draft = self.draft(
            view,
            "review",
            state,
            [
                sections.facts_section(found),
                sections.activity_detail(view, activity),
                sections.notes_section(notes, activity),
                sections.current_week(view, day),
                sections.memory_section(view),
                sections.plan_and_race(view, day),
                sections.reflections_section(view, day, days=3),
                sections.recent_weeks(view, day),
            ],
            activity_kind=found.get("activity_kind", "session"),
        )
        draft = dataclasses.replace(draft, check=self._checks(found, safe))
        return self._message(view, message_id, MessageKind.REVIEW, state, rendered, draft)

    def _reported_in(self, activity: Activity) -> bool:
        """Whether this activity's own words opened a health record."""
        source = f"activity {activity.activity_id}"
        records = health_records(self.app.storage.list_memory(activity.athlete_id))
        return any(r.source == source and r.active for r in records)

    def _screen_activity(self, athlete_id: str, activity: Activity, day: dt.date) -> None:
        """The safety layer reads a run's own words (title, description, notes) before any
        model: pain or illness there opens a record and refits the plan."""
        words = ". ".join(t for t in (activity.name, *activity.notes) if t)
        today = local_day(self.app.clock.now(), self._zone(athlete_id))
        if not words or (today - day).days > SCREEN_DAYS:
            return  # an old run imported late says nothing about today
        view = self.view(athlete_id, day)
        screened = screen(
            self.app.storage,
            athlete_id,
            view.memory,
            words,
            day=day,
            at=self.app.clock.now(),
            source=f"activity {activity.activity_id}",
        )
        if screened.changed:
            planning.protect(self.app.storage, dataclasses.replace(view, memory=screened.memory))

    def monday_plan(self, athlete_id: str, day: dt.date) -> Message:
        """Monday's message: the week laid out, its purpose and anchor (written once by
        core's loop)."""
        return self.loop.message("monday_plan", athlete_id, day)

    def plan_brief(self, athlete_id: str, day: dt.date) -> RunningBrief:
        """Running's part of Monday's message: the plan ensured, the week's picture."""
        view = planning.ensure_plan(self.app.storage, self.view(athlete_id, day))
        state = self.assess(view)
        status = status_of(view, day, view.week(view.week_start))
        fit = fitness(view)
        rendered = layouts.monday_plan(day, state, status, view.plan, fit)
        found = facts_mod.monday_facts(
            view,
            state,
            status.aerobic_minutes_planned,
            planned_strength(view.plan.week_of(day) if view.plan else None),
        )
        safe = day_of(view.memory, view.plan, day)
        found.update(safe.facts())
        found["fitness"] = fitness_line(fit.change_30d_percent, fit.durability)
        found.update(race_facts(view, day))

        def compose(found: dict[str, str], tone: MotivationState) -> Draft:
            draft = self.draft(
                view,
                "monday_plan",
                state,
                [
                    sections.facts_section(found),
                    sections.current_week(view, day),
                    sections.plan_and_race(view, day),
                    sections.memory_section(view),
                    sections.recent_weeks(view, day),
                    sections.reflections_section(view, day),
                ],
            )
            return dataclasses.replace(draft, state=tone, check=self._checks(found, safe))

        return self.brief(rendered, found, state, compose)

    def weekly_review(self, athlete_id: str, week_start: dt.date) -> Message:
        """The review of the Monday-to-Sunday week starting ``week_start``."""
        return self.loop.message("weekly_refresh", athlete_id, week_start)

    def review_brief(self, athlete_id: str, end: dt.date) -> RunningBrief:
        """Running's part of the weekly review of the Monday-to-Sunday week ending on
        ``end``."""
        week_start = end - dt.timedelta(days=end.weekday())
        end = week_start + dt.timedelta(days=6)
        view = self.view(athlete_id, end)
        state = self.assess(view)
        week = view.week(week_start)
        status = status_of(view, end, week)
        volume = week_volume(status, view.plan.week_of(week_start) if view.plan else None)
        before = aerobic_done(
            view, week_start - dt.timedelta(days=7), week_start - dt.timedelta(days=1)
        )
        fit = fitness(view, end)
        mvw = view.plan.mvw if view.plan else None
        ticks = mvw_ticks(status, mvw) if mvw else None
        race = running_profile(view.athlete).goal_race
        race_text = (
            f"{race.name} in {(race.date - end).days} days"
            if race is not None and race.date >= end
            else ""
        )
        rendered = layouts.weekly_review(
            week_start, state, volume, before, status, view.plan, fit, race_text
        )
        found = facts_mod.weekly_facts(
            view,
            state,
            week,
            volume,
            before,
            ticks,
            self._next_week_focus(view, end + dt.timedelta(days=1)),
        )
        found["fitness"] = fitness_line(fit.change_30d_percent, fit.durability)
        found.update(race_facts(view, end))

        def compose(found: dict[str, str], tone: MotivationState) -> Draft:
            draft = self.draft(
                view,
                "weekly_review",
                state,
                [
                    sections.facts_section(found),
                    sections.current_week(view, end),
                    sections.plan_and_race(view, end),
                    sections.memory_section(view),
                    sections.reflections_section(view, end),
                    sections.recent_weeks(view, end),
                ],
            )
            return dataclasses.replace(draft, state=tone)

        return self.brief(rendered, found, state, compose)

    def _next_week_focus(self, view: AthleteView, monday: dt.date) -> str:
        week = view.plan.week_of(monday) if view.plan else None
        if week is None:
            return ""
        key = [s for s in week.sessions if s.is_key]
        anchor = f"; anchor: {key[0].date:%a} {session_label(key[0])}" if key else ""
        recovery = " (recovery week)" if week.is_recovery else ""
        # The Monday bar's figure (aerobic planned), never the week's total with strength.
        aerobic = status_of(view, monday, ()).aerobic_minutes_planned
        strength = planned_strength(week)
        extra = f" plus strength ({strength.text()})" if strength.sessions else ""
        return (
            f"{week.phase}{recovery}, {fmt_hours(aerobic)} aerobic planned for "
            f"{week_range(week.start)}{extra}{anchor}"
        )

    def feedback(self, athlete_id: str, activity_id: str) -> Message:
        """Session feedback on demand: what went well, what to watch, next time."""
        message_id = f"feedback:{activity_id}"
        return self._once(
            athlete_id,
            message_id,
            lambda: self._write_feedback(athlete_id, activity_id, message_id),
        )

    def _write_feedback(self, athlete_id: str, activity_id: str, message_id: str) -> Message:
        activity = self.app.storage.get_activity(athlete_id, activity_id)
        if activity is None:
            raise NotFoundError(f"no activity {activity_id!r} for athlete {athlete_id!r}")
        day = local_day(activity.start, self._zone(athlete_id))
        view = self.view(athlete_id, day)
        state = self.assess(view)
        found = facts_mod.feedback_facts(view, state, activity, self._z2_top(view))
        notes = self.app.storage.list_notes(athlete_id, activity_id)
        draft = self.draft(
            view,
            "feedback",
            state,
            [
                sections.facts_section(found),
                sections.activity_detail(view, activity),
                sections.notes_section(notes, activity),
                sections.current_week(view, day),
                sections.plan_and_race(view, day),
                sections.memory_section(view),
            ],
            activity_kind=found.get("activity_kind", "session"),
        )
        rendered = layouts.feedback(activity)
        draft = dataclasses.replace(draft, check=self._checks(found, day_of((), None, day)))
        return self._message(view, message_id, MessageKind.FEEDBACK, state, rendered, draft)

    def _z2_top(self, view: AthleteView) -> float | None:
        try:
            from momentum.plugins.running.analytics.zones import zone_bounds

            return float(zone_bounds(view.athlete.heart_rate)[1][1])
        except Exception:
            return None

    # -- chat ------------------------------------------------------------------------
    def reply(
        self, athlete_id: str, text: str, *, activity_id: str | None = None, event_id: str = ""
    ) -> Message:
        """Answer a chat message, calling the tools the model picks. A repeated
        ``event_id`` (a platform retry) returns the stored answer."""
        from momentum.plugins.running.coach.chat import ChatTurn

        return ChatTurn(self, athlete_id, text, activity_id, event_id).run()

    # -- activities ------------------------------------------------------------------
    def on_activity(self, athlete_id: str, activity_id: str) -> Message:
        """A new activity arrived: reconcile the plan, review it and deliver the review."""
        activity = self.app.storage.get_activity(athlete_id, activity_id)
        if activity is None:
            raise NotFoundError(f"no activity {activity_id!r} for athlete {athlete_id!r}")
        tz = self._zone(athlete_id)
        day = max(local_day(activity.start, tz), local_day(self.app.clock.now(), tz))
        self._screen_activity(athlete_id, activity, local_day(activity.start, tz))
        planning.record(self.app.storage, self.view(athlete_id, day))
        return self._deliver_once(self.review(athlete_id, activity_id))

    def refresh_plan(self, athlete_id: str, day: dt.date) -> None:
        """Sunday night: refresh the plan against the week that happened."""
        planning.refresh(self.app.storage, self.view(athlete_id, day))

    # -- delivery --------------------------------------------------------------------
    def deliver(self, message: Message) -> ChatMessageRef:
        """Send ``message`` to the athlete by direct message and remember where it went
        (``Message.ref`` = ``channel/message id``)."""
        from momentum.core.coach.loop import deliver

        return deliver(self.app, message)

    def _deliver_once(self, message: Message) -> Message:
        """Deliver ``message`` unless it went out already (its stored ``ref``); racing
        callers agree through a claim, so the athlete gets it once."""
        from momentum.core.coach.loop import deliver_once

        return deliver_once(
            self.app, message, send=self.deliver, sleep=self.sleep, patience=self.patience
        )
