"""The single DynamoDB table's layout, shared by the storage adapter and the Pulumi stack.

One table holds every record (single-table design). Every Storage query is a ``Query`` on
a key, never a ``Scan``:

=================  =============  ==================  ==========================
record             pk             sk                  lsi1sk (time order)
=================  =============  ==================  ==========================
athlete profile    ``ATHLETES``   ``<athlete>``       –
activity           ``A#<ath>``    ``ACT#<id>``        ``ACT#<start>#<id>``
plan               ``A#<ath>``    ``PLAN``            –
message            ``A#<ath>``    ``MSG#<id>``        ``MSG#<at>#<id>``
reflection         ``A#<ath>``    ``REF#<id>``        ``REF#<at>#<id>``
activity note      ``A#<ath>``    ``NOTE#<id>``       ``NOTE#<activity>#<at>#<id>``
memory item        ``A#<ath>``    ``MEM#<id>``        ``MEM#<created>#<id>``
oauth token        ``A#<ath>``    ``TOK#<provider>``  –
llm usage          ``A#<ath>``    ``USE#<id>``        ``USE#<at>#<id>``
idempotency claim  ``CLAIM#<k>``  ``CLAIM``           –
=================  =============  ==================  ==========================

- ``lsi1`` (a local secondary index on ``pk`` + ``lsi1sk``) answers every "by athlete,
  between two instants" query, while the base key stays the record's id so upserts by id
  are exact. It is sparse: only records with a time carry ``lsi1sk``.
- ``gsi1`` (``gsi1pk`` = ``USAGE``, ``gsi1sk`` = ``<at>#<athlete>#<id>``) answers "usage
  of every athlete between two instants" (a day, a month) with one Query. Only usage
  records carry it.
- Deleting an athlete is one Query of their partition and batched deletes.
- ``expires_at`` (epoch seconds) is the table's TTL attribute; idempotency claims set it.
- Instants in sort keys are UTC, fixed width, to the microsecond, so string order is time
  order.
"""

from __future__ import annotations

from typing import Any

PK = "pk"
SK = "sk"
LSI1 = "lsi1"
LSI1_SK = "lsi1sk"
GSI1 = "gsi1"
GSI1_PK = "gsi1pk"
GSI1_SK = "gsi1sk"
TTL_ATTRIBUTE = "expires_at"

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
