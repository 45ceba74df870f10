"""A simulated sleeper for ``momentum demo --domain sleep``: deterministic (seeded by the
athlete id), offline, stored as Apple Health nights like a real import.

The person means to sleep 23:15–06:45 on workdays. Over a three-week cycle their bedtime
drifts later (a busy stretch: up to an hour late, shorter nights) and then recovers;
free nights start about an hour later and end later (social jet lag); every night has a
little noise, some latency and a few minutes awake.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zlib

from momentum import App, AthleteProfile
from momentum.plugins.sleep.nights import SOURCE, Night, keep_nights
from momentum.plugins.sleep.profile import sleep_profile

CYCLE_DAYS = 21
"""Days of one drift-and-recover cycle."""


def _seed(athlete_id: str) -> int:
    return zlib.crc32(f"momentum-sleep:{athlete_id}".encode())


def simulated_night(rng: random.Random, day: dt.date, workdays: frozenset[int]) -> Night:
    """One night ending on ``day`` (see the module for the person)."""
    phase = (day.toordinal() % CYCLE_DAYS) / CYCLE_DAYS
    drift = 60 * max(0.0, math.sin(2 * math.pi * phase))  # minutes late in the busy stretch
    free = day.weekday() not in workdays
    bed = -45 + drift * 0.8 + (60 if free else 0) + rng.gauss(0, 12)  # 23:15, later
    latency = rng.uniform(8, 25)
    wake = 405 + (75 if free else drift * 0.15) + rng.gauss(0, 8)  # 06:45, later when free
    awake = rng.uniform(5, 30)
    onset = bed + latency
    total = max(180.0, wake - onset - awake)
    return Night(
        day=day,
        source=SOURCE,
        total_sleep_s=round(total * 60),
        time_in_bed_s=round((wake + 5 - bed) * 60),
        onset_min=round(onset, 1),
        offset_min=round(wake, 1),
        bed_start_min=round(bed, 1),
        awake_s=round(awake * 60),
        deep_s=round(total * 60 * rng.uniform(0.13, 0.2)),
        rem_s=round(total * 60 * rng.uniform(0.18, 0.25)),
        core_s=None,
        utc_offset_min=None,
    )


def simulate(app: App, athlete_id: str, start: dt.date, end: dt.date) -> None:
    """Keep one simulated night per day from ``start`` to ``end`` for ``athlete_id``
    (the same nights on every run: seeded by the athlete id and the day)."""
    athlete = app.storage.get_athlete(athlete_id) or AthleteProfile(athlete_id, athlete_id)
    workdays = sleep_profile(athlete).workdays
    nights = []
    day = start
    while day <= end:
        rng = random.Random(_seed(athlete_id) ^ day.toordinal())
        nights.append(simulated_night(rng, day, workdays))
        day += dt.timedelta(days=1)
    keep_nights(app.storage, athlete_id, nights)
