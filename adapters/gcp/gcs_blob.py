"""The Blob port on one private Cloud Storage bucket (google-cloud-storage, imported lazily).

Keys are checked with :func:`momentum.core.ports.blob.check_key`, so a key that works here
works on every target. The client is made on first use and kept for the instance's life.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from momentum.core.ports.blob import Blob, check_key


class GcsBlob(Blob):
    """Objects in ``bucket``. ``client`` is a ``google.cloud.storage.Client`` or a factory
    of one (called once, on first use, so a cold start that needs no blob pays nothing)."""

    def __init__(self, bucket: str, client: Any | Callable[[], Any] | None = None) -> None:
        self.bucket_name = bucket
        self._client = client
        self._bucket: Any = None

    @property
    def bucket(self) -> Any:
        """The bucket handle (no request is made to get it)."""
        if self._bucket is None:
            client = self._client
            if client is None:
                from google.cloud import storage  # type: ignore[attr-defined]  # untyped package

                client = storage.Client()
            elif callable(client) and not hasattr(client, "bucket"):
                client = client()
            self._bucket = client.bucket(self.bucket_name)
        return self._bucket

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """One whole-object upload (GCS objects are replaced atomically)."""
        self.bucket.blob(check_key(key)).upload_from_string(data, content_type=content_type)

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or ``None`` when there is none."""
        from google.api_core.exceptions import NotFound

        try:
            data: bytes = self.bucket.blob(check_key(key)).download_as_bytes()
        except NotFound:
            return None
        return data

    def delete(self, key: str) -> None:
        """Delete the object; a missing one is not an error."""
        from google.api_core.exceptions import NotFound

        try:
            self.bucket.blob(check_key(key)).delete()
        except NotFound:
            return

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Object names under ``prefix``, ascending (GCS lists in name order)."""
        for item in self.bucket.client.list_blobs(self.bucket_name, prefix=prefix or None):
            yield str(item.name)
