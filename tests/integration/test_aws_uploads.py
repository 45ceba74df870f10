"""Files uploaded to ``s3://<bucket>/uploads/<athlete>/`` become activities: a real FIT file
is put into S3 on moto, the handler gets S3's ``ObjectCreated`` notification, the files
plugin's importer reads it, and the record (DynamoDB) and streams (S3) are stored. A recent
activity is reviewed once, however often S3 notifies."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.runtime.uploads import importer_for, upload_key
from tests.integration.aws_stack import local_aws
from tests.support.aws import (
    LocalAws,
    s3_object_created_event,
)

pytestmark = [pytest.mark.integration, pytest.mark.aws]

RUN_FILE = "fit/activity-small-fenix2-run.fit"
BROKEN_FILE = "fit/activity-unexpected-eof.fit"
FAR_PAST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text="Nice steady effort.", model="scripted", provider="test")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    """The shared local AWS stack (tests/integration/aws_stack.py)."""
    with local_aws(monkeypatch, tmp_path) as stack:
        yield stack


@pytest.fixture
def app(aws: LocalAws, clock: FixedClock, athlete: AthleteProfile) -> App:
    built = build_aws_app(
        os.environ,
        chat=RecordingChat(),
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    built.storage.put_athlete(athlete)
    handler.set_app(built)
    return built


def upload(aws: LocalAws, source: Path, name: str | None = None) -> dict[str, Any]:
    """Put the file where the athlete uploads and return S3's notification for it."""
    key = upload_key("adam", name or source.name)
    data = source.read_bytes()
    aws.client("s3").put_object(Bucket=aws.bucket, Key=key, Body=data)
    return s3_object_created_event(aws.bucket, key, len(data))


def activities(app: App) -> list[Any]:
    return app.storage.list_activities("adam", FAR_PAST, FAR_FUTURE)


def test_an_uploaded_fit_file_becomes_an_activity_with_streams_in_s3(
    app: App, aws: LocalAws, data_dir: Path
) -> None:
    result = handler.handler(upload(aws, data_dir / RUN_FILE), None)

    [activity] = activities(app)
    key = upload_key("adam", "activity-small-fenix2-run.fit")
    assert result == {"imported": {key: [activity.activity_id]}}
    assert activity.is_run and activity.distance_meters > 0
    streams = app.storage.get_streams("adam", activity.activity_id)
    assert streams is not None and len(streams.time) > 10
    assert isinstance(app.chat, RecordingChat) and app.chat.messages == []  # history: no review


def test_a_recent_upload_is_reviewed_once_however_often_s3_notifies(
    app: App, aws: LocalAws, data_dir: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    [parsed] = importer_for(app, RUN_FILE).read(data_dir / RUN_FILE, athlete)
    clock.set(parsed.start + dt.timedelta(hours=2))
    event = upload(aws, data_dir / RUN_FILE, "morning run.fit")

    handler.handler(event, None)
    handler.handler(event, None)  # S3 may deliver a notification twice

    assert [a.activity_id for a in activities(app)] == [parsed.activity_id]
    assert isinstance(app.chat, RecordingChat)
    reviews = [m for m in app.chat.messages if m.channel == "dm:U123ADAM"]
    assert len(reviews) == 1 and "Nice steady effort." in reviews[0].text


def test_files_that_cannot_be_imported_are_skipped_with_nothing_stored(
    app: App, aws: LocalAws, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not an activity")
    broken = tmp_path / "cut-short.fit"
    broken.write_bytes((data_dir / BROKEN_FILE).read_bytes()[:40])  # no record to keep
    assert handler.handler(upload(aws, notes), None) == {"imported": {}}
    assert handler.handler(upload(aws, broken), None) == {"imported": {}}
    assert activities(app) == []
    assert "notes.txt" in caplog.text and "cut-short.fit" in caplog.text


def test_a_gzipped_fit_upload_is_imported(
    app: App, aws: LocalAws, data_dir: Path, tmp_path: Path
) -> None:
    # Path("run.fit.gz").suffix is ".gz": the importer is chosen by the whole ".fit.gz".
    import gzip

    packed = tmp_path / "Morning Run.FIT.gz"
    packed.write_bytes(gzip.compress((data_dir / RUN_FILE).read_bytes()))
    result = handler.handler(upload(aws, packed), None)
    [activity] = activities(app)
    assert result == {"imported": {upload_key("adam", packed.name): [activity.activity_id]}}
    assert activity.is_run and activity.distance_meters == pytest.approx(9008, rel=0.01)


def test_uploads_for_unknown_athletes_and_other_buckets_are_ignored(
    app: App, aws: LocalAws, data_dir: Path
) -> None:
    data = (data_dir / RUN_FILE).read_bytes()
    key = upload_key("stranger", "run.fit")
    aws.client("s3").put_object(Bucket=aws.bucket, Key=key, Body=data)
    assert handler.handler(s3_object_created_event(aws.bucket, key, len(data)), None) == {
        "imported": {}
    }
    elsewhere = s3_object_created_event("someone-elses-bucket", upload_key("adam", "x.fit"), 3)
    assert handler.handler(elsewhere, None) == {"imported": {}}
    assert (
        activities(app) == []
        and app.storage.list_activities("stranger", FAR_PAST, FAR_FUTURE) == []
    )
