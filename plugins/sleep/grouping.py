"""Sleep records from any number of sources grouped into nights.

Convention (documented because every app does it a little differently):

1. Records of every source that overlap or lie less than :data:`GAP` apart form one sleep
   period (a 40-minute wake at 3 am stays inside the night).
2. Within a period, asleep time comes from **one** source, so two devices never count the
   same minutes twice: the source with sleep stages (Core/Deep/REM) first, then the one
   with the most time asleep, then by name. Its asleep records are joined where they
   overlap. Total sleep is their length; onset and final waking are the first asleep
   start and the last asleep end; wake after onset is the span minus total sleep.
3. Time in bed is the union of every source's ``InBed`` records in the period and the
   span from onset to final waking (you are in bed while asleep).
4. A period belongs to the local day it ends on, in the UTC offset its last record
   carries; the main sleep of a day is the period with the most sleep (naps are left
   out). A period with no asleep record (an old iPhone's "in bed" alone) says nothing
   about sleep and is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from momentum.plugins.sleep.apple_health import SleepRecord
from momentum.plugins.sleep.metrics import efficiency
from momentum.plugins.sleep.nights import SOURCE, Night

GAP = dt.timedelta(minutes=90)
"""Records closer than this belong to one sleep period."""

Span = tuple[dt.datetime, dt.datetime]


def _union(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _seconds(spans: Iterable[Span]) -> float:
    return sum((end - start).total_seconds() for start, end in spans)


def periods(records: Iterable[SleepRecord]) -> list[list[SleepRecord]]:
    """Records grouped into sleep periods (closer than :data:`GAP`), in time order."""
    out: list[list[SleepRecord]] = []
    last_end: dt.datetime | None = None
    for record in sorted(records, key=lambda r: (r.start, r.end)):
        if last_end is None or record.start - last_end >= GAP:
            out.append([])
            last_end = record.end
        out[-1].append(record)
        last_end = max(last_end, record.end)
    return out


def _primary(asleep: Sequence[SleepRecord]) -> str:
    by_source: dict[str, list[SleepRecord]] = {}
    for record in asleep:
        by_source.setdefault(record.source, []).append(record)

    def rank(source: str) -> tuple[bool, float, str]:
        found = by_source[source]
        staged = any(r.stage != "asleep" for r in found)
        return (staged, _seconds(_union((r.start, r.end) for r in found)), source)

    return max(by_source, key=rank)


def _minutes_from(midnight: dt.datetime, instant: dt.datetime) -> float:
    return (instant - midnight).total_seconds() / 60


def night_of(period: Sequence[SleepRecord]) -> Night | None:
    """One period's night (see the module for the convention), or ``None`` without sleep."""
    asleep = [r for r in period if r.asleep]
    if not asleep:
        return None
    source = _primary(asleep)
    mine = [r for r in asleep if r.source == source]
    spans = _union((r.start, r.end) for r in mine)
    onset, offset = spans[0][0], spans[-1][1]
    total = _seconds(spans)
    in_bed = _union([*((r.start, r.end) for r in period if r.stage == "in_bed"), (onset, offset)])
    bed = _seconds(in_bed)
    tz = max(mine, key=lambda r: r.end).end.tzinfo
    wake = offset.astimezone(tz)
    midnight = wake.replace(hour=0, minute=0, second=0, microsecond=0)

    def stage(name: str) -> float | None:
        found = [(r.start, r.end) for r in mine if r.stage == name]
        return _seconds(_union(found)) if found else None

    offset_delta = wake.utcoffset()
    return Night(
        day=wake.date(),
        source=SOURCE,
        total_sleep_s=total,
        time_in_bed_s=bed,
        onset_min=_minutes_from(midnight, onset),
        offset_min=_minutes_from(midnight, offset),
        bed_start_min=_minutes_from(midnight, in_bed[0][0]),
        awake_s=(offset - onset).total_seconds() - total,
        deep_s=stage("deep"),
        rem_s=stage("rem"),
        core_s=stage("core"),
        utc_offset_min=offset_delta.total_seconds() / 60 if offset_delta is not None else None,
    )


def nights_from(records: Iterable[SleepRecord]) -> list[Night]:
    """Each day's main sleep, oldest first."""
    best: dict[dt.date, Night] = {}
    for period in periods(records):
        night = night_of(period)
        if night is None:
            continue
        kept = best.get(night.day)
        if kept is None or night.total_sleep_s > kept.total_sleep_s:
            best[night.day] = night
    return [best[day] for day in sorted(best)]


def efficiency_of(night: Night) -> float | None:
    """The night's sleep efficiency in percent (see :func:`metrics.efficiency`)."""
    if night.time_in_bed_s is None:
        return None
    return efficiency(night.total_sleep_s, night.time_in_bed_s)
