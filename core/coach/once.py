"""Paid work done at most once, even when callers race: look, claim, look again, work.

Two callers can ask for the same message at the same instant (a data source's webhook job and
``momentum review``, or two Lambda invocations). Each first looks for the stored result.
The one that wins the Storage claim on the work does it; the others poll for its result
for a short, bounded time and return it, or raise :class:`InProgressError`.

The claim is a lease, not a lock: a process that dies mid-work leaves a claim that
expires after :data:`LEASE`, and the next caller after that takes the work over. Work
that fails releases its claim at once, so a retry does not wait for the lease. The claim
is taken as the running job (:func:`~momentum.core.runtime.claims.current_holder`): where
the store records it (SQLite), the same durable job resumed after its process died takes
its own claim back at once, instead of waiting out the lease and giving up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from momentum.core.errors import MomentumError
from momentum.core.ports.clock import Clock
from momentum.core.ports.storage import Storage
from momentum.core.runtime.claims import current_holder

T = TypeVar("T")

LEASE = dt.timedelta(minutes=5)
"""How long a claim on work in progress holds. Longer than the slowest model chain (a
20 s timeout per provider and attempt) and the function timeout (120 s on AWS), so a live
writer keeps its claim; short enough that a crashed writer holds the message up only
briefly."""
WAIT_S = 30.0
"""How long a caller that lost the claim waits for the winner's result."""
POLL_S = 0.25
"""How often it looks while it waits."""


class InProgressError(MomentumError):
    """Another caller is doing this work and did not finish within the wait."""


@dataclass(frozen=True)
class Patience:
    """How a caller that lost the claim waits, and how long a claim holds."""

    wait_s: float = WAIT_S
    poll_s: float = POLL_S
    lease: dt.timedelta = LEASE


def once(
    storage: Storage,
    clock: Clock,
    key: str,
    *,
    find: Callable[[], T | None],
    work: Callable[[], T],
    sleep: Callable[[float], None],
    what: str,
    patience: Patience | None = None,
) -> T:
    """``find()`` if it has a result, else ``work()`` under the claim ``key``.

    ``work`` must store its result where ``find`` looks before it returns. A caller that
    loses the claim sleeps ``poll_s`` at a time (``sleep``, so tests can drive it) until
    ``find`` answers, the claim frees up (the holder failed, or its lease ran out on
    ``clock``), or ``wait_s`` of sleeping has passed: then :class:`InProgressError`,
    naming ``what``.
    """
    patience = patience or Patience()
    holder = current_holder()
    found = find()
    if found is not None:
        return found
    waited = 0.0
    while True:
        if storage.claim_as(key, clock.now(), patience.lease, holder):
            try:
                # The holder before us may have finished between our look and our claim.
                found = find()
                return found if found is not None else work()
            finally:
                storage.release(key)
        if waited >= patience.wait_s:
            raise InProgressError(
                f"{what} is being written by another caller right now; try again in a moment"
            )
        sleep(patience.poll_s)
        waited += patience.poll_s
        found = find()
        if found is not None:
            return found


def renew(storage: Storage, clock: Clock, key: str, patience: Patience | None = None) -> None:
    """Restart the lease on ``key`` from now, in one write (before a slow step such as a
    model call, so the lease covers all of it)."""
    storage.extend_claim(key, clock.now(), (patience or Patience()).lease)


def writing_key(athlete_id: str, message_id: str) -> str:
    """The claim held while message ``message_id`` is written for ``athlete_id`` (message
    ids repeat across athletes). The same form as the engine's generated messages, so a
    chat reply (``chat:<event>``) and a review share one namespace of claims."""
    return f"write:{athlete_id}:{message_id}"
