"""Chat that does things offline: moves, swaps, logged workouts, race results and the goal,
and questions about the plan, a pace or the last run.

:func:`command_calls` reads one message with the small grammar of
:mod:`momentum.plugins.running.coach.grammar` and returns the tool calls a coach would make, or
``None``
when the message is none of these (the keyword rules of :mod:`momentum.plugins.running.coach.intent`
take over). The grammar, in order:

* **move/swap** — ``(move|shift|put|switch|swap|do) … <session>? … (to|on|with|and) <day>``:
  "move my long run to Sunday" → ``move_session(session=long, to_day=sunday)``; "swap Tuesday
  and Thursday" → ``move_session(from_day=tuesday, to_day=thursday)``; "swap my tempo and
  the long run" → ``move_session(session=tempo, with_session=long)``; "do Thursday's run on
  Wednesday" likewise; "move it to tomorrow" moves today's session.
* **race result** — a distance and a finish time with ``race``/``parkrun``/``time trial``/
  ``PB`` and a past tense: ``add_race_result``.
* **goal** — ``goal`` with a distance and a day: ``set_goal_race`` (a time when given).
* **log** — a distance or a duration with a done-verb or a past day ("5 km easy yesterday",
  "I did 45 min easy", "ran 10k in 52:30 on Sunday"): ``log_activity`` with the distance,
  duration and pace parsed when given.
* **question** — about the plan ("what's on today?", "what's my week?"), a pace ("what pace
  for my easy runs?") or the last run ("how was my last run?"): ``coaching_question`` with
  the topic, answered from facts.
"""

from __future__ import annotations

import re

from momentum.core.ports.model import ToolCall
from momentum.plugins.running.coach.grammar import (
    WEEKDAYS,
    clock_text,
    distance_in,
    duration_in,
    pace_in,
    session_in,
)

_DAY_WORD = re.compile(
    r"\b(today|tonight|yesterday|tomorrow|\d{4}-\d{2}-\d{2}|"
    + "|".join(WEEKDAYS)
    + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b",
    re.IGNORECASE,
)
_MOVE = re.compile(r"\b(move|shift|put|switch|swap|reschedule|do)\b", re.IGNORECASE)
_SWAP = re.compile(r"\b(swap|switch)\b", re.IGNORECASE)
_DONE = re.compile(
    r"\b(did|done|finished|completed|ran|run|jogged|walked|rode|swam|hiked|logged|went for|"
    r"got in|just)\b",
    re.IGNORECASE,
)
_PAST_DAY = re.compile(r"\b(yesterday|this morning|earlier|last (night|\w+day))\b", re.I)
_RACE = re.compile(r"\b(race[ds]?|parkrun|time trial|pb|pr|personal best|result)\b", re.I)
_GOAL = re.compile(r"\b(goal|target|aiming|signed up|registered|entered)\b", re.I)
_QUESTION = re.compile(
    r"\?\s*$|^\s*(what|what's|whats|how|how's|when|which|where|can you tell|tell me|show me)\b",
    re.IGNORECASE,
)
_LAST_RUN = re.compile(
    r"\b(last|latest|recent|yesterday'?s|today'?s) (run|workout|session)\b", re.I
)
_PACE_Q = re.compile(r"\b(pace|paces|how fast|what speed|vdot|predict\w*)\b", re.I)
_PLAN_Q = re.compile(
    r"\b(plan|planned|schedule|on (for )?(today|tomorrow)|this week|next week|my week|"
    r"workout today|session today|what should i (do|run))\b",
    re.I,
)
_RACE_Q = re.compile(r"\b(race|goal)\b", re.I)
_KINDS = (
    ("walk", r"walk(ed|ing)?"),
    ("hike", r"hik(e|ed|ing)"),
    ("ride", r"ride|rode|bike|cycl\w*"),
    ("swim", r"swim|swam"),
    ("strength", r"strength|gym|weights"),
)
_HARD = re.compile(
    r"\b(hard|tempo|intervals?|threshold|tough|all out|race|gassed|brutal|exhausted|wrecked|"
    r"destroyed|killer|killed|dead|spent|crushed|smoked|max effort)\b",
    re.I,
)
_EASY = re.compile(r"\b(easy|recovery|gentle|relaxed|slow)\b", re.I)


def _calls(*calls: ToolCall) -> list[ToolCall]:
    return [ToolCall(c.name, c.arguments, f"offline_{i}") for i, c in enumerate(calls, 1)]


def _days(text: str) -> list[str]:
    return [m.group(1).lower() for m in _DAY_WORD.finditer(text)]


def _move(text: str) -> list[ToolCall] | None:
    if not _MOVE.search(text):
        return None
    days = _days(text)
    kind = session_in(text)
    if kind == "easy" and not re.search(r"\beasy\b", text, re.I):
        kind = None  # "run" alone names no particular session
    kinds = _kinds_named(text)
    if _SWAP.search(text) and len(kinds) == 2 and len(days) < 2:
        return _calls(ToolCall("move_session", {"session": kinds[0], "with_session": kinds[1]}))
    if _SWAP.search(text) and len(days) >= 2:
        return _calls(ToolCall("move_session", {"from_day": days[0], "to_day": days[1]}))
    if kind and days:
        target = re.search(r"\b(to|on|until|till)\s+(\w+)", text, re.I)
        to_day = days[-1]
        if target and target.group(2).lower() in days:
            to_day = target.group(2).lower()
        if len(days) >= 2:
            return _calls(ToolCall("move_session", {"from_day": days[0], "to_day": to_day}))
        return _calls(ToolCall("move_session", {"session": kind, "to_day": to_day}))
    if len(days) >= 2 and re.search(r"\b(do|move)\b", text, re.I):
        return _calls(ToolCall("move_session", {"from_day": days[0], "to_day": days[1]}))
    if len(days) == 1 and re.search(r"\bmove (it|that|today'?s)\b", text, re.I):
        return _calls(ToolCall("move_session", {"from_day": "today", "to_day": days[0]}))
    return None


def _kinds_named(text: str) -> list[str]:
    """The plan sessions named in ``text``, in order (``long``, ``tempo``, …; "run" alone
    names none)."""
    from momentum.plugins.running.coach.grammar import SESSION_WORDS

    found: list[tuple[int, str]] = []
    for kind, pattern in SESSION_WORDS:
        if kind == "easy":
            pattern = r"easy run|easy|recovery run"
        m = re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE)
        if m and all(kind != k for _, k in found):
            found.append((m.start(), kind))
    return [k for _, k in sorted(found)]


def _kind(text: str) -> str:
    for name, pattern in _KINDS:
        if re.search(rf"\b({pattern})\b", text, re.I):
            return name
    return "run"


def _intensity(text: str) -> str:
    if _HARD.search(text):
        return "hard"
    if _EASY.search(text):
        return "easy"
    return "moderate"


def _race_or_goal(text: str, meters: float | None, seconds: float | None) -> list[ToolCall] | None:
    if meters is None:
        return None
    distance = f"{meters / 1000:g} km"
    days = _days(text)
    if _GOAL.search(text) and days:
        args: dict[str, object] = {"day": days[-1], "distance": distance}
        if seconds:
            args["time"] = clock_text(seconds)
        name = re.search(r"\b(?:the|for)\s+([A-Z][\w' ]+?)(?:\s+(?:on|in|at)\b|[,.!]|$)", text)
        if name:
            args["name"] = name.group(1).strip()
        return _calls(ToolCall("set_goal_race", args))
    if _RACE.search(text) and seconds and _DONE.search(text):
        args = {
            "distance": distance,
            "time": clock_text(seconds),
            "day": days[0] if days else "today",
        }
        if re.search(r"\btrail\b", text, re.I):
            args["surface"] = "trail"
        gain = re.search(
            r"(\d+)\s*m(?:eters|etres)?\s*(?:of\s*)?(?:climb|gain|elevation|vert)", text
        )
        if gain:
            args["elevation_gain"] = float(gain.group(1))
        return _calls(ToolCall("add_race_result", args))
    return None


def _log(text: str, meters: float | None, seconds: float | None) -> list[ToolCall] | None:
    if meters is None and seconds is None:
        return None
    if not (_DONE.search(text) or _PAST_DAY.search(text)):
        return None
    if re.search(
        r"\b(will|going to|plan(ning)? to|tomorrow|can'?t|cannot|only have)\b", text, re.I
    ):
        return None
    args: dict[str, object] = {"activity_type": _kind(text), "intensity": _intensity(text)}
    if meters is not None:
        args["distance_km"] = round(meters / 1000, 2)
    if seconds is not None:
        args["duration"] = max(1, round(seconds / 60))
    pace = pace_in(text)
    if pace is not None and seconds is None:
        args["pace"] = clock_text(pace)
    days = [d for d in _days(text) if d not in ("tomorrow",)]
    if days:
        args["day"] = days[0]
    return _calls(ToolCall("log_activity", args))


def question_topic(text: str) -> str | None:
    """``last_run``, ``pace``, ``race`` or ``plan`` for a question the facts can answer."""
    if _LAST_RUN.search(text):
        return "last_run"
    if _PACE_Q.search(text):
        return "pace"
    if _RACE_Q.search(text) and not _PLAN_Q.search(text):
        return "race"
    if _PLAN_Q.search(text):
        return "plan"
    return None


def command_calls(text: str) -> list[ToolCall] | None:
    """The tool calls for a move, a race result, a goal, a logged workout or a factual
    question (see module doc); ``None`` for anything else."""
    text = text.strip()
    if not text:
        return None
    question = bool(_QUESTION.search(text))
    if question:
        topic = question_topic(text)
        if topic is None:
            return None
        return _calls(ToolCall("coaching_question", {"question": text, "topic": topic}))
    moved = _move(text)
    if moved:
        return moved
    meters = distance_in(text)
    seconds = duration_in(text)
    return _race_or_goal(text, meters, seconds) or _log(text, meters, seconds)
