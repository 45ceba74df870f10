"""Adaptive Cards (schema 1.5) for Teams, each with the plain text it stands for.

Every figure on a card comes from core's presentation: the week tree, the ``Aerobic:`` bar
and the Minimum Viable Week ticks from :mod:`momentum.plugins.running.coach.render`, the dates from
:mod:`momentum.plugins.running.coach.formatting`, and a coach message's own code-rendered picture
(written by :mod:`momentum.plugins.running.coach.layouts`). Nothing here formats a number, so a card
and the text fallback (what notifications and screen readers get) always agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.plugins.running.coach.formatting import long_date, week_range
from momentum.plugins.running.coach.render import aerobic_line, mvw_line, mvw_ticks, week_tree
from momentum.plugins.running.model.plan import MinimumViableWeek, Plan
from momentum.plugins.running.plans import WeekStatus

Card = dict[str, Any]
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
_PICTURE_MARKS = ("├─", "└─", "Aerobic:", "MVW:", "Fitness:", "⚠", "Last 7 days:", "Load:")
"""Lines of a code-rendered picture: shown in a monospace block so the tree lines up."""


def card(body: list[dict[str, Any]], fallback: str) -> Card:
    """An Adaptive Card with ``body``; ``fallback`` is its plain-text rendering."""
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": fallback[:4000],
        "body": body,
    }


def text_block(text: str, **style: Any) -> dict[str, Any]:
    """A wrapping TextBlock."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def picture_block(lines: list[str]) -> dict[str, Any]:
    """Code-rendered lines (a tree, a bar) in a monospace block, one line each."""
    return text_block("\n\n".join(lines), fontType="Monospace", spacing="Small")


def message_card(text: str) -> Card:
    """A coach message: its words as paragraphs, its picture lines kept monospace."""
    body: list[dict[str, Any]] = []
    picture: list[str] = []
    for paragraph in text.split("\n\n"):
        words: list[str] = []
        for line in paragraph.splitlines():
            if line.lstrip().startswith(_PICTURE_MARKS):
                if words:
                    body.append(text_block(" ".join(words)))
                    words = []
                picture.append(line)
                continue
            if picture:
                body.append(picture_block(picture))
                picture = []
            words.append(line)
        if picture:
            body.append(picture_block(picture))
            picture = []
        if words:
            body.append(text_block("\n\n".join(words)))
    return card(body or [text_block(text or "…")], text)


def week_lines(status: WeekStatus, mvw: MinimumViableWeek) -> list[str]:
    """The weekly picture as lines: title, aerobic bar, one line per day, MVW ticks."""
    return [
        f"Week of {week_range(status.start)}",
        aerobic_line(status),
        *week_tree(status, mvw),
        mvw_line(mvw_ticks(status, mvw)),
    ]


def week_card(status: WeekStatus, plan: Plan | None, today: dt.date) -> tuple[str, Card]:
    """The weekly tree and the Aerobic bar: ``(fallback text, card)``."""
    mvw = plan.mvw if plan is not None else MinimumViableWeek()
    title, aerobic, *rest = week_lines(status, mvw)
    tree, ticks = rest[:-1], rest[-1]
    body = [
        text_block(title, size="Large", weight="Bolder"),
        text_block(aerobic, fontType="Monospace"),
        picture_block(tree),
        text_block(ticks, isSubtle=True, fontType="Monospace"),
    ]
    if status.changes:
        body.append(text_block("Changed: " + "; ".join(status.changes), isSubtle=True))
    text = "\n".join(week_lines(status, mvw))
    return text, card(body, text)


def plan_card(
    plan: Plan | None, status: WeekStatus, today: dt.date, *, race: str = ""
) -> tuple[str, Card]:
    """The plan: goal, phases (the current one marked), Minimum Viable Week, this week."""
    if plan is None:
        text = "No plan yet. The coach lays one out on Monday morning."
        return text, card([text_block(text)], text)
    lines: list[str] = []
    if race or plan.goal:
        lines.append(f"Goal: {race or plan.goal}")
    current = plan.phase_on(today)
    for phase in plan.phases:
        mark = "✓" if phase.end < today else ("▶" if phase is current else "·")
        focus = f" — {phase.focus}" if phase is current and phase.focus else ""
        dates = f"{long_date(phase.start)} to {long_date(phase.end)}"
        lines.append(f"{mark} {phase.name} ({dates}){focus}")
    lines.append(f"Minimum Viable Week: {plan.mvw.describe()}")
    week_text, week = week_card(status, plan, today)
    body = [
        text_block("Your plan", size="Large", weight="Bolder"),
        *(text_block(line) for line in lines),
        *week["body"],
    ]
    text = "\n".join(lines) + "\n\n" + week_text
    return text, card(body, text)
