"""Core's deferred envelope: round trips, spilling to Blob above a queue's limit, and
malformed envelopes named by field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.errors import InputError
from momentum.core.memory import InMemoryBlob
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.runtime.envelope import (
    LIMITS,
    decode_deferred,
    drop_spilled,
    encode_bytes,
    encode_deferred,
    kind_of,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(payload=st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_small_payloads_travel_inline_and_round_trip(payload: dict[str, object]) -> None:
    job = DeferredJob("slack.reply", payload, key="slack:Ev1")
    envelope = json.loads(encode_bytes(job, None, LIMITS["azure_queue"]))
    assert kind_of(envelope) == "deferred" and "payload_ref" not in envelope
    assert decode_deferred(envelope, None).job == job


@pytest.mark.parametrize("queue", sorted(LIMITS))
def test_a_payload_over_the_queue_limit_is_spilled_and_read_back(queue: str) -> None:
    blob = InMemoryBlob()
    job = DeferredJob("import.batch", {"rows": ["x" * 1000] * (LIMITS[queue] // 1000 + 1)}, "k1")
    data = encode_bytes(job, blob, LIMITS[queue])
    assert len(data) <= LIMITS[queue]
    envelope = json.loads(data)
    ref = envelope["payload_ref"]
    assert ref.startswith("deferred/") and "payload" not in envelope
    decoded = decode_deferred(envelope, blob)
    assert decoded.job == job
    drop_spilled(decoded, blob)
    assert blob.get(ref) is None


def test_a_too_large_payload_without_a_blob_store_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"import\.batch"):
        encode_deferred(DeferredJob("import.batch", {"x": "y" * 200}), None, 100)


@pytest.mark.parametrize(
    ("envelope", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": "k", "payload": []}, "payload"),
        ({"kind": "k", "key": 3}, "key"),
        ({"kind": "k", "payload_ref": "elsewhere/x.json"}, "payload_ref"),
    ],
)
def test_malformed_envelopes_name_the_field(envelope: dict[str, object], field: str) -> None:
    with pytest.raises(InputError, match=field):
        decode_deferred({"momentum": "deferred", **envelope}, InMemoryBlob())


def test_a_missing_spilled_payload_is_a_retryable_error() -> None:
    with pytest.raises(RuntimeError, match="missing"):
        decode_deferred(
            {"momentum": "deferred", "kind": "k", "payload_ref": "deferred/x.json"}, InMemoryBlob()
        )
