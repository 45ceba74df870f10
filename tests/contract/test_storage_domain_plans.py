"""Plans are domain records (issue 18): the Storage port keeps one plan per athlete and
domain, typed by the caller, and every plan stored before the plan left core reads back
unchanged on every backend, with its version, with no migration step."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from momentum.core.model import to_json
from momentum.core.model.record import Record
from momentum.core.ports.storage import ConflictError, Storage
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r
from tests.contract.backends import OpenStorage
from tests.contract.legacy_plan import ATHLETE, STORED_ON_MAIN, STORED_VERSION, write_as_main


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class BedtimePlan(Record):
    """Another domain's plan: a few fields, its own key."""

    plan_key: ClassVar[str] = "sleep"

    athlete_id: str
    bedtime: str
    wake: str
    version: int = 0


def _bedtime(athlete_id: str = ATHLETE, minute: int = 0) -> BedtimePlan:
    return BedtimePlan(athlete_id, f"22:{30 + minute}", "06:30")


def test_the_running_plan_keeps_the_bytes_main_stored() -> None:
    """The plan class moved, its JSON did not: the same plan encodes to main's bytes."""
    assert to_json(dataclasses.replace(r.plan(), version=STORED_VERSION)) == STORED_ON_MAIN


def test_a_plan_stored_by_main_reads_back(opened: OpenStorage) -> None:
    write_as_main(opened.storage)
    for storage in (opened.storage, opened.reopen()):
        plan = storage.get_plan(Plan, ATHLETE)
        assert plan == dataclasses.replace(r.plan(), version=STORED_VERSION)
        assert plan is not None and plan.version == STORED_VERSION


def test_a_plan_stored_by_main_keeps_its_version_for_conflicts(storage: Storage) -> None:
    write_as_main(storage)
    with pytest.raises(ConflictError, match="version 3"):
        storage.put_plan(r.plan(), expected_version=0)
    stored = storage.put_plan(dataclasses.replace(r.plan(), goal="sub-48"), expected_version=3)
    assert stored.version == 4
    assert storage.get_plan(Plan, ATHLETE) == stored
    assert storage.put_plan(r.plan()).version == 5  # the unconditional bump counts on too


def test_each_domain_keeps_its_own_plan_and_version(storage: Storage) -> None:
    running = storage.put_plan(r.plan(), expected_version=0)
    running = storage.put_plan(dataclasses.replace(running, goal="again"), expected_version=1)
    sleep = storage.put_plan(_bedtime(), expected_version=0)
    assert (running.version, sleep.version) == (2, 1)
    assert storage.get_plan(BedtimePlan, ATHLETE) == sleep
    assert storage.get_plan(Plan, ATHLETE) == running
    with pytest.raises(ConflictError):
        storage.put_plan(_bedtime(minute=5), expected_version=2)  # running's version, not its
    assert storage.put_plan(_bedtime(minute=5)).version == 2
    assert storage.get_plan(BedtimePlan, "mia") is None


def test_deleting_an_athlete_deletes_every_domains_plan(storage: Storage) -> None:
    storage.put_athlete(r.athlete(ATHLETE))
    storage.put_plan(r.plan())
    storage.put_plan(_bedtime())
    storage.put_plan(_bedtime("mia"))
    storage.delete_athlete(ATHLETE)
    assert storage.get_plan(Plan, ATHLETE) is None
    assert storage.get_plan(BedtimePlan, ATHLETE) is None
    assert storage.get_plan(BedtimePlan, "mia") is not None
    assert storage.put_plan(_bedtime(), expected_version=0).version == 1


def test_another_domains_plan_survives_a_restart(opened: OpenStorage) -> None:
    opened.storage.put_plan(_bedtime(), expected_version=0)
    again = opened.reopen().get_plan(BedtimePlan, ATHLETE)
    assert again == dataclasses.replace(_bedtime(), version=1)


class _NoKey(Record):
    athlete_id = "adam"
    version = 0


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class _BadKey(Record):
    plan_key: ClassVar[str] = "Sleep Plan/1"
    athlete_id: str = "adam"
    version: int = 0


@pytest.mark.parametrize("kind", [_NoKey, _BadKey])
def test_a_plan_type_without_a_usable_key_is_refused_by_name(storage: Storage, kind: type) -> None:
    with pytest.raises(TypeError, match=kind.__name__):
        storage.get_plan(kind, ATHLETE)
