"""Monthly cost of a coach on GCP for 1 and for 1,000 athletes, from list prices.

Run: ``.venv/bin/python benchmarks/gcp_cost.py [--athletes 1 1000] [--runs-per-week 4]
[--chats-per-day 2] [--json]``.

This is a *model*, not a measured week (unlike ``aws_cost.py``, which drives the Lambda
handler): the per-event operation counts below are read off the Firestore adapter's code
paths (``FirestoreStorage``: one
document read per ``get``, one per document a query returns, one write per ``set``/
``create``/``update``, claims as one ``create``) and the coach's context reads (about six
weeks of activities, a week of messages, the memory list, the plan). Change them with the
flags when a measured run replaces them.

Prices: Google Cloud list prices for a tier-1 region (us-central1), as published on the
pricing pages of Firestore, Cloud Run, Cloud Tasks, Cloud Scheduler, Cloud Storage and
Secret Manager and known in early 2026; check them before relying on the figures.
Firestore (Standard edition, regional): $0.03 per 100,000 document reads, $0.09 per 100,000
writes, $0.01 per 100,000 deletes, $0.15 per GiB-month; free each day 50,000 reads, 20,000
writes, 20,000 deletes, and 1 GiB stored. Cloud Run functions (request-based billing):
$0.40 per million requests, $0.000024 per vCPU-second, $0.0000025 per GiB-second; free each
month 2 million requests, 180,000 vCPU-s, 360,000 GiB-s. Cloud Tasks: $0.40 per million
operations, 1 million free. Cloud Scheduler: $0.10 per job-month, 3 jobs free per billing
account. Cloud Storage Standard: $0.020 per GB-month, $0.005 per 1,000 class A and $0.0004
per 1,000 class B operations (5 GB-month, 5,000 A and 50,000 B free in US regions). Secret
Manager: $0.06 per active secret version-month (6 free), $0.03 per 10,000 accesses (10,000
free).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass

PRICE_DATE = "early 2026 (Google Cloud pricing pages, us-central1)"
DAYS = 30.44
TICKS_PER_DAY = 96
SECRETS = 5  # Slack bot token + signing secret, Strava client secret + verify token, Groq key


@dataclass(frozen=True)
class Event:
    """Operations one event costs."""

    reads: float
    writes: float
    invocations: int  # function requests (webhook + task delivery)
    tasks: int  # Cloud Tasks operations (create + dispatch)
    seconds: float  # function wall time in total
    gcs_put: int = 0
    gcs_get: int = 0


CHECKIN = Event(reads=36, writes=4, invocations=1, tasks=2, seconds=1.5)
"""Claim (create) + profile, plan, ~20 activities, ~8 messages, ~5 memory reads; the
message, usage and done-claim writes; one task created and dispatched."""
RUN_REVIEW = Event(reads=40, writes=7, invocations=2, tasks=2, seconds=3.0, gcs_put=1, gcs_get=1)
"""Webhook (identity read, claim), then the task: token, activity, streams to GCS, context
reads, review message, usage, note, done claim."""
CHAT = Event(reads=38, writes=5, invocations=2, tasks=2, seconds=2.5)
"""Slack event (claim, ack), then the task: context reads, two messages, usage, claim."""
TICK = Event(reads=1, writes=0, invocations=1, tasks=0, seconds=0.3)
"""Per tick: the zone directory (athletes due are counted in their check-in)."""


def monthly(athletes: int, runs_per_week: float, chats_per_day: float) -> dict[str, float]:
    """Dollars per month by service, free tiers applied, for ``athletes`` athletes."""
    per_day = [(CHECKIN, 1.0), (RUN_REVIEW, runs_per_week / 7), (CHAT, chats_per_day)]
    reads = sum(e.reads * k for e, k in per_day) * athletes + TICKS_PER_DAY * TICK.reads
    writes = sum(e.writes * k for e, k in per_day) * athletes
    calls = (sum(e.invocations * k for e, k in per_day) * athletes + TICKS_PER_DAY) * DAYS
    seconds = sum(e.seconds * k for e, k in per_day) * athletes + TICKS_PER_DAY * TICK.seconds
    seconds *= DAYS
    tasks = sum(e.tasks * k for e, k in per_day) * athletes * DAYS
    gcs_put = sum(e.gcs_put * k for e, k in per_day) * athletes * DAYS
    gcs_get = sum(e.gcs_get * k for e, k in per_day) * athletes * DAYS
    stored_gib = athletes * (0.004 + 0.0002 * DAYS * 12)  # docs: profile, plan, a year of records
    streams_gb = athletes * runs_per_week * 52 * 0.00025  # ~250 KB gzip per run, one year kept
    cold_starts = min(calls, TICKS_PER_DAY * DAYS + athletes * 3 * DAYS)
    return {
        "firestore": round(
            max(0.0, reads - 50_000) * DAYS * 0.03 / 1e5
            + max(0.0, writes - 20_000) * DAYS * 0.09 / 1e5
            + max(0.0, stored_gib - 1) * 0.15,
            2,
        ),
        "cloud_run": round(
            max(0.0, calls - 2e6) * 0.40 / 1e6
            + max(0.0, seconds * 1.0 - 180_000) * 0.000024  # 1 vCPU
            + max(0.0, seconds * 0.5 - 360_000) * 0.0000025,  # 512 MiB
            2,
        ),
        "cloud_tasks": round(max(0.0, tasks - 1e6) * 0.40 / 1e6, 2),
        "cloud_scheduler": 0.0,  # one job; 3 free per billing account
        "cloud_storage": round(
            max(0.0, streams_gb - 5) * 0.020
            + max(0.0, gcs_put - 5000) * 0.005 / 1000
            + max(0.0, gcs_get - 50_000) * 0.0004 / 1000,
            2,
        ),
        "secret_manager": round(
            max(0, SECRETS - 6) * 0.06 + max(0.0, cold_starts * SECRETS - 10_000) * 0.03 / 1e4, 2
        ),
    }


@dataclass(frozen=True)
class Estimate:
    """One scenario's result."""

    athletes: int
    usd_per_month: float
    usd_per_athlete_month: float
    by_service: dict[str, float]
    prices_as_of: str = PRICE_DATE


def estimate(athletes: int, runs_per_week: float, chats_per_day: float) -> Estimate:
    """The monthly estimate for ``athletes`` athletes."""
    services = monthly(athletes, runs_per_week, chats_per_day)
    total = round(sum(services.values()), 2)
    return Estimate(athletes, total, round(total / athletes, 4), services)


def main(argv: list[str] | None = None) -> None:
    """Print the estimates (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--athletes", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--runs-per-week", type=float, default=4)
    parser.add_argument("--chats-per-day", type=float, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = [estimate(a, args.runs_per_week, args.chats_per_day) for a in args.athletes]
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
        return
    for r in results:
        parts = ", ".join(f"{k} ${v:.2f}" for k, v in r.by_service.items() if v)
        print(
            f"{r.athletes:>6} athletes: ${r.usd_per_month:.2f}/month "
            f"(${r.usd_per_athlete_month:.4f} each) {parts or 'all within free tiers'}"
        )
    print(f"prices as of {PRICE_DATE}; operation counts modelled (see the module docstring)")


if __name__ == "__main__":
    main()
