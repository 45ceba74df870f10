"""How a record sits in a DynamoDB item: its JSON under ``body``, gzipped when large.

DynamoDB bills writes per 1 KB and reads per 4 KB, and an item may hold at most 400 KB, so
bodies above :data:`COMPRESS_ABOVE` bytes are stored gzipped as binary (a plan shrinks
about five-fold). Records go through :func:`momentum.core.model.to_json` / :func:`from_json`.
"""

from __future__ import annotations

import gzip
from typing import Any, TypeVar

from momentum.core.model import from_json, to_json

T = TypeVar("T")

BODY = "body"
COMPRESS_ABOVE = 1024


def encode_body(record: Any) -> dict[str, Any]:
    """The ``body`` attribute value (low-level DynamoDB form) for ``record``."""
    text = to_json(record)
    raw = text.encode("utf-8")
    if len(raw) > COMPRESS_ABOVE:
        return {"B": gzip.compress(raw, compresslevel=6, mtime=0)}
    return {"S": text}


def decode_body(cls: type[T], item: dict[str, Any]) -> T:
    """The record of type ``cls`` stored in ``item``."""
    value = item[BODY]
    if "B" in value:
        return from_json(cls, gzip.decompress(value["B"]))
    return from_json(cls, value["S"])


def s(value: str) -> dict[str, str]:
    """A low-level string attribute."""
    return {"S": value}


def n(value: int) -> dict[str, str]:
    """A low-level number attribute."""
    return {"N": str(value)}
