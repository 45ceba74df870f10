"""What a chat message changed: the tool calls' footprints, read back from storage.

Function calling is how the coach understands intent ("did 60 min strength" logs an
activity, "legs are tired" saves a reflection). The demo shows that by comparing what
storage holds before and after each reply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from momentum.core.ports.storage import Storage

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Footprint:
    """Ids of the records a reply could create."""

    reflections: frozenset[str]
    notes: frozenset[str]
    memory: frozenset[str]
    activities: frozenset[str]


def footprint(storage: Storage, athlete_id: str, activity_id: str | None = None) -> Footprint:
    """What storage holds now for the athlete (notes only for ``activity_id``)."""
    notes = storage.list_notes(athlete_id, activity_id) if activity_id else []
    return Footprint(
        reflections=frozenset(
            r.reflection_id for r in storage.list_reflections(athlete_id, EPOCH, END)
        ),
        notes=frozenset(n.note_id for n in notes),
        memory=frozenset(m.memory_id for m in storage.list_memory(athlete_id) if m.active),
        activities=frozenset(
            a.activity_id for a in storage.list_activities(athlete_id, EPOCH, END)
        ),
    )


def changes(
    storage: Storage, athlete_id: str, before: Footprint, activity_id: str | None = None
) -> list[str]:
    """One line per record the reply created, named after the tool that made it."""
    lines: list[str] = []
    for activity in storage.list_activities(athlete_id, EPOCH, END):
        if activity.activity_id not in before.activities:
            minutes = round(activity.moving_time_seconds / 60)
            detail = f", {activity.intensity}" if activity.intensity else ""
            lines.append(f"log_activity → {activity.activity_type}, {minutes} min{detail}")
    for reflection in storage.list_reflections(athlete_id, EPOCH, END):
        if reflection.reflection_id not in before.reflections:
            lines.append(f"save_reflection → “{reflection.text}”")
    if activity_id:
        for note in storage.list_notes(athlete_id, activity_id):
            if note.note_id not in before.notes:
                lines.append(f"save_activity_note → run {activity_id}: “{note.text}”")
    for item in storage.list_memory(athlete_id):
        if item.active and item.memory_id not in before.memory:
            lines.append(f"memory → {item.section.value}: {item.text}")
    return lines
