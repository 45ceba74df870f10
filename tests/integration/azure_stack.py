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

    def drain(self, limit: int = 50) -> int:
        """Deliver visible messages to the ``deferred`` function until none is left; returns
        how many ran. A raising function leaves its message (recorded in ``failures``)."""
        from momentum.adapters.azure import function_app

        run = registered(function_app.app, "deferred")
        client, ran = self.queue_client(), 0
        for _ in range(limit):
            batch = list(client.receive_messages(max_messages=16, visibility_timeout=60))
            if not batch:
                return ran
            for message in batch:
                body = message.content.encode("utf-8")
                try:
                    run(azure_functions.QueueMessage(id=message.id, body=body))
                except Exception as error:  # the host would retry, then poison it
                    self.failures.append(error)
                    continue
                client.delete_message(message)
                ran += 1
        raise AssertionError(f"the queue did not drain in {limit} rounds")


_indexed: dict[int, dict[str, Any]] = {}


def registered(app: Any, name: str) -> Any:
    """The user function registered under ``name`` on a ``func.FunctionApp`` (indexed
    once, as the host does: ``get_functions`` refuses to index an app twice)."""
    if id(app) not in _indexed:
        functions = app.get_functions()
        _indexed[id(app)] = {f.get_function_name(): f.get_user_function() for f in functions}
    return _indexed[id(app)][name]


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
