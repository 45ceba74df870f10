"""The one registry of Storage implementations the contract suite runs against.

Each entry is a :class:`StorageBackend`: a name and an ``open`` context manager that yields
an :class:`OpenStorage` for one test and cleans up afterwards. Every test in
``tests/contract/test_storage_*.py`` runs once per entry (the ``storage`` fixture in
``conftest.py`` is parametrised over :data:`STORAGE_BACKENDS`).

Adding an implementation (DynamoDB on moto server, the Firestore emulator, Azurite tables,
D1 under wrangler) is one function and one line::

    @contextmanager
    def open_dynamodb(ctx: BackendContext) -> Iterator[OpenStorage]:
        endpoint = ctx.request.getfixturevalue("moto_server")  # a session fixture
        if endpoint is None:
            pytest.skip("moto server is not installed: pip install 'moto[server]'")
        table = f"momentum-{uuid.uuid4().hex[:8]}"               # isolate each test
        make = lambda: DynamoStorage(table, endpoint_url=endpoint)
        storage = make()
        try:
            yield OpenStorage(storage, reopen=make, persistent=True)
        finally:
            storage.drop()

    STORAGE_BACKENDS.append(StorageBackend("dynamodb", open_dynamodb))

Rules for a factory: give each test an empty store; skip (``pytest.skip`` with the reason)
when its stand-in is missing rather than fail; ``reopen`` returns a *new client* on the
same data (a restart), or the same object when the store has no persistence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.memory import InMemoryStorage
from momentum.core.ports.storage import Storage


@dataclass(frozen=True)
class BackendContext:
    """What a factory may use: a private temporary folder and pytest's request (to reach
    session fixtures that start a stand-in)."""

    tmp_path: Path
    request: pytest.FixtureRequest


@dataclass
class OpenStorage:
    """A store opened for one test."""

    storage: Storage
    reopen: Callable[[], Storage]
    """A new client on the same data, as after a process restart."""
    persistent: bool
    """False when the data lives only in this object (in-memory)."""


@dataclass(frozen=True)
class StorageBackend:
    """One implementation under test."""

    name: str
    open: Callable[[BackendContext], AbstractContextManager[OpenStorage]]
    marker: str = ""
    """The platform marker its tests carry (``aws``, ``gcp``, ``azure``, ``cloudflare``)."""


@contextmanager
def open_memory(ctx: BackendContext) -> Iterator[OpenStorage]:
    """The in-memory store shipped in core (no persistence: reopen is the same object)."""
    storage = InMemoryStorage()
    yield OpenStorage(storage, reopen=lambda: storage, persistent=False)


@contextmanager
def open_kv_memory(ctx: BackendContext) -> Iterator[OpenStorage]:
    """Core's key-value Storage (the logic DynamoDB runs) on the in-memory table and blob
    store (no persistence: reopen is the same object)."""
    from momentum.core.memory import InMemoryBlob
    from momentum.core.storage_kv import KvStorage, MemoryTable

    storage = KvStorage(MemoryTable(), InMemoryBlob())
    yield OpenStorage(storage, reopen=lambda: storage, persistent=False)


@contextmanager
def open_sqlite(ctx: BackendContext) -> Iterator[OpenStorage]:
    """The local adapter's SQLite file in the test's temporary folder."""
    path = ctx.tmp_path / "contract.db"
    opened: list[SqliteStorage] = [SqliteStorage(path)]

    def reopen() -> Storage:
        opened.append(SqliteStorage(path))
        return opened[-1]

    try:
        yield OpenStorage(opened[0], reopen=reopen, persistent=True)
    finally:
        for storage in opened:
            storage.close()


@contextmanager
def open_overlay(ctx: BackendContext) -> Iterator[OpenStorage]:
    """The views' overlay over an empty SQLite file: every write stays in the overlay, so
    it must behave as a full storage on its own (no persistence: reopen is the same
    object)."""
    from momentum.core.memory.overlay import OverlayStorage

    base = SqliteStorage(ctx.tmp_path / "base.db")
    storage = OverlayStorage(base)
    try:
        yield OpenStorage(storage, reopen=lambda: storage, persistent=False)
    finally:
        base.close()


@contextmanager
def open_dynamodb(ctx: BackendContext) -> Iterator[OpenStorage]:
    """DynamoDB + S3 on moto server: a fresh table and bucket per test, dropped after.
    Skips with the reason when boto3 or moto server is missing."""
    try:
        from tests.support.aws import dynamodb_storage, shared_moto_endpoint

        endpoint = shared_moto_endpoint()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"moto server unavailable: {error}")
    with dynamodb_storage(endpoint) as (storage, reopen):
        yield OpenStorage(storage, reopen=reopen, persistent=True)


@contextmanager
def open_firestore(ctx: BackendContext) -> Iterator[OpenStorage]:
    """Firestore emulator + Cloud Storage emulator: a fresh project and bucket per test.
    Skips with the reason when gcloud, Java or the emulator packages are missing."""
    try:
        from momentum.adapters.gcp.testing.emulators import (
            shared_firestore_host,
            shared_gcs_endpoint,
        )
        from momentum.adapters.gcp.testing.stack import firestore_storage

        shared_firestore_host()
        shared_gcs_endpoint()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"Firestore emulator unavailable: {error}")
    with firestore_storage() as (storage, reopen):
        yield OpenStorage(storage, reopen=reopen, persistent=True)


@contextmanager
def open_table_storage(ctx: BackendContext) -> Iterator[OpenStorage]:
    """Table Storage + Blob on Azurite: a fresh table and container per test, dropped
    after. Skips with the reason when the Azure SDK or Azurite is missing."""
    try:
        from momentum.adapters.azure.testing import shared_azurite, table_storage

        azurite = shared_azurite()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"Azurite unavailable: {error}")
    with table_storage(azurite) as (storage, reopen):
        yield OpenStorage(storage, reopen=reopen, persistent=True)


@contextmanager
def open_d1(ctx: BackendContext) -> Iterator[OpenStorage]:
    """D1 under ``wrangler dev --local``, reached through D1's HTTP query API shape (the
    test-only bridge worker), emptied before each test. Skips with the reason when
    wrangler or node is missing."""
    try:
        from momentum.adapters.cloudflare.d1_storage import D1Storage
        from momentum.adapters.cloudflare.testing import empty_d1, shared_wrangler

        local = shared_wrangler()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"wrangler's local D1 unavailable: {error}")
    empty_d1(local)

    def make() -> Storage:
        return D1Storage(local.runner(), name="local D1")

    yield OpenStorage(make(), reopen=make, persistent=True)


STORAGE_BACKENDS: list[StorageBackend] = [
    StorageBackend("memory", open_memory),
    StorageBackend("kv_memory", open_kv_memory),
    StorageBackend("sqlite", open_sqlite),
    StorageBackend("overlay", open_overlay),
    StorageBackend("dynamodb", open_dynamodb, marker="aws"),
    StorageBackend("azure_tables", open_table_storage, marker="azure"),
    StorageBackend("d1", open_d1, marker="cloudflare"),
    StorageBackend("firestore", open_firestore, marker="gcp"),
]
"""Every Storage implementation; append cloud ones here (see the module docstring)."""
