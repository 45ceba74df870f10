"""Plan-engine benchmarks: build, weekly refresh, reshuffle, adjust and the weekly picture
for the talk's athlete with a year of history (about 250 activities).

Run: ``.venv/bin/python benchmarks/plans_engine.py [--repeat 30] [--weeks 8]``.
Target: every operation well under 50 ms, so a coach job (6 am check-in, Sunday refresh)
spends its time on the model, not the plan. Figures are the best of ``--repeat`` runs, as
wall time and as this thread's CPU time (trust CPU on a busy machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from momentum.core.model import Activity  # noqa: E402
from momentum.plugins.running.plans import (  # noqa: E402
    adjust_session,
    build_plan,
    reshuffle,
    week_status,
    weekly_refresh,
)
from tests.unit.test_plans_support import (  # noqa: E402
    DOMS_MEMORY,
    FEB_23,
    activity,
    talk_athlete,
    week_of_runs,
)


def year_of_history(end: dt.date) -> list[Activity]:
    """52 weeks before ``end``: four runs and a strength session a week."""
    acts: list[Activity] = []
    monday = end - dt.timedelta(days=end.weekday())
    for back in range(52, 0, -1):
        start = monday - dt.timedelta(weeks=back)
        acts += week_of_runs(start, {0: 45, 2: 60, 4: 30, 5: 120})
        acts.append(activity(start + dt.timedelta(days=1), 60, "WeightTraining"))
    return acts


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall and CPU milliseconds over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.thread_time()
        fn()
        cpus.append((time.thread_time() - c0) * 1000)
        walls.append((time.perf_counter() - w0) * 1000)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()

    athlete = talk_athlete()
    history = year_of_history(FEB_23)
    memory = [DOMS_MEMORY]
    plan = build_plan(athlete, history, memory, FEB_23, args.weeks)
    lived = history + week_of_runs(FEB_23, {2: 60, 5: 120})
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            f"build_plan ({args.weeks} weeks)",
            lambda: build_plan(athlete, history, memory, FEB_23, args.weeks),
        ),
        ("build_plan (52 weeks)", lambda: build_plan(athlete, history, memory, FEB_23, 52)),
        (
            "build_plan midweek (Thu)",
            lambda: build_plan(athlete, history, memory, FEB_23 + dt.timedelta(days=3), args.weeks),
        ),
        (
            "weekly_refresh (Sunday)",
            lambda: weekly_refresh(plan, athlete, lived, memory, FEB_23 + dt.timedelta(days=6)),
        ),
        (
            "reshuffle (Tuesday)",
            lambda: reshuffle(plan, athlete, history, memory, FEB_23 + dt.timedelta(days=1)),
        ),
        (
            "adjust_session",
            lambda: adjust_session(
                plan, athlete, FEB_23 + dt.timedelta(days=5), "only 20 minutes", memory
            ),
        ),
        ("week_status", lambda: week_status(plan, lived, FEB_23 + dt.timedelta(days=6))),
    ]
    print(f"history: {len(history)} activities; best of {args.repeat} runs")
    print(f"{'operation':32} {'wall ms':>9} {'cpu ms':>9}")
    for name, fn in cases:
        wall, cpu = best(fn, args.repeat)
        print(f"{name:32} {wall:9.2f} {cpu:9.2f}")


if __name__ == "__main__":
    main()
