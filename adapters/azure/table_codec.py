"""Records in Table Storage entities: JSON text split across string properties.

A string property holds at most 64 KiB (32K UTF-16 characters) and an entity at most 1 MiB,
so a record's JSON is cut into parts ``d0``, ``d1``... of :data:`PART_CHARS` characters.
A record longer than :data:`MAX_INLINE_CHARS` (a very long plan) is written to the Blob port
and the entity keeps only its key in ``blob``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from momentum.core.ports.blob import Blob

PART_CHARS = 30_000
MAX_INLINE_CHARS = 15 * PART_CHARS
"""About 900 KB as UTF-16: what fits in one entity beside its keys and index columns."""
BLOB_FIELD = "blob"


def pack(
    text: str, blob: Blob | None, blob_key: str, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Entity properties (no keys) holding ``text``, plus ``extra`` index columns."""
    props: dict[str, Any] = dict(extra or {})
    if len(text) > MAX_INLINE_CHARS:
        if blob is None:
            raise ValueError(f"record of {len(text)} characters needs a blob store")
        blob.put(blob_key, text.encode("utf-8"), "application/json")
        props[BLOB_FIELD] = blob_key
        return props
    for index in range(0, max(len(text), 1), PART_CHARS):
        props[f"d{index // PART_CHARS}"] = text[index : index + PART_CHARS]
    return props


def unpack(entity: Mapping[str, Any], blob: Blob | None) -> str:
    """The JSON text packed into ``entity`` (read back from Blob when spilled)."""
    key = entity.get(BLOB_FIELD)
    if key:
        data = blob.get(str(key)) if blob is not None else None
        if data is None:
            raise RuntimeError(f"record body {key} is missing from the blob store")
        return data.decode("utf-8")
    parts = []
    index = 0
    while f"d{index}" in entity:
        parts.append(str(entity[f"d{index}"]))
        index += 1
    return "".join(parts)
