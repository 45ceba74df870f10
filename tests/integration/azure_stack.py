"""The local Azure stack the Azure integration tests share: Azurite (one per process), a
fresh table, container and queue per test, the function app's app settings pointed at
them, and a host stand-in that hands queue messages to the registered ``deferred``
function the way the Functions host does (delete on success, leave for a retry on
failure, the same message id on every delivery)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

azure_functions = pytest.importorskip("azure.functions", reason="the azure extra is not installed")

from momentum.adapters.azure.testing import registered  # noqa: E402 (after the skip)

__all__ = ["LocalAzure", "azure_functions", "local_azure", "registered"]


@dataclass
class LocalAzure:
    """One test's table, container and queue on Azurite."""

    connection_string: str
    table: str
    container: str
    queue: str
    failures: list[BaseException] = field(default_factory=list)

    def env(self, home: Path) -> dict[str, str]:
        """The app settings the stack would set (a connection string instead of identity)."""
        return {
            "MOMENTUM_STORAGE_CONNECTION": self.connection_string,
            "MOMENTUM_TABLE": self.table,
            "MOMENTUM_CONTAINER": self.container,
            "MOMENTUM_QUEUE": self.queue,
            "MOMENTUM_HOME": str(home),
        }

    def queue_client(self, suffix: str = "") -> Any:
        """A base64 QueueClient on the deferred queue (or ``-poison``)."""
        from momentum.adapters.azure.queue_deferral import queue_client

        return queue_client(self.queue + suffix, connection_string=self.connection_string)

    def waiting(self) -> list[dict[str, Any]]:
        """The envelopes visible on the queue now (peeked, not taken)."""
        return [json.loads(m.content) for m in self.queue_client().peek_messages(max_messages=32)]

    def drain(self, timeout: float = 10.0) -> int:
        """Deliver messages to the ``deferred`` function, as the host's queue loop does,
        until none is left; returns how many ran. A raising function leaves its message
        for a retry (recorded in ``failures``)."""
        from momentum.adapters.azure import function_app
        from momentum.adapters.azure.testing import QueueHost, registered

        host = QueueHost(
            self.queue_client(),
            registered(function_app.app, "deferred"),
            poison=self.queue_client("-poison"),
        )
        try:
            return host.drain(timeout)
        finally:
            self.failures.extend(host.failures)


@contextmanager
def local_azure() -> Iterator[LocalAzure]:
    """Create the resources on the shared Azurite and drop them after; skips with the
    reason when Azurite is missing."""
    from momentum.adapters.azure import function_app
    from momentum.adapters.azure.testing import shared_azurite, unique_name

    try:
        azurite = shared_azurite()
    except RuntimeError as error:
        pytest.skip(f"Azurite unavailable: {error}")
    stack = LocalAzure(
        azurite.connection_string,
        unique_name("momentum"),
        unique_name("momentum-"),
        unique_name("deferred-"),
    )
    from azure.data.tables import TableServiceClient
    from azure.storage.blob import BlobServiceClient

    tables = TableServiceClient.from_connection_string(stack.connection_string)
    blobs = BlobServiceClient.from_connection_string(stack.connection_string)
    tables.create_table(stack.table)
    blobs.create_container(stack.container)
    stack.queue_client().create_queue()
    stack.queue_client("-poison").create_queue()
    try:
        yield stack
    finally:
        function_app.set_app(None)
        tables.delete_table(stack.table)
        blobs.delete_container(stack.container)
        stack.queue_client().delete_queue()
        stack.queue_client("-poison").delete_queue()
