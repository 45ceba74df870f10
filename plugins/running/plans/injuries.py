"""Injury words to body areas, so sessions can avoid loading what hurts.

The mapping follows common sports-medicine groupings of running injuries (e.g. Achilles
tendinopathy loads the calf–Achilles complex; patellofemoral pain and IT-band syndrome
present at the knee; plantar fasciitis at the foot). It is deliberately conservative: a
word maps to every area an exercise for it would stress.
"""

from __future__ import annotations

import re

AREAS = (
    "foot",
    "ankle",
    "achilles",
    "calf",
    "shin",
    "knee",
    "quad",
    "hamstring",
    "hip",
    "groin",
    "back",
    "core",
    "shoulder",
    "wrist",
    "impact",
)
"""Body areas exercises declare in ``Exercise.loads``. ``impact`` is not a body part: jumping
drills declare it, and a bone-stress history (stress fracture or reaction) rules it out,
because repeated landing loads are what bone stress injuries come from (Warden et al.
2014, "Management and prevention of bone stress injuries in long-distance runners")."""

_KEYWORDS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("achilles",), frozenset({"achilles", "calf"})),
    (("calf", "calves", "soleus", "gastroc"), frozenset({"calf", "achilles"})),
    (("shin", "tibia", "splint"), frozenset({"shin", "calf"})),
    (("plantar", "foot", "feet", "heel", "toe", "metatars", "arch"), frozenset({"foot"})),
    (("ankle",), frozenset({"ankle", "foot"})),
    (("knee", "patell", "it band", "itb", "iliotibial", "meniscus", "acl"), frozenset({"knee"})),
    (("quad",), frozenset({"quad", "knee"})),
    (("hamstring", "hammy"), frozenset({"hamstring"})),
    (("hip", "glute", "piriformis", "flexor"), frozenset({"hip"})),
    (("groin", "adductor"), frozenset({"groin", "hip"})),
    (("back", "lumbar", "spine", "sciatic"), frozenset({"back"})),
    (("abdom", "core", "oblique", "rib"), frozenset({"core"})),
    (("shoulder", "rotator"), frozenset({"shoulder"})),
    (("wrist", "hand", "elbow"), frozenset({"wrist"})),
    (("stress fracture", "stress reaction", "bone stress", "fracture"), frozenset({"impact"})),
)

LOWER_LIMB = frozenset(
    {"foot", "ankle", "achilles", "calf", "shin", "knee", "quad", "hamstring", "hip", "groin"}
)
"""Areas that running itself loads: with one of these injured, fast running is avoided."""


def areas_of(text: str) -> set[str]:
    """Body areas named in ``text`` (e.g. ``"left calf strain"`` → ``{"calf", "achilles"}``).

    Words match at the start of a word ("hip" in "hip flexor", not in "ship"). An area name
    itself (``"knee"``) maps to itself; unknown words map to nothing.
    """
    lowered = text.lower()
    found: set[str] = set()
    for words, areas in _KEYWORDS:
        if any(re.search(r"\b" + re.escape(word), lowered) for word in words):
            found |= areas
    found |= {area for area in AREAS if re.search(r"\b" + area, lowered)}
    return found


def affects_running(areas: set[str] | frozenset[str]) -> bool:
    """True when an injured area is one running loads."""
    return bool(set(areas) & LOWER_LIMB)
