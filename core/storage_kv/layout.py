"""Where each record sits in the key-value table, and how its body is encoded.

=====================  ==================  =====================  ============================
record                 pk                  sk                     index keys
=====================  ==================  =====================  ============================
athlete profile        ``ATHLETES``        ``<ath>``              gsi1: ``TZ#<zone>``/``<ath>``
zone directory entry   ``ZONES``           ``<zone>``             (``athletes``: a counter)
activity               ``A#<ath>``         ``ACT#<id>``           lsi1: ``ACT#<start>#<id>``
plan                   ``A#<ath>``         ``PLAN[#<key>]``       – (one per plan key)
message                ``A#<ath>``         ``MSG#<id>``           lsi1: ``MSG#<at>#<id>``
reflection             ``A#<ath>``         ``REF#<id>``           lsi1: ``REF#<at>#<id>``
activity note          ``A#<ath>``         ``NOTE#<id>``          lsi1: ``NOTE#<act>#<at>#<id>``
memory item            ``A#<ath>``         ``MEM#<id>``           lsi1: ``MEM#<created>#<id>``
oauth token            ``A#<ath>``         ``TOK#<provider>``     –
llm usage              ``A#<ath>``         ``USE#<id>``           lsi1 and gsi1: ``USAGE``/
                                                                  ``<at>#<ath>#<id>``
identity link          ``ID#<kind>#<ext>`` ``ID``                 (``athlete``)
reverse link           ``A#<ath>``         ``LINK#<kind>#<ext>``  (so deleting finds them)
idempotency claim      ``CLAIM#<key>``     ``CLAIM``              (``until_us``, ``expires_at``)
=====================  ==================  =====================  ============================

Every read is a get or a query on one partition, never a scan. Ids come from users and
platforms, so each key part is escaped (``%`` and ``#`` become ``%25`` and ``%23``).
Instants become fixed-width UTC text, so string order is time order. A record's JSON goes
under ``body``, gzipped to bytes above :data:`COMPRESS_ABOVE` bytes (stores bill by the
kilobyte and cap item sizes; a plan shrinks about five-fold).
"""

from __future__ import annotations

import datetime as dt
import gzip
from typing import TypeVar
from urllib.parse import quote

from momentum.core.model import from_json, to_json
from momentum.core.storage_kv.table import Item

T = TypeVar("T")

SEP = "#"
ATHLETES = "ATHLETES"
ZONES = "ZONES"
USAGE_INDEX_PK = "USAGE"
BODY = "body"
VERSION = "version"
ZONE_COUNT = "athletes"
CLAIM_UNTIL = "until_us"
CLAIM_HOLDER = "holder"
TTL_ATTRIBUTE = "expires_at"
"""Epoch seconds after which a platform may sweep the item (claims carry it)."""
COMPRESS_ABOVE = 1024
STREAMS_PREFIX = "streams/"
UPLOADS_PREFIX = "uploads/"


def part(value: str) -> str:
    """One id, escaped so it can't be mistaken for a separator or a prefix."""
    return value.replace("%", "%25").replace("#", "%23")


def instant(value: dt.datetime) -> str:
    """An instant as sortable UTC text, e.g. ``2026-03-03T11:00:00.000000Z``.

    A naive datetime is taken to be UTC; instants beyond what UTC can hold clamp to the
    smallest or largest datetime.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        utc = (dt.datetime.min if value.year < 2 else dt.datetime.max).replace(tzinfo=dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def epoch_micros(value: dt.datetime) -> int:
    """Microseconds since the epoch (exact, for comparing claim expiry in a condition)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def athlete_pk(athlete_id: str) -> str:
    """The partition holding one athlete's records."""
    return f"A{SEP}{part(athlete_id)}"


def claim_pk(key: str) -> str:
    """The partition of one idempotency claim."""
    return f"CLAIM{SEP}{part(key)}"


def zone_index_pk(timezone: str) -> str:
    """``gsi1pk`` of the profiles in one zone."""
    return f"TZ{SEP}{part(timezone)}"


def identity_pk(kind: str, external_id: str) -> str:
    """The partition of one identity link."""
    return f"ID{SEP}{part(kind)}{SEP}{part(external_id)}"


def link_sk(kind: str, external_id: str) -> str:
    """The reverse link's sort key in the athlete's partition."""
    return f"LINK{SEP}{part(kind)}{SEP}{part(external_id)}"


def record_sk(kind: str, record_id: str) -> str:
    """The sort key of a record found by id, e.g. ``ACT#123``."""
    return f"{kind}{SEP}{part(record_id)}"


def plan_sk(key: str) -> str:
    """The sort key of a domain's plan: ``PLAN`` for the key plans had before domains
    (:data:`~momentum.core.model.LEGACY_PLAN_KEY`), else ``PLAN#<key>``."""
    return record_sk("PLAN", key) if key else "PLAN"


def timed_sk(kind: str, at: dt.datetime, record_id: str) -> str:
    """The time-ordered index key of a record, e.g. ``ACT#2026-03-03T11:00:00.000000Z#123``."""
    return f"{kind}{SEP}{instant(at)}{SEP}{part(record_id)}"


def time_bounds(kind: str, start: dt.datetime, end: dt.datetime) -> tuple[str, str]:
    """Inclusive bounds selecting ``start <= at < end``: a key at ``start`` sorts after
    ``kind#start``, and a key at ``end`` sorts after ``kind#end`` (it has ``#id`` after it)."""
    return f"{kind}{SEP}{instant(start)}", f"{kind}{SEP}{instant(end)}"


def blob_part(value: str) -> str:
    """One id in a Blob key, percent-encoded (no ``/`` survives)."""
    return quote(value, safe="")


def streams_key(athlete_id: str, activity_id: str) -> str:
    """Where one activity's streams live in the Blob store (gzip JSON)."""
    return f"{STREAMS_PREFIX}{blob_part(athlete_id)}/{blob_part(activity_id)}.json.gz"


def encode_body(record: object) -> str | bytes:
    """``record`` as JSON text, or gzipped bytes when longer than :data:`COMPRESS_ABOVE`."""
    text = to_json(record)
    raw = text.encode("utf-8")
    if len(raw) > COMPRESS_ABOVE:
        return gzip.compress(raw, compresslevel=6, mtime=0)
    return text


def decode_body(cls: type[T], item: Item) -> T:
    """The record of type ``cls`` stored in ``item``'s body."""
    value = item[BODY]
    if isinstance(value, bytes):
        return from_json(cls, gzip.decompress(value))
    return from_json(cls, str(value))
