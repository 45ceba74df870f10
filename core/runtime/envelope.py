"""The JSON envelope deferred work, ticks and run-now requests travel in between processes.

Every platform carries the same three shapes (a Lambda async invoke, a Cloud Tasks body,
an Azure queue message, a Cloudflare queue message), marked with ``"momentum"`` so they
can't be confused with a platform's own events:

- ``{"momentum": "deferred", "kind", "key", "payload" | "payload_ref"}``;
- ``{"momentum": "tick", "at"}`` (``at`` the scheduled instant, ISO 8601);
- ``{"momentum": "run", "job", "athlete_id", "date"}`` (``date`` optional).

A payload larger than the queue's limit is spilled to the Blob port under
``deferred/<id>.json`` and the envelope carries ``payload_ref`` instead; decoding resolves
it, and :func:`drop_spilled` deletes it once the job has run.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from momentum.core.errors import InputError
from momentum.core.ports.blob import Blob
from momentum.core.ports.scheduler import DeferredJob

MARKER = "momentum"
DEFERRED = "deferred"
TICK = "tick"
RUN = "run"
SPILL_PREFIX = "deferred/"

LIMITS = {
    "lambda": 256 * 1024 - 1024,
    "cloud_tasks": 90_000,
    "azure_queue": 45_000,
    "cloudflare_queue": 100_000,
}
"""Bytes of envelope each queue takes safely (Cloud Tasks 100 KB, Azure Queue 64 KB after
base64, Cloudflare Queues 128 KB, Lambda async invoke 256 KB)."""


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def encode_deferred(job: DeferredJob, blob: Blob | None, max_bytes: int) -> dict[str, Any]:
    """The envelope for ``job``; a payload that would make it bigger than ``max_bytes``
    goes to ``blob`` under ``deferred/<id>.json``. Raises ValueError when it is too big
    and there is no blob store, TypeError when the payload is not JSON-ready."""
    envelope: dict[str, Any] = {MARKER: DEFERRED, "kind": job.kind, "key": job.key}
    envelope["payload"] = job.payload
    if len(_dumps(envelope).encode("utf-8")) <= max_bytes:
        return envelope
    if blob is None:
        raise ValueError(
            f"deferred job {job.kind!r}: payload exceeds {max_bytes} bytes and no blob "
            "store is configured to hold it"
        )
    ref = f"{SPILL_PREFIX}{uuid.uuid4().hex}.json"
    blob.put(ref, _dumps(job.payload).encode("utf-8"))
    del envelope["payload"]
    envelope["payload_ref"] = ref
    return envelope


def encode_bytes(job: DeferredJob, blob: Blob | None, max_bytes: int) -> bytes:
    """:func:`encode_deferred` as compact UTF-8 JSON."""
    return _dumps(encode_deferred(job, blob, max_bytes)).encode("utf-8")


@dataclass(frozen=True)
class Decoded:
    """A decoded deferred envelope: the job, and where its payload was spilled ("")."""

    job: DeferredJob
    payload_ref: str = ""


def decode_deferred(envelope: dict[str, Any], blob: Blob | None) -> Decoded:
    """The job in ``envelope``, its spilled payload read back from ``blob``.

    Raises :class:`InputError` naming the bad field (never retried: it can't succeed) and
    RuntimeError when a spilled payload is missing (retried: it may be eventual)."""
    kind = envelope.get("kind")
    if not isinstance(kind, str) or not kind:
        raise InputError("deferred envelope", "field 'kind' must be a non-empty string")
    key, ref = envelope.get("key", ""), envelope.get("payload_ref", "")
    if not isinstance(key, str) or not isinstance(ref, str):
        raise InputError("deferred envelope", "fields 'key' and 'payload_ref' must be strings")
    if ref:
        if not ref.startswith(SPILL_PREFIX):
            raise InputError("deferred envelope", f"payload_ref {ref!r} is not under deferred/")
        if blob is None:
            raise RuntimeError(f"deferred payload {ref} needs a blob store")
        data = blob.get(ref)
        if data is None:
            raise RuntimeError(f"deferred payload {ref} is missing from the blob store")
        payload = json.loads(data)
    else:
        payload = envelope.get("payload", {})
    if not isinstance(payload, dict):
        raise InputError("deferred envelope", "field 'payload' must be an object")
    return Decoded(DeferredJob(kind=kind, payload=payload, key=key), ref)


def drop_spilled(decoded: Decoded, blob: Blob | None) -> None:
    """Delete a spilled payload once its job has run."""
    if decoded.payload_ref and blob is not None:
        blob.delete(decoded.payload_ref)


def tick_envelope(at: dt.datetime) -> dict[str, Any]:
    """A tick's envelope (what a cloud schedule sends every 15 minutes)."""
    return {MARKER: TICK, "at": at.astimezone(dt.UTC).isoformat()}


def run_envelope(job: str, athlete_id: str, date: dt.date | None = None) -> dict[str, Any]:
    """An operator's "run this job now" envelope."""
    envelope: dict[str, Any] = {MARKER: RUN, "job": job, "athlete_id": athlete_id}
    if date is not None:
        envelope["date"] = date.isoformat()
    return envelope


def parse_instant(value: Any) -> dt.datetime | None:
    """An ISO-8601 instant (``Z`` allowed) as an aware UTC datetime, or ``None``; a naive
    value is taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def kind_of(envelope: Any) -> str:
    """``deferred``, ``tick``, ``run`` or ``""`` for anything that is not ours."""
    if isinstance(envelope, dict):
        marker = envelope.get(MARKER)
        if marker in (DEFERRED, TICK, RUN):
            return str(marker)
    return ""


def parse_envelope(
    body: bytes | str, what: str, kinds: tuple[str, ...] = (DEFERRED, TICK, RUN)
) -> dict[str, Any]:
    """The envelope a platform delivered as JSON (a queue message, a task's body), when it
    is one of ``kinds``; :class:`InputError` naming ``what`` and what is wrong otherwise
    (such a delivery can never succeed, so it is not retried)."""
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(what, f"is not JSON ({error})") from None
    if kind_of(parsed) not in kinds:
        wanted = " or ".join(kinds)
        raise InputError(what, f"is not a Momentum {wanted} envelope")
    return dict(parsed)
