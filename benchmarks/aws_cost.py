"""DynamoDB reads and writes per athlete per day, counted over a real week, as a monthly cost.

Run: ``.venv/bin/python benchmarks/aws_cost.py [--runs-per-week 4] [--chats-per-day 2]``.

What runs: the Lambda handler in-process against moto server (DynamoDB, S3) with the real
event shapes: each morning's EventBridge Scheduler tick at 06:00 Toronto (check-in, or the
Monday plan), runs arriving as Strava webhooks (the real Strava plugin fetching from the
loopback Strava fake, then storing and reviewing; the self-invoke goes through the loopback
Lambda stand-in), Sunday's 21:00 weekly refresh, each schedule's catch-up tick 30 minutes
later (a no-op when all went well), and chat replies (``coach.reply``, as the
Slack work handler calls it, plus the two claims the Slack and Lambda paths add). The model
chain is the production one without a Groq key (the offline composer), so usage records
are written as they would be. The athlete starts with three weeks of history.

How it counts: a wrapper over the storage's boto3 DynamoDB client applies DynamoDB's
capacity rules to every call (moto's ConsumedCapacity is not accurate): a write costs
ceil(item KB) WRU for the larger of the old and new item, plus the same for each index the
item is in (both indexes project ALL; a changed index key costs a delete and a put); a
failed conditional write still costs its WRU; a strongly consistent read costs ceil(4 KB
units) RRU (Query: over the summed size of what it returns), at least 1. Item sizes follow
DynamoDB's rules (names + values). The wrapper reads old/new items off the books.

Prices (us-east-1, on-demand, from the AWS pricing pages after DynamoDB's 1 Nov 2024
price cut; as known in early 2026, check before relying on them):
DynamoDB $0.625 per million WRU, $0.125 per million RRU, storage $0.25/GB-month (first
25 GB free), PITR $0.20/GB-month; S3 Standard $0.005 per 1,000 PUT, $0.0004 per 1,000 GET,
$0.023/GB-month; Lambda arm64 $0.20 per million requests + $0.0000133334 per GB-second
(1M requests and 400,000 GB-s free each month); EventBridge Scheduler $1.00 per million
invocations (14M free each month).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from momentum.adapters.aws import clients, handler, secrets  # noqa: E402
from momentum.adapters.aws.bootstrap import build_aws_app  # noqa: E402
from momentum.adapters.aws.schema import GSI1_PK, GSI1_SK, LSI1_SK, PK, SK  # noqa: E402
from momentum.core.model import AthleteProfile, HeartRateProfile, Streams  # noqa: E402
from momentum.core.plugins.host import load_plugins  # noqa: E402
from momentum.core.ports.clock import FixedClock  # noqa: E402
from momentum.plugins.running.profile import GoalRace, RaceResult, running_athlete  # noqa: E402
from tests.support.aws import (  # noqa: E402
    FakeLambdaServer,
    LocalAws,
    apply_environment,
    boto_client,
    function_url_event,
    restore_environment,
    scheduler_input,
    shared_moto_endpoint,
)

PRICE = {
    "wru": 0.625 / 1e6,
    "rru": 0.125 / 1e6,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_s": 0.0000133334,
    "scheduler": 1.00 / 1e6,
    "dynamo_gb_month": 0.25,
    "pitr_gb_month": 0.20,
    "s3_gb_month": 0.023,
}
DAYS_PER_MONTH = 30.44
TZ = ZoneInfo("America/Toronto")
INDEXES = {"lsi1": (PK, LSI1_SK), "gsi1": (GSI1_PK, GSI1_SK)}


# -- DynamoDB's capacity rules -----------------------------------------------------------------
def value_size(value: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for one attribute value."""
    (kind, data), *_ = value.items()
    if kind == "S":
        return len(data.encode("utf-8"))
    if kind == "N":
        digits = len(data.lstrip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + value_size(v) + 1 for k, v in data.items())
    if kind == "L":
        return 3 + sum(value_size(v) + 1 for v in data)
    return len(json.dumps(data))


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes DynamoDB counts for an item: attribute names plus values."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def write_units(old: dict[str, Any] | None, new: dict[str, Any] | None) -> int:
    """WRU of replacing ``old`` with ``new`` (either may be absent), indexes included."""
    units = max(1, math.ceil(max(item_size(old), item_size(new)) / 1024))
    for keys in INDEXES.values():
        in_old = bool(old) and all(k in old for k in keys)  # type: ignore[operator]
        in_new = bool(new) and all(k in new for k in keys)  # type: ignore[operator]
        if in_old and in_new and [old[k] for k in keys] != [new[k] for k in keys]:  # type: ignore[index]
            units += math.ceil(item_size(old) / 1024) + math.ceil(item_size(new) / 1024)
        elif in_new:
            units += max(1, math.ceil(item_size(new) / 1024))
        elif in_old:
            units += max(1, math.ceil(item_size(old) / 1024))
    return units


def read_units(size: int, consistent: bool) -> float:
    """RRU of reading ``size`` bytes (at least one unit's worth)."""
    blocks = max(1, math.ceil(size / 4096))
    return blocks * (1.0 if consistent else 0.5)


class CountingDynamoDB:
    """Wraps a boto3 DynamoDB client and books RRU/WRU for every call by phase."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.phase = "setup"
        self.rru: dict[str, float] = defaultdict(float)
        self.wru: dict[str, float] = defaultdict(float)
        self.calls: dict[str, Counter[str]] = defaultdict(Counter)
        self.paused = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _peek(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self._client.get_item(TableName=table, Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = found.get("Item")
        return item

    def _book(self, op: str, rru: float = 0.0, wru: float = 0.0) -> None:
        if self.paused:
            return
        self.calls[self.phase][op] += 1
        self.rru[self.phase] += rru
        self.wru[self.phase] += wru

    def get_item(self, **request: Any) -> Any:
        response = self._client.get_item(**request)
        size = item_size(response.get("Item"))
        self._book("GetItem", rru=read_units(size, bool(request.get("ConsistentRead"))))
        return response

    def query(self, **request: Any) -> Any:
        response = self._client.query(**request)
        size = sum(item_size(item) for item in response.get("Items", []))
        self._book("Query", rru=read_units(size, bool(request.get("ConsistentRead"))))
        return response

    def _key(self, item: dict[str, Any]) -> dict[str, Any]:
        return {PK: item[PK], SK: item[SK]}

    def put_item(self, **request: Any) -> Any:
        new = request["Item"]
        old = self._peek(request["TableName"], self._key(new))
        try:
            response = self._client.put_item(**request)
        except self._client.exceptions.ConditionalCheckFailedException:
            self._book("PutItem (condition failed)", wru=max(1, math.ceil(item_size(new) / 1024)))
            raise
        self._book("PutItem", wru=write_units(old, new))
        return response

    def update_item(self, **request: Any) -> Any:
        old = self._peek(request["TableName"], request["Key"])
        response = self._client.update_item(**request)
        new = self._peek(request["TableName"], request["Key"])
        self._book("UpdateItem", wru=write_units(old, new))
        return response

    def delete_item(self, **request: Any) -> Any:
        old = self._peek(request["TableName"], request["Key"])
        response = self._client.delete_item(**request)
        self._book("DeleteItem", wru=write_units(old, None))
        return response

    def batch_write_item(self, **request: Any) -> Any:
        units = 0
        for table, writes in request["RequestItems"].items():
            for write in writes:
                key = write.get("DeleteRequest", {}).get("Key")
                old = self._peek(table, key) if key else None
                new = write.get("PutRequest", {}).get("Item")
                units += write_units(old, new)
        response = self._client.batch_write_item(**request)
        self._book("BatchWriteItem", wru=units)
        return response


class CountingS3:
    """Counts S3 requests by phase (PUT/LIST class vs GET class)."""

    def __init__(self, client: Any, counter: CountingDynamoDB) -> None:
        self._client = client
        self._counter = counter
        self.puts: Counter[str] = Counter()
        self.gets: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name in ("put_object", "delete_object", "delete_objects", "list_objects_v2"):
            return self._counting(attribute, self.puts)
        if name == "get_object":
            return self._counting(attribute, self.gets)
        return attribute

    def _counting(self, call: Any, book: Counter[str]) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if not self._counter.paused:
                book[self._counter.phase] += 1
            return call(*args, **kwargs)

        return counted


# -- the week ------------------------------------------------------------------------------------
def run_streams(minutes: int, pace_s_per_km: float = 390.0, hr: int = 142) -> Streams:
    """1 Hz streams of a steady run."""
    speed = 1000.0 / pace_s_per_km
    seconds = [float(t) for t in range(minutes * 60 + 1)]
    return Streams(
        time=tuple(seconds),
        channels={
            "distance": tuple(t * speed for t in seconds),
            "speed": tuple(speed for _ in seconds),
            "heart_rate": tuple(float(hr - 25 * math.exp(-t / 120)) for t in seconds),
            "cadence": tuple(84.0 for _ in seconds),
        },
    )


def athlete() -> AthleteProfile:
    """The talk's athlete (Toronto)."""
    return running_athlete(
        athlete_id="adam",
        name="Adam",
        timezone="America/Toronto",
        heart_rate=HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162),
        goal_race=GoalRace("Monster of Mazinaw 30K Trail", dt.date(2026, 9, 19), 30000),
        race_results=(RaceResult(dt.date(2025, 9, 27), 10000, 4343, "Mazinaw 10K"),),
        chat_user_id="U123ADAM",
    )


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A Toronto wall time as an aware UTC instant."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ).astimezone(dt.UTC)


@contextmanager
def phase(counter: CountingDynamoDB, name: str) -> Any:
    """Book what runs inside under ``name``."""
    previous, counter.phase = counter.phase, name
    try:
        yield
    finally:
        counter.phase = previous


WEEK_START = dt.date(2026, 4, 6)  # a Monday, clear of DST changes
RUN_DAYS = (1, 3, 5, 6, 2, 4, 0)  # Tue, Thu, Sat, Sun first
HISTORY_DAYS = (0, 2, 5)  # Mon, Wed, Sat for the three weeks before


def seed_history(app: Any, profile: AthleteProfile) -> None:
    """Three weeks of runs, stored the way the Strava plugin stores them."""
    from momentum.plugins.running.analytics.record import build_activity

    for week in range(3, 0, -1):
        monday = WEEK_START - dt.timedelta(days=7 * week)
        for weekday in HISTORY_DAYS:
            minutes = 90 if weekday == 5 else 45
            start = local(monday + dt.timedelta(days=weekday), 7)
            streams = run_streams(minutes)
            activity = build_activity(
                streams,
                profile,
                activity_id=f"h{week}{weekday}",
                activity_type="Run",
                start=start,
                name="Morning Run",
                source="strava",
            )
            app.storage.put_streams(profile.athlete_id, activity.activity_id, streams)
            app.storage.put_activity(activity)


def catch_up(counter: CountingDynamoDB, clock: FixedClock, base: dt.datetime, job: str) -> int:
    """The stack's catch-up tick 30 minutes after a schedule (a no-op when all went well)."""
    scheduled = base + dt.timedelta(minutes=30)
    saved = clock.now()
    clock.set(scheduled + dt.timedelta(seconds=1))
    with phase(counter, "catch-up tick (no-op)"):
        at = scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
        answer = handler.handler(scheduler_input(job, "adam", at), None)
        assert answer == {"fired": []}, answer
    clock.set(max(saved, clock.now()))
    return 1


def run_week(app: Any, fakes: Any, counter: CountingDynamoDB, clock: FixedClock, args: Any) -> int:
    """Drive one week through the handler; returns how many handler invocations ran
    directly (schedules and webhooks; self-invokes are counted by the Lambda stand-in)."""
    strava, slack, fake_strava, fake_lambda = fakes
    invocations = 0
    run_days = set(RUN_DAYS[: args.runs_per_week])
    for offset in range(7):
        day = WEEK_START + dt.timedelta(days=offset)
        clock.set(local(day, 6) + dt.timedelta(seconds=1))
        name = "monday plan (tick)" if day.weekday() == 0 else "check-in (tick)"
        with phase(counter, name):
            at = local(day, 6).strftime("%Y-%m-%dT%H:%M:%SZ")
            answer = handler.handler(scheduler_input("*", "adam", at), None)
            assert answer.get("fired"), answer
            invocations += 1
        invocations += catch_up(counter, clock, local(day, 6), "*")
        for n in range(args.chats_per_day):
            clock.set(local(day, 12 + n))
            with phase(counter, "chat reply (Slack DM)"):
                now = int(clock.now().timestamp())
                event_id = f"Ev{offset}{n}"
                body = json.dumps(
                    slack.event_callback(
                        slack.dm_event(
                            "U123ADAM", "legs a bit heavy, keep today easy?", f"{now}.{n}"
                        ),
                        event_id,
                        now,
                    )
                ).encode()
                request = function_url_event(
                    "POST", "/slack/events", body=body, headers=slack.signed_headers(body, now)
                )
                assert handler.handler(request, fake_lambda.context())["statusCode"] == 200
                invocations += 1
                fake_lambda.drain()
        if day.weekday() in run_days:
            minutes = 90 if day.weekday() == 5 else 45
            start = local(day, 17)
            run_id = 9_000_000 + offset
            fake_strava.add_activity(
                strava.OWNER_ID,
                run_id,
                name="Evening Run",
                sport_type="Run",
                start=start,
                streams=strava.synthetic_run(minutes),
            )
            clock.set(start + dt.timedelta(minutes=minutes + 10))
            with phase(counter, "run review (Strava webhook)"):
                event = strava.FakeStrava.event("activity", "create", run_id, strava.OWNER_ID, 1001)
                request = function_url_event(
                    "POST",
                    "/strava/webhook",
                    body=json.dumps(event).encode(),
                    headers={"content-type": "application/json"},
                )
                assert handler.handler(request, fake_lambda.context())["statusCode"] == 200
                invocations += 1
                fake_lambda.drain()
        if day.weekday() == 6:
            clock.set(local(day, 21) + dt.timedelta(seconds=1))
            with phase(counter, "weekly refresh (tick)"):
                at = local(day, 21).strftime("%Y-%m-%dT%H:%M:%SZ")
                handler.handler(scheduler_input("weekly_refresh", "adam", at), None)
                invocations += 1
            invocations += catch_up(counter, clock, local(day, 21), "weekly_refresh")
    if fake_lambda.failures:
        raise RuntimeError(f"deferred work failed: {fake_lambda.failures[0][1]!r}")
    return invocations


def table_bytes(endpoint: str, table: str) -> int:
    """Bytes of every item in the table (off the books; a Scan is fine in a benchmark)."""
    client = boto_client("dynamodb", endpoint)
    total = 0
    for page in client.get_paginator("scan").paginate(TableName=table):
        total += sum(item_size(item) for item in page["Items"])
    return total


def report(
    counter: CountingDynamoDB,
    s3: CountingS3,
    invocations: int,
    ticks: int,
    deferred: int,
    bytes_after: tuple[int, int],
    args: Any,
) -> None:
    """Print the per-phase counts, the daily average and the monthly cost."""
    print(
        "prices: AWS us-east-1 list prices as known in early 2026 (DynamoDB on-demand after "
        "the 1 Nov 2024 cut): $0.625/M WRU, $0.125/M RRU; S3 $0.005/1k PUT, $0.0004/1k GET; "
        "Lambda arm64 $0.20/M requests + $0.0000133334/GB-s; Scheduler $1.00/M"
    )
    print(
        f"one athlete, one week: {args.runs_per_week} runs, {args.chats_per_day} chat "
        "messages a day, 6 check-ins, a Monday plan, a Sunday refresh"
    )
    print(f"  {'phase':<30} {'calls':>6} {'RRU':>8} {'WRU':>8}  {'S3 put/get':>10}")
    phases = [p for p in counter.calls if p != "setup"]
    for name in sorted(phases):
        calls = sum(counter.calls[name].values())
        print(
            f"  {name:<30} {calls:>6} {counter.rru[name]:>8.1f} {counter.wru[name]:>8.1f}"
            f"  {s3.puts[name]:>5}/{s3.gets[name]:<4}"
        )
    rru_week = sum(counter.rru[p] for p in phases)
    wru_week = sum(counter.wru[p] for p in phases)
    puts = sum(s3.puts[p] for p in phases)
    gets = sum(s3.gets[p] for p in phases)
    checkins = sum(counter.calls["check-in (tick)"].values()) and 6
    runs = args.runs_per_week
    if checkins and runs:
        run_phase = "run review (Strava webhook)"
        day_rru = counter.rru["check-in (tick)"] / 6 + counter.rru[run_phase] / runs
        day_wru = counter.wru["check-in (tick)"] / 6 + counter.wru[run_phase] / runs
        print(f"  a day's check-in + one run review: {day_rru:.1f} RRU, {day_wru:.1f} WRU")
    per_day = (rru_week / 7, wru_week / 7)
    print(f"  per athlete per day (week average): {per_day[0]:.1f} RRU, {per_day[1]:.1f} WRU")
    month = DAYS_PER_MONTH / 7
    dynamo = rru_week * month * PRICE["rru"] + wru_week * month * PRICE["wru"]
    print(
        f"  per month: {rru_week * month:,.0f} RRU + {wru_week * month:,.0f} WRU "
        f"= ${dynamo:.4f} DynamoDB requests"
    )
    table_growth = (bytes_after[1] - bytes_after[0]) * 52 / 1e9
    storage = table_growth * (PRICE["dynamo_gb_month"] + PRICE["pitr_gb_month"])
    s3_requests = (puts * PRICE["s3_put"] + gets * PRICE["s3_get"]) * month
    lambda_requests = (invocations + deferred) * month
    gb_seconds = lambda_requests * 2.0 * 0.5  # assume 2 s at 512 MB each (model calls)
    lambda_cost = lambda_requests * PRICE["lambda_request"] + gb_seconds * PRICE["lambda_gb_s"]
    scheduler = ticks * month * PRICE["scheduler"]
    print(
        f"  table grows ~{table_growth * 1000:.1f} MB a year; after a year storage + PITR "
        f"would cost ${storage:.4f}/month (25 GB storage is free)"
    )
    print(
        f"  S3: {puts * month:.0f} PUT/LIST + {gets * month:.0f} GET a month = ${s3_requests:.4f}"
    )
    print(
        f"  Lambda: {lambda_requests:.0f} invocations, ~{gb_seconds:.0f} GB-s a month "
        f"= ${lambda_cost:.4f} at list price (inside the free tier: $0)"
    )
    print(f"  EventBridge Scheduler: {ticks * month:.0f} invocations a month = ${scheduler:.5f}")
    total = dynamo + storage + s3_requests + lambda_cost + scheduler
    print(f"  AWS total per athlete-month, no free tier: ${total:.3f} (LLM tokens not included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-per-week", type=int, default=4, choices=range(8))
    parser.add_argument("--chats-per-day", type=int, default=2)
    args = parser.parse_args()

    try:
        endpoint = shared_moto_endpoint()
    except RuntimeError as error:
        raise SystemExit(f"moto server unavailable: {error}") from None
    from tests.fakes import fake_slack as slack
    from tests.fakes import fake_strava as strava

    profile = athlete()
    clock = FixedClock(local(WEEK_START, 5))
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeLambdaServer(handler.handler, function_name="momentum-bench") as fake_lambda,
        slack.FakeSlack() as fake_slack,
    ):
        home = Path(folder)
        (home / "strava").mkdir()
        with strava.FakeStrava(home / "strava", clock=lambda: clock.now().timestamp()) as fs:
            stack = LocalAws(endpoint, fake_lambda)
            stack.create()
            (home / "momentum.toml").write_text(
                f'[strava]\nbase_url = "{fs.base_url}"\n'
                f'[slack]\nbase_url = "{fake_slack.api_url}"\n'
            )
            previous = apply_environment(
                {
                    **stack.env(),
                    "MOMENTUM_HOME": str(home),
                    "REQUESTS_CA_BUNDLE": str(fs.cert_path),
                    "STRAVA_CLIENT_ID": str(strava.CLIENT_ID),
                    "STRAVA_CLIENT_SECRET": strava.CLIENT_SECRET,
                    "STRAVA_VERIFY_TOKEN": strava.VERIFY_TOKEN,
                    "STRAVA_SUBSCRIPTION_ID": "1001",
                    "SLACK_SIGNING_SECRET": slack.SIGNING_SECRET,
                    "SLACK_BOT_TOKEN": slack.BOT_TOKEN,
                }
            )
            try:
                clients.clear_cache()
                secrets.clear_cache()
                app = build_aws_app(os.environ, clock=clock, plugins=load_plugins())
                counter = CountingDynamoDB(boto_client("dynamodb", endpoint))
                s3 = CountingS3(boto_client("s3", endpoint), counter)
                app.storage.db = counter  # type: ignore[attr-defined]
                app.storage.blobs.client = s3  # type: ignore[attr-defined]
                handler.set_app(app)
                counter.paused = True
                app.storage.put_athlete(profile)
                strava.connect_athlete(app, fs, "adam")
                seed_history(app, profile)
                before = table_bytes(endpoint, stack.table)
                counter.paused = False
                fakes = (strava, slack, fs, fake_lambda)
                invocations = run_week(app, fakes, counter, clock, args)
                after = table_bytes(endpoint, stack.table)
                ticks = 16  # 8 schedules and their catch-up twins
                report(
                    counter,
                    s3,
                    invocations,
                    ticks,
                    len(fake_lambda.received),
                    (before, after),
                    args,
                )
            finally:
                restore_environment(previous)
                handler.set_app(None)
                stack.destroy()


if __name__ == "__main__":
    main()
