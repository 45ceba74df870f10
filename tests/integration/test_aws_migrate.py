"""Copying a local coach (SQLite) into the deployed table and bucket (DynamoDB and S3 on
moto server), so the first check-in on AWS knows the athlete, the history and the Strava
tokens from ``momentum strava connect``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from momentum.adapters.aws import clients
from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
from momentum.adapters.aws.s3_blobs import S3BlobStore
from momentum.adapters.local.commands.migrate_cmds import copy_home
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.errors import ConfigError
from momentum.core.ports.storage import Storage
from momentum.core.runtime.copy import FAR_FUTURE, FAR_PAST, copy_coach
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r
from tests.support.aws import (
    FakeLambdaServer,
    LocalAws,
    aws_environment,
    shared_moto_endpoint,
)

pytestmark = [pytest.mark.integration, pytest.mark.aws]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalAws]:
    try:
        endpoint = shared_moto_endpoint()
    except RuntimeError as error:
        pytest.skip(f"moto server unavailable: {error}")
    with FakeLambdaServer(lambda event, context: None) as fake:
        stack = LocalAws(endpoint, fake)
        stack.create()
        for key, value in aws_environment(endpoint).items():
            monkeypatch.setenv(key, value)
        clients.clear_cache()
        try:
            yield stack
        finally:
            clients.clear_cache()
            stack.destroy()


def fill(storage: Storage) -> None:
    storage.put_athlete(r.athlete())
    storage.put_activity(r.activity("a1"))
    storage.put_streams("adam", "a1", r.streams())
    storage.put_activity(r.activity("a2", start=r.T0 + dt.timedelta(days=1)))
    storage.put_note(r.note())
    storage.put_plan(r.plan())
    storage.put_message(r.message())
    storage.put_reflection(r.reflection())
    storage.put_memory(r.memory())
    storage.put_usage(r.usage())
    storage.put_token(r.token(), 0)


def holdings(storage: Storage) -> dict[str, object]:
    return {
        "athletes": storage.list_athletes(),
        "activities": storage.list_activities("adam", FAR_PAST, FAR_FUTURE),
        "streams": storage.get_streams("adam", "a1"),
        "notes": storage.list_notes("adam", "a1"),
        "plan": storage.get_plan(Plan, "adam"),
        "messages": storage.list_messages("adam", FAR_PAST, FAR_FUTURE),
        "reflections": storage.list_reflections("adam", FAR_PAST, FAR_FUTURE),
        "memory": storage.list_memory("adam"),
        "usage": storage.list_usage("adam", FAR_PAST, FAR_FUTURE),
    }


def test_a_local_coach_is_copied_whole_and_copying_again_is_harmless(
    aws: LocalAws, tmp_path: Path
) -> None:
    target = DynamoDbStorage(
        aws.table, aws.client("dynamodb"), S3BlobStore(aws.bucket, aws.client("s3"))
    )
    with SqliteStorage(tmp_path / "momentum.db") as source:
        fill(source)
        first = copy_coach(source, target, providers=("strava",), plan_types=(Plan,))
        again = copy_coach(source, target, providers=("strava",), plan_types=(Plan,))
        assert first == again
        assert first["activities"] == 2 and first["streams"] == 1 and first["tokens"] == 1
        assert first["plans"] == 1
        expected = holdings(source)
    found = holdings(target)
    plan = found.pop("plan")
    wanted_plan = expected.pop("plan")
    assert found == expected
    assert plan is not None and wanted_plan is not None
    assert plan.weeks == wanted_plan.weeks  # type: ignore[attr-defined]
    token = target.get_token("adam", "strava")
    assert token is not None and token.refresh_token == r.token().refresh_token
    assert token.version == 2  # written over the first copy's version


def test_a_home_folder_is_copied_into_the_table(aws: LocalAws, tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "momentum.db") as source:
        fill(source)
    target = DynamoDbStorage(
        aws.table, aws.client("dynamodb"), S3BlobStore(aws.bucket, aws.client("s3"))
    )
    copied = copy_home(tmp_path, target)
    assert copied["activities"] == 2
    assert copied["plans"] == 1  # the installed running domain's plan type came along
    assert target.get_plan(Plan, "adam") is not None
    assert [a.athlete_id for a in target.list_athletes()] == ["adam"]
    with pytest.raises(ConfigError, match="no local coach"):
        copy_home(tmp_path / "empty", target)


def test_momentum_migrate_is_a_subcommand(aws: LocalAws, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from momentum.adapters.local.cli import _register_all, cli

    _register_all()
    with SqliteStorage(tmp_path / "momentum.db") as source:
        fill(source)
    runner = CliRunner()
    args = ["--home", str(tmp_path), "migrate", "--to", "aws"]
    result = runner.invoke(cli, [*args, "--table", aws.table, "--bucket", aws.bucket])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("copied ") and "2 activities" in result.output
    wrong = runner.invoke(cli, [*args[:3], "--to", "gcp", "--table", "t", "--bucket", "b"])
    assert wrong.exit_code == 1 and "--to must be one of aws" in wrong.output
