"""The app's two icons, drawn in code: Teams wants a 192×192 colour icon and a 32×32
outline icon (white on transparent). A rising chevron, the coach's mark.

A tiny PNG writer (RGBA, one IDAT chunk) keeps this free of an imaging library.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

Pixel = tuple[int, int, int, int]
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A ``width``×``height`` RGBA PNG whose pixel at ``(x, y)`` is ``pixel(x, y)``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _on_chevron(x: float, y: float) -> bool:
    """Whether the unit-square point ``(x, y)`` (y down) is on the rising chevron."""
    thickness = 0.13
    # Two strokes meeting at the apex (0.5, 0.3): up from (0.2, 0.65), down to (0.8, 0.65).
    for x0, y0, x1, y1 in ((0.2, 0.68, 0.5, 0.32), (0.5, 0.32, 0.8, 0.68)):
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
        px, py = x0 + t * dx - x, y0 + t * dy - y
        if px * px + py * py <= (thickness / 2) ** 2:
            return True
    return False


def color_icon(accent: str) -> bytes:
    """The 192×192 colour icon: the chevron in white on ``accent`` (``#RRGGBB``)."""
    r, g, b = (int(accent[i : i + 2], 16) for i in (1, 3, 5))
    background: Pixel = (r, g, b, 255)
    size = 192
    return png(
        size,
        size,
        lambda x, y: WHITE if _on_chevron((x + 0.5) / size, (y + 0.5) / size) else background,
    )


def outline_icon() -> bytes:
    """The 32×32 outline icon: the chevron in white on transparent."""
    size = 32
    return png(
        size, size, lambda x, y: WHITE if _on_chevron((x + 0.5) / size, (y + 0.5) / size) else CLEAR
    )
