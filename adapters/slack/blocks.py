"""Block Kit: the coach's messages, the weekly tree with its buttons, the plan, usage, help.

Pure functions from records to Slack blocks, so they are tested without Slack. Each
returns ``(text, blocks)``: ``text`` is the plain fallback Slack shows in notifications
and to screen readers; it carries the same tree as the blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from momentum.adapters.slack.mrkdwn import escape, split_sections, to_mrkdwn
from momentum.core.model import Activity, LLMUsage
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind
from momentum.plugins.running.plans import DayStatus, WeekStatus

Block = dict[str, Any]

ACTION_SHOW_WEEK = "momentum_show_week"
ACTION_SHOW_PLAN = "momentum_show_plan"
ACTION_DAY_PREFIX = "momentum_day_"
"""Per-day overflow menus: ``momentum_day_<weekday>`` with values ``done:<date>`` or
``swap:<date>:<other date>``."""

SYMBOLS = {"done": "✓", "planned": "○", "missed": "✗", "rest": "—", "extra": "+"}
_STRENGTH_TYPES = {"weighttraining", "workout", "strength", "crossfit", "yoga", "pilates"}


def section(text: str) -> Block:
    """A mrkdwn section block (``text`` must already be mrkdwn and ≤ 3000 characters)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> Block:
    """A small grey context line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def header(text: str) -> Block:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def button(text: str, action_id: str, value: str = "", style: str = "") -> Block:
    """A button element."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def quick_actions_block() -> Block:
    """The buttons under every coach DM: this week's tree and the plan."""
    return {
        "type": "actions",
        "block_id": "momentum_quick",
        "elements": [
            button("This week", ACTION_SHOW_WEEK, "week"),
            button("Plan", ACTION_SHOW_PLAN, "plan"),
        ],
    }


def message_blocks(text: str, *, quick_actions: bool = False) -> list[Block]:
    """A coach message as sections (Markdown converted, split at Slack's limits)."""
    blocks = [section(piece) for piece in split_sections(to_mrkdwn(text))]
    if quick_actions:
        blocks.append(quick_actions_block())
    return blocks


# -- formatting ------------------------------------------------------------------
def duration(minutes: float) -> str:
    """``48min`` under an hour, ``1:12`` from an hour up (the talk's style)."""
    total = round(minutes)
    if total < 60:
        return f"{total}min"
    return f"{total // 60}:{total % 60:02d}"


def hours(minutes: float) -> str:
    """``3:30h``."""
    total = round(minutes)
    return f"{total // 60}:{total % 60:02d}h"


def bar(done: float, planned: float, width: int = 10) -> str:
    """A text progress bar, ``▓▓▓░░░░░░░``."""
    filled = 0 if planned <= 0 else min(width, round(width * done / planned))
    return "▓" * filled + "░" * (width - filled)


def session_label(session: PlannedSession) -> str:
    """``45min Z1-Z2 Run``, ``Long Run (120min)``, ``Strength (60min)`` …"""
    if session.title:
        label = session.title
    elif session.kind is SessionKind.LONG:
        label = f"Long Run ({session.minutes}min)"
    elif session.kind is SessionKind.STRENGTH:
        label = f"Strength ({session.minutes}min)"
    elif session.kind is SessionKind.REST:
        label = "Rest"
    elif session.kind is SessionKind.CROSS:
        label = f"{duration(session.minutes)} Cross-training"
    else:
        zone = f" {session.zone}" if session.zone else ""
        kind = {SessionKind.EASY: "Run", SessionKind.RACE: "Race"}.get(
            session.kind, session.kind.value.title()
        )
        label = f"{duration(session.minutes)}{zone} {kind}"
    return label + (" (optional)" if session.optional else "")


def activity_label(activity: Activity) -> str:
    """``48min Run - EF: 1.02``, ``2:01 Run (treadmill)``, ``35min Strength``."""
    minutes = (activity.moving_time_seconds or activity.elapsed_time_seconds) / 60
    if activity.is_run:
        kind = "Run (treadmill)" if activity.is_indoor else "Run"
    elif activity.activity_type.lower() in _STRENGTH_TYPES:
        kind = "Strength"
    else:
        kind = activity.activity_type or "Activity"
    label = f"{duration(minutes)} {kind}"
    ef = activity.core_ef if activity.core_ef is not None else activity.efficiency_factor
    if ef is not None:
        label += f" - EF: {ef:.2f}"
    return label


def month_day(day: dt.date) -> str:
    """``Feb 16`` (portable: no ``%-d``)."""
    return f"{day:%b} {day.day}"


def week_title(start: dt.date) -> str:
    """``Week of Feb 16–22`` or ``Week of Feb 23–Mar 1``."""
    end = start + dt.timedelta(days=6)
    tail = f"{end.day}" if end.month == start.month else f"{end:%b} {end.day}"
    return f"Week of {start:%b} {start.day}–{tail}"


def day_line(day: DayStatus, today: dt.date) -> str:
    """One line of the tree: ``✓ Mon - 48min Run - EF: 1.02``."""
    symbol = SYMBOLS.get(day.status, "○")
    parts = [f"{symbol} {day.day:%a}"]
    if day.activities:
        parts.append(", ".join(activity_label(a) for a in day.activities))
        if day.session is not None and day.session.kind is SessionKind.LONG:
            parts[-1] += " [LONG RUN]"
    else:
        planned = [s for s in (day.sessions or (day.session,)) if s is not None]
        labels = [session_label(s) for s in planned if s.kind is not SessionKind.REST]
        if labels:
            parts.append(" + ".join(labels))
    line = " - ".join(parts) + (" (assumed)" if day.assumed else "")
    return line + ("  ← today" if day.day == today else "")


def mvw_line(mvw: dict[str, tuple[int, int]]) -> str:
    """``MVW: 3 runs ✓✓○ | Long Run ○ | Strength ○``."""
    if not mvw:
        return ""
    parts = []
    for key, (done, target) in mvw.items():
        ticks = "✓" * min(done, target) + "○" * max(0, target - done)
        name = key.replace("_", " ")
        if target > 1:
            parts.append(f"{target} {name} {ticks}")
        else:
            parts.append(f"{name.title()} {ticks or '✓'}")
    return "MVW: " + " | ".join(parts)


# -- the weekly tree -------------------------------------------------------------------
def week_text(status: WeekStatus, today: dt.date) -> str:
    """The weekly picture as plain text (the fallback, and what a console would print)."""
    lines = [
        week_title(status.start),
        f"Aerobic: {hours(status.aerobic_minutes_done)} / {hours(status.aerobic_minutes_planned)}",
    ]
    lines += [f"└─ {day_line(day, today)}" for day in status.days]
    if status.mvw:
        lines.append(mvw_line(status.mvw))
    return "\n".join(lines)


def week_blocks(
    status: WeekStatus, today: dt.date, *, interactive: bool = True, note: str = ""
) -> tuple[str, list[Block]]:
    """The weekly tree: one section per day, with a menu on days that can change."""
    blocks: list[Block] = [
        header(week_title(status.start)),
        section(
            f"*Aerobic:* {hours(status.aerobic_minutes_done)} / "
            f"{hours(status.aerobic_minutes_planned)}  "
            f"`{bar(status.aerobic_minutes_done, status.aerobic_minutes_planned)}`"
        ),
    ]
    for day in status.days:
        block = section("└─ " + escape(day_line(day, today)))
        accessory = _day_menu(day, status.days, today) if interactive else None
        if accessory is not None:
            block["accessory"] = accessory
        blocks.append(block)
    if status.mvw:
        blocks.append(context(escape(mvw_line(status.mvw))))
    if status.changes:
        blocks.append(context(escape("Changed: " + "; ".join(status.changes))[:3000]))
    if note:
        blocks.append(context(to_mrkdwn(note)))
    return week_text(status, today), blocks


def _changeable(day: DayStatus) -> bool:
    return (
        day.session is not None
        and day.session.kind is not SessionKind.REST
        and day.status in ("planned", "missed")
    )


def _day_menu(day: DayStatus, week: Sequence[DayStatus], today: dt.date) -> Block | None:
    """ "Mark done" for today or earlier; "swap with <day>" for days from today on."""
    if not _changeable(day):
        return None
    options: list[tuple[str, str]] = []
    if day.day <= today:
        options.append(("✓ Mark done", f"done:{day.day.isoformat()}"))
    for other in week:
        if len(options) >= 5:
            break
        if other.day == day.day or other.day < today or other.status == "done":
            continue
        has_session = other.session is not None and other.session.kind is not SessionKind.REST
        verb = "⇄ Swap with" if has_session else "→ Move to"
        options.append((f"{verb} {other.day:%a}", f"swap:{day.day}:{other.day}"))
    if not options:
        return None
    action_id = f"{ACTION_DAY_PREFIX}{day.day:%a}".lower()
    if len(options) == 1:
        text, value = options[0]
        return button(text, action_id, value)
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": [
            {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}
            for text, value in options
        ],
    }


# -- plan, usage, help -----------------------------------------------------------------
def plan_blocks(
    plan: Plan | None, status: WeekStatus, today: dt.date, *, race: str = ""
) -> tuple[str, list[Block]]:
    """The plan: goal, macrocycle with the current phase, Minimum Viable Week, this week."""
    if plan is None:
        text = (
            "No plan yet. The coach lays one out on Monday morning, "
            "or run `momentum plan build` on the machine that hosts it."
        )
        return text, [section(to_mrkdwn(text))]
    lines: list[str] = []
    if race or plan.goal:
        lines.append(f"*Goal:* {escape(race or plan.goal)}")
    current = plan.phase_on(today)
    for phase in plan.phases:
        mark = "✓" if phase.end < today else ("▶" if phase is current else "·")
        lines.append(
            f"{mark} *{escape(phase.name)}* ({month_day(phase.start)}–{month_day(phase.end)})"
            + (f" — {escape(phase.focus)}" if phase is current and phase.focus else "")
        )
    lines.append(f"*Minimum Viable Week:* {escape(plan.mvw.describe())}")
    tree_text, tree = week_blocks(status, today)
    text = "\n".join(lines) + "\n\n" + tree_text
    return text, [header("Your plan"), *map(section, split_sections("\n".join(lines))), *tree]


def usage_blocks(usage: Sequence[LLMUsage], period: str) -> tuple[str, list[Block]]:
    """Model calls, tokens and cost over ``period`` (e.g. ``March 2026``), by model."""
    calls = len(usage)
    failed = sum(1 for u in usage if not u.ok)
    tokens_in = sum(u.tokens_in for u in usage)
    tokens_out = sum(u.tokens_out for u in usage)
    cost = sum(u.cost_usd for u in usage)
    latency = sum(u.latency_ms for u in usage) / calls if calls else 0.0
    summary = (
        f"{calls} model calls ({failed} failed), {tokens_in:,} tokens in, "
        f"{tokens_out:,} out, ${cost:.4f}, average {latency / 1000:.1f} s"
    )
    by_model: dict[str, tuple[int, float]] = {}
    for u in usage:
        count, spent = by_model.get(f"{u.provider}/{u.model}", (0, 0.0))
        by_model[f"{u.provider}/{u.model}"] = (count + 1, spent + u.cost_usd)
    fields = [
        {"type": "mrkdwn", "text": f"*Calls*\n{calls} ({failed} failed)"},
        {"type": "mrkdwn", "text": f"*Cost*\n${cost:.4f}"},
        {"type": "mrkdwn", "text": f"*Tokens in / out*\n{tokens_in:,} / {tokens_out:,}"},
        {"type": "mrkdwn", "text": f"*Average latency*\n{latency / 1000:.1f} s"},
    ]
    blocks: list[Block] = [
        header(f"Model usage — {period}"),
        {"type": "section", "fields": fields},
    ]
    if by_model:
        rows = [f"• {escape(name)}: {n} calls, ${usd:.4f}" for name, (n, usd) in by_model.items()]
        blocks.append(context("\n".join(rows)[:3000]))
    return f"Model usage, {period}: {summary}", blocks


HELP_TEXT = (
    "*/momentum plan* — your plan: goal, phases, Minimum Viable Week and this week\n"
    "*/momentum week* — this week's tree, with buttons to mark a session done or swap days\n"
    "*/momentum usage* — model calls and cost this month\n"
    "*/momentum help* — this list\n"
    "Or just DM me: how a run felt, a question, “only 20 minutes today”."
)


def help_blocks(note: str = "") -> tuple[str, list[Block]]:
    """What the slash command does (safe to show anywhere: no athlete data)."""
    text = (note + "\n\n" if note else "") + HELP_TEXT
    return text, [section(text)]
