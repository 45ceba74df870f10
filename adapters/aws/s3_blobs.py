"""S3 as the Blob port: activity streams, files athletes upload (``uploads/<athlete>/<file>``,
see :mod:`momentum.core.runtime.uploads`) and deferred jobs too large for an asynchronous
invoke (``deferred/<id>.json``). Keys are checked the same way as on every target.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from momentum.core.ports.blob import Blob, check_key

DEFERRED_PREFIX = "deferred/"


class S3BlobStore(Blob):
    """The Blob port on one private bucket. ``client`` is a boto3 S3 client."""

    def __init__(self, bucket: str, client: Any) -> None:
        self.bucket = bucket
        self.client = client

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Write one object (server-side encrypted by the bucket's default)."""
        self.client.put_object(
            Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type
        )

    def get(self, key: str) -> bytes | None:
        """One object's bytes, or ``None`` when there is no such key."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        data: bytes = response["Body"].read()
        return data

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
