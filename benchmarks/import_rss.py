"""Peak memory (RSS) of ``momentum import``: a 1,000-file batch, and one small ``.gpx.gz``
that expands a thousandfold.

Run: ``.venv/bin/python benchmarks/import_rss.py [--files 1000] [--skip-bomb]``.
Goal (issue 20): the batch peaks under 300 MB, and the compressed file is refused without
growing memory by its expanded size.

The batch is made in a temp dir from the real files in ``../shared/data/activities``: FIT
copies get distinct serial numbers (``_analytics_fitgen``), GPX and TCX copies a distinct
comment, a quarter of them gzipped, so no file is a duplicate of another and every one is
decoded, analysed and stored. Each run is a fresh ``momentum import`` process on a fresh
home (SQLite); its peak RSS is its own ``VmHWM`` (Linux ``/proc``), polled until it exits.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("MOMENTUM_DATA_DIR", ROOT.parent / "shared" / "data" / "activities"))
FIT = ["activity-small-fenix2-run.fit", "sample-activity.fit", "garmin-fenix-5-walk.fit"]
TEXT = ["gpx/korita-zbevnica.gpx", "tcx/test.tcx", "tcx/no_hr.tcx"]
CLI = "import sys; from momentum.adapters.local.cli import main; sys.argv[0] = 'momentum'; main()"


def make_batch(target: Path, count: int) -> None:
    """``count`` distinct activity files in ``target``."""
    from benchmarks._analytics_fitgen import variant

    fits = [(DATA / "fit" / name).read_bytes() for name in FIT]
    texts = [(DATA / name).read_bytes() for name in TEXT]
    for n in range(count):
        if n % 2 == 0:
            source = FIT[(n // 2) % len(FIT)]
            data = variant(fits[(n // 2) % len(fits)], n + 1)
            name = f"{n:04d}-{source}"
        else:
            k = (n // 2) % len(texts)
            data = texts[k].rstrip() + f"\n<!-- copy {n} -->\n".encode()
            name = f"{n:04d}-{Path(TEXT[k]).name}"
        if n % 4 == 3:
            data, name = gzip.compress(data, 6), name + ".gz"
        (target / name).write_bytes(data)


def make_expanding_gpx(target: Path) -> Path:
    """A ~265 KB ``.gpx.gz`` holding one long, repetitive track (80 MB once expanded)."""
    point = (
        b'<trkpt lat="46.4300000" lon="13.7400000"><ele>1600.0</ele>'
        b"<time>2010-12-14T06:17:04Z</time></trkpt>\n"
    )
    head = b'<?xml version="1.0"?><gpx version="1.1" creator="bench"><trk><trkseg>\n'
    body = head + point * 800_000 + b"</trkseg></trk></gpx>\n"
    path = target / "long.gpx.gz"
    path.write_bytes(gzip.compress(body, 9))
    return path


def _high_water_mb(pid: int) -> float:
    """The process's own peak RSS so far (``VmHWM``; getrusage would also count the
    parent's memory copied at fork)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def run_import(home: Path, *paths: Path) -> tuple[float, float, str]:
    """Peak RSS (MB), wall seconds and the summary line of one ``momentum import``."""
    env = dict(os.environ, NO_COLOR="1")
    home.mkdir(parents=True, exist_ok=True)  # a coach's home: `import` refuses a mistyped one
    (home / "momentum.toml").touch()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", CLI, "--home", str(home), "import", *map(str, paths)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, _high_water_mb(child.pid))
            time.sleep(0.05)
        out.seek(0)
        text = out.read()
    seconds = time.perf_counter() - started
    lines = [line for line in text.splitlines() if line.startswith(("imported", "failed"))]
    line = lines[0] if lines else (text.strip().splitlines() or ["(no output)"])[-1]
    return peak, seconds, line + (f" (exit {child.returncode})" if child.returncode else "")


def main() -> None:
    """Print peak RSS for the batch and for the expanding file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--skip-bomb", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="momentum-rss-") as folder:
        root = Path(folder)
        if not args.skip_bomb:
            bomb = make_expanding_gpx(root)
            size = bomb.stat().st_size // 1024
            peak, seconds, line = run_import(root / "home-bomb", bomb)
            print(f"{size} KB .gpx.gz: peak RSS {peak:.0f} MB in {seconds:.1f} s: {line}")
        batch = root / "batch"
        batch.mkdir()
        make_batch(batch, args.files)
        peak, seconds, line = run_import(root / "home", batch)
        print(f"{args.files}-file batch: peak RSS {peak:.0f} MB in {seconds:.0f} s: {line}")


if __name__ == "__main__":
    main()
