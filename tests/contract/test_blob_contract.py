"""The Blob port's contract, on every implementation (tests/contract/ports.py)."""

from __future__ import annotations

import pytest

from momentum.core.errors import InputError
from momentum.core.ports.blob import Blob


def test_put_get_replace_delete(blob: Blob) -> None:
    assert blob.get("uploads/adam/run.fit") is None
    blob.put("uploads/adam/run.fit", b"\x00\x01fit")
    assert blob.get("uploads/adam/run.fit") == b"\x00\x01fit"
    blob.put("uploads/adam/run.fit", b"new")
    assert blob.get("uploads/adam/run.fit") == b"new"
    blob.delete("uploads/adam/run.fit")
    assert blob.get("uploads/adam/run.fit") is None
    blob.delete("uploads/adam/run.fit")  # deleting a missing key is fine


def test_keys_by_prefix_in_order(blob: Blob) -> None:
    for key in ("deferred/b.json", "uploads/adam/2.gpx", "deferred/a.json", "uploads/bea/1.fit"):
        blob.put(key, key.encode(), "application/json")
    assert list(blob.keys("deferred/")) == ["deferred/a.json", "deferred/b.json"]
    assert list(blob.keys("uploads/")) == ["uploads/adam/2.gpx", "uploads/bea/1.fit"]
    assert len(list(blob.keys())) == 4


def test_large_and_empty_objects_round_trip(blob: Blob) -> None:
    big = bytes(range(256)) * 4096  # 1 MiB
    blob.put("deferred/big.bin", big)
    blob.put("deferred/empty.bin", b"")
    assert blob.get("deferred/big.bin") == big
    assert blob.get("deferred/empty.bin") == b""


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "a\\b", "./a", "x\x00y"])
def test_unsafe_keys_are_refused_by_name(blob: Blob, key: str) -> None:
    with pytest.raises(InputError, match="blob key"):
        blob.put(key, b"x")
