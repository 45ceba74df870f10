"""S3 as the blob store: raw activity streams (gzip JSON) and files athletes upload.

Streams are large (one sample a second for hours) and read rarely, so they live in S3 and
not in the table. Keys:

- ``streams/<athlete>/<activity>.json.gz`` – :class:`momentum.core.model.Streams`, gzip JSON;
- ``uploads/<athlete>/<file name>`` – files to import (FIT, GPX, TCX, CSV);
- ``deferred/<id>.json`` – a deferred job too large for an asynchronous invoke.

Key parts are percent-encoded, so an id can't climb out of its prefix.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

from momentum.core.ports.blob import Blob, check_key

STREAMS_PREFIX = "streams/"
UPLOADS_PREFIX = "uploads/"
DEFERRED_PREFIX = "deferred/"


def key_part(value: str) -> str:
    """One id or file name, percent-encoded (no ``/`` survives)."""
    return quote(value, safe="")


def streams_key(athlete_id: str, activity_id: str) -> str:
    """Where one activity's streams live."""
    return f"{STREAMS_PREFIX}{key_part(athlete_id)}/{key_part(activity_id)}.json.gz"


def upload_key(athlete_id: str, file_name: str) -> str:
    """Where an uploaded file for an athlete lives."""
    return f"{UPLOADS_PREFIX}{key_part(athlete_id)}/{key_part(file_name)}"


def parse_upload_key(key: str) -> tuple[str, str] | None:
    """``(athlete_id, file_name)`` for an upload key, or ``None`` for any other key."""
    if not key.startswith(UPLOADS_PREFIX):
        return None
    rest = key[len(UPLOADS_PREFIX) :]
    athlete, sep, name = rest.partition("/")
    if not sep or not athlete or not name or "/" in name:
        return None
    return unquote(athlete), unquote(name)


class S3BlobStore(Blob):
    """The Blob port on one private bucket. ``client`` is a boto3 S3 client."""

    def __init__(self, bucket: str, client: Any) -> None:
        self.bucket = bucket
        self.client = client

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """The Blob port's put (the key is checked the same way on every target)."""
        self.put_bytes(check_key(key), data, content_type)

    def get(self, key: str) -> bytes | None:
        """The Blob port's get."""
        return self.get_bytes(check_key(key))

    def put_bytes(self, key: str, data: bytes, content_type: str, encoding: str = "") -> None:
        """Write one object (server-side encrypted by the bucket's default)."""
        extra = {"ContentEncoding": encoding} if encoding else {}
        self.client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, **extra
        )

    def get_bytes(self, key: str) -> bytes | None:
        """One object's bytes, or ``None`` when there is no such key."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except self.client.exceptions.NoSuchKey:
            return None
        data: bytes = response["Body"].read()
        return data

    def put_json_gz(self, key: str, payload: Any) -> None:
        """Write JSON-ready data gzipped (deterministic bytes: no timestamp in the header)."""
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.put_bytes(
            key, gzip.compress(raw, compresslevel=6, mtime=0), "application/json", "gzip"
        )

    def get_json_gz(self, key: str) -> Any | None:
        """Read what :meth:`put_json_gz` wrote, or ``None``."""
        data = self.get_bytes(key)
        return None if data is None else json.loads(gzip.decompress(data))

    def delete(self, key: str) -> None:
        """Delete one object (no error when it is absent)."""
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under ``prefix``."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                yield entry["Key"]

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under ``prefix`` (1,000 per request). Returns how many."""
        batch: list[dict[str, str]] = []
        count = 0
        for key in self.keys(prefix):
            batch.append({"Key": key})
            if len(batch) == 1000:
                count += self._delete_batch(batch)
                batch = []
        if batch:
            count += self._delete_batch(batch)
        return count

    def _delete_batch(self, batch: list[dict[str, str]]) -> int:
        response = self.client.delete_objects(
            Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
        )
        errors = response.get("Errors", [])
        if errors:
            first = errors[0]
            raise RuntimeError(
                f"s3://{self.bucket}: could not delete {len(errors)} objects "
                f"(first: {first.get('Key')}: {first.get('Code')})"
            )
        return len(batch)

    def put_upload(self, athlete_id: str, file_name: str, data: bytes) -> str:
        """Store a file an athlete uploaded; returns its key."""
        key = upload_key(athlete_id, file_name)
        self.put_bytes(key, data, "application/octet-stream")
        return key
