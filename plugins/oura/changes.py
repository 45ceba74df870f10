"""The deferred half of an Oura webhook: fetch the changed day, or confirm a delete.

A create or update reads the changed document from Oura by id (never the event's word),
takes its day, and re-fetches that day of that kind, replacing what was kept. A delete acts
only when Oura, asked with the athlete's token, no longer has the document: a workout's
activity is removed; a daily document's day is re-fetched around the event. A failure
releases the event's claim, so Oura's redelivery (or the daily sync) catches it up.
"""

from __future__ import annotations

import datetime as dt
import logging

from momentum import App, DeferredJob

log = logging.getLogger("momentum.oura")


def on_change(app: App, job: DeferredJob) -> None:
    """Handle one verified event (idempotent: a re-run re-fetches the same day)."""
    from momentum.plugins.oura.api import with_token
    from momentum.plugins.oura.sync import fetch_range

    p = job.payload
    athlete_id, kind, object_id = str(p["athlete_id"]), str(p["data_type"]), str(p["object_id"])
    try:
        document = with_token(
            app, athlete_id, lambda client, token: client.document(token, kind, object_id)
        )
        if document is None:
            _gone(app, athlete_id, kind, object_id)
            return
        day = dt.date.fromisoformat(str(document.get("day") or "")[:10])
        fetch_range(app, athlete_id, day, day, kinds=(kind,))
    except Exception:
        if p.get("claim_key"):
            app.storage.release(str(p["claim_key"]))
        raise


def _gone(app: App, athlete_id: str, kind: str, object_id: str) -> None:
    from momentum.plugins.oura.sync import SOURCE, fetch_range

    if kind == "workout":
        activity_id = f"{SOURCE}-{object_id}"
        if app.storage.delete_activity(athlete_id, activity_id):
            log.info("Oura workout %s deleted on Oura: removed", object_id)
        return
    today = app.clock.now().date()
    fetch_range(app, athlete_id, today - dt.timedelta(days=2), today, kinds=(kind,))


HANDLERS = {"oura.fetch_changed": on_change}
"""Registered through ``momentum_deferred_handlers``."""
