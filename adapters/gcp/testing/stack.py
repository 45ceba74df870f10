"""Momentum's GCP storage on the local emulators: a fresh project and bucket per use."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from momentum.adapters.gcp.firestore_storage import FirestoreStorage
from momentum.adapters.gcp.gcs_blob import GcsBlob
from momentum.adapters.gcp.testing.emulators import shared_firestore_host, shared_gcs_endpoint


def gcs_client(project: str) -> Any:
    """A real google-cloud-storage client on the emulator (anonymous credentials)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage  # type: ignore[attr-defined]  # untyped package

    shared_gcs_endpoint()
    return storage.Client(project=project, credentials=AnonymousCredentials())


def firestore_client(project: str) -> Any:
    """A real Firestore client on the emulator, in its own project (an empty database)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import firestore

    shared_firestore_host()
    return firestore.Client(project=project, credentials=AnonymousCredentials())


@contextmanager
def gcs_bucket(project: str | None = None) -> Iterator[GcsBlob]:
    """A new empty bucket on the emulator as a :class:`GcsBlob`, deleted afterwards."""
    project = project or f"momentum-{uuid.uuid4().hex[:10]}"
    client = gcs_client(project)
    bucket = client.create_bucket(f"momentum-{uuid.uuid4().hex[:12]}")
    try:
        yield GcsBlob(bucket.name, client)
    finally:
        bucket.delete(force=True)


@contextmanager
def firestore_storage() -> Iterator[tuple[FirestoreStorage, Callable[[], FirestoreStorage]]]:
    """A :class:`FirestoreStorage` on an empty emulator project with a fresh bucket, and a
    ``reopen`` giving new clients on the same data (as after a restart)."""
    project = f"momentum-{uuid.uuid4().hex[:10]}"
    with gcs_bucket(project) as blobs:

        def reopen() -> FirestoreStorage:
            return FirestoreStorage(
                firestore_client(project), GcsBlob(blobs.bucket_name, gcs_client(project))
            )

        yield FirestoreStorage(firestore_client(project), blobs), reopen
