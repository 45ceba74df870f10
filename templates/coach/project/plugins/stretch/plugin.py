"""The example plugin: at 9 pm in the athlete's time zone, a short mobility reminder.

It imports only ``momentum`` (the public API) and is tested through
``momentum.testing.PluginHarness`` in ``tests/test_plugin.py``.
"""

from __future__ import annotations

import datetime as dt

from momentum import App, RecurringJob, hookimpl

REMINDER = "Ten minutes of mobility before bed: hips, calves, hamstrings."


def stretch(app: App, athlete_id: str, local_date: dt.date) -> None:
    """Send the reminder to one athlete by direct message."""
    athlete = app.storage.get_athlete(athlete_id)
    app.chat.direct_message(athlete.chat_user_id, REMINDER)


@hookimpl
def momentum_scheduled_jobs() -> list[RecurringJob]:
    """The reminder, every evening at 21:00 local time."""
    return [RecurringJob("stretch", hour=21, run=stretch, description="9 pm mobility reminder")]
