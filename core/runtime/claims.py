"""Claim, run, release: the one pattern every idempotent handler follows.

Claim a key in Storage first; if someone holds it, do nothing; run the work; on failure
release it so the platform's retry runs it; on success keep it (optionally for longer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from momentum.core.ports.storage import Storage

T = TypeVar("T")


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
