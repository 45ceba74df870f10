"""Running's numbers on an activity, kept in ``Activity.domain_metrics["running"]``.

Grade-adjusted pace (and the model that computed it) and Banister's TRIMP are computed by
:mod:`momentum.plugins.running.analytics` and read with :func:`running_metrics`, written
with :func:`with_running_metrics`.

Activities stored before these numbers moved kept them at the top level of the activity
record. This module registers those keys with core's decoder
(:func:`momentum.core.model.serde.register_legacy_keys`), which moves them into this
section on read on every backend, so old records need no migration step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from momentum.core.errors import InputError
from momentum.core.model import Activity
from momentum.core.model.record import Record
from momentum.core.model.serde import LEGACY_SECTION, claim_legacy, register_legacy_keys

DOMAIN = "running"
"""The key of running's section in ``Activity.domain_metrics``."""


@dataclass(frozen=True, repr=False, eq=False)
class RunningMetrics(Record):
    """Running's numbers for one activity; ``None`` means "could not be computed"."""

    gap_seconds_per_km: float | None = None
    """Grade-adjusted pace (:mod:`.analytics.gap`)."""
    gap_model: str = ""
    """The grade model behind :attr:`gap_seconds_per_km` (``minetti2002``, ``strava_style``)."""
    trimp: float | None = None
    """Banister's TRIMP (:mod:`.analytics.trimp`)."""

    @property
    def gap_str(self) -> str:
        """Grade-adjusted pace as the talk prints it, e.g. ``"11:19 min/km"``."""
        if self.gap_seconds_per_km is None:
            return ""
        total = round(self.gap_seconds_per_km)
        return f"{total // 60}:{total % 60:02d} min/km"


FIELDS = tuple(f.name for f in dataclasses.fields(RunningMetrics))
"""The section's keys; the same names the activity record carried before they moved."""

register_legacy_keys(Activity, DOMAIN, FIELDS)

_EMPTY = RunningMetrics()


def _number(section: dict[str, Any], key: str) -> float | None:
    value = section.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"domain_metrics.{DOMAIN}.{key}", "expected a number")
    return float(value)


def running_metrics(activity: Activity) -> RunningMetrics:
    """The activity's running numbers (all ``None`` when running computed none).

    Raises :class:`~momentum.core.errors.InputError` naming the key when the stored section
    holds something else.
    """
    metrics = activity.domain_metrics
    if LEGACY_SECTION in metrics:
        section, _ = claim_legacy(metrics, DOMAIN, FIELDS)
    else:
        found = metrics.get(DOMAIN)
        if found is None:
            return _EMPTY
        section = found
    model = section.get("gap_model", "")
    if not isinstance(model, str):
        raise InputError(f"domain_metrics.{DOMAIN}.gap_model", "expected a string")
    return RunningMetrics(_number(section, "gap_seconds_per_km"), model, _number(section, "trimp"))


def with_running_metrics(
    activity: Activity, metrics: RunningMetrics | None = None, **changes: Any
) -> Activity:
    """``activity`` with its running numbers replaced by ``metrics`` (default: the current
    ones), then with ``changes`` (field names of :class:`RunningMetrics`) applied."""
    base = running_metrics(activity) if metrics is None else metrics
    if changes:
        base = dataclasses.replace(base, **changes)
    _, rest = claim_legacy(activity.domain_metrics, DOMAIN, FIELDS)
    section = {k: v for k, v in dataclasses.asdict(base).items() if v not in (None, "")}
    if section:
        rest[DOMAIN] = section
    else:
        rest.pop(DOMAIN, None)
    return dataclasses.replace(activity, domain_metrics=rest)
