"""A thread-safe in-memory Storage. Records are kept as JSON text, as a real store would,
so aliasing bugs (mutating a returned record) can't hide."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading

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
    from_json,
    to_json,
)
from momentum.core.model.domain_plan import P, plan_key, with_version
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage


class InMemoryStorage(Storage):
    """Storage in dicts, guarded by one lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._athletes: dict[str, str] = {}
        self._activities: dict[tuple[str, str], str] = {}
        self._streams: dict[tuple[str, str], str] = {}
        self._plans: dict[tuple[str, str], str] = {}
        self._messages: dict[tuple[str, str], str] = {}
        self._reflections: dict[tuple[str, str], str] = {}
        self._notes: dict[tuple[str, str], str] = {}
        self._memory: dict[tuple[str, str], str] = {}
        self._usage: dict[str, str] = {}
        self._tokens: dict[tuple[str, str], str] = {}
        self._claims: dict[str, dt.datetime] = {}
        self._holders: dict[str, str] = {}
        """Who took each claim with :meth:`claim_as` (``""``: plain :meth:`claim`)."""
        self._zones: dict[str, set[str]] = {}
        """Zone -> athlete ids (the index :meth:`list_athletes_in_timezone` reads)."""
        self._identities: dict[tuple[str, str], str] = {}

    # athletes
    def put_athlete(self, profile: AthleteProfile) -> None:
        with self._lock:
            raw = self._athletes.get(profile.athlete_id)
            old = from_json(AthleteProfile, raw) if raw is not None else None
            if old is not None:
                self._unindex_zone(old)
                if old.chat_user_id and old.chat_user_id != profile.chat_user_id:
                    link = (CHAT_IDENTITY, old.chat_user_id)
                    if self._identities.get(link) == profile.athlete_id:
                        del self._identities[link]
            self._athletes[profile.athlete_id] = to_json(profile)
            self._zones.setdefault(profile.timezone, set()).add(profile.athlete_id)
            if profile.chat_user_id:
                self._identities[(CHAT_IDENTITY, profile.chat_user_id)] = profile.athlete_id

    def _unindex_zone(self, profile: AthleteProfile) -> None:
        members = self._zones.get(profile.timezone)
        if members is not None:
            members.discard(profile.athlete_id)
            if not members:
                del self._zones[profile.timezone]

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        with self._lock:
            raw = self._athletes.get(athlete_id)
        return from_json(AthleteProfile, raw) if raw else None

    def list_athletes(self) -> list[AthleteProfile]:
        with self._lock:
            rows = sorted(self._athletes.items())
        return [from_json(AthleteProfile, raw) for _, raw in rows]

    def delete_athlete(self, athlete_id: str) -> None:
        with self._lock:
            old = self._athletes.pop(athlete_id, None)
            if old is not None:
                self._unindex_zone(from_json(AthleteProfile, old))
            for link in [k for k, owner in self._identities.items() if owner == athlete_id]:
                del self._identities[link]
            for table in (
                self._plans,
                self._activities,
                self._streams,
                self._messages,
                self._reflections,
                self._notes,
                self._memory,
                self._tokens,
            ):
                for key in [k for k in table if k[0] == athlete_id]:
                    del table[key]
            # Usage is keyed by usage_id alone but is attached to the athlete too.
            for usage_id in [
                k
                for k, raw in self._usage.items()
                if from_json(LLMUsage, raw).athlete_id == athlete_id
            ]:
                del self._usage[usage_id]

    # activities
    def put_activity(self, activity: Activity) -> bool:
        stored = dataclasses.replace(activity, streams=None)
        key = (activity.athlete_id, activity.activity_id)
        with self._lock:
            is_new = key not in self._activities
            self._activities[key] = to_json(stored)
        return is_new

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        with self._lock:
            raw = self._activities.get((athlete_id, activity_id))
        return from_json(Activity, raw) if raw else None

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        with self._lock:
            rows = [raw for (a, _), raw in self._activities.items() if a == athlete_id]
        found = [from_json(Activity, raw) for raw in rows]
        return sorted(
            (a for a in found if start <= a.start < end and a.deleted_at is None),
            key=lambda a: (a.start, a.activity_id),
        )

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        with self._lock:
            self._streams.pop((athlete_id, activity_id), None)
            return self._activities.pop((athlete_id, activity_id), None) is not None

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        with self._lock:
            self._streams[(athlete_id, activity_id)] = to_json(streams)

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        with self._lock:
            raw = self._streams.get((athlete_id, activity_id))
        return from_json(Streams, raw) if raw else None

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        with self._lock:
            return sorted(
                key for aid, key in self._streams if aid == athlete_id and key.startswith(prefix)
            )

    # plans
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        key = (plan.athlete_id, plan_key(plan))
        with self._lock:
            raw = self._plans.get(key)
            current = int(json.loads(raw)["version"]) if raw else 0
            if expected_version is not None and current != expected_version:
                raise ConflictError(
                    f"plan for {plan.athlete_id} is at version {current}, not {expected_version}"
                )
            stored = with_version(plan, current + 1)
            self._plans[key] = to_json(stored)
            return stored

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        with self._lock:
            raw = self._plans.get((athlete_id, plan_key(kind)))
        return from_json(kind, raw) if raw else None

    # messages
    def put_message(self, message: Message) -> None:
        with self._lock:
            self._messages[(message.athlete_id, message.message_id)] = to_json(message)

    def put_message_if_absent(self, message: Message) -> bool:
        key = (message.athlete_id, message.message_id)
        with self._lock:
            if key in self._messages:
                return False
            self._messages[key] = to_json(message)
            return True

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        with self._lock:
            raw = self._messages.get((athlete_id, message_id))
        return from_json(Message, raw) if raw else None

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        with self._lock:
            rows = [raw for (a, _), raw in self._messages.items() if a == athlete_id]
        found = [from_json(Message, raw) for raw in rows]
        return sorted((m for m in found if start <= m.at < end), key=lambda m: m.at)

    # journal and memory
    def put_reflection(self, reflection: Reflection) -> None:
        with self._lock:
            key = (reflection.athlete_id, reflection.reflection_id)
            self._reflections[key] = to_json(reflection)

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        with self._lock:
            rows = [raw for (a, _), raw in self._reflections.items() if a == athlete_id]
        found = [from_json(Reflection, raw) for raw in rows]
        return sorted((r for r in found if start <= r.at < end), key=lambda r: r.at)

    def put_note(self, note: ActivityNote) -> None:
        with self._lock:
            self._notes[(note.athlete_id, note.note_id)] = to_json(note)

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        with self._lock:
            rows = [raw for (a, _), raw in self._notes.items() if a == athlete_id]
        found = [from_json(ActivityNote, raw) for raw in rows]
        return sorted((n for n in found if n.activity_id == activity_id), key=lambda n: n.at)

    def put_memory(self, item: MemoryItem) -> None:
        with self._lock:
            self._memory[(item.athlete_id, item.memory_id)] = to_json(item)

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        with self._lock:
            rows = [raw for (a, _), raw in self._memory.items() if a == athlete_id]
        return sorted((from_json(MemoryItem, raw) for raw in rows), key=lambda m: m.created)

    # usage
    def put_usage(self, usage: LLMUsage) -> None:
        with self._lock:
            self._usage[usage.usage_id] = to_json(usage)

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        with self._lock:
            rows = list(self._usage.values())
        found = [from_json(LLMUsage, raw) for raw in rows]
        return sorted(
            (
                u
                for u in found
                if start <= u.at < end and (athlete_id is None or u.athlete_id == athlete_id)
            ),
            key=lambda u: u.at,
        )

    # tokens
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        with self._lock:
            raw = self._tokens.get((athlete_id, provider))
        return from_json(OAuthToken, raw) if raw else None

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        key = (token.athlete_id, token.provider)
        with self._lock:
            raw = self._tokens.get(key)
            current = from_json(OAuthToken, raw).version if raw else 0
            if current != expected_version:
                raise ConflictError(
                    f"{token.provider} token for {token.athlete_id} is at version {current}"
                )
            stored = dataclasses.replace(token, version=current + 1)
            self._tokens[key] = to_json(stored)
            if token.provider_athlete_id:
                self._identities[(token.provider, token.provider_athlete_id)] = token.athlete_id
            return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        with self._lock:
            self._tokens.pop((athlete_id, provider), None)
            for link in [
                k
                for k, owner in self._identities.items()
                if k[0] == provider and owner == athlete_id
            ]:
                del self._identities[link]

    # idempotency
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        return self.claim_as(key, now, ttl, "")

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        with self._lock:
            expires = self._claims.get(key)
            mine = bool(holder) and self._holders.get(key) == holder
            if expires is not None and expires > now and not mine:
                return False
            self._claims[key] = now + ttl
            self._holders[key] = holder
            return True

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        with self._lock:
            self._claims[key] = now + ttl

    def release(self, key: str) -> None:
        with self._lock:
            self._claims.pop(key, None)
            self._holders.pop(key, None)

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Drop claims that expired by ``now``; returns how many."""
        with self._lock:
            expired = [key for key, until in self._claims.items() if until <= now]
            for key in expired:
                del self._claims[key]
                self._holders.pop(key, None)
        return len(expired)

    # time zones and identities
    def list_timezones(self) -> list[str]:
        with self._lock:
            return sorted(self._zones)

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        with self._lock:
            raws = [self._athletes[a] for a in sorted(self._zones.get(timezone, ()))]
        return [from_json(AthleteProfile, raw) for raw in raws]

    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        with self._lock:
            self._identities[(kind, external_id)] = athlete_id

    def find_identity(self, kind: str, external_id: str) -> str | None:
        with self._lock:
            return self._identities.get((kind, external_id))

    def unlink_identity(self, kind: str, external_id: str) -> None:
        with self._lock:
            self._identities.pop((kind, external_id), None)
