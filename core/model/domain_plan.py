"""A domain's stored plan: the record the Storage port keeps one of per athlete and domain.

Core knows no domain's plan. A domain declares its plan as a record (a frozen dataclass on
:class:`~momentum.core.model.record.Record`, serialised field by field by
:mod:`momentum.core.model.serde`) that carries its athlete and version and names the key it
is stored under; the Storage port takes the type from the caller::

    stored = storage.put_plan(plan, expected_version=0)   # keyed by type(plan).plan_key
    plan = storage.get_plan(SleepPlan, athlete_id)        # a SleepPlan, or None

Every store writes the plan's JSON as it is, with ``version`` set to the version it stores,
so a plan's stored bytes depend only on its fields: a plan class moved to another module
reads back everything stored before the move.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar, Protocol, TypeVar

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")

LEGACY_PLAN_KEY = ""
"""The key of plans stored when an athlete had one plan and no domain named it. The running
domain's plan keeps it, so the plans stored then read back with no migration; any other
domain names its own key."""


class DomainPlan(Protocol):
    """What the Storage port needs of a domain's plan record."""

    plan_key: ClassVar[str]
    """Where this domain's plans are stored per athlete: lower-case letters, digits, ``-``
    and ``_`` (the domain's name, e.g. ``"sleep"``), or :data:`LEGACY_PLAN_KEY`."""

    @property
    def athlete_id(self) -> str:
        """Whose plan it is."""

    @property
    def version(self) -> int:
        """The stored version (0 before the first write); stores set it on every write."""


P = TypeVar("P", bound=DomainPlan)


def plan_key(kind: type[DomainPlan] | DomainPlan) -> str:
    """The storage key a plan type (or a plan) declares, checked: a clear error names the
    type when it declares none or an unusable one."""
    cls = kind if isinstance(kind, type) else type(kind)
    key = getattr(cls, "plan_key", None)
    if not isinstance(key, str) or (key != LEGACY_PLAN_KEY and not _KEY.fullmatch(key)):
        raise TypeError(
            f"{cls.__name__}.plan_key must be a short lower-case key such as 'sleep' "
            f"(letters, digits, '-', '_'), not {key!r}"
        )
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass record, so it can't be stored")
    return key


def with_version(plan: P, version: int) -> P:
    """``plan`` as stored at ``version``."""
    record: Any = plan
    stored: P = dataclasses.replace(record, version=version)
    return stored
