"""The last consistency check on a message: every claim agrees with the facts it came from.

Whoever wrote the words (a model or the offline composer), a sentence that contradicts the
code-computed facts must not go out:

* "momentum is real", "N runs banked/in" with a different count, or with no runs at all;
* "momentum is up" when the week's momentum is not up;
* "aerobic", "easy", "controlled" or "recovery" run for a run whose zones say intervals
  or tempo (:mod:`momentum.plugins.running.coach.session_type`); "interval"/"tempo" for an easy one;
* "long run banked" for a run that was not long.

:func:`contradictions` lists them; :func:`drop_contradicting` removes the offending
sentences (the offline composer's repair), and the engine falls back to the offline text
when a model's words contradict the facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from momentum.plugins.running.coach.phrasing import sentences

_MOMENTUM_REAL = re.compile(r"\bmomentum is (real|building|strong)\b|\bhumming\b", re.I)
_COUNT = re.compile(
    r"\b(?P<n>\d+|one|two|three|four|five|six|seven)\s+(consistent\s+|easy\s+|z2\s+)?runs?\s+"
    r"(banked|in|done|logged|this week|so far)\b",
    re.IGNORECASE,
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_UP = re.compile(r"\bmomentum is up\b", re.I)
_AEROBIC = re.compile(
    r"\b(aerobic brick|genuinely aerobic|aerobic (run|session|work)|easy run|controlled run|"
    r"recovery run|nice and easy|kept it easy)\b",
    re.IGNORECASE,
)
_QUALITY = re.compile(r"\b(intervals?|tempo|threshold (run|work)|vo2)\b", re.I)
_LONG = re.compile(r"\blong run (banked|done|in the bag)\b", re.I)


def _count(facts: Mapping[str, str]) -> int | None:
    value = facts.get("runs_done")
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def contradictions(text: str, facts: Mapping[str, str]) -> list[str]:
    """The sentences of ``text`` that contradict ``facts``, each with the reason."""
    return [f"{sentence!r}: {why}" for sentence, why in _problems(text, facts)]


def _problems(text: str, facts: Mapping[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    runs = _count(facts)
    kind = facts.get("run_type", "")
    for sentence in sentences(text):
        if runs is not None:
            if runs < 2 and _MOMENTUM_REAL.search(sentence):
                found.append((sentence, f"momentum claimed with {runs} runs"))
            for m in _COUNT.finditer(sentence):
                said = m.group("n").lower()
                number = _WORDS.get(said) or (int(said) if said.isdigit() else None)
                if number is not None and number != runs:
                    found.append((sentence, f"says {number} runs, the week has {runs}"))
        if _UP.search(sentence) and facts.get("momentum") not in ("up", None):
            found.append((sentence, f"momentum is {facts.get('momentum')}, not up"))
        if kind in ("intervals", "tempo") and _AEROBIC.search(sentence):
            found.append((sentence, f"the zones say {kind}"))
        ahead = re.search(r"\b(next|tomorrow|planned|coming)\b", sentence, re.I)
        if kind in ("easy", "recovery") and _QUALITY.search(sentence) and not ahead:
            found.append((sentence, "the zones say an easy run"))
        not_long = facts.get("activity_kind") == "run" and not facts.get("long_run")
        if not_long and _LONG.search(sentence):
            found.append((sentence, "this run was not a long run"))
    return found


def consistent(text: str, facts: Mapping[str, str]) -> bool:
    """Whether ``text`` agrees with ``facts``."""
    return not contradictions(text, facts)


def drop_contradicting(text: str, facts: Mapping[str, str]) -> str:
    """``text`` without the sentences that contradict ``facts``."""
    bad = {sentence for sentence, _ in _problems(text, facts)}
    if not bad:
        return text
    lines = []
    for line in text.splitlines():
        kept = [s for s in sentences(line) if s not in bad]
        if kept:
            lines.append(" ".join(kept))
    return "\n".join(lines)
