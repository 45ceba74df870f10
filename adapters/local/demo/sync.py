"""Sync the simulated history into the coach, as a data source would, up to a moment.

Each session becomes an activity record (the real analytics) and is stored with its
streams. Ids are stable for a seed and storage upserts by id, so syncing the same history
again, or running the demo twice on one home, never duplicates anything; records already
stored are not rebuilt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from momentum.adapters.local.demo.history import History, Session
from momentum.adapters.local.demo.records import activity_for
from momentum.core.app import App


@dataclass
class HistorySync:
    """Feeds ``history`` into ``app`` in time order; remembers what it already stored."""

    app: App
    history: History
    synced: set[str] = field(default_factory=set)
    new_records: int = 0

    @property
    def athlete_id(self) -> str:
        """The demo athlete's id."""
        return self.history.athlete.athlete_id

    def until(self, at: dt.datetime, *, hold: frozenset[str] = frozenset()) -> list[str]:
        """Store every recorded session that finished by ``at`` (except ids in ``hold``);
        returns the ids stored by this call."""
        stored = []
        for session in self.history.recorded():
            if session.end > at or session.activity_id in self.synced:
                continue
            if session.activity_id in hold:
                continue
            self.store(session)
            stored.append(session.activity_id)
        return stored

    def store(self, session: Session) -> str:
        """Build and store one session's activity record and streams; its id. A record
        already in storage (an earlier run of the demo) is left as it is."""
        if self.app.storage.get_activity(self.athlete_id, session.activity_id) is not None:
            self.synced.add(session.activity_id)
            return session.activity_id
        activity = activity_for(session, self.history.athlete)
        if activity.streams is not None:
            self.app.storage.put_streams(self.athlete_id, activity.activity_id, activity.streams)
        if self.app.storage.put_activity(activity):
            self.new_records += 1
        self.synced.add(session.activity_id)
        return activity.activity_id

    def session_on(self, day: dt.date, kind: str) -> Session:
        """The recorded session of ``kind`` on local ``day`` (the demo script names them)."""
        for session in self.history.recorded():
            if session.entry.day == day and session.kind == kind:
                return session
        raise LookupError(f"demo script: no {kind} session on {day} in the history")
