"""Files dropped in the Blob store under ``uploads/<athlete>/`` become activities.

The platform notifies the runtime (S3 ``ObjectCreated``, a Cloud Storage finalize, an
Azure blob trigger, an R2 event notification) with an
:class:`~momentum.core.runtime.events.UploadCreated`; the file importer registered for the file's
suffix reads it, the activities and their streams are stored, and a recent new activity is
reviewed the way a synced run is. Every step is idempotent, because a platform may notify twice:
activities are upserts, and each review is claimed once.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import quote, unquote

from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.model import Activity
from momentum.core.plugins.types import FileImporter
from momentum.core.ports.blob import Blob

log = logging.getLogger("momentum.runtime")

UPLOADS_PREFIX = "uploads/"


class _HasExtensions(Protocol):
    @property
    def extensions(self) -> tuple[str, ...]: ...


Importer = TypeVar("Importer", bound=_HasExtensions)

REVIEW_IF_NEWER_THAN = dt.timedelta(days=2)
"""Uploads of older activities are history (a backfill), not something to react to."""
REVIEW_CLAIM_TTL = dt.timedelta(days=30)


def longest_suffix_match(name: str, importers: Iterable[Importer]) -> Importer | None:
    """The importer whose extension the file name ends with, the longest match winning, so
    ``run.FIT.gz`` goes to the one that lists ``.fit.gz`` (``Path.suffix`` sees only
    ``.gz``); ``None`` when no importer reads the name."""
    lower = name.lower()
    best: Importer | None = None
    best_length = 0
    for importer in importers:
        for extension in importer.extensions:
            ext = extension.lower()
            if lower.endswith(ext) and len(lower) > len(ext) and len(ext) > best_length:
                best, best_length = importer, len(ext)
    return best


def importer_for(app: App, file_name: str) -> FileImporter:
    """The importer registered for the file's suffix (double suffixes such as ``.fit.gz``
    included), or :class:`InputError`."""
    found = longest_suffix_match(file_name, app.plugins.file_importers())
    if found is None:
        suffix = "".join(Path(file_name).suffixes[-2:]).lower()
        raise InputError(file_name, f"no importer reads {suffix or 'suffix-less'} files")
    return found


def upload_key(athlete_id: str, file_name: str) -> str:
    """Where a file an athlete uploads lands (parts URL-quoted: no ``/`` survives)."""
    return f"{UPLOADS_PREFIX}{quote(athlete_id, safe='')}/{quote(file_name, safe='')}"


def parse_upload_key(key: str) -> tuple[str, str] | None:
    """``(athlete_id, file_name)`` for an upload key (parts URL-quoted), else ``None``."""
    if not key.startswith(UPLOADS_PREFIX):
        return None
    athlete, sep, name = key[len(UPLOADS_PREFIX) :].partition("/")
    if not sep or not athlete or not name or "/" in name:
        return None
    return unquote(athlete), unquote(name)


def import_upload(app: App, blobs: Blob, key: str) -> list[str]:
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
    data = blobs.get(key)
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
