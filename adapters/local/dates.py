"""The one date parser of the command line: every ``--date``, ``--week`` and ``DATE``
argument reads dates the same way and fails with the same clear message."""

from __future__ import annotations

import datetime as dt

from momentum.core.errors import InputError

SHORTCUTS = {"today": 0, "tomorrow": 1, "yesterday": -1}
EARLIEST = dt.date(1900, 1, 1)


def parse_date(value: str, what: str = "DATE", *, today: dt.date | None = None) -> dt.date:
    """``YYYY-MM-DD``, or ``today`` / ``tomorrow`` / ``yesterday`` (relative to ``today``,
    the coach's day when known, else the machine's).

    :class:`InputError` naming the option (``what``) and the value otherwise, including
    dates before 1900 (a typo like year 0203 is not a training day; whether a later date
    makes sense is the command's to say).
    """
    text = value.strip().lower()
    if text in SHORTCUTS:
        return (today or dt.date.today()) + dt.timedelta(days=SHORTCUTS[text])
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            what, f"expected a date like 2026-03-04 (or today, yesterday, tomorrow), got {value!r}"
        ) from None
    if day < EARLIEST:
        raise InputError(what, f"{value!r} is before {EARLIEST.year}")
    return day
