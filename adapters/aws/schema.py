"""The single DynamoDB table, shared by the storage adapter and the Pulumi stack.

One table holds every record (single-table design; the layout is core's, in
:mod:`momentum.core.storage_kv.layout`). Its key is ``pk`` + ``sk``; ``lsi1`` (a local
secondary index on ``pk`` + ``lsi1sk``) answers "by athlete, between two instants";
``gsi1`` (``gsi1pk`` + ``gsi1sk``) answers the zone index and everyone's usage in one
Query. Both are sparse and project every attribute. ``expires_at`` (epoch seconds) is the
table's TTL attribute; idempotency claims set it.
"""

from __future__ import annotations

from typing import Any

from momentum.core.storage_kv.layout import TTL_ATTRIBUTE
from momentum.core.storage_kv.table import GLOBAL_INDEX, PK, SK, TIME_INDEX

LSI1, LSI1_SK = str(TIME_INDEX.name), TIME_INDEX.sort
GSI1, GSI1_PK, GSI1_SK = str(GLOBAL_INDEX.name), GLOBAL_INDEX.partition, GLOBAL_INDEX.sort
__all__ = ["GSI1", "GSI1_PK", "GSI1_SK", "LSI1", "LSI1_SK", "PK", "SK", "TTL_ATTRIBUTE"]

KEY_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    (PK, "S"),
    (SK, "S"),
    (LSI1_SK, "S"),
    (GSI1_PK, "S"),
    (GSI1_SK, "S"),
)
"""Every attribute used in a key schema, with its DynamoDB type."""


def create_table_request(table_name: str) -> dict[str, Any]:
    """Arguments for ``CreateTable`` (tests, benchmarks and ``momentum`` tooling use it; the
    Pulumi stack declares the same layout)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind} for name, kind in KEY_ATTRIBUTES
        ],
        "KeySchema": [
            {"AttributeName": PK, "KeyType": "HASH"},
            {"AttributeName": SK, "KeyType": "RANGE"},
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": LSI1,
                "KeySchema": [
                    {"AttributeName": PK, "KeyType": "HASH"},
                    {"AttributeName": LSI1_SK, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": GSI1,
                "KeySchema": [
                    {"AttributeName": GSI1_PK, "KeyType": "HASH"},
                    {"AttributeName": GSI1_SK, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    }


def create_table(client: Any, table_name: str) -> None:
    """Create the table and turn TTL on (for tests and local tooling; production tables
    come from the Pulumi stack). Waits until the table is active."""
    client.create_table(**create_table_request(table_name))
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50}
    )
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
