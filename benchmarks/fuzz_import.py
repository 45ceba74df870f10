"""Fuzz the file importer with mutations of the real activity files; print what escaped.

Usage: ``python benchmarks/fuzz_import.py [N] [--seed S]`` (default 2,000 inputs).

Each input is a real file (FIT, GPX, TCX, Garmin CSV, a Strava-style export zip, or any of
them gzip-compressed) with random damage: flipped bits, truncation, inserted, deleted or
repeated byte runs, spliced halves. Every input is imported on its own through
:func:`momentum.plugins.files.importer.import_paths` into in-memory storage; anything other
than a reported failure (an exception leaving ``import_paths``) is a crash. Then all of them
go through one batch call, which must look at every file. The script prints the number of
crashes, the exception types, and how far the batch got.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz_inputs import mutated_inputs  # noqa: E402


def main() -> None:
    """Run the fuzz and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="copy crashing inputs into this folder")
    args = parser.parse_args()

    from momentum.core.memory import InMemoryStorage
    from momentum.core.model import AthleteProfile
    from momentum.plugins.files.importer import import_paths

    athlete = AthleteProfile(athlete_id="fuzz", name="Fuzz", timezone="UTC")
    rng = random.Random(args.seed)
    crashes: collections.Counter[str] = collections.Counter()
    crashed = 0
    with tempfile.TemporaryDirectory(prefix="momentum-fuzz-") as folder:
        paths = []
        for n, (name, data) in enumerate(mutated_inputs(rng, args.count)):
            path = Path(folder) / f"{n:05d}-{name}"
            path.write_bytes(data)
            paths.append(path)
        for path in paths:
            try:
                import_paths(InMemoryStorage(), athlete, [path])
            except Exception as exc:
                crashed += 1
                crashes[f"{type(exc).__name__}"] += 1
                if args.keep is not None:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / path.name).write_bytes(path.read_bytes())
                    frames = traceback.extract_tb(exc.__traceback__)
                    print(f"  {path.name}: {type(exc).__name__}: {exc} at {frames[-1].name}")
        seen: list[int] = []
        started = dt.datetime.now()
        try:
            report = import_paths(
                InMemoryStorage(), athlete, paths, lambda done, total, label: seen.append(done)
            )
            batch = (
                f"batch: looked at {report.units} of {len(paths)} files, "
                f"{len(report.imported)} activities imported, {len(report.errors)} failed"
            )
        except Exception as exc:
            batch = f"batch: stopped at file {len(seen) + 1} of {len(paths)} ({type(exc).__name__})"
        seconds = (dt.datetime.now() - started).total_seconds()
    print(f"inputs: {args.count} (seed {args.seed})")
    print(f"crashed: {crashed} across {len(crashes)} exception types")
    for name, count in crashes.most_common():
        print(f"  {name}: {count}")
    print(f"{batch} in {seconds:.0f} s")


if __name__ == "__main__":
    main()
