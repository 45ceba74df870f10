"""Simple intent heuristics for the offline composer: chat text → tool calls.

With a model, the model picks tools. Without one (the offline demo, an outage), these
rules map the talk's examples sensibly:

- "did 60 min strength, totally gassed" → ``log_activity(duration=60, intensity=hard)``
- "60 minutes is a long time for strength" → ``save_reflection`` (an opinion, not a
  completion)
- "that run felt harder than expected" → ``save_activity_note`` with a run in context,
  else ``save_reflection``
- "legs are tired, should I rest?" → ``save_reflection`` + ``coaching_question``

plus plan changes ("can't run today", "only have 20 minutes") and profile facts ("my max
heart rate is 186"). They are deliberately conservative: when unsure, keep the words as a
reflection.
"""

from __future__ import annotations

import re

from momentum.core.ports.model import ToolCall

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_DONE = re.compile(
    r"\b(did|done|finished|completed|got (in|through)|went for|knocked out|smashed|"
    r"just (did|finished|got back from|ran|walked|rode)|had a|ran|walked|rode|swam|hiked)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>h(?:ou)?rs?|hours?|h|min(?:ute)?s?|m)\b",
    re.IGNORECASE,
)
_TYPES = (
    ("strength", r"strength|weights?|lift(ing)?|gym|s&c|squats?|lunges|core|conditioning"),
    ("run", r"run|jog|ran\b|tempo|intervals?|long run"),
    ("ride", r"ride|rode|bike|cycl\w*|spin|peloton ride"),
    ("walk", r"walk(ed)?"),
    ("hike", r"hike|hiked|hiking"),
    ("yoga", r"yoga|stretch(ing)?|mobility|pilates"),
    ("swim", r"swim|swam"),
)
_HARD = re.compile(
    r"\b(gassed|hard|brutal|exhausted|wrecked|destroyed|killer|killed|tough|pass(ed)? out|"
    r"dead|spent|crushed|smoked|max effort|all out)\b",
    re.IGNORECASE,
)
_EASY = re.compile(r"\b(easy|light|gentle|relaxed|chill|recovery)\b", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^\s*(should|can|could|is|are|do|does|did i|how|what|why|when|which|will|would|any)\b",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"\b(tired|sore|legs?|heavy|exhausted|knee|calf|calves|achilles|hip|shin|ankle|pain|hurts?|"
    r"ache|aching|sleep|slept|stress(ed)?|sick|ill|fatigued?|doms|niggle|tight)\b",
    re.IGNORECASE,
)
_ABOUT_SESSION = re.compile(
    r"\b(that|this|the|today'?s|tonight'?s|my) (run|session|workout|long run|class|ride)\b"
    r"|\bit felt\b",
    re.IGNORECASE,
)
_FEELING = re.compile(
    r"\b(felt|feels?|feeling|harder|easier|tough|great|awful|good|bad|heavy|smooth|slow|fast)\b",
    re.IGNORECASE,
)
_PLAN_CHANGE = re.compile(
    r"\b(can'?t|cannot|won'?t (be able|make)|unable to|no time|only (have|got) \d+|"
    r"skip(ping)?|move|swap|reschedule|push (it|back)|postpone)\b",
    re.IGNORECASE,
)
_PLAN_OBJECT = re.compile(
    r"\b(run|session|workout|training|long run|strength|today|tomorrow|tonight|"
    + "|".join(WEEKDAYS)
    + r")\b",
    re.IGNORECASE,
)
_PROFILE_HR = re.compile(
    r"\b(?P<kind>max(imum)?|resting|threshold|lactate threshold|lthr)\s*"
    r"(heart rate|hr)?\s*(is|=|of|:)?\s*(?P<bpm>\d{2,3})\b",
    re.IGNORECASE,
)
_PROFILE_LONG_DAY = re.compile(
    r"\blong runs? (on|are on|work best on) (?P<day>" + "|".join(WEEKDAYS) + r")s?\b",
    re.IGNORECASE,
)
_PROFILE_UNAVAILABLE = re.compile(
    r"\b(can'?t|cannot|never) (run|train) on (?P<day>" + "|".join(WEEKDAYS) + r")s\b",
    re.IGNORECASE,
)
_SMALL_TALK = re.compile(
    r"^\s*(hi|hey|hello|thanks|thank you|thx|ok|okay|cool|nice|great|good morning|gm|👍|🙏)"
    r"[\s!.]*$",
    re.IGNORECASE,
)


def _duration_minutes(text: str) -> int | None:
    m = _DURATION.search(text)
    if not m:
        return None
    value = float(m.group("value").replace(",", "."))
    unit = m.group("unit").lower()
    minutes = value * 60 if unit.startswith("h") else value
    return round(minutes) if 1 <= minutes <= 600 else None


def _activity_type(text: str) -> str | None:
    for name, pattern in _TYPES:
        if re.search(rf"\b({pattern})", text, re.IGNORECASE):
            return name
    return None


def _intensity(text: str) -> str:
    if _HARD.search(text):
        return "hard"
    if _EASY.search(text):
        return "easy"
    return "moderate"


def _day_word(text: str) -> str:
    lower = text.lower()
    if "tomorrow" in lower:
        return "tomorrow"
    for day in WEEKDAYS:
        if re.search(rf"\b{day}\b", lower):
            return day
    return "today"


def _question_topic(text: str) -> str:
    lower = text.lower()
    if re.search(r"\brest|skip|day off|recover", lower):
        return "rest"
    if re.search(r"\bpace|fast|slow|speed", lower):
        return "pace"
    if re.search(r"\bpain|hurt|injur|knee|achilles|shin|calf", lower):
        return "injury"
    if re.search(r"\beat|food|fuel|carb|protein|drink", lower):
        return "nutrition"
    if re.search(r"\brace|taper|mazinaw", lower):
        return "race"
    if re.search(r"\bplan|week|schedule|long run|strength", lower):
        return "plan"
    return "other"


def _is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.search(text))


def guess_tool_calls(text: str, *, activity_in_context: bool) -> list[ToolCall]:
    """The tool calls a sensible coach would make for ``text`` (possibly none)."""
    text = text.strip()
    if not text or _SMALL_TALK.match(text):
        return []
    health = _health_call(text)
    if health is not None:
        # Pain, illness or "it's better now" goes to the safety layer first; anything else
        # the words also say (a logged run) follows.
        rest = [c for c in guess_tool_calls_plain(text, activity_in_context) if c.name in _WITH]
        return _numbered([health, *rest])
    return guess_tool_calls_plain(text, activity_in_context)


_WITH = ("log_activity", "coaching_question", "update_profile")
"""Intents kept beside a health report (a reflection or plan change would restate it)."""


def _health_call(text: str) -> ToolCall | None:
    from momentum.plugins.running.coach.safety import classify

    finding = classify(text)
    if finding.is_concern or finding.resolves:
        return ToolCall("report_health", {"text": text})
    return None


def guess_tool_calls_plain(text: str, activity_in_context: bool) -> list[ToolCall]:
    """The intents other than health reports."""
    calls: list[ToolCall] = []

    m = _PROFILE_HR.search(text)
    if m and re.search(r"heart rate|\bhr\b|lthr|bpm", text, re.IGNORECASE):
        kind = m.group("kind").lower()
        field = (
            "max_hr"
            if kind.startswith("max")
            else "resting_hr"
            if kind == "resting"
            else "threshold_hr"
        )
        calls.append(ToolCall("update_profile", {"field": field, "value": m.group("bpm")}))
    m = _PROFILE_LONG_DAY.search(text)
    if m:
        calls.append(
            ToolCall("update_profile", {"field": "long_run_day", "value": m.group("day").lower()})
        )
    m = _PROFILE_UNAVAILABLE.search(text)
    if m:
        calls.append(
            ToolCall(
                "update_profile", {"field": "unavailable_days", "value": m.group("day").lower()}
            )
        )
    if calls:
        return _numbered(calls)

    from momentum.plugins.running.coach.commands import (
        command_calls,  # moves, logs, races, questions
    )

    commanded = command_calls(text)
    if commanded:
        return commanded

    minutes = _duration_minutes(text)
    kind = _activity_type(text)
    question = _is_question(text)
    if _DONE.search(text) and minutes and kind and not question:
        args: dict[str, object] = {
            "activity_type": kind,
            "duration": minutes,
            "intensity": _intensity(text),
        }
        if re.search(r"\byesterday\b", text, re.IGNORECASE):
            args["day"] = "yesterday"
        return _numbered([ToolCall("log_activity", args)])

    if _PLAN_CHANGE.search(text) and _PLAN_OBJECT.search(text) and not question:
        calls.append(ToolCall("adjust_session", {"day": _day_word(text), "reason": text}))
        return _numbered(calls)

    if question:
        if _BODY.search(text) or _FEELING.search(text.split("?")[0]):
            calls.append(ToolCall("save_reflection", {"text": text}))
        calls.append(
            ToolCall("coaching_question", {"question": text, "topic": _question_topic(text)})
        )
        return _numbered(calls)

    if _ABOUT_SESSION.search(text) and _FEELING.search(text) and activity_in_context:
        return _numbered([ToolCall("save_activity_note", {"text": text})])

    if len(text.split()) >= 3:
        return _numbered([ToolCall("save_reflection", {"text": text})])
    return []


def _numbered(calls: list[ToolCall]) -> list[ToolCall]:
    return [ToolCall(c.name, c.arguments, f"offline_{i}") for i, c in enumerate(calls, 1)]
