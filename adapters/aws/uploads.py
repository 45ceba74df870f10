"""Files dropped in the bucket under ``uploads/<athlete>/`` become activities.

S3 notifies the function (``ObjectCreated``); the file importer registered for the file's
suffix reads it, the activities and their streams are stored, and a recent new activity is
reviewed the way a synced run is. Every step is idempotent, because S3 may notify twice:
activities are upserts, and each review is claimed once.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from momentum.adapters.aws.s3_blobs import S3BlobStore, parse_upload_key
from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.model import Activity
from momentum.core.plugins.types import FileImporter

log = logging.getLogger("momentum.aws")

REVIEW_IF_NEWER_THAN = dt.timedelta(days=2)
"""Uploads of older activities are history (a backfill), not something to react to."""
REVIEW_CLAIM_TTL = dt.timedelta(days=30)


def importer_for(app: App, file_name: str) -> FileImporter:
    """The importer registered for the file's suffix (double suffixes such as ``.fit.gz``
    included), or :class:`InputError`."""
    from momentum.plugins.files.formats import importer_for as match

    found = match(file_name, app.plugins.file_importers())
    if found is None:
        suffix = "".join(Path(file_name).suffixes[-2:]).lower()
        raise InputError(file_name, f"no importer reads {suffix or 'suffix-less'} files")
    return found


def import_upload(app: App, blobs: S3BlobStore, key: str) -> list[str]:
    """Import one uploaded object; returns the activity ids it held. Raises
    :class:`InputError` naming the object when it can't be imported."""
    parsed = parse_upload_key(key)
    if parsed is None:
        raise InputError(key, "not an upload (expected uploads/<athlete>/<file>)")
    athlete_id, name = parsed
    file_name = Path(name).name
    if file_name in ("", ".", ".."):
        raise InputError(key, "the file has no usable name")
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise InputError(key, f"no athlete {athlete_id!r}")
    importer = importer_for(app, file_name)
    data = blobs.get_bytes(key)
    if data is None:
        raise InputError(key, "the object is gone")
    with tempfile.TemporaryDirectory(prefix="momentum-upload-") as folder:
        path = Path(folder) / file_name
        path.write_bytes(data)
        activities = list(importer.read(path, athlete))
    fresh = [activity for activity in activities if _store(app, activity)]
    # Review every recent one, not only the new ones: a retry after a failed review finds
    # the activity stored already, and the claim keeps a review from going out twice.
    for activity in activities:
        _review_if_recent(app, activity)
    log.info("imported %s: %d activities, %d new", key, len(activities), len(fresh))
    return [activity.activity_id for activity in activities]


def _store(app: App, activity: Activity) -> bool:
    # Streams first: if the process dies between the two writes, the retry still finds
    # the activity new and finishes the job.
    if activity.streams is not None:
        app.storage.put_streams(activity.athlete_id, activity.activity_id, activity.streams)
    return app.storage.put_activity(activity)


def _review_if_recent(app: App, activity: Activity) -> None:
    now = app.clock.now()
    start = activity.start if activity.start.tzinfo else activity.start.replace(tzinfo=dt.UTC)
    if now - start > REVIEW_IF_NEWER_THAN:
        return
    key = f"upload-review:{activity.athlete_id}:{activity.activity_id}"
    if not app.storage.claim(key, now, REVIEW_CLAIM_TTL):
        return
    try:
        app.coach.on_activity(activity.athlete_id, activity.activity_id)
    except Exception:
        app.storage.release(key)
        raise
