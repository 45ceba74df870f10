"""The zone directory, identity links and claims of :class:`~momentum.core.storage_kv.
KvStorage` (see :mod:`momentum.core.storage_kv.layout` for where they sit).

- :meth:`list_timezones` is one query on the small ``ZONES`` partition (entries whose
  counter is above zero); :meth:`list_athletes_in_timezone` is one query on ``gsi1``.
- :meth:`find_identity` is one get.
- A zone counter moves by exactly the change one ``put_athlete`` or ``delete_athlete``
  made (the put returns the old profile), so a zone disappears when its last athlete
  leaves.
- A claim compares its exact expiry (microseconds, ``until_us``); ``expires_at`` (epoch
  seconds) lets a store's TTL sweep it, which may lag by days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math

from momentum.core.model import AthleteProfile
from momentum.core.storage_kv import layout as k
from momentum.core.storage_kv.table import BASE_INDEX as BASE
from momentum.core.storage_kv.table import (
    GLOBAL_INDEX,
    PK,
    SK,
    Absent,
    AtMost,
    Condition,
    ConditionFailed,
    Equals,
    Item,
    KeyValueTable,
    number,
)

CLAIM_SK = "CLAIM"


class KvLinks:
    """Zones, identities and claims over ``self.kv``."""

    kv: KeyValueTable

    # -- zones ---------------------------------------------------------------------------
    def _zone_moved(self, old: AthleteProfile | None, new: AthleteProfile | None) -> None:
        """Move the directory counters for one profile's change of zone."""
        old_zone = old.timezone if old is not None else None
        new_zone = new.timezone if new is not None else None
        if old_zone == new_zone:
            return
        if new_zone is not None:
            self.kv.update(k.ZONES, new_zone, set_={}, add={k.ZONE_COUNT: 1})
        if old_zone is not None:
            self.kv.update(k.ZONES, old_zone, set_={}, add={k.ZONE_COUNT: -1})

    def list_timezones(self) -> list[str]:
        """Zones with at least one athlete: one query on the ``ZONES`` partition."""
        items = self.kv.query(BASE, k.ZONES)
        return sorted(str(i[SK]) for i in items if number(i, k.ZONE_COUNT) > 0)

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """One query on ``gsi1`` (``TZ#<zone>``), ordered by athlete id."""
        items = self.kv.query(GLOBAL_INDEX, k.zone_index_pk(timezone))
        found = [k.decode_body(AthleteProfile, item) for item in items]
        return sorted(found, key=lambda profile: profile.athlete_id)

    # -- identities ----------------------------------------------------------------------
    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """The forward link (found in one read) and a reverse one in the athlete's
        partition, written together (a link someone else held loses its reverse one in the
        same transaction); nothing is written when the link is already there."""
        old = self.find_identity(kind, external_id)
        if old == athlete_id:
            return
        forward: Item = {PK: k.identity_pk(kind, external_id), SK: "ID", "athlete": athlete_id}
        reverse: Item = {PK: k.athlete_pk(athlete_id), SK: k.link_sk(kind, external_id)}
        reverse.update({"kind": kind, "external_id": external_id})
        stale = [] if old is None else [(k.athlete_pk(old), k.link_sk(kind, external_id))]
        self.kv.write_all([forward, reverse], stale)

    def find_identity(self, kind: str, external_id: str) -> str | None:
        """One get."""
        item = self.kv.get(k.identity_pk(kind, external_id), "ID")
        return str(item["athlete"]) if item else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Drop the forward link, then its reverse one (a reverse link left by a crash in
        between is harmless: deleting the athlete drops a forward link only if it is theirs)."""
        old = self.kv.delete(k.identity_pk(kind, external_id), "ID")
        if old is not None:
            self.kv.delete(k.athlete_pk(str(old["athlete"])), k.link_sk(kind, external_id))

    def _unlink_athlete(self, athlete_id: str, kind: str | None = None) -> None:
        """Drop the athlete's links (of one ``kind``, or all), forward ones first."""
        prefix = f"LINK{k.SEP}" + (f"{k.part(kind)}{k.SEP}" if kind else "")
        for item in list(self.kv.query(BASE, k.athlete_pk(athlete_id), prefix=prefix)):
            forward = k.identity_pk(str(item["kind"]), str(item["external_id"]))
            # The external id may have been linked to someone else since: leave that link.
            with contextlib.suppress(ConditionFailed):
                self.kv.delete(forward, "ID", (Equals("athlete", athlete_id),))
            self.kv.delete(str(item[PK]), str(item[SK]))

    # -- claims --------------------------------------------------------------------------
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """A conditional put that wins only if no unexpired claim exists."""
        return self.claim_as(key, now, ttl, "")

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        """Like :meth:`claim`, and also True when ``holder`` took the live claim itself."""
        until = k.epoch_micros(now + ttl)
        item = {PK: k.claim_pk(key), SK: CLAIM_SK, k.CLAIM_HOLDER: holder, **_expiry(until)}
        condition: Condition = (Absent(), AtMost(k.CLAIM_UNTIL, k.epoch_micros(now)))
        if holder:
            condition += (Equals(k.CLAIM_HOLDER, holder),)
        try:
            self.kv.put(item, condition)
        except ConditionFailed:
            return False
        return True

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """One write of the new expiry (keeping the holder): never absent in between."""
        until = k.epoch_micros(now + ttl)
        self.kv.update(k.claim_pk(key), CLAIM_SK, set_=_expiry(until), add={})

    def release(self, key: str) -> None:
        """Drop the claim."""
        self.kv.delete(k.claim_pk(key), CLAIM_SK)

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete claims that expired by ``now`` (0 where the store's TTL sweeps them)."""
        return self.kv.purge_expired(k.CLAIM_UNTIL, k.epoch_micros(now))


def _expiry(until_us: int) -> Item:
    return {k.CLAIM_UNTIL: until_us, k.TTL_ATTRIBUTE: math.ceil(until_us / 1_000_000)}
