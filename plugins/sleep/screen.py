"""No medical advice: symptoms of sleep disorders in what the athlete writes get a clear
suggestion to see a doctor, decided here by code, offline, before any model reads the text.

The rules look for the signs sleep-medicine guidance asks people to take to a doctor:
breathing pauses, gasping or choking in sleep with snoring (obstructive sleep apnoea),
insomnia lasting weeks or months (chronic insomnia: three months, by ICSD-3; weeks are
enough to ask), falling asleep while driving, restless legs, sudden sleep attacks or
sleep paralysis, and acting out dreams. A sign stated as absent ("no gasping", "I don't
fall asleep at the wheel") does not count: each clause is read on its own, and a negation
in the few words before a sign cancels it. The coach words nothing here: the message is
shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DURATION = r"(weeks|months|years|a month|a year|ages)"


@dataclass(frozen=True)
class Sign:
    """One symptom the screen recognises and why it matters."""

    name: str
    pattern: re.Pattern[str]
    urgent: bool = False


SIGNS = (
    Sign(
        "pauses in breathing during sleep",
        re.compile(
            r"\b(stop(s|ped|ping)? breathing|pauses? in (my |his |her )?breathing|"
            r"breathing (stops|pauses)|gasp(s|ed|ing)?( for air)?|wak(e|es|ing) up chok\w*|"
            r"chok(e|es|ed|ing) in (my )?sleep|snor\w* (with|and) (pauses|gasp\w*|chok\w*))\b",
            re.IGNORECASE,
        ),
    ),
    Sign(
        "insomnia lasting weeks or more",
        re.compile(
            rf"\b(insomnia (for|since|over) (the (last|past) )?(few |several |many )?{_DURATION}|"
            rf"{_DURATION} of (insomnia|bad sleep|poor sleep|no sleep|sleepless\w*)|"
            rf"(can'?t|cannot|couldn'?t|unable to|not been able to|haven'?t been able to) "
            rf"(fall asleep|sleep|stay asleep)\w* (for|in) (the (last|past) )?"
            rf"(few |several |many )?{_DURATION}|"
            rf"haven'?t slept (properly |well |through the night )?(for|in) "
            rf"(the (last|past) )?(few |several |many )?{_DURATION}|chronic insomnia)",
            re.IGNORECASE,
        ),
    ),
    Sign(
        "falling asleep while driving",
        re.compile(
            r"\b((fell|fall|fallen|falling|nod(ded|ding)? off|doz(ed|e|ing)( off)?) "
            r"(asleep )?(at the wheel|while driving|when driving|behind the wheel|"
            r"driving)|(fell|fall|fallen|falling) asleep (at the wheel|while driving|when driving|"
            r"behind the wheel))\b",
            re.IGNORECASE,
        ),
        urgent=True,
    ),
    Sign(
        "restless legs",
        re.compile(
            r"\b(restless legs?|urge to move (my )?legs|(crawling|creeping|itching) "
            r"(feeling|sensation)s? in (my )?legs|legs? (won'?t|will not) stay still)\b",
            re.IGNORECASE,
        ),
    ),
    Sign(
        "sudden sleep attacks or sleep paralysis",
        re.compile(
            r"\b(sleep paralysis|fall asleep (suddenly|without warning|mid[- ]conversation)|"
            r"(knees|legs) (buckle|give way) when i laugh)\b",
            re.IGNORECASE,
        ),
    ),
    Sign(
        "acting out dreams",
        re.compile(
            r"\b(act(ing|ed)? out (my )?dreams|punch\w* .{0,20}in my sleep|sleepwalk\w*)\b",
            re.IGNORECASE,
        ),
    ),
)
"""Every sign, in the order they are named."""

_CLAUSES = re.compile(r"[.!?;\n]+|,\s*(?:but|though|although)\b|\bbut\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(no|not|never|none|without|don'?t|doesn'?t|didn'?t|isn'?t|aren'?t|wasn'?t|haven'?t|"
    r"hasn'?t|no longer|nor|denies|free of)\b",
    re.IGNORECASE,
)
_NEGATION_WORDS = 4
"""How many words before a sign a negation reaches."""

DOCTOR = (
    "What you describe ({signs}) can be a sign of a sleep disorder, and that is for a doctor "
    "to look at, not a sleep coach: please book an appointment with your doctor and tell "
    "them what you told me."
)
DRIVING = "Until then, don't drive when you feel drowsy: pull over somewhere safe and rest."


def _negated(clause: str, start: int) -> bool:
    before = " ".join(clause[:start].split()[-_NEGATION_WORDS:])
    return bool(_NEGATION.search(before))


def signs_in(text: str) -> list[Sign]:
    """The signs stated (not negated) in ``text``, each once, in :data:`SIGNS` order."""
    found: list[Sign] = []
    for clause in _CLAUSES.split(text or ""):
        if not clause:
            continue
        for sign in SIGNS:
            if sign in found:
                continue
            if any(not _negated(clause, m.start()) for m in sign.pattern.finditer(clause)):
                found.append(sign)
    return [s for s in SIGNS if s in found]


def screen(text: str) -> str | None:
    """The see-a-doctor message for ``text`` when it states a sign of a sleep disorder,
    else ``None`` (the :class:`~momentum.Domain` ``screen`` step)."""
    found = signs_in(text)
    if not found:
        return None
    message = DOCTOR.format(signs=", ".join(s.name for s in found))
    if any(s.urgent for s in found):
        message += " " + DRIVING
    return message
