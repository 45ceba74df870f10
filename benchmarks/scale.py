"""A day of a coach with many athletes, simulated on the ports, with DynamoDB's and Groq's
limits modelled.

    .venv/bin/python benchmarks/scale.py --athletes 10000 [--json] [--concurrency 20]

What runs for real: core's 15-minute tick (``App.tick`` → :mod:`momentum.core.runtime.tick`)
96 times over the day against a metered in-memory Storage holding ``--athletes`` athletes,
all in one zone (America/Toronto: the worst case, everyone's 6 am at once); a Strava
webhook (the real plugin route, acked through ``App.handle_http``); a Slack user lookup;
and, for the per-athlete cost, the demo athlete's real week (activities synced, check-ins
run through the deferred ``momentum.run_job`` handler, a chat reply) on the same meter.
The check-in prompt is counted with o200k_base, as :mod:`benchmarks.coach_tokens` does.

The meter (:class:`Meter`) applies DynamoDB's on-demand rules to each Storage call as
:class:`~momentum.adapters.aws.dynamodb_storage.DynamoDbStorage` issues it: a GetItem
costs ceil(size / 4 KB) read units (strongly consistent, at least 1); a Query costs the
same over the summed size of what it returns (half on ``gsi1``, eventually consistent) in
1 MB pages, each page one request; a write costs ceil(size / 1 KB) write units per item,
again for every index the item is projected into (activities, messages, memory, usage
and reflections into ``lsi1``; profiles into ``gsi1``; usage into ``gsi1`` too). An item's
size is its JSON body plus 100 bytes of keys and attribute names. Streams go to S3.

The check-in fan-out is a discrete-event simulation: the tick's function claims and
invokes one job per due athlete (``--invoke-ms`` each, one after another); at most
``--concurrency`` job invocations run at once (the function's reserved concurrency); each
waits for Groq's developer-plan budget (250,000 tokens and 1,000 requests per minute, a
bucket that refills continuously, full at the start) for its prompt plus 220 completion
tokens, then takes ``--model-seconds`` for the model and ``--job-overhead-ms`` for
storage and Slack.

Prices: us-east-1 on-demand after DynamoDB's 1 Nov 2024 cut: $0.625 per million write
units, $0.125 per million read units, $0.25 per GB-month; S3 $0.023 per GB-month.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import heapq
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from momentum.core.memory import InMemoryScheduler, InMemoryStorage  # noqa: E402
from momentum.core.model import to_json  # noqa: E402

PRICE_WRU = 0.625 / 1e6
PRICE_RRU = 0.125 / 1e6
PRICE_DYNAMO_GB_MONTH = 0.25
PRICE_S3_GB_MONTH = 0.023
DAYS_PER_MONTH = 30.44
ITEM_OVERHEAD = 100
GROQ_TOKENS_PER_MINUTE = 250_000
GROQ_REQUESTS_PER_MINUTE = 1_000
CHECKIN_OUTPUT_TOKENS = 220
ZONE = "America/Toronto"
DAY = dt.date(2026, 3, 3)  # a Tuesday (EST, UTC-5): 6 am local is 11:00 UTC

GETS = {"get_athlete", "get_activity", "get_plan", "get_message", "get_token", "find_identity"}
QUERIES = {
    "list_athletes",
    "list_activities",
    "list_messages",
    "list_reflections",
    "list_notes",
    "list_memory",
    "list_usage",
    "list_timezones",
}
GSI_QUERIES = {"list_athletes_in_timezone"}
WRITES = {
    # method: (indexes the item is projected into, extra small writes the adapter makes)
    "put_athlete": (1, 3),  # gsi1; zone counter + chat link (forward and reverse)
    "put_activity": (1, 0),  # lsi1
    "put_plan": (0, 0),
    "put_message": (1, 0),
    "put_message_if_absent": (1, 0),
    "put_reflection": (1, 0),
    "put_note": (1, 0),
    "put_memory": (1, 0),
    "put_usage": (2, 0),  # lsi1 + gsi1
    "put_token": (0, 2),  # the account link, forward and reverse
    "delete_token": (0, 2),
    "link_identity": (0, 1),
    "unlink_identity": (0, 1),
    "claim": (0, 0),
    "extend_claim": (0, 0),
    "release": (0, 0),
}


def size_of(value: Any) -> int:
    """Bytes DynamoDB would bill for the records in ``value``."""
    if value is None:
        return 0
    if isinstance(value, list | tuple):
        return sum(size_of(v) for v in value)
    if isinstance(value, str):
        return len(value) + ITEM_OVERHEAD
    try:
        return len(to_json(value)) + ITEM_OVERHEAD
    except Exception:
        return ITEM_OVERHEAD


class Meter:
    """Read and write requests and units, as DynamoDB would count them."""

    def __init__(self) -> None:
        self.read_requests = 0
        self.rru = 0.0
        self.wru = 0.0
        self.write_requests = 0
        self.listed_in_zone = 0
        """Athletes returned by ``list_athletes_in_timezone`` (the athletes due)."""
        self.calls: Counter[str] = Counter()

    def snapshot(self) -> tuple[int, float, float]:
        """``(read requests, read units, write units)`` so far."""
        return self.read_requests, self.rru, self.wru

    def read(self, name: str, result: Any) -> None:
        self.calls[name] += 1
        size = size_of(result)
        if name in GETS:
            self.read_requests += 1
            self.rru += max(1, math.ceil(size / 4096))
        else:
            self.read_requests += max(1, math.ceil(size / 1_000_000))
            units = max(1, math.ceil(size / 4096))
            self.rru += units * (0.5 if name in GSI_QUERIES else 1.0)
            if name in GSI_QUERIES:
                self.listed_in_zone += len(result)

    def write(self, name: str, args: tuple[Any, ...]) -> None:
        self.calls[name] += 1
        indexes, extra = WRITES[name]
        record = next((a for a in args if dataclasses.is_dataclass(a)), None)
        units = max(1, math.ceil(size_of(record) / 1024)) if record is not None else 1
        self.wru += units * (1 + indexes) + extra
        self.write_requests += 1 + extra


class MeteredStorage(InMemoryStorage):
    """The in-memory store, every call booked on :attr:`meter`."""

    def __init__(self) -> None:
        super().__init__()
        self.meter = Meter()

    def __getattribute__(self, name: str) -> Any:
        attr = super().__getattribute__(name)
        if name in GETS or name in QUERIES or name in GSI_QUERIES:
            meter = super().__getattribute__("meter")

            def read(*args: Any, **kwargs: Any) -> Any:
                result = attr(*args, **kwargs)
                meter.read(name, result)
                return result

            return read
        if name in WRITES:
            meter = super().__getattribute__("meter")

            def write(*args: Any, **kwargs: Any) -> Any:
                meter.write(name, args)
                return attr(*args, **kwargs)

            return write
        return attr


# -- the demo athlete's real week: per-athlete cost and the check-in prompt ------------------
def demo_week() -> dict[str, Any]:
    """Run the demo athlete's week on the meter; the check-in prompt's tokens, the units per
    athlete-day and the bytes kept per athlete-year."""
    import coach_tokens  # benchmarks/coach_tokens.py: the demo coach and the token counter

    from momentum.adapters.local.demo.history import build_history
    from momentum.adapters.local.demo.sync import HistorySync
    from momentum.core.compose import build_app
    from momentum.core.config import Settings
    from momentum.core.events import ScheduledTick
    from momentum.core.memory import RecordingChat
    from momentum.core.plugins.host import load_plugins
    from momentum.core.ports.clock import FixedClock

    model = coach_tokens.Counting()
    history = build_history()
    storage = MeteredStorage()
    storage.put_athlete(dataclasses.replace(history.athlete, timezone=ZONE))
    start = coach_tokens.AT - dt.timedelta(days=7)
    clock = FixedClock(start)
    scheduler = InMemoryScheduler()
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=scheduler,
        chat=RecordingChat(),
        model=model,
        clock=clock,
        plugins=load_plugins(),
    )
    scheduler.runner = app.run_deferred
    sync = HistorySync(app, history)
    sync.until(start)
    athlete_id = history.athlete.athlete_id
    storage.meter = Meter()
    model.seen.clear()
    days = 7
    for quarter in range(days * 96):
        clock.set(start + dt.timedelta(minutes=15 * quarter))
        for activity_id in sync.until(clock.now()):
            app.coach.on_activity(athlete_id, activity_id)
        app.tick(ScheduledTick("*", clock.now()))
        scheduler.run_pending()
    for n in range(days):
        app.coach.reply(athlete_id, "Legs feel fine, how about tomorrow?", event_id=f"c{n}")
    meter = storage.meter
    checkins = model.seen.get("checkin") or [(0, 0)]
    # What an athlete keeps: the demo's records (about ten weeks), scaled to one year.
    weeks = history.days / 7
    kept = sum(
        len(raw) + ITEM_OVERHEAD
        for table in (
            storage._activities,
            storage._messages,
            storage._reflections,
            storage._notes,
            storage._memory,
            storage._usage,
            storage._tokens,
        )
        for raw in table.values()
    ) + sum(len(raw) for raw in storage._plans.values())
    streams = sum(len(gzip.compress(raw.encode(), 6)) for raw in storage._streams.values())
    return {
        "checkin_prompt_tokens": max(tokens for tokens, _ in checkins),
        "rru_per_day": meter.rru / days,
        "wru_per_day": meter.wru / days,
        "dynamo_bytes_per_year": kept * 52 / weeks,
        "s3_bytes_per_year": streams * 52 / weeks,
    }


# -- many athletes: the tick and a webhook -------------------------------------------------
def crowd(count: int) -> tuple[Any, MeteredStorage]:
    """An app whose store holds ``count`` athletes in one zone, each with a Strava token."""
    from momentum.core.compose import build_app
    from momentum.core.config import Settings
    from momentum.core.memory import RecordingChat, ScriptedModel
    from momentum.core.model import AthleteProfile, OAuthToken
    from momentum.core.plugins.host import load_plugins
    from momentum.core.ports.clock import FixedClock

    storage = MeteredStorage()
    expires = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    for n in range(count):
        athlete_id = f"a{n:06d}"
        storage.put_athlete(
            AthleteProfile(athlete_id, f"Athlete {n}", timezone=ZONE, chat_user_id=f"U{n:08d}")
        )
        storage.put_token(
            OAuthToken(athlete_id, "strava", "acc", "ref", expires, str(10_000_000 + n)), 0
        )
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=FixedClock(dt.datetime.combine(DAY, dt.time(5), tzinfo=dt.UTC)),
        plugins=load_plugins(),
    )
    from momentum.plugins.strava.settings import SECTION, strava_settings

    strava = dataclasses.replace(strava_settings(app.settings), subscription_id="1")
    app.settings = app.settings.with_section(SECTION, strava)
    return app, storage


def ticks(app: Any, storage: MeteredStorage) -> dict[str, Any]:
    """96 ticks over the local day: read requests per tick against the athletes due in
    that tick's window (those of the zones where a job is due, which the tick lists)."""
    from zoneinfo import ZoneInfo

    from momentum.core.events import ScheduledTick

    midnight = dt.datetime.combine(DAY, dt.time(0), tzinfo=ZoneInfo(ZONE)).astimezone(dt.UTC)
    worst: dict[str, Any] = {"reads": 0, "due": 0}
    slack = 0
    for quarter in range(96):
        at = midnight + dt.timedelta(minutes=15 * quarter)
        app.clock.set(at)
        before, listed = storage.meter.read_requests, storage.meter.listed_in_zone
        fired = app.tick(ScheduledTick("*", at))
        reads = storage.meter.read_requests - before
        due = storage.meter.listed_in_zone - listed
        slack = max(slack, reads - due)
        if reads > worst["reads"]:
            worst = {"reads": reads, "due": due, "fanned_out": len(fired), "at": at.isoformat()}
        app.scheduler.pending.clear()  # the jobs' own cost is the demo week's
    return {"worst": worst, "reads_over_due_max": slack}


def webhook_reads(app: Any, storage: MeteredStorage, count: int) -> dict[str, int]:
    """Read requests of one Strava webhook (acked) and one Slack user lookup."""
    from momentum.adapters.slack.users import athlete_for
    from momentum.core.events import HttpRequest

    owner = 10_000_000 + count // 2
    body = json.dumps(
        {
            "object_type": "activity",
            "object_id": 987654321,
            "aspect_type": "create",
            "owner_id": owner,
            "subscription_id": 1,
            "event_time": int(app.clock.now().timestamp()),
            "updates": {},
        }
    ).encode()
    before = storage.meter.read_requests
    response = app.handle_http(HttpRequest("POST", "/strava/webhook", body=body))
    if response.status != 200:
        raise SystemExit(f"the Strava webhook answered {response.status}: {response.body!r}")
    strava = storage.meter.read_requests - before
    before = storage.meter.read_requests
    if athlete_for(storage, f"U{count // 2:08d}") is None:
        raise SystemExit("the Slack lookup found no athlete")
    return {"strava": strava, "slack": storage.meter.read_requests - before}


# -- the fan-out against Groq's limits -----------------------------------------------------
def checkin_minutes(
    due: int,
    prompt_tokens: int,
    *,
    concurrency: int,
    invoke_ms: float,
    model_seconds: float,
    overhead_ms: float,
) -> float:
    """Minutes from 6 am until the last of ``due`` check-ins is done."""
    need = prompt_tokens + CHECKIN_OUTPUT_TOKENS
    token_rate, request_rate = GROQ_TOKENS_PER_MINUTE / 60, GROQ_REQUESTS_PER_MINUTE / 60
    tokens, requests, clock = float(GROQ_TOKENS_PER_MINUTE), float(GROQ_REQUESTS_PER_MINUTE), 0.0
    workers = [0.0] * concurrency
    last = 0.0
    for n in range(due):
        ready = (n + 1) * invoke_ms / 1000  # the tick invokes them one after another
        free = heapq.heappop(workers)
        start = max(ready, free, clock)
        # Refill the buckets up to ``start``; wait for the budget the request needs.
        tokens = min(GROQ_TOKENS_PER_MINUTE, tokens + (start - clock) * token_rate)
        requests = min(GROQ_REQUESTS_PER_MINUTE, requests + (start - clock) * request_rate)
        wait = max(0.0, (need - tokens) / token_rate, (1 - requests) / request_rate)
        start += wait
        tokens = min(GROQ_TOKENS_PER_MINUTE, tokens + wait * token_rate) - need
        requests = min(GROQ_REQUESTS_PER_MINUTE, requests + wait * request_rate) - 1
        clock = start
        done = start + model_seconds + overhead_ms / 1000
        last = max(last, done)
        heapq.heappush(workers, done)
    return last / 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--athletes", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--invoke-ms", type=float, default=20.0)
    parser.add_argument("--model-seconds", type=float, default=1.5)
    parser.add_argument("--job-overhead-ms", type=float, default=300.0)
    args = parser.parse_args()
    if args.athletes < 1 or args.concurrency < 1:
        parser.error("--athletes and --concurrency must be at least 1")

    started = time.perf_counter()
    week = demo_week()
    app, storage = crowd(args.athletes)
    tick = ticks(app, storage)
    hooks = webhook_reads(app, storage, args.athletes)
    minutes = checkin_minutes(
        args.athletes,
        week["checkin_prompt_tokens"],
        concurrency=args.concurrency,
        invoke_ms=args.invoke_ms,
        model_seconds=args.model_seconds,
        overhead_ms=args.job_overhead_ms,
    )
    from momentum.infra.aws.schedules import tick_schedule

    requests_usd = (
        week["rru_per_day"] * PRICE_RRU + week["wru_per_day"] * PRICE_WRU
    ) * DAYS_PER_MONTH
    at_rest_usd = (
        week["dynamo_bytes_per_year"] / 1e9 * PRICE_DYNAMO_GB_MONTH
        + week["s3_bytes_per_year"] / 1e9 * PRICE_S3_GB_MONTH
    )
    result = {
        "athletes": args.athletes,
        "reads_per_tick_max": tick["worst"]["reads"],
        "athletes_due_at_that_tick": tick["worst"]["due"],
        "fanned_out_at_that_tick": tick["worst"]["fanned_out"],
        "reads_per_tick_over_due_max": tick["reads_over_due_max"],
        "reads_per_webhook": max(hooks["strava"], hooks["slack"]),
        "reads_per_strava_webhook": hooks["strava"],
        "reads_per_slack_lookup": hooks["slack"],
        "checkins_done_minutes": round(minutes, 1),
        "checkin_prompt_tokens": week["checkin_prompt_tokens"],
        "schedule_resources": len([tick_schedule()]),
        "storage_usd_per_athlete_month": round(requests_usd + at_rest_usd, 5),
        "storage_requests_usd_per_athlete_month": round(requests_usd, 5),
        "storage_at_rest_usd_per_athlete_month": round(at_rest_usd, 5),
        "rru_per_athlete_day": round(week["rru_per_day"], 1),
        "wru_per_athlete_day": round(week["wru_per_day"], 1),
        "assumptions": {
            "concurrency": args.concurrency,
            "invoke_ms": args.invoke_ms,
            "model_seconds": args.model_seconds,
            "job_overhead_ms": args.job_overhead_ms,
            "groq": "250K tokens/min, 1K requests/min, 220 completion tokens per check-in",
            "at_rest": "one year of the demo athlete's records",
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    goals = {
        "reads_per_webhook": result["reads_per_webhook"] <= 3,
        "reads_per_tick": result["reads_per_tick_over_due_max"] <= 5,
        "checkins_done_minutes": minutes <= 60,
        "storage_usd_per_athlete_month": result["storage_usd_per_athlete_month"] <= 0.01,
    }
    result["goals_met"] = goals
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>40}: {value}")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
