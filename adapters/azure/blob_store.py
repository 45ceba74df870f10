"""The Blob port on Azure Blob Storage: one private container (``azure-storage-blob``).

Keys are checked by core's :func:`~momentum.core.ports.blob.check_key` and used as blob
names unchanged, so ``uploads/adam/run.fit`` is the blob a person uploads to. Uploads are
whole-blob writes (``overwrite=True``): a reader sees the old bytes or the new.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from momentum.core.ports.blob import Blob, check_key


class AzureBlob(Blob):
    """Blobs in ``container``; ``connection_string`` (Azurite, keys) or ``endpoint`` plus
    ``credential`` (a managed identity)."""

    def __init__(
        self,
        container: str,
        *,
        connection_string: str = "",
        endpoint: str = "",
        credential: Any = None,
    ) -> None:
        from azure.storage.blob import ContainerClient

        if connection_string:
            self.client = ContainerClient.from_connection_string(
                connection_string, container_name=container
            )
        else:
            self.client = ContainerClient(endpoint, container, credential=credential)
        self.container = container

    def ensure(self) -> None:
        """Create the container if missing (the stack creates it in Azure)."""
        from azure.core.exceptions import ResourceExistsError

        with contextlib.suppress(ResourceExistsError):
            self.client.create_container()

    def drop(self) -> None:
        """Delete the container and everything in it (tests)."""
        self.client.delete_container()

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Upload ``data`` as the whole blob."""
        from azure.storage.blob import ContentSettings

        self.client.upload_blob(
            check_key(key),
            data,
            overwrite=True,
            content_settings=ContentSettings(content_type=content_type),
        )

    def get(self, key: str) -> bytes | None:
        """The blob's bytes, or ``None``."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            data: bytes = self.client.download_blob(check_key(key)).readall()
        except ResourceNotFoundError:
            return None
        return data

    def delete(self, key: str) -> None:
        """Delete the blob; a missing one is fine."""
        from azure.core.exceptions import ResourceNotFoundError

        with contextlib.suppress(ResourceNotFoundError):
            self.client.delete_blob(check_key(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Blob names under ``prefix`` (the service lists them in ascending order)."""
        for item in self.client.list_blobs(name_starts_with=prefix or None):
            yield str(item.name)
