"""Benchmark helper: many distinct FIT files made from a few real ones.

Each copy gets a different ``file_id.serial_number`` (and so different bytes and a
different content id) with the file CRC recomputed, so an import cannot skip it as a
duplicate and every copy is decoded in full.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path


def _serial_offset(data: bytes) -> tuple[int, str] | None:
    """Byte offset and struct endianness of ``file_id.serial_number``, if present."""
    import io

    import fitdecode

    with fitdecode.FitReader(io.BytesIO(data), keep_raw_chunks=True) as reader:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA or frame.name != "file_id":
                continue
            offset = frame.chunk.offset + 1
            for field in frame.def_mesg.field_defs:
                if field.name == "serial_number" and field.size == 4:
                    endian = ">" if frame.def_mesg.endian == ">" else "<"
                    return offset, endian
                offset += field.size
            return None
    return None


def variant(data: bytes, number: int) -> bytes:
    """``data`` with its serial number changed by ``number`` and the file CRC fixed."""
    from fitdecode.utils import compute_crc

    found = _serial_offset(data)
    if found is None:
        raise ValueError("FIT file has no 4-byte file_id.serial_number")
    offset, endian = found
    (serial,) = struct.unpack_from(endian + "I", data, offset)
    changed = bytearray(data)
    struct.pack_into(endian + "I", changed, offset, ((serial + number) % 0xFFFFFFFE) + 1)
    crc = compute_crc(changed, end=len(changed) - 2)
    struct.pack_into("<H", changed, len(changed) - 2, crc)
    return bytes(changed)


def make_fit_folder(sources: Sequence[Path], target: Path, count: int) -> list[Path]:
    """Write ``count`` distinct FIT files to ``target``, cycling through ``sources``."""
    target.mkdir(parents=True, exist_ok=True)
    originals = [p.read_bytes() for p in sources]
    paths = []
    for n in range(count):
        data = originals[n % len(originals)]
        path = target / f"{n:04d}-{sources[n % len(sources)].name}"
        path.write_bytes(variant(data, n + 1))
        paths.append(path)
    return paths
