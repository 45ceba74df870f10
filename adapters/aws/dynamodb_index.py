"""The zone directory, the zone index and identity links on the single DynamoDB table.

=====================  ==================  ===========  =================================
record                 pk                  sk           other
=====================  ==================  ===========  =================================
zone directory entry   ``ZONES``           ``<zone>``   ``athletes`` (a counter)
athlete profile        ``ATHLETES``        ``<ath>``    ``gsi1pk`` = ``TZ#<zone>``,
                                                        ``gsi1sk`` = ``<ath>``
identity link          ``ID#<kind>#<ext>`` ``ID``       ``athlete``
reverse link           ``A#<ath>``         ``LINK#<kind>#<ext>``  (so deleting finds them)
=====================  ==================  ===========  =================================

- :meth:`list_timezones` is one Query on the small ``ZONES`` partition (entries whose
  counter is above zero); :meth:`list_athletes_in_timezone` is one Query on ``gsi1``.
- :meth:`find_identity` is one GetItem.
- The counter moves by exactly the change one ``put_athlete`` or ``delete_athlete`` made
  (the put returns the old profile), so a zone disappears when its last athlete leaves.
"""

from __future__ import annotations

import contextlib
from typing import Any

from momentum.adapters.aws import keys
from momentum.adapters.aws.codec import decode_body, n, s
from momentum.adapters.aws.schema import GSI1, GSI1_PK, PK, SK
from momentum.core.model import AthleteProfile

ZONES = "ZONES"
ZONE_COUNT = "athletes"
LINK = "LINK"


def zone_index_pk(timezone: str) -> str:
    """``gsi1pk`` of the profiles in one zone."""
    return f"TZ{keys.SEP}{keys.part(timezone)}"


def identity_pk(kind: str, external_id: str) -> str:
    """The partition of one identity link."""
    return f"ID{keys.SEP}{keys.part(kind)}{keys.SEP}{keys.part(external_id)}"


def link_sk(kind: str, external_id: str) -> str:
    """The reverse link's sort key in the athlete's partition."""
    return f"{LINK}{keys.SEP}{keys.part(kind)}{keys.SEP}{keys.part(external_id)}"


class DynamoIndexMixin:
    """Zone and identity methods of :class:`~momentum.adapters.aws.dynamodb_storage.
    DynamoDbStorage` (which provides ``db``, ``table``, ``_get``, ``_put``, ``_delete``,
    ``_query`` and ``_query_prefix``)."""

    db: Any
    table: str

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _put(self, item: dict[str, Any], **extra: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def _delete(self, pk: str, sk: str, **extra: Any) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def _query(self, **request: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _query_prefix(self, pk: str, prefix: str, *, index: str | None = None) -> list[Any]:
        raise NotImplementedError  # pragma: no cover

    # -- zones ---------------------------------------------------------------------------
    def _count_zone(self, timezone: str, delta: int) -> None:
        self.db.update_item(
            TableName=self.table,
            Key={PK: s(ZONES), SK: s(timezone)},
            UpdateExpression="ADD #c :d",
            ExpressionAttributeNames={"#c": ZONE_COUNT},
            ExpressionAttributeValues={":d": n(delta)},
        )

    def _zone_moved(self, old: AthleteProfile | None, new: AthleteProfile | None) -> None:
        """Move the directory counters for one profile's change of zone."""
        old_zone = old.timezone if old is not None else None
        new_zone = new.timezone if new is not None else None
        if old_zone == new_zone:
            return
        if new_zone is not None:
            self._count_zone(new_zone, 1)
        if old_zone is not None:
            self._count_zone(old_zone, -1)

    def list_timezones(self) -> list[str]:
        """Zones with at least one athlete: one Query on the ``ZONES`` partition."""
        items = self._query(
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PK},
            ExpressionAttributeValues={":pk": s(ZONES)},
        )
        return sorted(
            item[SK]["S"] for item in items if int(item.get(ZONE_COUNT, {"N": "0"})["N"]) > 0
        )

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """One Query on ``gsi1`` (``TZ#<zone>``), ordered by athlete id."""
        items = self._query(
            IndexName=GSI1,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": GSI1_PK},
            ExpressionAttributeValues={":pk": s(zone_index_pk(timezone))},
        )
        found = [decode_body(AthleteProfile, item) for item in items]
        return sorted(found, key=lambda profile: profile.athlete_id)

    # -- identities ----------------------------------------------------------------------
    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """The forward link (found in one read) and a reverse one in the athlete's partition."""
        old = self._put(
            {PK: s(identity_pk(kind, external_id)), SK: s("ID"), "athlete": s(athlete_id)},
            ReturnValues="ALL_OLD",
        ).get("Attributes")
        if old is not None and old["athlete"]["S"] != athlete_id:
            self._delete(keys.athlete_pk(old["athlete"]["S"]), link_sk(kind, external_id))
        self._put(
            {
                PK: s(keys.athlete_pk(athlete_id)),
                SK: s(link_sk(kind, external_id)),
                "kind": s(kind),
                "external_id": s(external_id),
            }
        )

    def find_identity(self, kind: str, external_id: str) -> str | None:
        """One GetItem."""
        item = self._get(identity_pk(kind, external_id), "ID")
        return item["athlete"]["S"] if item else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Drop the forward link and its reverse one."""
        old = self._delete(identity_pk(kind, external_id), "ID", ReturnValues="ALL_OLD").get(
            "Attributes"
        )
        if old is not None:
            self._delete(keys.athlete_pk(old["athlete"]["S"]), link_sk(kind, external_id))

    def _unlink_athlete(self, athlete_id: str, kind: str | None = None) -> None:
        """Drop the athlete's links (of one ``kind``, or all), forward ones first."""
        prefix = f"{LINK}{keys.SEP}" + (f"{keys.part(kind)}{keys.SEP}" if kind else "")
        for item in self._query_prefix(keys.athlete_pk(athlete_id), prefix):
            forward = identity_pk(item["kind"]["S"], item["external_id"]["S"])
            self._delete_if_owner(forward, athlete_id)
            self._delete(item[PK]["S"], item[SK]["S"])

    def _delete_if_owner(self, pk: str, athlete_id: str) -> None:
        # The external id may have been linked to someone else since: leave that link.
        with contextlib.suppress(self.db.exceptions.ConditionalCheckFailedException):
            self._delete(
                pk,
                "ID",
                ConditionExpression="#a = :a",
                ExpressionAttributeNames={"#a": "athlete"},
                ExpressionAttributeValues={":a": s(athlete_id)},
            )
