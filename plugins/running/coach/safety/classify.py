"""A rule-based reading of what the athlete wrote: pain, injury, illness, red flags.

It runs on every chat message and on a run's own words (Strava description, activity
notes) *before* any model. It errs on the side of rest: when a pain, injury or illness word
appears and is not negated, it reports it. Negation is judged per clause: a negator
("no", "not", "without", "never", "n't", "free of") up to four words before the term, or
"-free"/"free" right after it ("no pain", "pain-free", "not sick", "no fever anymore").

Red flags follow common sports-medicine triage (e.g. the "neck check" of Eichner 1993 and
the stress-fracture warning signs in Warden et al. 2014, *Curr Sports Med Rep*):

* urgent: chest pain or tightness, shortness of breath at rest, fainting or collapse,
  palpitations: stop and get urgent medical care;
* doctor: fever, flu, covid, chills, symptoms below the neck (chest congestion, body aches,
  vomiting), a high or lasting illness;
* physio or doctor: sharp or localised bone pain (possible stress fracture), pain that gets
  worse with running, swelling, being unable to bear weight, numbness.

Illness "above the neck" (runny nose, sneezing, sore throat, a head cold) allows easy
movement at most; "below the neck" or any fever means rest.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from momentum.plugins.running.plans.injuries import areas_of


class Concern(enum.Enum):
    """What kind of health concern the words report."""

    NONE = "none"
    INJURY = "injury"
    ILLNESS = "illness"


class Triage(enum.Enum):
    """Who should look at it: nobody, a physio or doctor, a doctor, or urgent care now."""

    SELF_CARE = "self_care"
    PHYSIO = "physio"
    DOCTOR = "doctor"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return list(Triage).index(self)


@dataclass(frozen=True)
class Finding:
    """What :func:`classify` read in one text."""

    concern: Concern = Concern.NONE
    triage: Triage = Triage.SELF_CARE
    areas: frozenset[str] = frozenset()
    """Body areas named (:mod:`momentum.plugins.running.plans.injuries` names)."""
    red_flags: tuple[str, ...] = ()
    """Plain names of the red flags found, e.g. ``"chest pain"``, ``"bone pain"``."""
    below_neck: bool = False
    """An illness with symptoms below the neck or a fever (rest, not easy running)."""
    bone: bool = False
    """Sharp, localised or bone pain: possible bone stress, so no impact at all."""
    resolved_areas: frozenset[str] = frozenset()
    """Areas the athlete says are better now ("shin feels fine now")."""
    resolved_all: bool = False
    """"I'm better", "all good now", "fever's gone": every open record may close."""
    evidence: tuple[str, ...] = field(default=())
    """The phrases that triggered the finding (for the stored record)."""

    @property
    def is_concern(self) -> bool:
        """A pain, injury or illness report that changes today's training."""
        return self.concern is not Concern.NONE

    @property
    def is_red_flag(self) -> bool:
        """Something a physio, doctor or urgent care should see."""
        return bool(self.red_flags)

    @property
    def resolves(self) -> bool:
        """The athlete says something is better."""
        return bool(self.resolved_areas) or self.resolved_all


_NEGATORS = re.compile(
    r"\b(no|not|without|never|none|zero|nothing|free of|isn'?t|wasn'?t|aren'?t|don'?t|"
    r"doesn'?t|didn'?t|haven'?t|hasn'?t|no longer|n't)\b|n't\b",
    re.IGNORECASE,
)
_FREE_AFTER = re.compile(r"^[\s-]*(free|gone|anymore|any more)\b", re.IGNORECASE)

_PAIN = (
    r"pain(ful|s)?|hurts?|hurting|hurt|aches?|aching|achy|sore(ness)?|tender(ness)?|"
    r"injur(y|ies|ed)|strain(ed)?|sprain(ed)?|tweak(ed)?|pulled|twinge|niggle|"
    r"limp(ing)?|swollen|swelling|tendinitis|tendonitis|tendinopathy|fasciitis|"
    r"shin splints?|stress (fracture|reaction)|fracture[ds]?|broke|throbbing|stabbing|"
    r"numb(ness)?|tingling|pins and needles|bruised"
)
_PAIN_RE = re.compile(rf"\b({_PAIN})\b", re.IGNORECASE)
_SORE_ONLY = re.compile(r"\b(sore(ness)?|aches?|aching|achy|tired|heavy)\b", re.IGNORECASE)
_MUSCLE_ONLY = frozenset({"quad", "hamstring", "calf", "core", "back", "shoulder"})
_GENERAL_LEGS = re.compile(r"\b(legs?|muscles?|body|quads?|glutes?|everything|doms)\b", re.I)

_ILLNESS = (
    r"fever(ish)?|temperature|high temp|flu|influenza|covid(-19)?|corona|sick|ill|unwell|"
    r"poorly|chills|shivers|a cold|head cold|cold symptoms|runny nose|sneez\w*|"
    r"sore throat|stuffy|blocked nose|congest\w*|sinus\w*|cough\w*|chest infection|"
    r"bronchitis|body aches?|aching all over|nause\w*|vomit\w*|throw(ing)? up|threw up|"
    r"diarrh\w*|stomach bug|food poisoning|gastro|migraine|headache|virus|infection"
)
_ILLNESS_RE = re.compile(rf"\b({_ILLNESS})\b", re.IGNORECASE)
_ABOVE_NECK = re.compile(
    r"\b(a cold|head cold|cold symptoms|runny nose|sneez\w*|sore throat|stuffy|blocked nose|"
    r"sinus\w*|headache)\b",
    re.IGNORECASE,
)

_URGENT = (
    (
        "chest pain",
        r"chest (pain|tightness|pressure|hurts?|is tight)|pain in (my|the) chest|"
        r"tight(ness)? in (my|the) chest|crushing chest",
    ),
    (
        "shortness of breath at rest",
        r"(short(ness)? of breath|can'?t (catch my |get my )?breath|"
        r"struggling to breathe|hard to breathe|breathless)(?! (on|during|after|when) (the )?"
        r"(run|hill|climb|interval|sprint|effort))",
    ),
    (
        "fainting",
        r"faint(ed|ing)?|passed out|blacked out|black(ed)? out|collaps(ed|e|ing)|"
        r"lost consciousness",
    ),
    (
        "palpitations",
        r"palpitations?|heart (racing|fluttering|skipping|irregular)|"
        r"irregular heart ?beat|racing heart",
    ),
)
_DOCTOR = (
    ("fever", r"fever(ish)?|temperature|high temp|chills|shivers"),
    ("flu", r"flu|influenza"),
    ("covid", r"covid(-19)?|corona(virus)?"),
    (
        "below-the-neck illness",
        r"chest infection|chest congestion|chesty|bronchitis|"
        r"body aches?|aching all over|vomit\w*|throw(ing)? up|threw up|diarrh\w*|"
        r"stomach bug|food poisoning|gastro|cough\w* up",
    ),
)
_PHYSIO = (
    (
        "bone pain",
        r"sharp|stabbing|shooting|bone|bony|pinpoint|one spot|locali[sz]ed|"
        r"point tender|tender to (the )?touch|stress (fracture|reaction)|fracture[ds]?",
    ),
    (
        "pain that worsens with running",
        r"worse (when|as|while|the more) (i )?(run|running|ran)|"
        r"(gets|getting|got) worse (when|as|while|during|on) (i )?(run|running|the run)|"
        r"hurts? more (when|as|the longer) (i )?run|worse (during|on) (the|my|each) runs?|"
        r"worse with (each|every) (step|run|stride)",
    ),
    ("swelling", r"swollen|swelling|swelled"),
    (
        "can't bear weight",
        r"can'?t (bear|put) weight|cannot (bear|put) weight|"
        r"can'?t (stand|walk) on it|limp(ing)?",
    ),
    ("numbness", r"numb(ness)?|tingling|pins and needles"),
)
_HYPERBOLE = re.compile(
    r"\b(going to|gonna|about to|felt like|feel like|like i('d| would)|almost|nearly|thought i'?d)"
    r"\s+(pass(ed)? out|faint|collapse|black out|die)",
    re.IGNORECASE,
)
_EFFORT_BREATH = re.compile(
    r"\b(out of breath|breathless|short of breath)\b.{0,30}\b(hill|climb|interval|sprint|"
    r"rep|tempo|stairs|effort|run|running)\b",
    re.IGNORECASE,
)
_RESOLVED = re.compile(
    r"\b(feels?|feeling|is|are|it'?s|its|was|now|all|much|back to|totally|fully|100%)\s*"
    r"(fine|better|good|great|ok|okay|normal|healed|recovered|fixed|sorted|gone|pain[- ]?free|"
    r"100%|back to normal)\b"
    r"|\b(no (more )?pain|pain[- ]?free|doesn'?t hurt( anymore| any more)?|"
    r"(stopped|stops) hurting|healed|recovered|over (it|the (flu|cold|bug|virus))|"
    r"fever'?s? (is )?gone|no (more |longer (a )?)?fever|no longer (sick|ill)|not sick anymore|"
    r"cleared (me|to run)|all clear|back to full health)\b",
    re.IGNORECASE,
)
_HEALTH_WORDS = re.compile(
    r"\b(better|recovered|healed|pain|sick|ill|fever|flu|cold|covid|injur\w*|hurt\w*|"
    r"all clear|cleared|100%|back to normal|niggle|symptoms?)\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[.!?;\n]+|,\s*(?:but|though|although|yet)\b|\bbut\b", re.IGNORECASE)


def _negated(clause: str, start: int, end: int) -> bool:
    before = clause[:start].split()[-4:]
    window = " ".join(before)
    if _NEGATORS.search(window):
        return True
    return bool(_FREE_AFTER.match(clause[end:]))


def _hits(pattern: re.Pattern[str], clause: str) -> list[re.Match[str]]:
    return [m for m in pattern.finditer(clause) if not _negated(clause, m.start(), m.end())]


def _flags(table: tuple[tuple[str, str], ...], clause: str) -> list[str]:
    found = []
    for name, pattern in table:
        for m in re.finditer(rf"\b(?:{pattern})", clause, re.IGNORECASE):
            if not _negated(clause, m.start(), m.end()):
                found.append(name)
                break
    return found


def classify(text: str) -> Finding:
    """Read ``text`` for pain, injury, illness, red flags and "it's better now"."""
    concern = Concern.NONE
    flags: list[str] = []
    areas: set[str] = set()
    resolved_areas: set[str] = set()
    resolved_all = False
    below_neck = bone = False
    evidence: list[str] = []
    triage = Triage.SELF_CARE

    for raw in _CLAUSES.split(text or ""):
        clause = (raw or "").strip()
        if not clause:
            continue
        clause_areas = areas_of(clause)
        if _RESOLVED.search(clause) and not _hits(_ILLNESS_RE, _RESOLVED.sub("", clause)):
            pain_left = _hits(_PAIN_RE, _RESOLVED.sub("", clause))
            if not pain_left:
                if clause_areas:
                    resolved_areas |= clause_areas
                    continue
                if _HEALTH_WORDS.search(clause):
                    resolved_all = True
                    continue
        urgent = [] if _HYPERBOLE.search(clause) else _flags(_URGENT, clause)
        if "shortness of breath at rest" in urgent and _EFFORT_BREATH.search(clause):
            urgent.remove("shortness of breath at rest")
        illness = _hits(_ILLNESS_RE, clause)
        pain = _hits(_PAIN_RE, clause)
        if urgent:
            flags += urgent
            evidence.append(clause)
            triage = Triage.URGENT
            concern = Concern.ILLNESS if concern is Concern.NONE else concern
            if "chest pain" in urgent:
                continue
        if illness:
            evidence.append(clause)
            doctor = _flags(_DOCTOR, clause)
            only_above = bool(_ABOVE_NECK.search(clause)) and not doctor
            if not only_above:
                below_neck = True
            if doctor:
                flags += doctor
                if triage.rank < Triage.DOCTOR.rank:
                    triage = Triage.DOCTOR
            if concern is Concern.NONE:
                concern = Concern.ILLNESS
        if pain:
            general = _GENERAL_LEGS.search(clause) and not (clause_areas - _MUSCLE_ONLY)
            soreness_only = all(_SORE_ONLY.fullmatch(m.group(0)) for m in pain)
            physio = _flags(_PHYSIO, clause)
            if soreness_only and (general or not clause_areas) and not physio:
                continue  # "legs are sore", "DOMS": training soreness, the memory's business
            evidence.append(clause)
            areas |= clause_areas
            concern = Concern.INJURY
            if physio:
                flags += physio
                if triage.rank < Triage.PHYSIO.rank:
                    triage = Triage.PHYSIO
                bone = bone or "bone pain" in physio
    flags = list(dict.fromkeys(flags))
    if concern is Concern.NONE and flags:
        concern = Concern.ILLNESS
    return Finding(
        concern=concern,
        triage=triage,
        areas=frozenset(areas),
        red_flags=tuple(flags),
        below_neck=below_neck,
        bone=bone,
        resolved_areas=frozenset(resolved_areas),
        resolved_all=resolved_all,
        evidence=tuple(dict.fromkeys(evidence)),
    )
