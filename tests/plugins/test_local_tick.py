"""A plugin's recurring job through the local scheduler's tick, on SQLite (``momentum
serve`` runs the same tick)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from momentum import RecurringJob, hookimpl
from momentum.adapters.local.bootstrap import local_app
from momentum.testing import FixedClock, PluginHarness, RecordingChat, echo_model


class Stretch:
    """A plugin job, for the local scheduler's tick (``momentum serve`` runs the same)."""

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        def run(app, athlete_id, local_date):  # type: ignore[no-untyped-def]
            app.chat.direct_message(athlete_id, f"stretch {local_date}")

        return [RecurringJob("stretch", hour=6, run=run)]


def test_the_local_scheduler_tick_runs_a_plugin_job(tmp_path: Path) -> None:
    from momentum.testing import sample_athlete

    harness = PluginHarness(Stretch())  # the same host, on SQLite and the local scheduler
    clock = FixedClock(dt.datetime(2026, 3, 3, 11, 5, tzinfo=dt.UTC))
    chat = RecordingChat()
    with local_app(
        tmp_path, chat=chat, model=echo_model(), clock=clock, plugins=harness.plugins
    ) as app:
        app.storage.put_athlete(sample_athlete("ada", chat_user_id=""))
        fired = app.scheduler.tick_now()  # type: ignore[attr-defined]
        assert [(r.job.name, r.athlete_id) for r in fired] == [("stretch", "ada")]
        assert app.scheduler.tick_now() == []  # type: ignore[attr-defined]
    assert [m.text for m in chat.messages] == ["stretch 2026-03-03"]
