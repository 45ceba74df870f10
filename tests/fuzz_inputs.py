"""Seeds and mutations for fuzzing the file importer (used by the fuzz tests and by
``benchmarks/fuzz_import.py``).

Seeds are the real activity files (``../shared/data/activities``) plus a Garmin Connect CSV,
a Strava-style export zip and a zip of plain files built from them, each also gzip-wrapped
where the importer accepts ``.gz``. Mutations damage bytes the way disks, transfers and
buggy devices do.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

DATA_DIR = Path(
    os.environ.get(
        "MOMENTUM_DATA_DIR",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "activities",
    )
)
"""The real activity files (``../shared/data/activities``, or ``$MOMENTUM_DATA_DIR``)."""

GARMIN_CSV = (
    b"Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Total Ascent,"
    b"Moving Time,Elapsed Time\n"
    b'Running,2026-02-17 18:05:10,false,"Toronto Running","10.71","1,024","02:01:00","137",'
    b'"160","85","02:00:00","02:03:00"\n'
    b"Strength Training,2026-02-21 17:00:00,false,Strength,0.00,230,00:35:00,110,140,--,--,--\n"
)

STRAVA_CSV = (
    b"Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,"
    b"Moving Time\n"
    b'101,"Jun 11, 2017, 2:32:51 PM",Walk,Walk,300,0.1,activities/101.fit.gz,290\n'
    b'102,"Jan 2, 2026, 7:00:00 AM",Run,Run,1800,5.0,activities/102.tcx,1790\n'
    b'103,"Jan 3, 2026, 7:00:00 AM",Yoga,Yoga,3600,0,,3600\n'
)


def _small(name: str) -> bytes:
    return (DATA_DIR / name).read_bytes()


@cache
def seeds() -> tuple[tuple[str, bytes], ...]:
    """``(file name, bytes)`` of every seed; empty when the real files are absent."""
    if not DATA_DIR.exists():
        return ()
    out: list[tuple[str, bytes]] = []
    for path in sorted(DATA_DIR.glob("*/*")):
        if path.suffix.lower() in {".fit", ".gpx", ".tcx"}:
            data = path.read_bytes()
            out.append((path.name, data))
            out.append((path.name + ".gz", gzip.compress(data, mtime=0)))
    out.append(("Activities.csv", GARMIN_CSV))
    walk = _small("fit/garmin-fenix-5-walk.fit")
    tcx = _small("tcx/test.tcx")
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", STRAVA_CSV)
        archive.writestr("activities/101.fit.gz", gzip.compress(walk, mtime=0))
        archive.writestr("activities/102.tcx", tcx)
    out.append(("export.zip", export.getvalue()))
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("walk.fit", walk)
        archive.writestr("korita.gpx.gz", gzip.compress(_small("gpx/korita-zbevnica.gpx")))
    out.append(("bundle.zip", bundle.getvalue()))
    return tuple(out)


def mutate(data: bytes, rng: random.Random, rounds: int = 3) -> bytes:
    """``data`` with 1..``rounds`` random kinds of damage."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, rounds)):
        if not buf:
            buf.extend(rng.randbytes(rng.randint(1, 64)))
            continue
        kind = rng.randrange(7)
        at = rng.randrange(len(buf))
        if kind == 0:  # flip bits
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
        elif kind == 1:  # truncate
            del buf[at:]
        elif kind == 2:  # insert random bytes
            buf[at:at] = rng.randbytes(rng.randint(1, 32))
        elif kind == 3:  # delete a run
            del buf[at : at + rng.randint(1, 256)]
        elif kind == 4:  # repeat a run
            run = bytes(buf[at : at + rng.randint(1, 512)])
            buf[at:at] = run * rng.randint(1, 8)
        elif kind == 5:  # set interesting values
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(buf))
                buf[i] = rng.choice((0x00, 0x7F, 0x80, 0xFF))
        else:  # splice with another seed
            other = rng.choice(seeds())[1]
            cut = rng.randrange(len(other))
            buf[at:] = other[cut:]
    return bytes(buf)


ODD_NUMBERS = (
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e308",
    "1e400",
    "-1e308",
    "99999999999999999999",
    "",
    "1,5",
    "0x10",
    "  ",
    "-0",
    "4294967295",
)
ODD_TIMES = (
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1901-12-13T20:45:52Z",
    "1970-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T00:00:00+25:00",
    "yesterday",
    "2026-01-01T00:00:00.123456789Z",
    "2038-01-19T03:14:08Z",
)
_NUMBER = re.compile(rb">(-?[0-9]+(?:\.[0-9]+)?)<|\"(-?[0-9]+(?:\.[0-9]+)?)\"")
_TIME = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?")


def mutate_values(data: bytes, rng: random.Random) -> bytes:
    """Text formats with a few numbers and times replaced by odd ones (the structure
    stays valid, so the damage reaches the analytics)."""
    numbers = list(_NUMBER.finditer(data))
    times = list(_TIME.finditer(data))
    edits: list[tuple[int, int, bytes]] = []
    for match in rng.sample(numbers, min(len(numbers), rng.randint(1, 6))):
        group = 1 if match.group(1) is not None else 2
        edits.append((match.start(group), match.end(group), rng.choice(ODD_NUMBERS).encode()))
    for match in rng.sample(times, min(len(times), rng.randint(0, 3))):
        edits.append((match.start(), match.end(), rng.choice(ODD_TIMES).encode()))
    buf = bytearray(data)
    used: set[int] = set()
    for start, end, text in sorted(edits, reverse=True):
        if used & set(range(start, end)):
            continue
        used.update(range(start, end))
        buf[start:end] = text
    return bytes(buf)


def fix_fit_crc(data: bytes) -> bytes:
    """A FIT file's header size field and trailing CRC made consistent with its bytes, so
    damage inside the records is not simply caught by the CRC."""
    from fitdecode.utils import compute_crc

    if len(data) < 16 or data[8:12] != b".FIT":
        return data
    header = data[0]
    if header < 12 or header + 2 > len(data):
        return data
    buf = bytearray(data)
    body = len(buf) - header - 2
    buf[4:8] = body.to_bytes(4, "little")
    if header >= 14:
        buf[12:14] = compute_crc(buf, end=12).to_bytes(2, "little")
    buf[-2:] = compute_crc(buf, end=len(buf) - 2).to_bytes(2, "little")
    return bytes(buf)


def _damage(name: str, data: bytes, rng: random.Random) -> bytes:
    lower = name.lower().removesuffix(".gz")
    roll = rng.random()
    if lower.endswith((".gpx", ".tcx", ".csv")) and roll < 0.5:
        return mutate_values(data, rng)
    if lower.endswith(".fit") and roll < 0.6:
        return fix_fit_crc(mutate(data, rng, rounds=1 if roll < 0.4 else 3))
    return mutate(data, rng)


def mutated_inputs(rng: random.Random, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` damaged seeds, as ``(file name, bytes)``."""
    pool = seeds()
    for _ in range(count):
        name, data = rng.choice(pool)
        if name.endswith(".gz") and rng.random() < 0.7:
            # Damage inside the compressed stream too, not only the gzip framing.
            data = gzip.compress(_damage(name, gzip.decompress(data), rng), mtime=0)
        else:
            data = _damage(name, data, rng)
        yield name, data
