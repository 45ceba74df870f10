"""Claim, run, release: the one pattern every idempotent handler follows.

Claim a key in Storage first; if someone holds it, do nothing; run the work; on failure
release it so the platform's retry runs it; on success keep it (optionally for longer).

Also the *holder* of work in progress (:func:`holding`, :func:`current_holder`): a
scheduler that keeps its jobs durably (``momentum serve``'s SQLite table) runs each job
as its stable job id, the same on every delivery. A lease taken under a holder
(:func:`momentum.core.coach.once.once`) belongs to that job, so when the job is delivered
again because its process died mid-work, it takes its own lease back at once instead of
waiting for it to lapse (and giving up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from momentum.core.ports.storage import Storage

T = TypeVar("T")

_HOLDER: ContextVar[str] = ContextVar("momentum_claim_holder", default="")


@contextmanager
def holding(holder: str) -> Iterator[None]:
    """Run the block as ``holder`` (a durable job's id; ``""``: nobody in particular)."""
    token = _HOLDER.set(holder)
    try:
        yield
    finally:
        _HOLDER.reset(token)


def current_holder() -> str:
    """The holder the running code works as (``""`` outside :func:`holding`)."""
    return _HOLDER.get()


class Duplicate(Exception):
    """The key was already claimed: this delivery is a duplicate (or still running)."""


def run_once(
    storage: Storage,
    key: str,
    now: dt.datetime,
    lease: dt.timedelta,
    work: Callable[[], T],
    *,
    keep: dt.timedelta | None = None,
) -> T:
    """Run ``work`` if ``key`` can be claimed for ``lease``; raises :class:`Duplicate`
    otherwise. A failure releases the claim and re-raises; success extends it to ``keep``
    (measured from ``now``) when given. An empty ``key`` runs ``work`` unguarded."""
    if not key:
        return work()
    if not storage.claim(key, now, lease):
        raise Duplicate(key)
    try:
        result = work()
    except BaseException:
        storage.release(key)
        raise
    if keep is not None:
        storage.extend_claim(key, now, keep)
    return result
