"""The command line for copying a local coach into the deployed DynamoDB table (the copy
itself is core's :func:`momentum.core.runtime.copy.copy_coach`), so the first check-in on
AWS already knows the athlete, their history and their Strava tokens (the OAuth flow runs
locally: ``momentum strava connect``).

Run: ``python -m momentum.adapters.aws.migrate --home ~/.momentum --table T --bucket B``
(table and bucket from ``pulumi stack output tableName`` / ``bucketName``; AWS credentials
and region from the usual environment). Every write is an upsert, so running it again is
safe; a token is written over whatever version the target holds.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from momentum.core.runtime.copy import FAR_FUTURE, FAR_PAST, TOKEN_PROVIDERS, copy_coach

__all__ = ["FAR_FUTURE", "FAR_PAST", "TOKEN_PROVIDERS", "copy_coach", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """The command line: local SQLite coach → deployed DynamoDB + S3."""
    parser = argparse.ArgumentParser(description="Copy a local coach into its AWS table.")
    parser.add_argument("--home", type=Path, required=True, help="the local coach's folder")
    parser.add_argument("--table", required=True, help="pulumi stack output tableName")
    parser.add_argument("--bucket", required=True, help="pulumi stack output bucketName")
    parser.add_argument("--athlete", action="append", help="only this athlete (repeatable)")
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)

    from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
    from momentum.adapters.local.sqlite_storage import SqliteStorage

    database = args.home.expanduser() / "momentum.db"
    if not database.exists():
        raise SystemExit(f"{database}: no local coach here (run `momentum init` first)")
    target = DynamoDbStorage.connect(args.table, args.bucket, region=args.region)
    with SqliteStorage(database) as source:
        copied = copy_coach(source, target, args.athlete)
    print(", ".join(f"{count} {kind}" for kind, count in sorted(copied.items())) or "nothing")


if __name__ == "__main__":
    main()
