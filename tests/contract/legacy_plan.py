"""A training plan exactly as every store kept it before the plan left core (main at
9c9bba0, when ``Plan`` was ``momentum.core.model.Plan`` and each athlete had one plan).

``STORED_ON_MAIN`` is the JSON main's code wrote for ``tests.contract.records.plan()`` stored
at version 3, captured by running main's own code (``to_json(dataclasses.replace(plan(),
version=3))``), not typed in. :func:`write_as_main` puts it where, and how, main's code put a
plan on each backend (the key, the version column or attribute, gzip above 1 KiB in the
key-value table), without the new code's help, so reading it back proves stored plans need
no migration.
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from momentum.core.ports.storage import Storage

STORED_ON_MAIN = (
    '{"athlete_id":"adam","created":"2026-03-03T11:00:00+00:00","phases":[{"name":"Winter Eng'
    'ine","start":"2026-03-02","end":"2026-04-26","focus":"aerobic base","volume_factor":0.9,'
    '"kind":""}],"mvw":{"easy_runs":3,"easy_minutes":[40,55],"long_runs":1,"long_minutes":[80'
    ',110],"strength_sessions":2},"weeks":[{"start":"2026-03-02","phase":"Winter Engine","ses'
    'sions":[{"date":"2026-03-02","kind":"easy","minutes":45,"zone":"Z2","pace":[400.0,430.0]'
    ',"purpose":"aerobic base","title":"Easy Z2","distance_meters":6500.0,"optional":true,"st'
    'atus":"done","activity_id":"a1","strength":null},{"date":"2026-03-04","kind":"strength",'
    '"minutes":30,"zone":"","pace":null,"purpose":"","title":"","distance_meters":null,"optio'
    'nal":false,"status":"planned","activity_id":null,"strength":{"warm_up":["hip circles"],"'
    'main_set":[{"name":"goblet squat","sets":3,"reps":"8-10","notes":"slow down","equipment"'
    ':"kettlebells","loads":["knee"]}],"cool_down":["calf stretch"],"intensity":"hard"}}],"is'
    '_recovery":true,"changes":[],"missed_days":[]}],"vdot":38.2,"goal":"30K trail","version"'
    ':3,"timezone":""}'
)
STORED_VERSION = 3
ATHLETE = "adam"

_MAIN_SQL = "INSERT INTO plans (athlete_id, version, body) VALUES (?, ?, ?)"
"""Main's ``UPSERT_PLAN`` insert: no plan key (a store at the new schema fills in ``''``)."""


def write_as_main(storage: Storage) -> None:
    """Put :data:`STORED_ON_MAIN` into ``storage``'s backing store as main's code did;
    skips for the stores that keep nothing between runs (nothing was ever stored there)."""
    kind = type(storage).__name__
    writer = _WRITERS.get(kind)
    if writer is None:
        pytest.skip(f"{kind} keeps nothing between runs: no plan was stored before")
    writer(storage)


def _kv(storage: Any) -> None:
    from momentum.core.storage_kv.table import PK, SK

    raw = STORED_ON_MAIN.encode("utf-8")
    assert len(raw) > 1024  # main gzipped bodies above 1 KiB: this one goes through that
    body = gzip.compress(raw, compresslevel=6, mtime=0)
    storage.kv.put({PK: f"A#{ATHLETE}", SK: "PLAN", "body": body, "version": STORED_VERSION})


def _sqlite(storage: Any) -> None:
    with storage._write() as conn:
        conn.execute(_MAIN_SQL, (ATHLETE, STORED_VERSION, STORED_ON_MAIN))


def _d1(storage: Any) -> None:
    storage._run(_MAIN_SQL, ATHLETE, STORED_VERSION, STORED_ON_MAIN)


def _azure(storage: Any) -> None:
    from momentum.adapters.azure.table_codec import pack

    entity = {"PartitionKey": f"a|{ATHLETE}", "RowKey": "plan", "version": STORED_VERSION}
    storage.table.create({**entity, **pack(STORED_ON_MAIN, storage.blob, "unused")})


def _firestore(storage: Any) -> None:
    ref = storage.db.collection("athletes").document(ATHLETE).collection("plans")
    ref.document("current").set({"body": STORED_ON_MAIN, "version": STORED_VERSION})


_WRITERS = {
    "KvStorage": _kv,
    "DynamoDbStorage": _kv,
    "SqliteStorage": _sqlite,
    "OverlayStorage": lambda overlay: _sqlite(overlay.base),
    "D1Storage": _d1,
    "TableStorage": _azure,
    "FirestoreStorage": _firestore,
}
