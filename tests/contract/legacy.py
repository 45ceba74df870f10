"""Records in the shape main stored before running's fields left core's records, and a
raw writer that puts such a body where each backend keeps it, bypassing the new code.

Before issue 18's move an athlete carried ``goal_race``, ``race_results``, ``long_run_day``
and ``current_training`` at the top level, and an activity carried ``gap_seconds_per_km``,
``gap_model`` and ``trimp``. :func:`old_athlete_json` and :func:`old_activity_json` write a
new-shape record back in that shape, exactly as the old ``to_json`` did (every field, the
defaults too), plus one key no domain owns (it must survive a read and a write-back).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any

from momentum.core.model import Activity, AthleteProfile, to_dict
from momentum.core.ports.storage import Storage
from momentum.core.storage_kv import KvStorage
from momentum.core.storage_kv import layout as k
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.profile import running_profile

UNOWNED = {"shoe_size_eu": 44}
"""A top-level key no installed domain claims (say, from a newer version's plugin)."""


def old_athlete_json(profile: AthleteProfile) -> str:
    """``profile`` as main wrote it: running's fields at the top level, no running section."""
    data = to_dict(profile)
    sections = dict(data["domain_profiles"])
    sections.pop("running", None)
    data["domain_profiles"] = sections
    data.update(to_dict(running_profile(profile)), **UNOWNED)
    return json.dumps(data, separators=(",", ":"))


def old_activity_json(activity: Activity) -> str:
    """``activity`` (without streams) as main wrote it: running's numbers at the top level."""
    data = to_dict(dataclasses.replace(activity, streams=None))
    sections = dict(data["domain_metrics"])
    sections.pop("running", None)
    data.pop("domain_metrics")
    if sections:
        data["domain_metrics"] = sections
    data.update(to_dict(running_metrics(activity)), **UNOWNED)
    return json.dumps(data, separators=(",", ":"))


def write_raw(storage: Storage, profile: AthleteProfile, activity: Activity) -> None:
    """Store ``profile`` and ``activity`` through ``storage`` (so every index row exists),
    then overwrite each stored body with its old-shape JSON, as an older version left it.
    The views' overlay never writes its base, so there the old records go into the base."""
    if type(storage).__name__ == "OverlayStorage":
        storage = storage.base  # type: ignore[attr-defined]
    storage.put_athlete(profile)
    storage.put_activity(activity)
    _overwrite(storage, profile, activity, old_athlete_json(profile), old_activity_json(activity))


def _overwrite(
    storage: Any, profile: AthleteProfile, activity: Activity, athlete: str, act: str
) -> None:
    kind = type(storage).__name__
    aid, act_id = profile.athlete_id, activity.activity_id
    if kind == "InMemoryStorage":
        storage._athletes[aid] = athlete
        storage._activities[(activity.athlete_id, act_id)] = act
    elif kind == "SqliteStorage":
        with sqlite3.connect(storage.path) as conn:
            _sql_updates(lambda text, *p: conn.execute(text, p), aid, act_id, athlete, act)
    elif kind == "D1Storage":
        _sql_updates(storage._run, aid, act_id, athlete, act)
    elif isinstance(storage, KvStorage):  # the in-memory table and DynamoDB
        kv = storage.kv
        for pk, sk, body in (
            (k.ATHLETES, k.part(aid), athlete),
            (k.athlete_pk(aid), k.record_sk("ACT", act_id), act),
        ):
            item = kv.get(pk, sk)
            kv.put({**item, k.BODY: body})
    elif kind == "TableStorage":
        from momentum.adapters.azure import keys

        table = storage.table
        table.upsert(
            {"PartitionKey": keys.ATHLETES, "RowKey": keys.esc(aid)}
            | storage._body(athlete, keys.ATHLETES, aid)
        )
        table.upsert(
            {"PartitionKey": keys.zone_pk(profile.timezone), "RowKey": keys.esc(aid)}
            | storage._body(athlete)
        )
        pk, rk = keys.athlete_pk(activity.athlete_id), keys.row("act", act_id)
        table.upsert(
            {"PartitionKey": pk, "RowKey": rk, "at": keys.instant(activity.start)}
            | storage._body(act, pk, rk)
        )
    elif kind == "FirestoreStorage":
        from momentum.adapters.gcp import names as n

        storage._athlete(aid).update({"body": athlete})
        storage._sub(activity.athlete_id, n.ACTIVITIES).document(n.doc_id(act_id)).update(
            {"body": act}
        )
    else:
        raise NotImplementedError(f"no raw writer for {kind}: add one in tests/contract/legacy.py")


def _sql_updates(run: Any, aid: str, act_id: str, athlete: str, act: str) -> None:
    run("UPDATE athletes SET body = ? WHERE athlete_id = ?", athlete, aid)
    run("UPDATE activities SET body = ? WHERE athlete_id = ? AND activity_id = ?", act, aid, act_id)
