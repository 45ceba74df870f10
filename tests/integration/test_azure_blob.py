"""The Blob port on Blob Storage (Azurite): whole-object writes, missing keys, ordered
listing by prefix, and core's key rules applied before any request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from momentum.adapters.azure.blob_store import AzureBlob
from momentum.core.errors import InputError
from tests.integration.azure_stack import LocalAzure, local_azure

pytestmark = [pytest.mark.integration, pytest.mark.azure]


@pytest.fixture
def blob() -> Iterator[AzureBlob]:
    stack: LocalAzure
    with local_azure() as stack:
        yield AzureBlob(stack.container, connection_string=stack.connection_string)


def test_put_get_replace_delete_and_list_in_order(blob: AzureBlob) -> None:
    assert blob.get("uploads/adam/run.fit") is None
    blob.put("uploads/adam/run.fit", b"one")
    blob.put("uploads/adam/run.fit", b"two")  # replaced whole
    blob.put("uploads/adam/a.gpx", b"\x00\xff")
    blob.put("uploads/mia/b.tcx", b"x", "application/xml")
    assert blob.get("uploads/adam/run.fit") == b"two"
    assert list(blob.keys("uploads/adam/")) == ["uploads/adam/a.gpx", "uploads/adam/run.fit"]
    assert list(blob.keys()) == sorted(blob.keys())
    blob.delete("uploads/adam/run.fit")
    blob.delete("uploads/adam/run.fit")  # missing is fine
    assert list(blob.keys("uploads/adam/")) == ["uploads/adam/a.gpx"]


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "bad\\key"])
def test_unsafe_keys_are_refused_by_name(blob: AzureBlob, key: str) -> None:
    with pytest.raises(InputError, match="blob key"):
        blob.put(key, b"x")
