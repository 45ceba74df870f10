"""Facts-driven sentence selection for the offline composer: fresh, true, in the athlete's style.

A *slot* (``checkin.low.prime``, ``review.easy`` …) holds phrases per coaching style. A
phrase is a sentence pattern: ``[a|b|c]`` groups expand to every combination, and
``{fact}`` fields are filled from the prompt's facts. A phrase is a candidate only when

* every ``{fact}`` it names is known and not empty, and
* its precondition (``when``) holds for the facts: "momentum is real" needs two or more
  runs banked, "aerobic" needs an easy run;

so what it says is true by construction. Among the candidates the choice is deterministic
(a hash of the athlete, the day and the slot) but skips every sentence the athlete read
lately (``avoid``, the coach's sentences of the last :data:`AVOID_DAYS` days); when all
were read, the one read longest ago. With at least as many candidates as a slot is used in
:data:`FRESH_DAYS` days, no sentence comes back within them.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

FRESH_DAYS = 14
"""A sentence is never repeated to the same athlete within this many days."""
AVOID_DAYS = 31
"""How far back the coach's own sentences are read to stay fresh."""
STYLES = ("encouraging", "analytical", "tough_love")

Facts = Mapping[str, str]


def _always(facts: Facts) -> bool:
    return True


@dataclass(frozen=True)
class Phrase:
    """One sentence pattern and when it may be said."""

    pattern: str
    when: Callable[[Facts], bool] = field(default=_always)

    def variants(self) -> list[str]:
        """Every sentence ``[a|b]`` groups expand to (facts still unfilled)."""
        parts = re.split(r"(\[[^\[\]]*\])", self.pattern)
        options = [p[1:-1].split("|") if p.startswith("[") else [p] for p in parts]
        return ["".join(combo) for combo in itertools.product(*options)]


def fields_of(text: str) -> set[str]:
    """The ``{fact}`` names a pattern uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (what freshness is judged on)."""
    parts = re.split(r"(?<=[.?!])\s+|\n+", text.strip())
    return [" ".join(p.split()) for p in parts if p.strip()]


def _digest(seed: str) -> int:
    return int(hashlib.sha256(seed.encode()).hexdigest(), 16)


def candidates(phrases: Iterable[Phrase], facts: Facts) -> list[str]:
    """The sentences ``phrases`` can say truthfully with ``facts``, filled in."""
    found: list[str] = []
    for phrase in phrases:
        if not phrase.when(facts):
            continue
        for variant in phrase.variants():
            names = fields_of(variant)
            if any(not facts.get(name) for name in names):
                continue
            found.append(variant.format_map({n: facts[n] for n in names}))
    return list(dict.fromkeys(found))


def choose_from(options: Sequence[str], seed: str, avoid: Sequence[str]) -> str:
    """One of ``options`` for ``seed``: the first (from a seeded start) none of whose
    sentences is in ``avoid`` (sentences read lately, newest first); if every option was
    read lately, the one read longest ago."""
    if not options:
        return ""
    age: dict[str, int] = {}
    for index, sentence in enumerate(avoid):
        age.setdefault(sentence, index)
    start = _digest(seed) % len(options)
    ordered = [*options[start:], *options[:start]]
    for option in ordered:
        if not any(s in age for s in sentences(option)):
            return option
    return max(ordered, key=lambda o: min(age.get(s, len(avoid)) for s in sentences(o)))


def choose(slot: str, facts: Facts, avoid: Sequence[str] = (), seed: str = "") -> str:
    """A sentence for ``slot`` in the facts' style (``""`` when none fits)."""
    from momentum.plugins.running.coach.phrasing.bank import BANK

    styles = BANK.get(slot)
    if styles is None:
        raise KeyError(f"no phrase slot {slot!r}")
    style = facts.get("style") or "encouraging"
    phrases = [*styles.get(style, styles.get("encouraging", ())), *styles.get("any", ())]
    options = candidates(phrases, facts)
    return choose_from(options, f"{seed}|{slot}|{style}", avoid)
