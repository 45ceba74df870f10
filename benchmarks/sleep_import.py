"""Peak memory and time of the Apple Health sleep import on generated exports.

Run: ``.venv/bin/python benchmarks/sleep_import.py [--mb 20 200] [--nights 1095]``.
Goal (issue 18): memory is bounded by the sleep records kept, not by the file: the peak
RSS of a 200 MB export is about that of a 20 MB one.

Each export is written to a temp dir in the Health app's shape (internal DTD, one record
per line): ``--nights`` nights of staged Watch sleep plus an iPhone's in-bed record, the
rest heart-rate samples with a metadata child until the file reaches its size (most of a
real export is such samples). Each import runs in a fresh process
(``import_export`` into in-memory storage); its peak RSS is its own ``VmHWM`` (Linux
``/proc``), read before the import (the interpreter and modules) and after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import sys, time
from pathlib import Path
from momentum.plugins.sleep.importer import import_export
from momentum.testing import InMemoryStorage

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

before = hwm()
start = time.perf_counter()
result = import_export(InMemoryStorage(), "bench", Path(sys.argv[1]))
seconds = time.perf_counter() - start
print(before, hwm(), seconds, result.records, result.nights)
"""


def write_export(path: Path, megabytes: int, nights: int) -> None:
    """An export of about ``megabytes`` MB holding ``nights`` nights of sleep."""
    from tests.plugins.sleep.exports import HEAD, TAIL, heart_rate, night_lines

    target = megabytes * 1024 * 1024
    first = dt.date(2023, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        written = len(HEAD)
        for n in range(nights):
            day = first + dt.timedelta(days=n)
            for line in night_lines(day.isoformat(), (day + dt.timedelta(days=1)).isoformat()):
                out.write(line)
                written += len(line)
        second = 0
        while written < target:
            at = dt.datetime(2023, 1, 1) + dt.timedelta(seconds=second)
            line = heart_rate(at.strftime("%Y-%m-%d %H:%M:%S -0500"), 50 + second % 90)
            out.write(line)
            written += len(line)
            second += 37
        out.write(TAIL)


def run(path: Path) -> tuple[float, float, float, int, int]:
    """(RSS MB before the import, peak RSS MB, seconds, records, nights) in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    before, peak, seconds, records, nights = done.stdout.split()
    return float(before), float(peak), float(seconds), int(records), int(nights)


def main() -> None:
    """Write each export, import it in a fresh process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[20, 200], help="Export sizes.")
    parser.add_argument("--nights", type=int, default=1095, help="Nights in each export.")
    args = parser.parse_args()
    print(
        f"{'export':>10} {'records':>8} {'nights':>7} {'time s':>8} {'MB/s':>6} "
        f"{'RSS before':>11} {'peak RSS':>9} {'growth':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.mb:
            path = Path(folder) / f"export-{megabytes}.xml"
            made = time.perf_counter()
            write_export(path, megabytes, args.nights)
            made = time.perf_counter() - made
            size = path.stat().st_size / 1024 / 1024
            before, peak, seconds, records, nights = run(path)
            print(
                f"{size:>7.0f} MB {records:>8} {nights:>7} {seconds:>8.1f} {size / seconds:>6.1f} "
                f"{before:>8.1f} MB {peak:>6.1f} MB {peak - before:>4.1f} MB"
                f"  (written in {made:.0f} s)"
            )
            path.unlink()


if __name__ == "__main__":
    main()
