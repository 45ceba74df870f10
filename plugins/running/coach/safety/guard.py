"""The last check on a message written on a safety day: no model text can undo the layer.

On a rest or no-impact day a message may not propose a run or a workout; on an easy-only
day (a cold above the neck, a graded return) it may not propose intensity; after a red
flag it must point to a physio, a doctor or urgent care. A message that fails is replaced
by the offline composer's safety text. Mentions that *rule running out* ("don't run
through pain", "instead of a run", "before you run again") or look back at one already
done ("Logged it: 30min run", "that run") are allowed.
"""

from __future__ import annotations

import re

from momentum.plugins.running.coach.safety.classify import Triage
from momentum.plugins.running.coach.safety.rules import DayRule, Restriction

_RUNNING = re.compile(
    r"(?<!pool )\b(run|runs|running|jog|jogs|jogging|long run|tempo|intervals?|strides|reps|"
    r"hill repeats|fartlek|workout|miles|lace up|head out|get out the door|plyometrics?|"
    r"hops|bounds|jumps?|squats?|lunges|deadlifts?)\b",
    re.IGNORECASE,
)
_INTENSITY = re.compile(
    r"\b(tempo|intervals?|threshold|race pace|hard effort|long run|hill repeats|fartlek|"
    r"strides|sprints?|vo2|z4|z5|zone [45])\b",
    re.IGNORECASE,
)
_RULED_OUT = re.compile(
    r"\b(no|not|don'?t|do not|never|skip|skipping|stop|stopping|avoid|instead of|rather than|"
    r"without|off|rest from|hold off|pause|before|until|back to|return to|ease back|"
    r"returns?|after|no more|cancel(led)?|drop(ped)?|swap(ped)?|replace[ds]?|won'?t|"
    r"nothing|zero|worsens with|worse (when|as|with)( you)?|"
    r"logged|finished|completed|that|last|earlier|yesterday'?s?|this morning'?s?)\b",
    re.IGNORECASE,
)
_REFERRAL = {
    Triage.URGENT: re.compile(r"\b(urgent|emergency|911|999|112|a&e|doctor now|er)\b", re.I),
    Triage.DOCTOR: re.compile(r"\b(doctor|gp|physician|medical|urgent care)\b", re.I),
    Triage.PHYSIO: re.compile(r"\b(physio\w*|doctor|gp|sports medicine|medical)\b", re.I),
}


def _proposed(pattern: re.Pattern[str], text: str) -> list[str]:
    """Matches of ``pattern`` not ruled out by a word in the five before them."""
    found = []
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text):
        for m in pattern.finditer(sentence):
            before = " ".join(sentence[: m.start()].split()[-5:])
            if not _RULED_OUT.search(before):
                found.append(m.group(0))
    return found


def problems(text: str, rule: DayRule, *, referral: bool = True) -> list[str]:
    """Why ``text`` is not safe to send under ``rule`` (empty: it is)."""
    if rule.restriction is Restriction.NONE or rule.record is None:
        return []
    found: list[str] = []
    if rule.restriction >= Restriction.NO_IMPACT:
        found += [
            f"proposes {w!r} on a {rule.restriction.name.lower()} day"
            for w in _proposed(_RUNNING, text)
        ]
    else:
        found += [f"proposes {w!r} on an easy-only day" for w in _proposed(_INTENSITY, text)]
    triage = rule.record.triage
    wanted = referral and not rule.returning and triage in _REFERRAL
    if wanted and not _REFERRAL[triage].search(text):
        found.append(f"no {triage.value} referral for a red flag")
    return found


def is_safe(text: str, rule: DayRule, *, referral: bool = True) -> bool:
    """Whether ``text`` may go out under ``rule``."""
    return not problems(text, rule, referral=referral)
