"""The Storage port: every record Momentum keeps, behind one small interface.

Every write is idempotent (an upsert keyed by the record's id) or conditional
(``claim``, ``put_token`` with an expected version, ``put_message_if_absent``). Range
queries are by athlete and time, so a key-value store answers them without a scan.
The contract suite in ``tests/contract`` runs against every implementation.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Sequence

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
from momentum.core.model.domain_plan import P

CHAT_IDENTITY = "chat"
"""The identity kind every store links a profile's ``chat_user_id`` under (one chat platform
per coach). OAuth tokens link ``(token.provider, token.provider_athlete_id)``."""


class ConflictError(Exception):
    """A conditional write lost: someone else wrote first. Re-read and retry or give up."""


class Storage(abc.ABC):
    """Persistence for athletes and everything attached to them."""

    # athletes -----------------------------------------------------------------
    @abc.abstractmethod
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Insert or replace an athlete profile."""

    @abc.abstractmethod
    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        """One athlete, or ``None``."""

    @abc.abstractmethod
    def list_athletes(self) -> list[AthleteProfile]:
        """All athletes, ordered by id."""

    @abc.abstractmethod
    def delete_athlete(self, athlete_id: str) -> None:
        """Remove an athlete and every record attached to them."""

    # activities ---------------------------------------------------------------
    @abc.abstractmethod
    def put_activity(self, activity: Activity) -> bool:
        """Upsert by (athlete_id, activity_id). Streams are stored apart (``put_streams``)
        and are not kept on the stored record. Returns True if the record was new."""

    @abc.abstractmethod
    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """One activity (without streams), or ``None``."""

    @abc.abstractmethod
    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """Activities with ``start <= activity.start < end``, oldest first, leaving out
        those marked deleted (``Activity.deleted_at``; :meth:`get_activity` still returns
        them, so they can be restored or purged)."""

    @abc.abstractmethod
    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Delete an activity and its streams. Returns True if it existed."""

    @abc.abstractmethod
    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Store an activity's raw streams (large; object storage on clouds)."""

    @abc.abstractmethod
    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """An activity's streams, or ``None``."""

    def get_many_streams(self, athlete_id: str, keys: Sequence[str]) -> dict[str, Streams]:
        """The streams kept under each of ``keys`` that has some (keys with none are left
        out): what :meth:`get_streams` would return for each, in as few reads as the store
        allows. Daily observations read weeks of days this way
        (:func:`momentum.core.observations.read_days`).

        This default asks :meth:`get_streams` once per key; a store that can answer a batch
        in one query (SQL's ``IN``) overrides it."""
        found: dict[str, Streams] = {}
        for key in dict.fromkeys(keys):
            streams = self.get_streams(athlete_id, key)
            if streams is not None:
                found[key] = streams
        return found

    @abc.abstractmethod
    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        """The keys under which the athlete has streams (activity ids, and daily
        observations' ``<source>:<kind>:<day>``) that start with ``prefix``, in ascending
        order. Copying a coach to another store uses it to find the observations."""

    # plans ----------------------------------------------------------------------
    @abc.abstractmethod
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """Store the athlete's current plan of ``plan``'s domain (a
        :class:`~momentum.core.model.DomainPlan`, keyed by its type's ``plan_key``) with
        ``version`` bumped by one; returns it as stored.

        With ``expected_version``, the write succeeds only if the stored plan has that
        version (``0`` = no plan yet); otherwise :class:`ConflictError`.
        """

    @abc.abstractmethod
    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        """The athlete's current plan of type ``kind`` (the domain's plan record), or
        ``None``."""

    # messages -----------------------------------------------------------------
    @abc.abstractmethod
    def put_message(self, message: Message) -> None:
        """Upsert a message by (athlete_id, message_id)."""

    @abc.abstractmethod
    def put_message_if_absent(self, message: Message) -> bool:
        """Store only if no message has this id. Returns False if one already did."""

    @abc.abstractmethod
    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """One message, or ``None``."""

    @abc.abstractmethod
    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """Messages with ``start <= at < end``, oldest first."""

    # journal and memory ---------------------------------------------------------
    @abc.abstractmethod
    def put_reflection(self, reflection: Reflection) -> None:
        """Upsert a reflection by id."""

    @abc.abstractmethod
    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """Reflections with ``start <= at < end``, oldest first."""

    @abc.abstractmethod
    def put_note(self, note: ActivityNote) -> None:
        """Upsert an activity note by id."""

    @abc.abstractmethod
    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """Notes on one activity, oldest first."""

    @abc.abstractmethod
    def put_memory(self, item: MemoryItem) -> None:
        """Upsert a memory item by id."""

    @abc.abstractmethod
    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """All memory items (active or not), oldest first."""

    # usage ----------------------------------------------------------------------
    @abc.abstractmethod
    def put_usage(self, usage: LLMUsage) -> None:
        """Record one model call (upsert by id)."""

    @abc.abstractmethod
    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """Usage with ``start <= at < end`` for one athlete, or all when ``None``."""

    # oauth tokens ---------------------------------------------------------------
    @abc.abstractmethod
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """The stored token set, or ``None``."""

    @abc.abstractmethod
    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Store ``token`` as version ``expected_version + 1`` if the stored version is
        ``expected_version`` (``0`` = none stored); else :class:`ConflictError`."""

    @abc.abstractmethod
    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Forget a token set (deauthorisation)."""

    # idempotency ----------------------------------------------------------------
    @abc.abstractmethod
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Atomically claim ``key``. True for the first caller; False while an earlier
        claim is held and unexpired. Claims expire after ``ttl``."""

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        """Claim ``key`` as a lease on work in progress, held by ``holder`` (a durable
        job's id, stable across its deliveries; see
        :func:`momentum.core.runtime.claims.holding`). Like :meth:`claim`, and also True
        when the live claim on ``key`` is one ``holder`` itself took: the same job,
        delivered again after its process died mid-work, takes its lease back at once.

        A store that records no holders ignores ``holder`` (this default): the claim then
        frees only when its lease lapses, which is right where the platform redelivers
        only after a timeout (Lambda, Azure queues). ``holder`` ``""`` is plain
        :meth:`claim`."""
        return self.claim(key, now, ttl)

    @abc.abstractmethod
    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """Set the claim the caller holds on ``key`` to expire at ``now + ttl``, in one
        write (creating it if it is gone). Turning a short run lease into a long "done"
        claim must never leave a gap in which another process could claim ``key``."""

    @abc.abstractmethod
    def release(self, key: str) -> None:
        """Drop a claim so a redelivery is processed (used when the work failed)."""

    @abc.abstractmethod
    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete claims that expired before ``now`` (housekeeping); returns how many.

        Expiry is always checked in :meth:`claim`; a store whose platform sweeps expired
        items itself (DynamoDB's TTL) may do nothing here and return 0.
        """

    # time zones (the 15-minute tick) ----------------------------------------------------
    @abc.abstractmethod
    def list_timezones(self) -> list[str]:
        """The distinct IANA zones that have at least one athlete, sorted: one small read
        (a directory kept up to date by :meth:`put_athlete` and :meth:`delete_athlete`)."""

    @abc.abstractmethod
    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """Athletes whose profile timezone is ``timezone``, ordered by id: one query on an
        index keyed by zone, never a scan of all athletes. Kept right when a profile's
        zone changes or it is deleted."""

    # identities (webhooks find their athlete in one read) -------------------------------
    @abc.abstractmethod
    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """Every store links two kinds itself: :meth:`put_athlete` links
        ``(CHAT_IDENTITY, profile.chat_user_id)`` (and drops the old one when it changes),
        :meth:`put_token` links ``(token.provider, token.provider_athlete_id)`` and
        :meth:`delete_token` drops it.

        Record that ``external_id`` on platform ``kind`` (``slack``, ``teams``, a data source ...)
        is ``athlete_id``; replaces an earlier link of the same external id."""

    @abc.abstractmethod
    def find_identity(self, kind: str, external_id: str) -> str | None:
        """The athlete linked to ``(kind, external_id)``, or ``None``: one read."""

    @abc.abstractmethod
    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Forget a link (nothing happens when there is none). :meth:`delete_athlete`
        removes all of an athlete's links."""
