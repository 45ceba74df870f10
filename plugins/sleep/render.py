"""Numbers in the words the athlete reads (code-rendered, never the model's)."""

from __future__ import annotations

from momentum.plugins.sleep.clock import clock_text


def duration(hours: float) -> str:
    """``7.33`` → ``7 h 20 min``."""
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def offset(minutes: float) -> str:
    """A clock difference: ``+25 min`` late, ``-10 min`` early, ``on time``."""
    whole = round(minutes)
    return "on time" if whole == 0 else f"{whole:+d} min"


def clock(minutes: float) -> str:
    """Minutes after midnight (or from the wake day's midnight) as ``HH:MM``."""
    return clock_text(minutes)
