"""Records stored before running's fields left core's records read back whole on every
backend, with no migration step (issue 18).

Each test writes an old-shape athlete and activity raw where the backend keeps them
(:mod:`tests.contract.legacy`), reads them with the new code through a new client, writes
them back, and checks nothing was dropped: running's fields arrive in running's sections,
every other field is unchanged, and a key no domain owns is kept and written back too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.core.model import to_dict
from momentum.core.model.serde import LEGACY_SECTION
from momentum.plugins.running.activity_metrics import RunningMetrics, running_metrics
from momentum.plugins.running.profile import CurrentTraining, running_profile
from momentum.plugins.running.profile import with_running_profile as with_profile
from tests.contract.backends import OpenStorage
from tests.contract.legacy import UNOWNED, write_raw
from tests.contract.records import T0, activity, athlete

WINDOW = (T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=1))


def _expected() -> tuple:  # type: ignore[type-arg]
    profile = with_profile(
        dataclasses.replace(athlete(), sex="female"),
        current_training=CurrentTraining(dt.date(2026, 1, 5), 240, 4, 95),
    )
    return profile, activity()


def _upgraded(record):  # type: ignore[no-untyped-def]
    """``record`` as the new code holds an old-shape copy of it: the unowned key waits in
    the legacy section of its per-domain field."""
    holder = type(record).__domain_field__
    sections = {**getattr(record, holder), LEGACY_SECTION: dict(UNOWNED)}
    return dataclasses.replace(record, **{holder: sections})


def test_an_old_shape_athlete_and_activity_read_back_whole(opened: OpenStorage) -> None:
    profile, act = _expected()
    write_raw(opened.storage, profile, act)
    store = opened.reopen()

    read = store.get_athlete(profile.athlete_id)
    assert read is not None
    assert running_profile(read) == running_profile(profile)
    assert running_profile(read).goal_race is not None  # the fields are really there
    assert running_profile(read).current_training == CurrentTraining(
        dt.date(2026, 1, 5), 240, 4, 95
    )
    assert read == _upgraded(profile)
    assert store.list_athletes() == [read]
    assert store.list_athletes_in_timezone(profile.timezone) == [read]

    got = store.get_activity(act.athlete_id, act.activity_id)
    assert got is not None
    assert running_metrics(got) == RunningMetrics(389.4, "strava", 61.0)
    assert got == _upgraded(dataclasses.replace(act, streams=None))
    assert store.list_activities(act.athlete_id, *WINDOW) == [got]


def test_an_old_shape_record_written_back_loses_nothing(opened: OpenStorage) -> None:
    profile, act = _expected()
    write_raw(opened.storage, profile, act)
    store = opened.reopen()
    read = store.get_athlete(profile.athlete_id)
    got = store.get_activity(act.athlete_id, act.activity_id)
    assert read is not None and got is not None

    store.put_athlete(read)
    store.put_activity(got)
    again = opened.reopen()
    assert again.get_athlete(profile.athlete_id) == read
    assert again.get_activity(act.athlete_id, act.activity_id) == got
    # the same data as the old shape held, key for key, now in the new places
    stored = to_dict(again.get_athlete(profile.athlete_id))
    assert stored["domain_profiles"]["running"] == to_dict(profile)["domain_profiles"]["running"]
    assert stored["domain_profiles"][LEGACY_SECTION] == UNOWNED


def test_a_domain_writes_its_section_and_keeps_the_unowned_key(opened: OpenStorage) -> None:
    """The running accessor's write moves the profile on without touching what it does
    not own."""
    profile, act = _expected()
    write_raw(opened.storage, profile, act)
    store = opened.reopen()
    read = store.get_athlete(profile.athlete_id)
    assert read is not None
    changed = with_profile(read, race_results=())
    store.put_athlete(changed)
    back = opened.reopen().get_athlete(profile.athlete_id)
    assert back is not None
    assert running_profile(back).race_results == ()
    assert running_profile(back).goal_race == running_profile(profile).goal_race
    assert back.domain_profiles[LEGACY_SECTION] == UNOWNED
