"""The demo scenario: the moments of the walk through time, and what happens at each.

The clock stops at each moment (local time in Toronto); everything the athlete's devices
recorded before it is synced first, then the coach acts through its real engine: a run
review when a fresh run arrives, a scheduled job (check-in, Monday plan, Sunday weekly
review), or an answer to something the athlete says in chat. The chat lines are the
talk's function-calling examples.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from momentum.adapters.local.demo.athlete import TIMEZONE

PLAN_DAY = dt.date(2026, 2, 2)
"""The coach lays out its first plan on this Monday, from the history before it."""


class Action(enum.Enum):
    """What the coach does at a moment."""

    REVIEW = "review"
    JOB = "job"
    CHAT = "chat"


@dataclass(frozen=True)
class Moment:
    """One stop of the clock."""

    local: dt.datetime
    """Naive local time in the athlete's time zone."""
    action: Action
    title: str
    caption: str = ""
    job: str = ""
    """For :attr:`Action.JOB`: ``checkin``, ``monday_plan`` or ``weekly_refresh``."""
    text: str = ""
    """For :attr:`Action.CHAT`: what the athlete says."""
    activity_kind: str = ""
    """For a review, or a chat about a run: the training-log kind of that day's session."""
    show_memory: str = ""
    """A memory section to show after the moment (``Discoveries & Experiments``)."""

    @property
    def at(self) -> dt.datetime:
        """The moment as an aware UTC instant."""
        return self.local.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(dt.UTC)

    @property
    def day(self) -> dt.date:
        """The local date."""
        return self.local.date()


def _t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute)


MOMENTS: tuple[Moment, ...] = (
    Moment(
        _t(2, 8, 11, 5),
        Action.REVIEW,
        "post-run review",
        "Sunday: a 90-minute treadmill long run syncs from Peloton + watch.",
        activity_kind="treadmill_long",
    ),
    Moment(
        _t(2, 8, 21, 48),
        Action.CHAT,
        "chat: a session no device saw",
        "After a strength class the same evening, a dictated note.",
        text="did 60 min strength, totally gassed. Lots of squats and lunges.",
    ),
    Moment(
        _t(2, 9, 8, 15),
        Action.CHAT,
        "chat: the next morning",
        text="Trouble walking from DOMS. Barely get down stairs",
        show_memory="Discoveries & Experiments",
    ),
    Moment(
        _t(2, 10, 7, 30),
        Action.CHAT,
        "chat: a question",
        text="Legs are tired. Should I rest?",
    ),
    Moment(
        _t(2, 18, 19, 12),
        Action.REVIEW,
        "post-run review",
        "Wednesday evening: a Winter Engine treadmill class syncs.",
        activity_kind="treadmill",
    ),
    Moment(
        _t(2, 18, 19, 40),
        Action.CHAT,
        "chat: about that run",
        text="That run felt harder than expected",
        activity_kind="treadmill",
    ),
    Moment(
        _t(2, 22, 6, 0),
        Action.JOB,
        "thriving check-in",
        "Sunday 6 am: three runs and the long run banked this week.",
        job="checkin",
    ),
    Moment(
        _t(2, 22, 21, 0),
        Action.JOB,
        "weekly review",
        "Sunday 9 pm: the week reviewed and the plan refreshed.",
        job="weekly_refresh",
    ),
    Moment(
        _t(2, 23, 6, 0),
        Action.JOB,
        "Monday plan",
        "Monday 6 am: the week laid out.",
        job="monday_plan",
    ),
    Moment(
        _t(2, 24, 6, 0),
        Action.JOB,
        "Tuesday reshuffle",
        "Tuesday 6 am: Monday's run was missed; the week is already reshuffling.",
        job="checkin",
    ),
    Moment(
        _t(2, 25, 6, 0),
        Action.JOB,
        "fragile check-in",
        "Wednesday 6 am: Monday and Tuesday were quiet.",
        job="checkin",
    ),
    Moment(
        _t(2, 25, 19, 45),
        Action.CHAT,
        "chat: the Demogorgon",
        "Wednesday evening, after a short treadmill run.",
        text=(
            "Today I didn't want to run, but once I got going, I kept going. "
            "Part of it was Stranger Things on the treadmill."
        ),
        activity_kind="treadmill",
        show_memory="Enjoys",
    ),
    Moment(
        _t(3, 10, 6, 0),
        Action.JOB,
        "low check-in",
        "Tuesday 10 March, 6 am: a cold, then a work trip; nothing for eight days.",
        job="checkin",
    ),
)
"""The walk through time, in order."""
