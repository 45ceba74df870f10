"""Monthly cost of a coach on Azure for 1 and 1,000 athletes, from list prices.

Run: ``.venv/bin/python benchmarks/azure_cost.py [--athletes 1 1000] [--json]``.

This is a model, not a measurement: Azure bills per storage transaction and per GB-second,
and the counts below come from the adapter's design (one table, point reads and
single-partition queries; one queue; Blob for streams), not from a metered month. What
each athlete does per day is in :data:`PER_ATHLETE_DAY`; what the platform does whether or
not anyone trains (the Functions host polling its two queues and renewing the timer's
singleton lease; the 96 ticks) is in :data:`FIXED_MONTH`.

Prices: Azure's public pricing pages (East US, pay-as-you-go, LRS, Hot tier), as known in
early 2026 (see :data:`PRICES_AS_OF`); check the calculator before relying on them.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

PRICES_AS_OF = (
    "2026-01, azure.microsoft.com/pricing (functions, storage tables/queues/blobs, key-vault,"
    " monitor)"
)
PRICES = {
    # Functions, Flex Consumption, on demand; free each month per subscription.
    "flex_gb_second": 0.000026,
    "flex_per_million_executions": 0.40,
    "flex_free_gb_seconds": 100_000,
    "flex_free_executions": 250_000,
    # Table Storage (LRS): transactions and capacity.
    "table_per_10k_transactions": 0.00036,
    "table_gb_month": 0.045,
    # Queue Storage (GPv2, LRS): operations (class 1 and class 2 alike here).
    "queue_per_10k_operations": 0.004,
    # Blob Storage (Hot, LRS).
    "blob_write_per_10k": 0.055,
    "blob_read_per_10k": 0.0044,
    "blob_gb_month": 0.0208,
    # Key Vault (standard): secret operations (the host resolves references at start).
    "key_vault_per_10k": 0.03,
    # Application Insights on Log Analytics: first 5 GB per billing account free.
    "log_gb": 2.30,
    "log_free_gb": 5.0,
}


@dataclass(frozen=True)
class Usage:
    """Counts per athlete-day (or per month for the fixed part)."""

    executions: float
    gb_seconds: float
    table_transactions: float
    queue_operations: float
    blob_writes: float
    blob_reads: float
    log_mb: float


PER_ATHLETE_DAY = Usage(
    # Check-in (1 queue message, 1 run), ~0.6 runs/day (webhook + deferred review), 2 chats
    # (Slack event + deferred reply each): ~7 executions.
    executions=7,
    # 2 GB instances; ~0.4 s average for deferred work, model calls wait on the network.
    gb_seconds=7 * 0.4 * 2,
    # Per execution: a delivery claim (create + upsert), profile/plan point reads, range
    # queries of 2-4 weeks in one partition, message writes; ~12 per execution.
    table_transactions=7 * 12,
    # Per deferred job: send, receive, delete (the host) = 3; ~4 deferred jobs a day.
    queue_operations=4 * 3,
    # Streams of ~0.6 runs; spilled payloads are rare.
    blob_writes=0.6,
    blob_reads=1.0,
    log_mb=0.05,
)
FIXED_MONTH = Usage(
    # 96 ticks a day; each reads the zone directory (1 query) and, 4 times a day, a zone.
    executions=96 * 30,
    gb_seconds=96 * 30 * 0.2 * 2,
    table_transactions=96 * 30 * 2,
    # The host polls 2 queues, backing off to once a minute when idle: 2 x 43,200.
    queue_operations=2 * 43_200,
    # The timer's singleton lease, renewed about every 15 s, plus host status blobs.
    blob_writes=30 * 24 * 60 * 4,
    blob_reads=30 * 24 * 60,
    log_mb=150,
)
STORAGE_GB_PER_ATHLETE = 0.05
"""A year of records in Table Storage plus streams in Blob (streams dominate: ~0.04 GB)."""


def monthly(athletes: int) -> dict[str, float]:
    """The bill by line for ``athletes``, in USD."""
    p = PRICES
    per, fixed = PER_ATHLETE_DAY, FIXED_MONTH

    def total(field: str) -> float:
        return float(getattr(per, field)) * 30 * athletes + float(getattr(fixed, field))

    executions = max(0.0, total("executions") - p["flex_free_executions"])
    gb_seconds = max(0.0, total("gb_seconds") - p["flex_free_gb_seconds"])
    log_gb = max(0.0, total("log_mb") / 1024 - p["log_free_gb"])
    gb = STORAGE_GB_PER_ATHLETE * athletes
    lines = {
        "functions": executions / 1e6 * p["flex_per_million_executions"]
        + gb_seconds * p["flex_gb_second"],
        "table": total("table_transactions") / 1e4 * p["table_per_10k_transactions"]
        + gb * 0.2 * p["table_gb_month"],
        "queue": total("queue_operations") / 1e4 * p["queue_per_10k_operations"],
        "blob": total("blob_writes") / 1e4 * p["blob_write_per_10k"]
        + total("blob_reads") / 1e4 * p["blob_read_per_10k"]
        + gb * 0.8 * p["blob_gb_month"],
        "key_vault": 30 * 4 * 6 / 1e4 * p["key_vault_per_10k"],
        "monitoring": log_gb * p["log_gb"],
    }
    lines["total"] = sum(lines.values())
    lines["per_athlete"] = lines["total"] / athletes
    return {key: round(value, 4) for key, value in lines.items()}


def main() -> None:
    """Print the estimate (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if any(n < 1 for n in args.athletes):
        parser.error("--athletes must be at least 1")
    result = {str(n): monthly(n) for n in args.athletes}
    if args.json:
        print(json.dumps({"prices_as_of": PRICES_AS_OF, "usd_per_month": result}, indent=2))
        return
    print(f"Azure monthly estimate (list prices {PRICES_AS_OF})")
    lines = list(next(iter(result.values())))
    print(f"{'line':<12}" + "".join(f"{n + ' athletes':>16}" for n in result))
    for line in lines:
        print(f"{line:<12}" + "".join(f"{result[n][line]:>16.4f}" for n in result))


if __name__ == "__main__":
    main()
