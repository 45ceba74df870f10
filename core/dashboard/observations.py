"""Readiness and sleep on the Overview, from the daily observations sources keep.

A ring (Oura, source ``oura``) or a sleep diary (source ``apple_health``) keeps each
night as a :class:`~momentum.core.observations.Observation` of kind ``sleep``: total sleep
(``total_sleep_duration``, seconds), average HRV (``average_hrv``, ms rMSSD) and resting
heart rate (``resting_hr``, bpm, the night's lowest). The Overview charts the last
:data:`NIGHTS` days of them; with no night kept there is no chart at all.

Baselines follow the convention the readiness judgement uses (Plews et al. 2012): the
previous :data:`BASELINE_DAYS` nights, at least :data:`MIN_NIGHTS` of them; HRV's baseline
is the geometric mean (the mean of ln rMSSD, which is close to normal), resting HR's the
arithmetic mean. The page shows them; it judges nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import Any

from momentum.core.dashboard.charts import Chart, chart, spec
from momentum.core.observations import Observation, read_days
from momentum.core.ports.storage import Storage

NIGHT_SOURCES = ("oura", "apple_health")
"""Sources whose ``sleep`` observations are nights, in order of preference for a day."""
NIGHTS = 56
"""Eight weeks of nights on the Overview (one batch read per source)."""
BASELINE_DAYS = 30
MIN_NIGHTS = 7
TIME = "t"
"""Vega-Lite's short name for its date-and-time field type."""


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def nights(
    storage: Storage, athlete_id: str, today: dt.date, days: int = NIGHTS
) -> list[Observation]:
    """One night per day (the first source in :data:`NIGHT_SOURCES` that has it) over the
    last ``days`` days plus the baseline's window, oldest first."""
    start = today - dt.timedelta(days=days + BASELINE_DAYS - 1)
    by_day: dict[dt.date, Observation] = {}
    for source in NIGHT_SOURCES:
        for night in read_days(storage, athlete_id, source, "sleep", start, today):
            by_day.setdefault(night.day, night)
    return [by_day[day] for day in sorted(by_day)]


def _baseline(values: list[float], geometric: bool) -> float | None:
    kept = [v for v in values if v > 0]
    if len(kept) < MIN_NIGHTS:
        return None
    if geometric:
        return math.exp(statistics.fmean(math.log(v) for v in kept))
    return statistics.fmean(kept)


def night_rows(kept: list[Observation], today: dt.date, days: int = NIGHTS) -> list[dict[str, Any]]:
    """Each night of the last ``days`` days: hours asleep, HRV and resting HR, each with
    its baseline from the :data:`BASELINE_DAYS` days before that night (``None`` while
    fewer than :data:`MIN_NIGHTS` nights are known)."""
    first = today - dt.timedelta(days=days - 1)
    rows = []
    for night in kept:
        if night.day < first:
            continue
        window = [
            n for n in kept if night.day - dt.timedelta(days=BASELINE_DAYS) <= n.day < night.day
        ]
        hrv = night.values.get("average_hrv")
        rhr = night.values.get("resting_hr", night.values.get("lowest_heart_rate"))
        asleep = night.values.get("total_sleep_duration")
        hrv_window = [v for n in window if (v := n.values.get("average_hrv")) is not None]
        rhr_window = [
            v
            for n in window
            if (v := n.values.get("resting_hr", n.values.get("lowest_heart_rate"))) is not None
        ]
        rows.append(
            {
                "day": night.day.isoformat(),
                "source": night.source,
                "sleep_hours": _r(asleep / 3600.0, 2) if asleep is not None else None,
                "hrv": _r(hrv),
                "hrv_baseline": _r(_baseline(hrv_window, geometric=True)),
                "resting_hr": _r(rhr),
                "resting_hr_baseline": _r(_baseline(rhr_window, geometric=False)),
            }
        )
    return rows


def readiness_model(storage: Storage, athlete_id: str, today: dt.date) -> dict[str, Any]:
    """The Overview's ``nights`` rows (``[]`` when no source keeps nights)."""
    return {"nights": night_rows(nights(storage, athlete_id, today), today)}


def _line_against_baseline(
    rows: list[dict[str, Any]], field: str, baseline: str, title: str, colour: str
) -> dict[str, Any]:
    x = {"field": "day", "type": TIME, "title": None}
    y_scale = {"zero": False}
    return {
        "width": "container",
        "height": 130,
        "layer": [
            {
                "mark": {"type": "line", "color": colour, "point": True, "tooltip": True},
                "transform": [{"filter": f"datum.{field} != null"}],
                "encoding": {
                    "x": x,
                    "y": {"field": field, "type": "quantitative", "title": title, "scale": y_scale},
                },
            },
            {
                "mark": {"type": "line", "color": "#757575", "strokeDash": [4, 3]},
                "transform": [{"filter": f"datum.{baseline} != null"}],
                "encoding": {"x": x, "y": {"field": baseline, "type": "quantitative"}},
            },
        ],
    }


def readiness_charts(model: dict[str, Any]) -> list[Chart]:
    """HRV and resting HR against their baselines, and hours asleep; each chart only when
    some night has its number (no empty charts)."""
    rows = model.get("nights") or []
    charts = []
    hrv = [r for r in rows if r["hrv"] is not None]
    rhr = [r for r in rows if r["resting_hr"] is not None]
    if hrv or rhr:
        panels = []
        if hrv:
            panels.append(_line_against_baseline(rows, "hrv", "hrv_baseline", "HRV ms", "#2e7d32"))
        if rhr:
            panels.append(
                _line_against_baseline(
                    rows, "resting_hr", "resting_hr_baseline", "Resting HR", "#c62828"
                )
            )
        made = spec("nights", rows, {"vconcat": panels})
        made.pop("height")
        latest = (hrv or rhr)[-1]
        charts.append(
            chart(
                "readiness",
                "Readiness: HRV and resting heart rate against baseline",
                f"Nightly HRV ({len(hrv)} nights) and resting heart rate ({len(rhr)} nights), "
                f"each with its {BASELINE_DAYS}-day baseline dashed; latest night "
                f"{latest['day']}: HRV {latest['hrv']} ms (baseline {latest['hrv_baseline']}), "
                f"resting HR {latest['resting_hr']} (baseline {latest['resting_hr_baseline']}).",
                made,
            )
        )
    asleep = [r for r in rows if r["sleep_hours"] is not None]
    if asleep:
        body = {
            "mark": {"type": "bar", "color": "#5e35b1", "tooltip": True},
            "transform": [{"filter": "datum.sleep_hours != null"}],
            "encoding": {
                "x": {"field": "day", "type": TIME, "title": None},
                "y": {"field": "sleep_hours", "type": "quantitative", "title": "Hours asleep"},
            },
        }
        mean = round(statistics.fmean(r["sleep_hours"] for r in asleep), 1)
        charts.append(
            chart(
                "sleep",
                "Sleep",
                f"Hours asleep each night over {len(asleep)} nights, {mean} h on average.",
                spec("sleep", rows, body, height=160),
            )
        )
    return charts
