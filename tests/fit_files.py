"""FIT files for tests, made with Garmin's own FIT SDK encoder (``garmin-fit-sdk``), plus a
few raw byte forms that encoder never writes but devices do (compressed-timestamp record
headers, ``compressed_speed_distance``, odd field sizes). Tests only.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterable, Sequence
from typing import Any

import pytest

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
START = dt.datetime(2026, 2, 17, 7, 0, tzinfo=dt.UTC)


def sdk() -> Any:
    """The FIT SDK module, or a skip when it is not installed."""
    return pytest.importorskip("garmin_fit_sdk", reason="garmin-fit-sdk (dev extra) not installed")


def encode(messages: Iterable[tuple[str, dict[str, Any]]]) -> bytes:
    """A FIT file of ``(message name, fields)`` pairs (names as in the SDK's profile,
    e.g. ``"RECORD"``), with a file_id message first."""
    fit = sdk()
    encoder = fit.Encoder()
    num = fit.Profile["mesg_num"]
    encoder.on_mesg(
        num["FILE_ID"],
        {"manufacturer": "development", "product": 1, "time_created": START, "type": "activity"},
    )
    for name, fields in messages:
        encoder.on_mesg(num[name], fields)
    return bytes(encoder.close())


def session(start: dt.datetime, seconds: float, sport: str, **extra: Any) -> tuple[str, dict]:
    """A session message covering ``seconds`` from ``start``."""
    fields = {
        "timestamp": start + dt.timedelta(seconds=seconds),
        "start_time": start,
        "sport": sport,
        "total_elapsed_time": seconds,
        "total_timer_time": seconds,
    }
    fields.update(extra)
    return "SESSION", fields


def pool_swim(
    pattern: Sequence[tuple[str, float]],
    pool_m: float = 25.0,
    start: dt.datetime = START,
    *,
    with_lengths: bool = True,
) -> tuple[bytes, float, float]:
    """A pool swim as a Garmin watch writes it: one ``length`` message per length
    (``("active", seconds)`` or ``("idle", seconds)``), records every second with heart
    rate and the distance of the lengths completed so far (a staircase: the watch only
    knows the distance at the wall), and a session. Returns the bytes, the active seconds
    and the distance."""
    messages: list[tuple[str, dict[str, Any]]] = []
    t = 0.0
    distance = 0.0
    active = 0.0
    count = 0
    for kind, seconds in pattern:
        begin = start + dt.timedelta(seconds=t)
        t += seconds
        end = start + dt.timedelta(seconds=t)
        if kind == "active":
            distance += pool_m
            active += seconds
            count += 1
        messages.append(
            (
                "LENGTH",
                {
                    "timestamp": end,
                    "start_time": begin,
                    "total_elapsed_time": seconds,
                    "total_timer_time": seconds,
                    "length_type": kind,
                    "total_strokes": 16 if kind == "active" else 0,
                    "avg_swimming_cadence": 28 if kind == "active" else 0,
                    "swim_stroke": "freestyle",
                },
            )
        )
        if not with_lengths:
            messages.pop()
        done = distance - pool_m if kind == "active" else distance
        for second in range(1, int(seconds) + 1):
            at = begin + dt.timedelta(seconds=second)
            covered = distance if at >= end else done
            messages.append(("RECORD", {"timestamp": at, "distance": covered, "heart_rate": 130}))
    messages.append(
        session(
            start,
            t,
            "swimming",
            sub_sport="lap_swimming",
            pool_length=pool_m,
            total_distance=distance,
            num_active_lengths=count,
        )
    )
    return encode(messages), active, distance


def records(
    samples: Iterable[dict[str, Any]], sport: str, seconds: float, **session_fields: Any
) -> bytes:
    """A file of record messages (each dict's ``t`` is seconds from :data:`START`) and a
    session of ``sport``."""
    messages: list[tuple[str, dict[str, Any]]] = []
    for sample in samples:
        fields = {k: v for k, v in sample.items() if k != "t"}
        fields["timestamp"] = START + dt.timedelta(seconds=sample["t"])
        messages.append(("RECORD", fields))
    messages.append(session(START, seconds, sport, **session_fields))
    return encode(messages)


# -- raw forms the SDK encoder does not write ----------------------------------------
def _crc(data: bytes) -> int:
    from fitdecode.utils import compute_crc

    return int(compute_crc(data))


def raw_fit(body: bytes) -> bytes:
    """A 14-byte FIT header, ``body`` (definition and data messages) and the file CRC."""
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", _crc(header))
    data = header + body
    return data + struct.pack("<H", _crc(data))


def definition(local: int, global_num: int, fields: Sequence[tuple[int, int, int]]) -> bytes:
    """A little-endian definition message: ``(field number, size, base type)`` each."""
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    for number, size, base in fields:
        out += struct.pack("<BBB", number, size, base)
    return out


def fit_time(moment: dt.datetime) -> int:
    """Seconds since the FIT epoch."""
    return int((moment - FIT_EPOCH).total_seconds())


UINT8, UINT16, UINT32, SINT32, BYTE = 0x02, 0x84, 0x86, 0x85, 0x0D


def compressed_timestamp_run(count: int = 120) -> bytes:
    """A run whose records use compressed-timestamp headers (5-bit time offsets after
    one full timestamp) and pack speed and distance into ``compressed_speed_distance``
    (record field 8: 12 bits of speed in 1/100 m/s, 12 bits of distance in 1/16 m,
    accumulated), as some footpods and older devices write them."""
    body = definition(0, 20, [(253, 4, UINT32), (3, 1, UINT8)])  # record: timestamp, hr
    body += struct.pack("<BIB", 0, fit_time(START), 120)
    body += definition(1, 20, [(8, 3, BYTE), (3, 1, UINT8)])  # speed/distance, hr
    first = fit_time(START)
    distance_16 = 0
    for i in range(1, count):
        offset = (first + i) & 0x1F
        header = 0x80 | (1 << 5) | offset
        distance_16 = (distance_16 + 48) & 0xFFF  # 3 m per second, in 1/16 m
        speed = 300  # 3.00 m/s
        packed = speed | (distance_16 << 12)
        body += bytes([header]) + packed.to_bytes(3, "little") + bytes([130])
    end = START + dt.timedelta(seconds=count - 1)
    body += definition(
        2, 18, [(253, 4, UINT32), (2, 4, UINT32), (5, 1, 0x00), (7, 4, UINT32), (8, 4, UINT32)]
    )  # session: timestamp, start_time, sport (enum), elapsed, timer (ms)
    ms = (count - 1) * 1000
    body += struct.pack("<BIIBII", 2, fit_time(end), fit_time(START), 1, ms, ms)
    return raw_fit(body)


def odd_field_size_run(count: int = 60) -> bytes:
    """A run whose record definition gives ``heart_rate`` (uint8) a size of 2 and
    ``distance`` (uint32) a size of 3: not multiples of the type's size, which the FIT
    SDK reads as bytes and strict decoders reject."""
    body = definition(
        0, 20, [(253, 4, UINT32), (5, 3, UINT32), (3, 1, UINT8), (4, 3, UINT16), (6, 2, UINT16)]
    )
    for i in range(count):
        body += struct.pack("<BI", 0, fit_time(START) + i)
        body += (i * 300).to_bytes(3, "little") + bytes([140]) + b"\x00\x00\x00"
        body += struct.pack("<H", 3000)
    return raw_fit(body)


def redefined_records(definitions: int = 40, per_definition: int = 30) -> bytes:
    """A 1 Hz run whose record definition is re-sent ``definitions`` times on rotating
    local numbers, with other messages' definitions in between (as watches do when they
    log events, laps and device info mid-activity)."""
    body = b""
    t = 0
    for d in range(definitions):
        local = d % 16
        body += definition(local, 20, [(253, 4, UINT32), (5, 4, UINT32), (3, 1, UINT8)])
        for _ in range(per_definition):
            body += struct.pack("<BIIB", local, fit_time(START) + t, t * 300, 140)
            t += 1
        other = (local + 1) % 16
        body += definition(other, 21, [(253, 4, UINT32), (0, 1, 0x00), (1, 1, 0x00)])
        body += struct.pack("<BIBB", other, fit_time(START) + t - 1, 0, 3)  # event
    return raw_fit(body)


def erg_rowing(
    pieces: int = 4,
    piece_s: int = 240,
    rest_s: int = 120,
    push_every_s: int = 30,
    glide: float = 0.0,
) -> tuple[bytes, float, float]:
    """A rowing session in intervals: records every second with the stroke rate (24 spm
    while rowing, 0 at rest) and heart rate, 4 m/s while rowing. On an ergometer
    (``glide=0``) the distance arrives only when the erg pushes an update (every
    ``push_every_s`` seconds); on the water (``push_every_s=1``) the boat glides on at
    ``glide`` m/s through the rests. Returns bytes, rowing seconds, metres."""
    samples: list[dict[str, Any]] = []
    t = 0
    metres = 0.0
    reported = 0.0
    rowing_s = 0.0
    for piece in range(pieces):
        for phase, seconds in (("row", piece_s), ("rest", rest_s if piece < pieces - 1 else 0)):
            for _ in range(seconds):
                t += 1
                if phase == "row":
                    metres += 4.0
                    rowing_s += 1.0
                else:
                    metres += glide
                if t % push_every_s == 0:
                    reported = metres
                samples.append(
                    {
                        "t": t,
                        "cadence": 24 if phase == "row" else 0,
                        "heart_rate": 150 if phase == "row" else 120,
                        "distance": reported,
                    }
                )
    samples[-1]["distance"] = metres
    sub_sport = "indoor_rowing" if glide == 0.0 else "generic"
    data = records(samples, "rowing", float(t), sub_sport=sub_sport, total_distance=metres)
    return data, rowing_s, metres
