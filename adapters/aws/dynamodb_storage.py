"""Storage on one DynamoDB table (records) and one S3 bucket (streams and uploads).

Core's :class:`~momentum.core.storage_kv.KvStorage` holds the port's logic; this module
only speaks DynamoDB's low-level API for the table's primitives: items become typed
attributes (``S``, ``N``, ``B``), conditions become ``ConditionExpression`` (a failed one
raises :class:`~momentum.core.storage_kv.ConditionFailed` with the stored item), queries
page through ``LastEvaluatedKey``, batched deletes retry what DynamoDB leaves unprocessed.
Reads are strongly consistent except on ``gsi1``, where DynamoDB offers none. The table's
layout is in :mod:`momentum.adapters.aws.schema`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from momentum.adapters.aws.s3_blobs import S3BlobStore
from momentum.core.storage_kv import (
    Absent,
    Condition,
    ConditionFailed,
    Equals,
    Index,
    Item,
    KvStorage,
)
from momentum.core.storage_kv.table import PK, SK

BATCH_LIMIT = 25


def to_attribute(value: str | int | bytes) -> dict[str, Any]:
    """A Python value as a low-level DynamoDB attribute value."""
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, int):
        return {"N": str(value)}
    return {"S": value}


def from_item(raw: dict[str, Any]) -> Item:
    """A low-level DynamoDB item as plain values."""
    item: Item = {}
    for name, value in raw.items():
        if "N" in value:
            item[name] = int(value["N"])
        else:
            item[name] = value["B"] if "B" in value else value["S"]
    return item


class DynamoTable:
    """The :class:`~momentum.core.storage_kv.KeyValueTable` primitives on one DynamoDB
    table. ``client`` is a low-level boto3 DynamoDB client (or a lazy one)."""

    def __init__(self, name: str, client: Any) -> None:
        self.name = name
        self.db = client

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {PK: {"S": pk}, SK: {"S": sk}}

    def _conditional(self, call: Any, condition: Condition, **request: Any) -> Item | None:
        """Run a put or delete with ``condition``; the old item, or :class:`ConditionFailed`."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        clauses = []
        for i, clause in enumerate(condition):
            if isinstance(clause, Absent):
                names["#pk"] = PK
                clauses.append("attribute_not_exists(#pk)")
                continue
            names[f"#a{i}"], values[f":v{i}"] = clause.attribute, to_attribute(clause.value)
            clauses.append(f"#a{i} {'=' if isinstance(clause, Equals) else '<='} :v{i}")
        if clauses:
            request["ConditionExpression"] = " OR ".join(clauses)
            request["ExpressionAttributeNames"] = names
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        if values:
            request["ExpressionAttributeValues"] = values
        try:
            response = call(TableName=self.name, ReturnValues="ALL_OLD", **request)
        except self.db.exceptions.ConditionalCheckFailedException as error:
            current = getattr(error, "response", {}).get("Item")
            raise ConditionFailed(from_item(current) if current else None) from None
        old = response.get("Attributes")
        return from_item(old) if old else None

    def get(self, pk: str, sk: str) -> Item | None:
        """One GetItem, strongly consistent."""
        response = self.db.get_item(TableName=self.name, Key=self._key(pk, sk), ConsistentRead=True)
        return from_item(response["Item"]) if "Item" in response else None

    def put(self, item: Item, condition: Condition = ()) -> Item | None:
        """One PutItem, conditional when asked; returns the replaced item."""
        typed = {name: to_attribute(value) for name, value in item.items()}
        return self._conditional(self.db.put_item, condition, Item=typed)

    def update(self, pk: str, sk: str, *, set_: Item, add: dict[str, int]) -> Item:
        """One UpdateItem: ``SET`` for ``set_``, ``ADD`` for the numbers."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        parts: dict[str, list[str]] = {"SET": [], "ADD": []}
        for verb, changes in (("SET", set_), ("ADD", add)):
            for name, value in changes.items():
                i = len(names)
                names[f"#a{i}"], values[f":v{i}"] = name, to_attribute(value)
                parts[verb].append(f"#a{i} = :v{i}" if verb == "SET" else f"#a{i} :v{i}")
        response = self.db.update_item(
            TableName=self.name,
            Key=self._key(pk, sk),
            UpdateExpression=" ".join(f"{v} {', '.join(p)}" for v, p in parts.items() if p),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
        return from_item(response["Attributes"])

    def delete(self, pk: str, sk: str, condition: Condition = ()) -> Item | None:
        """One DeleteItem, conditional when asked; returns the removed item."""
        return self._conditional(self.db.delete_item, condition, Key=self._key(pk, sk))

    def write_all(self, puts: Sequence[Item], deletes: Sequence[tuple[str, str]]) -> None:
        """One TransactWriteItems: every put and delete, or none."""
        actions: list[dict[str, Any]] = [
            {"Put": {"TableName": self.name, "Item": {n: to_attribute(v) for n, v in i.items()}}}
            for i in puts
        ]
        actions += [{"Delete": {"TableName": self.name, "Key": self._key(*k)}} for k in deletes]
        if actions:
            self.db.transact_write_items(TransactItems=actions)

    def delete_many(self, keys: Iterable[tuple[str, str]]) -> None:
        """BatchWriteItem, 25 deletes a request, retrying what DynamoDB leaves unprocessed."""
        requests = [{"DeleteRequest": {"Key": self._key(pk, sk)}} for pk, sk in keys]
        for offset in range(0, len(requests), BATCH_LIMIT):
            pending = requests[offset : offset + BATCH_LIMIT]
            for attempt in range(8):
                response = self.db.batch_write_item(RequestItems={self.name: pending})
                pending = response.get("UnprocessedItems", {}).get(self.name, [])
                if not pending:
                    break
                time.sleep(min(2.0, 0.05 * 2**attempt))
            if pending:
                raise RuntimeError(f"{self.name}: {len(pending)} deletes left unprocessed")

    def query(
        self,
        index: Index,
        partition: str,
        *,
        prefix: str = "",
        between: tuple[str, str] | None = None,
    ) -> Iterator[Item]:
        """One Query (paged) on the base key or an index, by prefix or inclusive range."""
        condition = "#pk = :pk"
        values: dict[str, Any] = {":pk": {"S": partition}}
        if between is not None:
            condition += " AND #sk BETWEEN :low AND :high"
            values[":low"], values[":high"] = {"S": between[0]}, {"S": between[1]}
        elif prefix:
            condition += " AND begins_with(#sk, :prefix)"
            values[":prefix"] = {"S": prefix}
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {
                "#pk": index.partition,
                **({"#sk": index.sort} if len(values) > 1 else {}),
            },
            "ExpressionAttributeValues": values,
        }
        if index.name:
            request["IndexName"] = index.name
        if index.consistent:
            request["ConsistentRead"] = True
        while True:
            response = self.db.query(**request)
            yield from (from_item(raw) for raw in response.get("Items", []))
            if not response.get("LastEvaluatedKey"):
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def purge_expired(self, attribute: str, now: int) -> int:
        """Nothing to do: the table's TTL (``expires_at``) sweeps expired claims, and a
        claim compares its exact expiry anyway. Returns 0."""
        return 0


class DynamoDbStorage(KvStorage):
    """The Storage port on DynamoDB + S3: core's key-value Storage on a :class:`DynamoTable`."""

    def __init__(self, table_name: str, dynamodb: Any, blobs: S3BlobStore) -> None:
        super().__init__(DynamoTable(table_name, dynamodb), blobs)

    @classmethod
    def connect(cls, table_name: str, bucket: str, *, region: str | None = None) -> DynamoDbStorage:
        """Storage on lazily created, cached clients (the Lambda's normal path)."""
        from momentum.adapters.aws.clients import LazyClient

        s3 = S3BlobStore(bucket, LazyClient("s3", region=region))
        return cls(table_name, LazyClient("dynamodb", region=region), s3)
