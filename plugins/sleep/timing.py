"""When sleep falls: the mid-sleep point and social jet lag.

**Mid-sleep** is sleep onset plus half the sleep duration, the phase marker of the Munich
ChronoType Questionnaire (Roenneberg T, Wirz-Justice A, Merrow M (2003), "Life between
clocks", J Biol Rhythms 18(1):80-90).

**Social jet lag** is |MSF − MSW|: the absolute difference between the mid-sleep on free
days and on workdays (Wittmann M, Dinich J, Merrow M, Roenneberg T (2006), "Social jetlag:
misalignment of biological and social time", Chronobiol Int 23(1-2):497-509). Convention
here: a night belongs to the day it ends on; it is a workday night when that day is one of
the athlete's workdays (sleep before work), a free night otherwise. MSW and MSF are the
circular means of each group's mid-sleep points, so nights either side of midnight average
correctly. (The MCTQ's sleep-corrected MSFsc is not used: that needs the week's average
sleep, which the debt already reports.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from momentum.plugins.sleep.clock import signed_difference, wrap
from momentum.plugins.sleep.regularity import clock_spread


def mid_sleep(onset: float, offset: float) -> float:
    """The clock time (minutes after midnight) halfway between onset and offset, both on
    one timeline in minutes (``offset`` after ``onset``)."""
    if offset < onset:
        raise ValueError("offset before onset")
    return wrap(onset + (offset - onset) / 2)


@dataclass(frozen=True)
class SocialJetLag:
    """Mid-sleep on workdays and free days (minutes after midnight) and |MSF − MSW|."""

    msw: float
    msf: float
    minutes: float


def social_jet_lag(work_mids: Iterable[float], free_mids: Iterable[float]) -> SocialJetLag | None:
    """|MSF − MSW| (Wittmann et al. 2006) from mid-sleep clock times of workday and free-day
    nights; ``None`` unless both kinds of night are there."""
    work, free = clock_spread(work_mids), clock_spread(free_mids)
    if work is None or free is None:
        return None
    return SocialJetLag(work.mean, free.mean, abs(signed_difference(free.mean, work.mean)))
