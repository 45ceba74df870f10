"""The command line for copying a local coach into the deployed DynamoDB table (the copy
itself is core's :func:`momentum.core.runtime.copy.copy_coach`), so the first check-in on
AWS already knows the athlete, their history and their Strava tokens (the OAuth flow runs
locally: ``momentum strava connect``).

Run: ``momentum migrate --to aws --table T --bucket B`` (the old
``python -m momentum.adapters.aws.migrate --home ~/.momentum --table T --bucket B`` still works)
(table and bucket from ``pulumi stack output tableName`` / ``bucketName``; AWS credentials
and region from the usual environment). Every write is an upsert, so running it again is
safe; a token is written over whatever version the target holds.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from momentum.core.runtime.copy import FAR_FUTURE, FAR_PAST, TOKEN_PROVIDERS, copy_coach

__all__ = ["FAR_FUTURE", "FAR_PAST", "TOKEN_PROVIDERS", "copy_coach", "main"]


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
