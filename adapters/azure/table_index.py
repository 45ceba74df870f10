"""The indexes a Table Storage store keeps beside its records: the zone directory and
zone index (the 15-minute tick), identity links (webhooks find their athlete in one read)
and idempotency claims. A mixin for :class:`.table_storage.TableStorage`.

Layout (PartitionKey / RowKey, ids escaped by :func:`.keys.esc`):

- ``zones`` / ``<zone>``: one row per zone that has an athlete (``list_timezones``);
- ``z|<zone>`` / ``<athlete>``: the profile, once per athlete in that zone;
- ``id|<kind>`` / ``<external id>``: the athlete it links to (a point read), mirrored by
  ``a|<athlete>`` / ``link|<kind>|<external id>`` so deleting an athlete finds its links;
- ``claims`` / ``<key>``: ``expires`` as fixed-width UTC text, conditional by ETag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.adapters.azure import keys
from momentum.adapters.azure.tables import Entity, Table
from momentum.core.model import AthleteProfile, from_json


class TableIndexes:
    """Zone directory, identity links and claims on :attr:`table`."""

    table: Table

    # zones ------------------------------------------------------------------------------
    def _index_zone(self, profile: AthleteProfile, text: str) -> None:
        self.table.upsert(
            {"PartitionKey": keys.zone_pk(profile.timezone), "RowKey": keys.esc(profile.athlete_id)}
            | self._body(text)
        )
        self.table.upsert({"PartitionKey": keys.ZONES, "RowKey": keys.esc(profile.timezone)})

    def _unindex_zone(self, timezone: str, athlete_id: str) -> None:
        self.table.delete(keys.zone_pk(timezone), keys.esc(athlete_id))
        if next(iter(self.table.query(keys.zone_pk(timezone))), None) is not None:
            return
        self.table.delete(keys.ZONES, keys.esc(timezone))
        # A profile may have moved in between the check and the delete: put the row back.
        if next(iter(self.table.query(keys.zone_pk(timezone))), None) is not None:
            self.table.upsert({"PartitionKey": keys.ZONES, "RowKey": keys.esc(timezone)})

    def list_timezones(self) -> list[str]:
        """The zones with at least one athlete: one single-partition query."""
        return sorted(keys.unesc(row["RowKey"]) for row in self.table.query(keys.ZONES))

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """The athletes in ``timezone`` by id: one query on the zone's partition."""
        found = [
            from_json(AthleteProfile, self._text(row))
            for row in self.table.query(keys.zone_pk(timezone))
        ]
        return sorted(found, key=lambda profile: profile.athlete_id)

    # identities -------------------------------------------------------------------------
    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """Link ``(kind, external_id)`` to ``athlete_id``, replacing an earlier link."""
        if not external_id:
            return
        pk, rk = keys.identity_pk(kind), keys.esc(external_id)
        old = self.table.get(pk, rk)
        if old is not None and old.get("athlete_id") != athlete_id:
            self.table.delete(
                keys.athlete_pk(str(old["athlete_id"])), keys.row("link", kind, external_id)
            )
        self.table.upsert({"PartitionKey": pk, "RowKey": rk, "athlete_id": athlete_id})
        self.table.upsert(
            {
                "PartitionKey": keys.athlete_pk(athlete_id),
                "RowKey": keys.row("link", kind, external_id),
                "kind": kind,
                "external_id": external_id,
            }
        )

    def find_identity(self, kind: str, external_id: str) -> str | None:
        """The athlete linked to ``(kind, external_id)``: one point read."""
        if not external_id:
            return None
        found = self.table.get(keys.identity_pk(kind), keys.esc(external_id))
        return str(found["athlete_id"]) if found else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Forget a link (nothing happens when there is none)."""
        pk, rk = keys.identity_pk(kind), keys.esc(external_id)
        found = self.table.get(pk, rk)
        if found is None:
            return
        self.table.delete(pk, rk, str(found["etag"]))
        self.table.delete(
            keys.athlete_pk(str(found["athlete_id"])), keys.row("link", kind, external_id)
        )

    def _unlink_all(self, links: list[Entity], athlete_id: str) -> None:
        for link in links:
            pk, rk = keys.identity_pk(str(link["kind"])), keys.esc(str(link["external_id"]))
            found = self.table.get(pk, rk)
            if found is not None and found.get("athlete_id") == athlete_id:
                self.table.delete(pk, rk, str(found["etag"]))

    # claims -----------------------------------------------------------------------------
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Claim ``key``: If-None-Match for a new claim, If-Match on the ETag to take over
        an expired one. Losing either race is ``False``, never an error."""
        row = {
            "PartitionKey": keys.CLAIMS,
            "RowKey": keys.esc(key),
            "expires": keys.instant(now + ttl),
        }
        if self.table.create(row):
            return True
        held = self.table.get(keys.CLAIMS, keys.esc(key))
        if held is None:
            return self.table.create(row)
        if str(held.get("expires", "")) > keys.instant(now):
            return False
        return self.table.replace_if(row, str(held["etag"]))

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """Set the claim's expiry in one unconditional write (creating it if gone)."""
        self.table.upsert(
            {
                "PartitionKey": keys.CLAIMS,
                "RowKey": keys.esc(key),
                "expires": keys.instant(now + ttl),
            }
        )

    def release(self, key: str) -> None:
        """Drop a claim so a redelivery runs the work."""
        self.table.delete(keys.CLAIMS, keys.esc(key))

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete the claims that expired before ``now`` (Table Storage has no TTL)."""
        expired = list(self.table.query(keys.CLAIMS, "expires lt @now", {"now": keys.instant(now)}))
        for row in expired:
            self.table.delete(keys.CLAIMS, row["RowKey"], str(row.get("etag") or ""))
        return len(expired)

    # provided by TableStorage -------------------------------------------------------------
    def _body(self, text: str) -> dict[str, Any]:
        raise NotImplementedError

    def _text(self, entity: Entity) -> str:
        raise NotImplementedError
