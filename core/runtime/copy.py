"""Copy a coach's records from one Storage to another (a local coach into a deployed
cloud's store, one cloud into another), so the first check-in there already knows the
athlete, their history (activities, streams and daily observations such as nights and
logged meals) and their tokens. Every write is an upsert, so copying again is
safe; a token is written over whatever version the target holds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from momentum.core.model import DomainPlan, OAuthToken
from momentum.core.ports.storage import ConflictError, Storage

FAR_PAST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
OBSERVATIONS_AT_ONCE = 500
"""Series read per batch when copying observations."""


def copy_coach(
    source: Storage,
    target: Storage,
    athlete_ids: Sequence[str] | None = None,
    providers: Sequence[str] = (),
    plan_types: Sequence[type[DomainPlan]] = (),
) -> Counter[str]:
    """Copy every record of the chosen athletes (all by default); returns counts by kind.

    ``providers`` names the OAuth tokens to copy: the installed data sources' names, and
    ``plan_types`` the plans to copy: the installed domains' plan records
    (``Domain.plan_record``). The migrate command passes both; core names none."""
    copied: Counter[str] = Counter()
    for athlete in source.list_athletes():
        if athlete_ids is not None and athlete.athlete_id not in athlete_ids:
            continue
        aid = athlete.athlete_id
        target.put_athlete(athlete)
        copied["athletes"] += 1
        activity_ids: set[str] = set()
        for activity in source.list_activities(aid, FAR_PAST, FAR_FUTURE):
            activity_ids.add(activity.activity_id)
            streams = source.get_streams(aid, activity.activity_id)
            if streams is not None:
                target.put_streams(aid, activity.activity_id, streams)
                copied["streams"] += 1
            target.put_activity(activity)
            copied["activities"] += 1
            for note in source.list_notes(aid, activity.activity_id):
                target.put_note(note)
                copied["notes"] += 1
        copied["observations"] += _copy_observations(source, target, aid, activity_ids)
        for kind in plan_types:
            plan = source.get_plan(kind, aid)
            if plan is not None:
                target.put_plan(plan)
                copied["plans"] += 1
        for message in source.list_messages(aid, FAR_PAST, FAR_FUTURE):
            target.put_message(message)
            copied["messages"] += 1
        for reflection in source.list_reflections(aid, FAR_PAST, FAR_FUTURE):
            target.put_reflection(reflection)
            copied["reflections"] += 1
        for item in source.list_memory(aid):
            target.put_memory(item)
            copied["memory"] += 1
        for usage in source.list_usage(aid, FAR_PAST, FAR_FUTURE):
            target.put_usage(usage)
            copied["usage"] += 1
        for provider in providers:
            token = source.get_token(aid, provider)
            if token is not None:
                _copy_token(target, token)
                copied["tokens"] += 1
    return copied


def _copy_observations(
    source: Storage, target: Storage, athlete_id: str, activity_ids: set[str]
) -> int:
    """Copy the athlete's series that belong to no activity: the daily observations a
    source or a domain keeps (nights, readiness, logged meals), read in batches."""
    keys = [k for k in source.list_stream_keys(athlete_id) if k not in activity_ids]
    copied = 0
    for at in range(0, len(keys), OBSERVATIONS_AT_ONCE):
        found = source.get_many_streams(athlete_id, keys[at : at + OBSERVATIONS_AT_ONCE])
        for key, streams in found.items():
            target.put_streams(athlete_id, key, streams)
            copied += 1
    return copied


def _copy_token(target: Storage, token: OAuthToken) -> None:
    for _ in range(5):
        current = target.get_token(token.athlete_id, token.provider)
        try:
            target.put_token(token, current.version if current else 0)
            return
        except ConflictError:
            continue
    raise ConflictError(f"{token.provider} token for {token.athlete_id} kept changing")
