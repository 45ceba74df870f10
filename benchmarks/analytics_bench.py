"""Analytics benchmarks: the full record of a 2-hour 1 Hz run, the PMC over five years,
and importing 200 FIT files against decoding them with fitdecode alone.

Run: ``.venv/bin/python benchmarks/analytics_bench.py [--fit-files 200] [--repeat 30]``.
Targets: record ≤ 20 ms; import overhead ≤ 25 % over decoding alone. Each figure is the
best of several runs, as wall time and as this thread's CPU time (the CPU figure is the
one to trust on a shared, busy machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from _analytics_fitgen import make_fit_folder  # noqa: E402

from momentum.core.model import Activity, AthleteProfile, HeartRateProfile, Streams  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "activities" / "fit"
ATHLETE = AthleteProfile(
    athlete_id="bench",
    name="Bench",
    timezone="America/Toronto",
    heart_rate=HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162),
)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Best wall ms, median wall ms, best CPU ms over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.thread_time()
        fn()
        cpus.append(time.thread_time() - c)
        walls.append(time.perf_counter() - w)
    return min(walls) * 1e3, statistics.median(walls) * 1e3, min(cpus) * 1e3


def two_hour_run() -> Streams:
    """7201 samples at 1 Hz: rolling hills, a warm-up, HR drift, dropouts and spikes,
    a traffic-light stop and GPS positions (every channel a watch records)."""
    rng = random.Random(7)
    n = 7201
    speed, dist, hr, cad, power, alt, lat, lng = [], [], [], [], [], [], [], []
    total = 0.0
    for i in range(n):
        stopped = 3000 <= i < 3060
        s = 0.0 if stopped else 2.9 + 0.25 * math.sin(i / 240) + rng.gauss(0, 0.08)
        total += s if i else 0.0
        speed.append(s)
        dist.append(total)
        beat = 118 + 24 * (1 - math.exp(-i / 420)) + i / 900 + rng.gauss(0, 1.5)
        hr.append(0.0 if 5000 <= i < 5020 else 230.0 if i % 1777 == 0 else round(beat))
        cad.append(0.0 if stopped else 168 + rng.gauss(0, 2))
        power.append(0.0 if stopped else 230 + rng.gauss(0, 10))
        alt.append(120 + 25 * math.sin(total / 900) + rng.gauss(0, 0.3))
        lat.append(43.65 + total * 9e-6 * math.cos(i / 2000))
        lng.append(-79.38 + total * 9e-6 * math.sin(i / 2000))
    return Streams(
        time=tuple(float(i) for i in range(n)),
        channels={
            "distance": tuple(dist),
            "speed": tuple(speed),
            "heart_rate": tuple(hr),
            "cadence": tuple(cad),
            "power": tuple(power),
            "altitude": tuple(alt),
            "lat": tuple(lat),
            "lng": tuple(lng),
        },
    )


def bench_record(repeat: int) -> None:
    from momentum.plugins.running.analytics.record import build_activity

    streams = two_hour_run()
    start = dt.datetime(2026, 2, 7, 14, 0, tzinfo=dt.UTC)

    def run() -> Activity:
        return build_activity(streams, ATHLETE, activity_id="b", activity_type="Run", start=start)

    best, median, cpu = timed(run, repeat)
    record = run()
    print(f"record, 2 h at 1 Hz ({len(streams.time)} samples, {len(streams.channels)} channels):")
    print(
        f"  best {best:.1f} ms wall, median {median:.1f} ms wall, best {cpu:.1f} ms CPU"
        "  (target ≤ 20 ms)"
    )
    print(
        f"  -> {record.distance_meters / 1000:.2f} km, {len(record.splits)} splits, "
        f"EF {record.efficiency_factor:.3f}, core EF {record.core_ef:.3f}, HRSS {record.hrss:.0f}"
    )


def bench_pmc(repeat: int) -> None:
    from momentum.plugins.running.analytics.load import pmc
    from momentum.plugins.running.analytics.snapshot import fitness_snapshot

    rng = random.Random(3)
    first = dt.date(2021, 3, 1)
    end = first + dt.timedelta(days=5 * 365)
    activities = []
    day = first
    k = 0
    while day <= end:
        if rng.random() < 0.8:
            k += 1
            activities.append(
                Activity(
                    activity_id=f"a{k}",
                    athlete_id="bench",
                    activity_type="Run",
                    start=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
                    moving_time_seconds=rng.uniform(1800, 7200),
                    hrss=rng.uniform(20, 160),
                )
            )
        day += dt.timedelta(days=1)
    best, median, cpu = timed(lambda: pmc(activities, ATHLETE, first, end), repeat)
    print(f"PMC over 5 years ({(end - first).days + 1} days, {len(activities)} activities):")
    print(f"  best {best:.1f} ms wall, median {median:.1f} ms wall, best {cpu:.1f} ms CPU")
    best, median, cpu = timed(lambda: fitness_snapshot(activities, ATHLETE, end), repeat)
    print(f"fitness snapshot on 5 years of history: best {best:.1f} ms wall, {cpu:.1f} ms CPU")


def bench_import(count: int) -> None:
    import fitdecode

    from momentum.core.memory import InMemoryStorage
    from momentum.plugins.files.fit import lean_processor
    from momentum.plugins.files.importer import import_paths

    sources = [
        DATA / "activity-small-fenix2-run.fit",
        DATA / "sample-activity.fit",
        DATA / "sample-activity-indoor-trainer.fit",
        DATA / "garmin-fenix-5-walk.fit",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fit"
        paths = make_fit_folder(sources, folder, count)
        size = sum(p.stat().st_size for p in paths) / 1e6

        def decode(processor: Callable[[], object] | None) -> Callable[[], None]:
            def run() -> None:
                for path in paths:
                    options = {} if processor is None else {"processor": processor()}
                    with fitdecode.FitReader(io.BytesIO(path.read_bytes()), **options) as reader:
                        for _frame in reader:
                            pass

            return run

        def import_all() -> None:
            report = import_paths(InMemoryStorage(), ATHLETE, [folder])
            assert len(report.imported) == count and not report.errors, report.errors

        print(f"import {count} FIT files ({size:.1f} MB) vs fitdecode alone, same run:")
        # Interleave the passes so that load changes on a shared machine hit all of them.
        runs: dict[str, list[tuple[float, float, float]]] = {
            "default": [],
            "lean": [],
            "import": [],
        }
        for _ in range(2):
            runs["default"].append(timed(decode(None), 1))
            runs["import"].append(timed(import_all, 1))
            runs["lean"].append(timed(decode(lean_processor), 1))
        best = {
            k: (min(r[0] for r in v) / 1e3, min(r[2] for r in v) / 1e3) for k, v in runs.items()
        }
        labels = {
            "default": "fitdecode alone, default settings",
            "lean": "fitdecode alone, importer's processor",
            "import": "momentum import (decode+clean+record+store)",
        }
        for key in ("default", "lean", "import"):
            wall, cpu = best[key]
            print(f"  {labels[key]:<46}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
        for key in ("default", "lean"):
            wall = (best["import"][0] / best[key][0] - 1) * 100
            cpu = (best["import"][1] / best[key][1] - 1) * 100
            print(
                f"  import overhead vs {key:<7}: {wall:+6.1f} % wall, {cpu:+6.1f} % CPU"
                "  (target ≤ 25 %)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fit-files", type=int, default=200)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    bench_record(args.repeat)
    bench_pmc(max(3, args.repeat // 5))
    if not args.skip_import:
        bench_import(args.fit_files)


if __name__ == "__main__":
    main()
