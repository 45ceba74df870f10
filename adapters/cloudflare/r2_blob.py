"""The Blob port on R2, through a small bucket seam (get / put / delete / list).

- :class:`BindingBucket`: the Worker's R2 binding (``env.BUCKET``) through Pyodide's FFI;
- the tests' bucket (:mod:`momentum.adapters.cloudflare.testing`) reaches the same
  binding under ``wrangler dev --local`` through the bridge worker.

From outside a Worker (``momentum migrate``, a backup) R2 also speaks S3: the AWS
adapter's ``S3BlobStore`` with ``endpoint_url=https://<account>.r2.cloudflarestorage.com``
and an R2 API token's keys reads and writes the same bucket.

Keys are checked by core's :func:`~momentum.core.ports.blob.check_key` and used unchanged.
:meth:`R2Blob.put_if_absent` uses R2's ``onlyIf`` condition: a refusal (HTTP 412) is the
Storage port's :class:`~momentum.core.ports.storage.ConflictError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from momentum.adapters.cloudflare import ffi
from momentum.core.ports.blob import Blob, check_key
from momentum.core.ports.storage import ConflictError


class PreconditionFailed(Exception):
    """R2 refused a conditional write (``onlyIf``): the object was already there."""


class Bucket(Protocol):
    """The calls :class:`R2Blob` makes on one R2 bucket."""

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or ``None``."""
        ...

    def put(self, key: str, data: bytes, content_type: str, *, if_absent: bool = False) -> None:
        """Write the whole object; with ``if_absent``, :class:`PreconditionFailed` when
        one exists."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object (a missing one is fine)."""
        ...

    def list(self, prefix: str, cursor: str) -> tuple[list[str], str]:
        """One page of keys under ``prefix`` from ``cursor``; the next cursor or ``""``."""
        ...


class R2Blob(Blob):
    """Blobs in one R2 bucket (see the module docstring)."""

    def __init__(self, bucket: Bucket) -> None:
        self.bucket = bucket

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """A whole-object write: readers see the old bytes or the new."""
        self.bucket.put(check_key(key), bytes(data), content_type)

    def put_if_absent(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> None:
        """Write only if ``key`` holds nothing; :class:`ConflictError` otherwise."""
        try:
            self.bucket.put(check_key(key), bytes(data), content_type, if_absent=True)
        except PreconditionFailed:
            raise ConflictError(f"blob {key!r} already exists") from None

    def get(self, key: str) -> bytes | None:
        return self.bucket.get(check_key(key))

    def delete(self, key: str) -> None:
        self.bucket.delete(check_key(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under ``prefix``, ascending (R2 lists in lexicographic order)."""
        cursor = ""
        while True:
            page, cursor = self.bucket.list(prefix, cursor)
            yield from page
            if not cursor:
                return


class BindingBucket:
    """:class:`Bucket` on the Worker's R2 binding (only inside a Python Worker)."""

    def __init__(self, binding: Any) -> None:
        self.binding = binding

    def get(self, key: str) -> bytes | None:
        found = ffi.wait(self.binding.get(key))
        if found is None:
            return None
        return bytes(ffi.wait(found.arrayBuffer()).to_bytes())

    def put(self, key: str, data: bytes, content_type: str, *, if_absent: bool = False) -> None:
        options: dict[str, Any] = {"httpMetadata": {"contentType": content_type}}
        if if_absent:
            options["onlyIf"] = {"etagDoesNotMatch": "*"}
        stored = ffi.wait(self.binding.put(key, ffi.js_bytes(data), ffi.js_object(options)))
        if stored is None:  # R2 answers null when onlyIf refuses
            raise PreconditionFailed(key)

    def delete(self, key: str) -> None:
        ffi.wait(self.binding.delete(key))

    def list(self, prefix: str, cursor: str) -> tuple[list[str], str]:
        options: dict[str, Any] = {"prefix": prefix} if prefix else {}
        if cursor:
            options["cursor"] = cursor
        listed = ffi.wait(self.binding.list(ffi.js_object(options)))
        keys = [str(item.key) for item in listed.objects]
        return keys, str(listed.cursor) if listed.truncated else ""
