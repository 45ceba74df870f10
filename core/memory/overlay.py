"""A storage that reads through to another and keeps every write to itself.

Views (``momentum plan``, ``week``, ``checkin`` shown on demand) run the same coach code as
the scheduled jobs, and that code may build a plan, reconcile it or draft a message. Run on
an :class:`OverlayStorage`, those writes land in memory and vanish with the view: the stored
plan, its adjustments and every other table stay exactly as they were. Reads see the base
storage with the overlay's writes on top, so the view shows what the job *would* store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from momentum.core.memory.storage import InMemoryStorage
from momentum.core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    LLMUsage,
    MemoryItem,
    Message,
    OAuthToken,
    Reflection,
    Streams,
)
from momentum.core.model.domain_plan import P, plan_key, with_version
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage

T = TypeVar("T")


def _merged(base: Iterable[T], top: Iterable[T], key: Callable[[T], object]) -> list[T]:
    """``base`` with ``top``'s items replacing those with the same key (and added)."""
    out = {key(item): item for item in base}
    out.update((key(item), item) for item in top)
    return list(out.values())


class OverlayStorage(Storage):
    """Reads from ``base`` overlaid with this storage's own writes; never writes ``base``."""

    def __init__(self, base: Storage) -> None:
        self.base = base
        self.top = InMemoryStorage()
        self._gone: set[tuple[str, ...]] = set()
        self._plans: dict[tuple[str, str], object] = {}
        self._tokens: dict[tuple[str, str], OAuthToken] = {}
        self._erased: set[str] = set()
        """Athletes deleted in the overlay: none of their base data shows any more."""
        self._lock = threading.RLock()

    def _in_base(self, athlete_id: str | None) -> bool:
        return athlete_id not in self._erased

    # athletes
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Keep the profile in the overlay."""
        self._gone.discard(("athlete", profile.athlete_id))
        self.top.put_athlete(profile)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        """The overlay's profile, else the base's."""
        if ("athlete", athlete_id) in self._gone:
            return None
        found = self.top.get_athlete(athlete_id)
        if found is None and self._in_base(athlete_id):
            found = self.base.get_athlete(athlete_id)
        return found

    def list_athletes(self) -> list[AthleteProfile]:
        """Both storages' athletes, the overlay's winning."""
        base = [a for a in self.base.list_athletes() if self._in_base(a.athlete_id)]
        found = _merged(base, self.top.list_athletes(), lambda a: a.athlete_id)
        return [a for a in found if ("athlete", a.athlete_id) not in self._gone]

    def delete_athlete(self, athlete_id: str) -> None:
        """Hide the athlete in the overlay."""
        with self._lock:
            self._erased.add(athlete_id)
            self.top.delete_athlete(athlete_id)
            for key in [k for k in self._plans if k[0] == athlete_id]:
                del self._plans[key]
            for key in [k for k in self._tokens if k[0] == athlete_id]:
                del self._tokens[key]

    # activities
    def put_activity(self, activity: Activity) -> bool:
        """Keep the activity in the overlay; ``True`` when neither storage had it."""
        known = self.get_activity(activity.athlete_id, activity.activity_id) is not None
        self._gone.discard(("activity", activity.athlete_id, activity.activity_id))
        self.top.put_activity(activity)
        return not known

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """The overlay's activity, else the base's."""
        if ("activity", athlete_id, activity_id) in self._gone:
            return None
        found = self.top.get_activity(athlete_id, activity_id)
        if found is None and self._in_base(athlete_id):
            found = self.base.get_activity(athlete_id, activity_id)
        return found

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """Both storages' activities in the window, oldest first."""
        found = _merged(
            self.base.list_activities(athlete_id, start, end) if self._in_base(athlete_id) else [],
            self.top.list_activities(athlete_id, start, end),
            lambda a: a.activity_id,
        )
        kept = [
            a
            for a in found
            if ("activity", athlete_id, a.activity_id) not in self._gone
            and not self._deleted_on_top(athlete_id, a.activity_id)
        ]
        return sorted(kept, key=lambda a: a.start)

    def _deleted_on_top(self, athlete_id: str, activity_id: str) -> bool:
        """Marked deleted in the overlay (the base's list would still show it)."""
        top = self.top.get_activity(athlete_id, activity_id)
        return top is not None and top.deleted_at is not None

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Hide the activity in the overlay."""
        existed = self.get_activity(athlete_id, activity_id) is not None
        self._gone.add(("activity", athlete_id, activity_id))
        self.top.delete_activity(athlete_id, activity_id)
        return existed

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Keep the streams in the overlay."""
        self.top.put_streams(athlete_id, activity_id, streams)

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """The overlay's streams, else the base's."""
        found = self.top.get_streams(athlete_id, activity_id)
        if found is None and self._in_base(athlete_id):
            found = self.base.get_streams(athlete_id, activity_id)
        return found

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        """The overlay's keys and, unless the athlete was dropped here, the base's."""
        keys = set(self.top.list_stream_keys(athlete_id, prefix))
        if self._in_base(athlete_id):
            keys.update(self.base.list_stream_keys(athlete_id, prefix))
        return sorted(keys)

    # plans
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """Keep the plan in the overlay, with the same version check as a real storage."""
        with self._lock:
            current = self.get_plan(type(plan), plan.athlete_id)
            version = current.version if current is not None else 0
            if expected_version is not None and version != expected_version:
                raise ConflictError(
                    f"plan for {plan.athlete_id} is at version {version}, not {expected_version}"
                )
            stored = with_version(plan, version + 1)
            self._plans[(plan.athlete_id, plan_key(plan))] = stored
            return stored

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        """The overlay's plan, else the base's."""
        found = self._plans.get((athlete_id, plan_key(kind)))
        if isinstance(found, kind):
            return found
        return self.base.get_plan(kind, athlete_id) if self._in_base(athlete_id) else None

    # messages
    def put_message(self, message: Message) -> None:
        """Keep the message in the overlay."""
        self.top.put_message(message)

    def put_message_if_absent(self, message: Message) -> bool:
        """Keep the message unless either storage has one with its id."""
        with self._lock:
            if self.get_message(message.athlete_id, message.message_id) is not None:
                return False
            return self.top.put_message_if_absent(message)

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """The overlay's message, else the base's."""
        found = self.top.get_message(athlete_id, message_id)
        if found is None and self._in_base(athlete_id):
            found = self.base.get_message(athlete_id, message_id)
        return found

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """Both storages' messages in the window, oldest first."""
        found = _merged(
            self.base.list_messages(athlete_id, start, end) if self._in_base(athlete_id) else [],
            self.top.list_messages(athlete_id, start, end),
            lambda m: m.message_id,
        )
        return sorted(found, key=lambda m: m.at)

    # journal
    def put_reflection(self, reflection: Reflection) -> None:
        """Keep the reflection in the overlay."""
        self.top.put_reflection(reflection)

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """Both storages' reflections in the window, oldest first."""
        found = _merged(
            self.base.list_reflections(athlete_id, start, end) if self._in_base(athlete_id) else [],
            self.top.list_reflections(athlete_id, start, end),
            lambda r: r.reflection_id,
        )
        return sorted(found, key=lambda r: r.at)

    def put_note(self, note: ActivityNote) -> None:
        """Keep the note in the overlay."""
        self.top.put_note(note)

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """Both storages' notes on the activity, oldest first."""
        found = _merged(
            self.base.list_notes(athlete_id, activity_id) if self._in_base(athlete_id) else [],
            self.top.list_notes(athlete_id, activity_id),
            lambda n: n.note_id,
        )
        return sorted(found, key=lambda n: n.at)

    def put_memory(self, item: MemoryItem) -> None:
        """Keep the memory item in the overlay."""
        self.top.put_memory(item)

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """Both storages' memory, the overlay's version of an item winning."""
        return _merged(
            self.base.list_memory(athlete_id) if self._in_base(athlete_id) else [],
            self.top.list_memory(athlete_id),
            lambda m: m.memory_id,
        )

    # usage
    def put_usage(self, usage: LLMUsage) -> None:
        """Keep the usage record in the overlay."""
        self.top.put_usage(usage)

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """Both storages' usage in the window, oldest first."""
        found = _merged(
            [
                u
                for u in self.base.list_usage(athlete_id, start, end)
                if self._in_base(u.athlete_id)
            ],
            self.top.list_usage(athlete_id, start, end),
            lambda u: u.usage_id,
        )
        return sorted(found, key=lambda u: u.at)

    # tokens
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """The overlay's token, else the base's."""
        if ("token", athlete_id, provider) in self._gone:
            return None
        return self._tokens.get((athlete_id, provider)) or self.base.get_token(athlete_id, provider)

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Keep the token in the overlay, with the same version check."""
        with self._lock:
            current = self.get_token(token.athlete_id, token.provider)
            version = current.version if current is not None else 0
            if version != expected_version:
                raise ConflictError(
                    f"{token.provider} token for {token.athlete_id} is at {version}"
                )
            self._gone.discard(("token", token.athlete_id, token.provider))
            stored = dataclasses.replace(token, version=version + 1)
            self._tokens[(token.athlete_id, token.provider)] = stored
            return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Hide the token in the overlay."""
        self._gone.add(("token", athlete_id, provider))
        self._tokens.pop((athlete_id, provider), None)

    # claims
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Claim in the overlay only: a view never holds a job's claim."""
        return self.top.claim(key, now, ttl)

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        """Claim in the overlay only, as ``holder``."""
        return self.top.claim_as(key, now, ttl, holder)

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """Extend an overlay claim."""
        self.top.extend_claim(key, now, ttl)

    def release(self, key: str) -> None:
        """Release an overlay claim."""
        self.top.release(key)

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Purge the overlay's own expired claims (the base is never written)."""
        return self.top.purge_expired_claims(now)

    # time zones and identities (views read them; scans are fine for a view)
    def list_timezones(self) -> list[str]:
        """The zones of the athletes a view sees."""
        return sorted({athlete.timezone for athlete in self.list_athletes()})

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """The athletes a view sees in ``timezone``, by id."""
        found = [a for a in self.list_athletes() if a.timezone == timezone]
        return sorted(found, key=lambda a: a.athlete_id)

    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """Link in the overlay only."""
        with self._lock:
            self._gone.discard(("link", kind, external_id))
        self.top.link_identity(kind, external_id, athlete_id)

    def find_identity(self, kind: str, external_id: str) -> str | None:
        """The overlay's link, else the base's, as long as the overlay's own records (a
        changed chat user, a replaced or deleted token, an erased athlete) still agree."""
        if ("link", kind, external_id) in self._gone:
            return None
        for (athlete_id, provider), token in list(self._tokens.items()):
            if provider == kind and token.provider_athlete_id == external_id:
                return athlete_id
        found = self.top.find_identity(kind, external_id)
        if found is None:
            found = self.base.find_identity(kind, external_id)
            if found is None or not self._in_base(found):
                return None
        if kind == CHAT_IDENTITY:
            athlete = self.get_athlete(found)
            return found if athlete is not None and athlete.chat_user_id == external_id else None
        if ("token", found, kind) in self._gone:
            return None
        held = self.get_token(found, kind)
        return found if held is None or held.provider_athlete_id == external_id else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Hide the link in the overlay."""
        with self._lock:
            self._gone.add(("link", kind, external_id))
        self.top.unlink_identity(kind, external_id)
