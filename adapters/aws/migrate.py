"""Copy a coach's records from one Storage to another, e.g. a local coach into the deployed
DynamoDB table, so the first check-in on AWS already knows the athlete, their history and
their Strava tokens (the OAuth flow runs locally: ``momentum strava connect``).

Run: ``momentum migrate --to aws --table T --bucket B`` (the old
``python -m momentum.adapters.aws.migrate --home ~/.momentum --table T --bucket B`` still works)
(table and bucket from ``pulumi stack output tableName`` / ``bucketName``; AWS credentials
and region from the usual environment). Every write is an upsert, so running it again is
safe; a token is written over whatever version the target holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from momentum.core.model import OAuthToken
from momentum.core.ports.storage import ConflictError, Storage

FAR_PAST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
TOKEN_PROVIDERS = ("strava", "oura", "peloton")


def copy_coach(
    source: Storage,
    target: Storage,
    athlete_ids: Sequence[str] | None = None,
    providers: Sequence[str] = TOKEN_PROVIDERS,
) -> Counter[str]:
    """Copy every record of the chosen athletes (all by default); returns counts by kind."""
    copied: Counter[str] = Counter()
    for athlete in source.list_athletes():
        if athlete_ids is not None and athlete.athlete_id not in athlete_ids:
            continue
        aid = athlete.athlete_id
        target.put_athlete(athlete)
        copied["athletes"] += 1
        for activity in source.list_activities(aid, FAR_PAST, FAR_FUTURE):
            streams = source.get_streams(aid, activity.activity_id)
            if streams is not None:
                target.put_streams(aid, activity.activity_id, streams)
                copied["streams"] += 1
            target.put_activity(activity)
            copied["activities"] += 1
            for note in source.list_notes(aid, activity.activity_id):
                target.put_note(note)
                copied["notes"] += 1
        plan = source.get_plan(aid)
        if plan is not None:
            target.put_plan(plan)
            copied["plans"] += 1
        for message in source.list_messages(aid, FAR_PAST, FAR_FUTURE):
            target.put_message(message)
            copied["messages"] += 1
        for reflection in source.list_reflections(aid, FAR_PAST, FAR_FUTURE):
            target.put_reflection(reflection)
            copied["reflections"] += 1
        for item in source.list_memory(aid):
            target.put_memory(item)
            copied["memory"] += 1
        for usage in source.list_usage(aid, FAR_PAST, FAR_FUTURE):
            target.put_usage(usage)
            copied["usage"] += 1
        for provider in providers:
            token = source.get_token(aid, provider)
            if token is not None:
                _copy_token(target, token)
                copied["tokens"] += 1
    return copied


def _copy_token(target: Storage, token: OAuthToken) -> None:
    for _ in range(5):
        current = target.get_token(token.athlete_id, token.provider)
        try:
            target.put_token(token, current.version if current else 0)
            return
        except ConflictError:
            continue
    raise ConflictError(f"{token.provider} token for {token.athlete_id} kept changing")


def migrate_home(
    home: Path,
    table: str,
    bucket: str,
    athlete_ids: Sequence[str] | None = None,
    region: str | None = None,
) -> Counter[str]:
    """Copy the local coach in ``home`` into the deployed DynamoDB table and S3 bucket."""
    from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.core.errors import ConfigError

    database = Path(home).expanduser() / "momentum.db"
    if not database.exists():
        raise ConfigError(f"{database}: no local coach here (run momentum init first)")
    target = DynamoDbStorage.connect(table, bucket, region=region)
    with SqliteStorage(database) as source:
        return copy_coach(source, target, athlete_ids)


def summary(copied: Counter[str]) -> str:
    """``3 activities, 1 athletes, …`` (or ``nothing``)."""
    return ", ".join(f"{count} {kind}" for kind, count in sorted(copied.items())) or "nothing"


def main(argv: Sequence[str] | None = None) -> None:
    """The old entry point, kept as a thin shim: ``momentum migrate --to aws`` is the
    command now."""
    parser = argparse.ArgumentParser(description="Copy a local coach into its AWS table.")
    parser.add_argument("--home", type=Path, required=True, help="the local coach's folder")
    parser.add_argument("--table", required=True, help="pulumi stack output tableName")
    parser.add_argument("--bucket", required=True, help="pulumi stack output bucketName")
    parser.add_argument("--athlete", action="append", help="only this athlete (repeatable)")
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    from momentum.core.errors import ConfigError

    try:
        copied = migrate_home(args.home, args.table, args.bucket, args.athlete, args.region)
    except ConfigError as exc:
        raise SystemExit(str(exc)) from None
    print(summary(copied))


if __name__ == "__main__":
    main()
