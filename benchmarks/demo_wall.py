"""Wall time of ``momentum demo``: the real CLI in a subprocess, offline, a new home each run.

Run: ``.venv/bin/python benchmarks/demo_wall.py [--runs 3] [--rerun]``.
Target: under 10 s wall per run on a quiet 2-core machine, offline with no API key.
Each run is also reported as the child's CPU time (user + system), the figure to trust
on a shared, busy machine. ``--rerun`` also times a second run on the same home (records
and messages are read back, not rebuilt).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_demo(home: Path) -> tuple[float, float]:
    """One ``momentum --home HOME demo``; (wall seconds, CPU seconds). Exits on failure."""
    env = {k: v for k, v in os.environ.items() if k not in ("GROQ_API_KEY", "MOMENTUM_HOME")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home), "demo"]
    cpu = child_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"momentum demo failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, child_cpu() - cpu


def main(argv: list[str] | None = None) -> None:
    """Run the demo ``--runs`` times and print each run, the best and the median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh-home runs (default 3)")
    parser.add_argument("--rerun", action="store_true", help="also time a run on a used home")
    args = parser.parse_args(argv)
    print(f"momentum demo, offline, {args.runs} runs, each into a new temporary home")
    walls: list[float] = []
    cpus: list[float] = []
    kept: Path | None = None
    for index in range(args.runs):
        home = Path(tempfile.mkdtemp(prefix="momentum-bench-"))
        wall, cpu = run_demo(home)
        walls.append(wall)
        cpus.append(cpu)
        print(f"  run {index + 1}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
        if kept is None and args.rerun:
            kept = home
        else:
            shutil.rmtree(home, ignore_errors=True)
    best, median = min(walls), statistics.median(walls)
    verdict = "ok" if best < TARGET_S else "OVER"
    target = f"target < {TARGET_S:.0f} s: {verdict}"
    print(f"demo wall time: best {best:.2f} s, median {median:.2f} s ({target})")
    print(f"demo CPU time:  best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s")
    if kept is not None:
        wall, cpu = run_demo(kept)
        print(f"rerun on the same home: {wall:.2f} s wall, {cpu:.2f} s CPU")
        shutil.rmtree(kept, ignore_errors=True)


if __name__ == "__main__":
    main()
