"""Cold import time of core: ``import core``, ``import momentum.core.app`` and ``import
momentum.core.compose``.

Each sample is a fresh interpreter (so nothing is cached in ``sys.modules``; the ``.pyc``
files are warm, as on a deployed function after its first start). The figure is the time
spent inside the import statement, measured with ``time.perf_counter`` in the child, plus
the whole process wall time for context. Reports the best (the least disturbed sample,
the steadiest figure on a busy machine), median and worst of ``--runs`` samples, and
compares the median of ``import core`` with the 50 ms target (the dependency rule in
CONTRIBUTING.md).

    .venv/bin/python benchmarks/core_import.py [--runs 15] [--importtime] [--check]
        [--against DIR] [--modules momentum.core.app momentum.core.compose]

``--importtime`` adds the slowest modules from ``python -X importtime``; ``--check`` exits
1 when a module misses its target. ``--against DIR`` times another source tree in the
same rounds, interleaved, for a fair before/after on a noisy machine, e.g. the last
commit: ``mkdir /tmp/base && git archive HEAD core | tar -x -C /tmp/base``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 50.0
MODULES = ("core", "momentum.core.app", "momentum.core.compose")
TARGETS = {"core": TARGET_MS}
"""Modules with a hard target; the others are printed for information."""

_CHILD = (
    "import time\n"
    "t = time.perf_counter()\n"
    "import {module}\n"
    "print((time.perf_counter() - t) * 1000)\n"
)


def _env(root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def sample(module: str, root: Path = ROOT) -> tuple[float, float]:
    """One fresh interpreter: (ms inside ``import module``, ms of the whole process)."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env=_env(root),
    )
    wall = (time.perf_counter() - start) * 1000
    return float(out.stdout.strip()), wall


def baseline() -> float:
    """Median wall time of an interpreter that imports nothing (the floor)."""
    walls = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, cwd=ROOT, env=_env())
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls)


def slowest_imports(module: str, top: int = 8) -> list[tuple[float, str]]:
    """The modules with the largest cumulative time in ``-X importtime`` (ms, name)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_env(),
    )
    slowest: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        # A package's submodule can be listed twice (inside the package, then on its own).
        slowest[name] = max(slowest.get(name, 0.0), int(cumulative) / 1000)
    return sorted(((ms, name) for name, ms in slowest.items()), reverse=True)[:top]


def measure(module: str, roots: dict[str, Path], runs: int) -> dict[str, list[tuple[float, float]]]:
    """``runs`` samples of ``import module`` per tree, the trees alternating every round."""
    for root in roots.values():
        sample(module, root)  # warm the .pyc files and the OS cache; not counted
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in roots}
    order = list(roots)
    for round_ in range(runs):
        for label in order if round_ % 2 == 0 else order[::-1]:
            samples[label].append(sample(module, roots[label]))
    return samples


def main(argv: list[str] | None = None) -> int:
    """Print the figures; with ``--check`` return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per module")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--against", type=Path, help="another source tree to time alongside")
    parser.add_argument("--modules", nargs="+", default=list(MODULES), help="what to import")
    args = parser.parse_args(argv)

    roots = {"this tree": ROOT}
    if args.against is not None:
        roots["against"] = args.against.resolve()
        print(f"against: {roots['against']}")
    print(f"python {sys.version.split()[0]} · {args.runs} fresh interpreters per module")
    floor = baseline()
    print(f"interpreter start-up alone: {floor:.1f} ms (median wall)")
    tree = f" {'tree':<10}" if len(roots) > 1 else ""
    print(f"{'module':<14}{tree} {'best':>9} {'median':>9} {'worst':>9} {'process':>10}  target")
    missed = []
    for module in args.modules:
        results = measure(module, roots, args.runs)
        for label, runs in results.items():
            inside = [r[0] for r in runs]
            median = statistics.median(inside)
            target = TARGETS.get(module)
            verdict = ""
            if target is not None:
                verdict = f"≤ {target:.0f} ms {'ok' if median <= target else 'MISSED'}"
                if median > target and label == "this tree":
                    missed.append(module)
            column = f" {label:<10}" if len(roots) > 1 else ""
            print(
                f"{module:<14}{column} {min(inside):>7.1f}ms {median:>7.1f}ms "
                f"{max(inside):>7.1f}ms {statistics.median(r[1] for r in runs):>8.1f}ms  {verdict}"
            )
        if len(roots) > 1:
            best = {label: min(r[0] for r in runs) for label, runs in results.items()}
            change = best["this tree"] - best["against"]
            print(f"{'':<14} best: {change:+.1f} ms ({change / best['against']:+.0%}) vs against")
        if args.importtime:
            for ms, name in slowest_imports(module):
                print(f"    {ms:>7.1f} ms  {name}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
