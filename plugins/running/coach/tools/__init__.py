"""The chat tools the model may call, each bound to one athlete through ``ToolContext``.

Function calling is how the coach understands intent: "did 60 min strength, totally
gassed" becomes ``log_activity(duration=60, intensity=hard)``; "legs are tired, should I
rest?" becomes ``save_reflection`` plus ``coaching_question``. Every tool reads and writes
only ``ctx.athlete_id``'s records: no schema declares an athlete, unknown arguments are
refused, and activities are looked up under the context's athlete, so a prompt-injected
call cannot reach anyone else.
"""

from __future__ import annotations

from momentum.core.plugins.types import Tool
from momentum.plugins.running.coach.tools.activity import LOG_ACTIVITY, log_activity
from momentum.plugins.running.coach.tools.coaching import (
    ADJUST_SESSION,
    COACHING_QUESTION,
    adjust_session,
    coaching_question,
)
from momentum.plugins.running.coach.tools.common import bound, local_today, parse_day
from momentum.plugins.running.coach.tools.health import REPORT_HEALTH, report_health
from momentum.plugins.running.coach.tools.journal import (
    REMEMBER,
    SAVE_ACTIVITY_NOTE,
    SAVE_REFLECTION,
    remember,
    save_activity_note,
    save_reflection,
)
from momentum.plugins.running.coach.tools.moves import MOVE_SESSION, move_session
from momentum.plugins.running.coach.tools.profile import UPDATE_PROFILE, update_profile
from momentum.plugins.running.coach.tools.races import (
    ADD_RACE_RESULT,
    SET_GOAL_RACE,
    add_race_result,
    set_goal_race,
)

__all__ = ["builtin_tools", "local_today", "parse_day"]


def builtin_tools() -> list[Tool]:
    """log_activity, save_reflection, save_activity_note, coaching_question,
    update_profile, adjust_session, remember, move_session, add_race_result and
    set_goal_race."""
    return [
        bound(LOG_ACTIVITY, log_activity),
        bound(SAVE_REFLECTION, save_reflection),
        bound(SAVE_ACTIVITY_NOTE, save_activity_note),
        bound(COACHING_QUESTION, coaching_question),
        bound(REPORT_HEALTH, report_health),  # pain, illness, "it's better": the safety layer
        bound(UPDATE_PROFILE, update_profile),
        bound(ADJUST_SESSION, adjust_session),
        bound(REMEMBER, remember),
        bound(MOVE_SESSION, move_session),
        bound(ADD_RACE_RESULT, add_race_result),
        bound(SET_GOAL_RACE, set_goal_race),
    ]
