"""How long ``momentum new`` takes, and how long the generated project's own tests take.

Run: ``.venv/bin/python benchmarks/scaffold.py [--json] [--runs 5] [--cloud aws]``.
Goals: ``new_seconds`` (the median of ``--runs`` real ``momentum new DIR --defaults``
processes, each into a new folder) at most 2 s; ``generated_tests_seconds`` (one
``pytest`` run of that project's tests, on this repository's environment) at most 30 s.
The child processes' CPU seconds are printed too: the figure to trust on a busy machine.
Bytecode is written once by a warm-up run (to a private ``PYTHONPYCACHEPREFIX``), as an
installed package would have it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEW_GOAL_S = 2.0
TESTS_GOAL_S = 30.0


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one command; exits with its output when it fails."""
    cpu = child_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}"
            f"\n{done.stderr[-2000:]}"
        )
    return wall, child_cpu() - cpu


def main(argv: list[str] | None = None) -> None:
    """Time ``momentum new`` ``--runs`` times, then the last project's tests once."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=5, help="momentum new runs (default 5)")
    parser.add_argument("--cloud", default="aws", help="the cloud chosen (default aws)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="momentum-scaffold-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "PYTEST_"))}
    env["MOMENTUM_TEMPLATE_CACHE"] = str(work / "cache")
    env["PYTHONPATH"] = str(ROOT)
    # An installed package has its bytecode (pip and uv compile it); a shell with
    # PYTHONDONTWRITEBYTECODE would recompile every module on each run, so the warm-up
    # writes bytecode to a private prefix that the timed runs then read.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cli = [sys.executable, "-m", "momentum.adapters.local.cli", "new"]
    flags = ["--defaults", "--cloud", args.cloud, "--chat", "slack", "--source", "strava"]
    timed([*cli, str(work / "warm-up"), *flags], work, env)  # publishes the template once
    walls, cpus = [], []
    for run in range(args.runs):
        wall, cpu = timed([*cli, str(work / f"coach-{run}"), *flags], work, env)
        walls.append(wall)
        cpus.append(cpu)
    project = work / f"coach-{args.runs - 1}"
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    tests_wall, tests_cpu = timed(pytest, project, env)
    figures = {
        "new_seconds": round(statistics.median(walls), 3),
        "new_cpu_seconds": round(statistics.median(cpus), 3),
        "new_runs": [round(w, 3) for w in walls],
        "generated_tests_seconds": round(tests_wall, 3),
        "generated_tests_cpu_seconds": round(tests_cpu, 3),
        "cloud": args.cloud,
        "goals": {"new_seconds": NEW_GOAL_S, "generated_tests_seconds": TESTS_GOAL_S},
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"momentum new --cloud {args.cloud}: median {figures['new_seconds']} s wall "
        f"({figures['new_cpu_seconds']} s CPU) over {args.runs} runs; goal ≤ {NEW_GOAL_S} s"
    )
    print(
        f"its tests: {figures['generated_tests_seconds']} s wall "
        f"({figures['generated_tests_cpu_seconds']} s CPU); goal ≤ {TESTS_GOAL_S} s"
    )


if __name__ == "__main__":
    main()
