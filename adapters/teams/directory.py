"""Who is writing: a Teams account → the athlete whose ``chat_user_id`` it is."""

from __future__ import annotations

from momentum.adapters.teams.activity import Activity
from momentum.core.model import AthleteProfile
from momentum.core.ports.storage import CHAT_IDENTITY, Storage


def athlete_for(storage: Storage, activity: Activity) -> AthleteProfile | None:
    """The athlete whose chat user id is the sender's Teams id (``29:…``) or Entra object
    id, or ``None`` for a stranger. The profile must still name that id, so a stale
    identity link can't answer for someone else."""
    for user_id in (activity.from_id, activity.from_aad_id):
        if not user_id:
            continue
        athlete_id = storage.find_identity(CHAT_IDENTITY, user_id)
        if athlete_id is None:
            continue
        athlete = storage.get_athlete(athlete_id)
        if athlete is not None and athlete.chat_user_id == user_id:
            return athlete
    return None


def stranger_reply(user_id: str) -> str:
    """The polite answer to someone the coach doesn't know (nothing about them is kept)."""
    return (
        "Hi! I'm a personal coach, and I only coach the athletes I was set up for, "
        "so I can't help here. If this should be you, ask whoever runs me to put your "
        f"Teams user id ({user_id}) in your athlete profile."
    )
