"""The safety message in plain words (English), written by code so it is the same with or
without a model: what today becomes, stop running through pain, and who to see."""

from __future__ import annotations

from momentum.plugins.running.coach.safety.classify import Concern, Triage
from momentum.plugins.running.coach.safety.records import HealthRecord
from momentum.plugins.running.coach.safety.rules import DayRule, Restriction

URGENT_ADVICE = (
    "Chest pain, fainting or breathlessness at rest needs a doctor now: seek urgent care "
    "(call emergency services if it is severe or doesn't settle)."
)
DOCTOR_ADVICE = (
    "With a fever, flu or covid, see a doctor if it is high, lasts more than a couple of "
    "days or your chest is involved, and don't run until you've been fever-free for 24 hours."
)
PHYSIO_ADVICE = (
    "{flags} can mean more than a niggle (a bone stress injury, for one): get it checked by "
    "a physio or doctor before you run on it again."
)
STOP_PAIN = "Don't run through pain: stop the moment it hurts and walk home."
_STOP_PAIN = (
    STOP_PAIN,
    "Don't push through pain: that turns a week off into a month off.",
    "If anything hurts, stop and walk: pain is a signal, not a test.",
    "No running through pain, not even a little.",
)
_HOW = (
    "How does it feel this morning?",
    "Tell me how it feels today.",
    "Any change since yesterday?",
    "Is it easing at all?",
)


def today_text(rule: DayRule, session: str) -> str:
    """What today becomes, e.g. ``Today is rest.``"""
    if rule.restriction is Restriction.REST:
        return "Today is rest: no run, no workout, just fluids and sleep."
    if rule.restriction is Restriction.NO_IMPACT:
        what = session or "non-impact cross-training (bike, swim or pool run)"
        return f"Today becomes {what} instead of a run, only if it doesn't hurt; otherwise rest."
    if rule.returning:
        return (
            f"Today is {session or 'rest'}: a graded return, easy only, no intensity yet."
            if session
            else "Today is rest; the graded return goes easy and short, no intensity yet."
        )
    return (
        f"At most {session}, easy, only if you feel up to it; rest is the better call."
        if session
        else "Take today off; rest is the better call."
    )


def advice(record: HealthRecord) -> list[str]:
    """The referral lines a record's red flags call for (none for a plain niggle)."""
    lines: list[str] = []
    if record.triage is Triage.URGENT:
        lines.append(URGENT_ADVICE)
    elif record.triage is Triage.DOCTOR:
        lines.append(DOCTOR_ADVICE)
    elif record.triage is Triage.PHYSIO:
        flags = [f for f in record.red_flags if f not in ("fever", "flu", "covid")]
        name = ", ".join(flags) or "That pain"
        lines.append(PHYSIO_ADVICE.format(flags=name[0].upper() + name[1:]))
    return lines


def safety_message(rule: DayRule, session: str, *, opening: bool, day_number: int = 1) -> str:
    """The whole offline safety text for a day under ``rule``.

    ``opening``: the athlete just reported it (chat or a run's notes), so say what we heard.
    ``day_number``: the day of the problem (or of the return) this is, which keeps the
    daily messages of a long injury from repeating word for word.
    """
    record = rule.record
    if record is None:
        return ""
    turn = max(0, day_number - 1)
    parts: list[str] = []
    if rule.returning:
        what = record.what.replace(" pain", "")
        if opening:
            parts.append(f"Glad the {what} is better.")
            parts.append(today_text(rule, session))
        else:
            parts.append(
                f"Day {day_number} of the graded return after the {record.what}: "
                + today_text(rule, session)[0].lower()
                + today_text(rule, session)[1:]
            )
        parts.append(
            "Stop at once if the pain comes back; intensity returns only after a few "
            "pain-free easy runs."
            if record.concern is Concern.INJURY
            else "Stop if you feel off; intensity returns after a few good easy days."
        )
        return " ".join(parts)
    if opening:
        heard = (
            f"Sorry to hear about the {record.what}."
            if record.concern is Concern.INJURY
            else "Sorry you're unwell."
            if record.triage is not Triage.URGENT
            else "Thanks for telling me, and please take this seriously."
        )
        parts.append(heard)
        parts.append(today_text(rule, session))
    else:
        today = today_text(rule, session)
        parts.append(f"Day {day_number} with the {record.what}, so {today[0].lower()}{today[1:]}")
    if record.concern is Concern.INJURY:
        parts.append(_STOP_PAIN[0] if opening else _STOP_PAIN[turn % len(_STOP_PAIN)])
    parts.extend(advice(record))
    if opening:
        parts.append("Tell me when it feels better and we'll ease back in.")
    else:
        parts.append(_HOW[turn % len(_HOW)])
    return " ".join(parts)
