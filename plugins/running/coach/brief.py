"""Running's part of a message of core's coach loop: a :class:`~momentum.Brief` that also
carries how to draft running's words once the loop has decided the tone and gathered the
other domains' facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from momentum.core.plugins.types import Brief

if TYPE_CHECKING:
    from momentum.core.coach.state import MotivationState
    from momentum.plugins.running.coach.writer import Draft

Compose = Callable[[dict[str, str], "MotivationState"], "Draft"]
"""``(every domain's facts, the loop's tone) -> Draft``: running's prompt for the words."""


@dataclass(frozen=True)
class RunningBrief(Brief):
    """A running Brief with its draft-maker; core reads only the Brief fields."""

    compose: Compose | None = field(default=None, compare=False, repr=False)
