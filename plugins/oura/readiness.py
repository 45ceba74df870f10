"""Readiness from Oura's nights, judged against the athlete's own baseline, in code.

Conventions (Plews et al. 2012, "Heart rate variability in elite triathletes"; Altini's
"normal range" for HRV-guided training; common sleep-need guidance):

* Last night is the sleep Oura files under today's date (Oura files a night under the day
  it ends).
* HRV is the night's average HRV (rMSSD, ms). Its baseline is the previous 30 days' nights;
  HRV is judged on ln(rMSSD), which is close to normally distributed: **well below** means
  below the baseline's mean minus one standard deviation (the SD floored at 0.05, so a very
  steady month does not flag a 5 % dip). The percentage shown is against the geometric mean.
* Resting heart rate is the night's lowest heart rate; **raised** means at least
  max(one SD, 3 bpm) above the 30-day mean.
* Sleep is the night's total sleep against the athlete's need (``sleep_need_hours``,
  8 h by default); **short** means under 85 % of it.
* At least :data:`MIN_NIGHTS` nights are needed for a baseline; with fewer, HRV and resting
  HR are shown but not judged.
* The day is **clearly poor** when two of the three signals are flagged (for example HRV
  well below baseline and a short night): then today's session is softened.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from momentum import Readiness, Storage
from momentum.plugins.oura.days import load

BASELINE_DAYS = 30
MIN_NIGHTS = 7
LN_SD_FLOOR = 0.05
RHR_MIN_RISE = 3.0
SHORT_SLEEP = 0.85


@dataclass(frozen=True)
class Baseline:
    """A signal's 30-day baseline: how many nights, and their mean and SD."""

    nights: int
    mean: float
    sd: float


def hrv_baseline(values: Sequence[float]) -> Baseline | None:
    """The ln(rMSSD) baseline of ``values`` (ms), or ``None`` with too few nights."""
    logs = [math.log(v) for v in values if v > 0]
    if len(logs) < MIN_NIGHTS:
        return None
    return Baseline(len(logs), statistics.fmean(logs), statistics.stdev(logs))


def rhr_baseline(values: Sequence[float]) -> Baseline | None:
    """The resting-HR baseline of ``values`` (bpm), or ``None`` with too few nights."""
    kept = [v for v in values if v > 0]
    if len(kept) < MIN_NIGHTS:
        return None
    return Baseline(len(kept), statistics.fmean(kept), statistics.stdev(kept))


def hrv_is_low(hrv: float, baseline: Baseline) -> bool:
    """Below the baseline's mean minus one SD, on ln(rMSSD)."""
    return math.log(hrv) < baseline.mean - max(baseline.sd, LN_SD_FLOOR)


def rhr_is_high(rhr: float, baseline: Baseline) -> bool:
    """At least max(one SD, 3 bpm) above the baseline's mean."""
    return rhr >= baseline.mean + max(baseline.sd, RHR_MIN_RISE)


def sleep_is_short(seconds: float, need_hours: float) -> bool:
    """Under 85 % of the night's need."""
    return seconds < SHORT_SLEEP * need_hours * 3600


@dataclass(frozen=True)
class Night:
    """What Oura says about one night, and how it compares."""

    day: dt.date
    hrv: float | None
    hrv_base: Baseline | None
    rhr: float | None
    rhr_base: Baseline | None
    sleep_seconds: float | None
    need_hours: float
    score: float | None = None
    efficiency: float | None = None

    @property
    def hrv_low(self) -> bool:
        """HRV well below the athlete's baseline."""
        return (
            self.hrv is not None
            and self.hrv_base is not None
            and hrv_is_low(self.hrv, self.hrv_base)
        )

    @property
    def rhr_high(self) -> bool:
        """Resting HR raised against the athlete's baseline."""
        return (
            self.rhr is not None
            and self.rhr_base is not None
            and rhr_is_high(self.rhr, self.rhr_base)
        )

    @property
    def sleep_short(self) -> bool:
        """Less sleep than the athlete needs (under 85 %)."""
        return self.sleep_seconds is not None and sleep_is_short(
            self.sleep_seconds, self.need_hours
        )

    @property
    def poor(self) -> bool:
        """Two of the three signals flagged."""
        return sum((self.hrv_low, self.rhr_high, self.sleep_short)) >= 2

    def hrv_change_percent(self) -> float | None:
        """HRV against the baseline's geometric mean, in percent."""
        if self.hrv is None or self.hrv_base is None:
            return None
        return (self.hrv / math.exp(self.hrv_base.mean) - 1.0) * 100.0

    def facts(self) -> dict[str, str]:
        """Lines for the check-in's facts."""
        out: dict[str, str] = {}
        if self.hrv is not None:
            change = self.hrv_change_percent()
            out["hrv"] = (
                f"{self.hrv:.0f} ms, {abs(change):.0f} % "
                f"{'below' if change < 0 else 'above'} your 30-day baseline of "
                f"{math.exp(self.hrv_base.mean):.0f} ms"
                if change is not None and self.hrv_base is not None
                else f"{self.hrv:.0f} ms (baseline still building)"
            ) + (" (well below)" if self.hrv_low else "")
        if self.rhr is not None:
            out["resting_hr"] = (
                f"{self.rhr:.0f} bpm against a 30-day baseline of {self.rhr_base.mean:.0f} bpm"
                if self.rhr_base is not None
                else f"{self.rhr:.0f} bpm (baseline still building)"
            ) + (" (raised)" if self.rhr_high else "")
        if self.sleep_seconds is not None:
            out["sleep"] = (
                f"{self.sleep_seconds / 3600:.1f} h of your {self.need_hours:g} h need"
                + (f", efficiency {self.efficiency:.0f} %" if self.efficiency is not None else "")
            )
        if self.score is not None:
            out["score"] = f"Oura readiness {self.score:.0f}"
        return out

    def reason(self) -> str:
        """The one line that says why the day is poor (empty when it is not)."""
        parts = []
        change = self.hrv_change_percent()
        if self.hrv_low and change is not None and self.hrv is not None:
            parts.append(f"HRV {self.hrv:.0f} ms is {abs(change):.0f} % below your 30-day baseline")
        if self.rhr_high and self.rhr is not None and self.rhr_base is not None:
            parts.append(
                f"resting HR {self.rhr:.0f} bpm is up from your usual {self.rhr_base.mean:.0f}"
            )
        if self.sleep_short and self.sleep_seconds is not None:
            parts.append(f"you slept {self.sleep_seconds / 3600:.1f} h of {self.need_hours:g} h")
        return (
            ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""
        )


def night_of(storage: Storage, athlete_id: str, day: dt.date, need_hours: float) -> Night | None:
    """Last night (filed under ``day``) against the 30 nights before, or ``None`` when
    Oura has no sleep for ``day``."""
    sleep = load(storage, athlete_id, "sleep", day)
    if sleep is None:
        return None
    hrvs, rhrs = [], []
    for back in range(1, BASELINE_DAYS + 1):
        earlier = load(storage, athlete_id, "sleep", day - dt.timedelta(days=back))
        if earlier is None:
            continue
        if earlier.get("average_hrv"):
            hrvs.append(float(earlier.get("average_hrv") or 0))
        if earlier.get("resting_hr"):
            rhrs.append(float(earlier.get("resting_hr") or 0))
    readiness = load(storage, athlete_id, "daily_readiness", day)
    return Night(
        day=day,
        hrv=sleep.get("average_hrv"),
        hrv_base=hrv_baseline(hrvs),
        rhr=sleep.get("resting_hr"),
        rhr_base=rhr_baseline(rhrs),
        sleep_seconds=sleep.get("total_sleep_duration"),
        need_hours=need_hours,
        score=readiness.get("score") if readiness else None,
        efficiency=sleep.get("efficiency"),
    )


def readiness_of(night: Night) -> Readiness:
    """What the check-in gets: the facts, and a softening when the night was poor."""
    return Readiness("Oura", night.facts(), soften=night.poor, reason=night.reason())
