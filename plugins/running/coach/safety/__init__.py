"""The safety layer: rules in code, before any model, for pain, injury and illness.

* :mod:`.classify` reads words (chat, a run's notes) for pain, illness and red flags, with
  negation handling;
* :mod:`.records` keeps what was reported (body areas, date, status, the words);
* :mod:`.rules` and :mod:`.overlay` decide what each coming day's session becomes (rest,
  non-impact cross-training, a graded return) and fit the stored plan to it;
* :mod:`.words` says it plainly; :mod:`.guard` checks any model's final text against it;
* :mod:`.flow` wires it to storage and the coach.
"""

from __future__ import annotations

from momentum.plugins.running.coach.safety.classify import Concern, Finding, Triage, classify
from momentum.plugins.running.coach.safety.flow import SafetyDay, Screened, day_of, overlay, screen

__all__ = [
    "Concern",
    "Finding",
    "SafetyDay",
    "Screened",
    "Triage",
    "classify",
    "day_of",
    "overlay",
    "screen",
]
