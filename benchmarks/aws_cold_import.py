"""Cold import of the Lambda handler beside ``import boto3`` alone, measured in the same run.

Run: ``.venv/bin/python benchmarks/aws_cold_import.py [--runs 15] [--bundle path.zip]``.
Target: importing ``momentum.adapters.aws.handler`` takes ≤ boto3's import time + 100 ms.

Each figure is the median over ``--runs`` fresh interpreters, plus the best wall time (the
least disturbed sample); every variant runs in every round, in rotating order, so disk
caches treat them alike. Time is measured inside the child around the import only, so
interpreter start-up is excluded; both wall time and the process's CPU time are shown
(CPU is steadier on a shared, busy machine).

Also printed, for context: ``import momentum.core.compose`` (core's share), the whole cold path up
to a built app (handler, config, plugins and model chain, log chat; no AWS call made), and
what the first DynamoDB call adds (boto3 import + client creation).
With ``--bundle``, the handler is imported from the extracted Lambda bundle with
``-S -I`` (no site-packages), as on Lambda.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMED = (
    "import time, json; t, c = time.perf_counter(), time.process_time(); {body}; "
    "print(json.dumps([(time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000]))"
)
VARIANTS = {
    "import boto3": "import boto3",
    "import momentum.core.compose": "import momentum.core.compose",
    "import momentum.adapters.aws.handler": "import momentum.adapters.aws.handler",
    "handler + build the app (log chat, no AWS call)": (
        "import os; os.environ.update(MOMENTUM_TABLE='t', MOMENTUM_BUCKET='b', "
        "MOMENTUM_CHAT='log', MOMENTUM_HOME='/nonexistent'); "
        "import momentum.adapters.aws.handler as h; h.get_app()"
    ),
    "boto3 + a DynamoDB client (first storage call)": (
        "import boto3; boto3.session.Session().client('dynamodb', region_name='us-east-1')"
    ),
}


def run_once(body: str, cwd: Path, prefix: list[str]) -> tuple[float, float]:
    """One fresh interpreter; wall and CPU milliseconds spent in ``body``."""
    result = subprocess.run(
        [sys.executable, *prefix, "-c", TIMED.format(body=body)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = json.loads(result.stdout.strip().splitlines()[-1])
    return float(wall), float(cpu)


def measure(
    runs: int, cwd: Path, prefix: list[str], variants: dict[str, str]
) -> dict[str, tuple[float, float, float]]:
    """Median (wall, CPU) ms and best wall ms per variant, rotating the order every round."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    names = list(variants)
    for round_ in range(runs):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            samples[name].append(run_once(variants[name], cwd, prefix))
    return {
        name: (
            statistics.median(v[0] for v in values),
            statistics.median(v[1] for v in values),
            min(v[0] for v in values),
        )
        for name, values in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bundle", type=Path, help="also import from this Lambda bundle zip")
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, {args.runs} fresh interpreters per figure (median)")
    medians = measure(args.runs, ROOT, [], VARIANTS)
    width = max(len(name) for name in medians)
    print(f"  {'':<{width}}  {'wall':>9}  {'CPU':>9}  {'best wall':>9}")
    for name, (wall, cpu, best) in medians.items():
        print(f"  {name:<{width}}  {wall:6.1f} ms  {cpu:6.1f} ms  {best:6.1f} ms")
    for column, label in ((0, "wall"), (1, "CPU")):
        boto3_ms = medians["import boto3"][column]
        handler_ms = medians["import momentum.adapters.aws.handler"][column]
        verdict = "OK" if handler_ms <= boto3_ms + 100 else "OVER"
        print(
            f"{label}: handler import {handler_ms:.1f} ms vs boto3 {boto3_ms:.1f} ms + 100 ms "
            f"= {boto3_ms + 100:.1f} ms budget: {verdict}"
        )

    if args.bundle:
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(args.bundle) as archive:
                archive.extractall(folder)
            prefix = ["-S", "-I"]
            body = (
                f"import sys; sys.path.insert(0, {folder!r}); import momentum.adapters.aws.handler"
            )
            wall, cpu, _ = measure(args.runs, Path(folder), prefix, {"bundle": body})["bundle"]
            print(
                f"  from the bundle with -S -I (as on Lambda): import handler "
                f"{wall:.1f} ms wall, {cpu:.1f} ms CPU"
            )


if __name__ == "__main__":
    main()
