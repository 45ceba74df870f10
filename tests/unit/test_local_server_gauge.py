"""The local HTTP server's request gauge: ``quiet`` is set exactly while no request is being
answered, which is what deferred work waits for under ``momentum serve``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.local.server import RequestGauge


def test_quiet_until_a_request_arrives_and_again_once_it_is_answered() -> None:
    gauge = RequestGauge()
    assert gauge.quiet.is_set() and gauge.answering == 0
    first, second = object(), object()
    gauge.enter(first)
    gauge.enter(second)
    assert not gauge.quiet.is_set() and gauge.answering == 2
    gauge.leave(first)
    assert not gauge.quiet.is_set()
    gauge.leave(second)
    assert gauge.quiet.is_set() and gauge.answering == 0


def test_leaving_twice_or_entering_twice_counts_a_connection_once() -> None:
    gauge = RequestGauge()
    conn = object()
    gauge.enter(conn)
    gauge.enter(conn)  # accepted, then its request read: still one
    assert gauge.answering == 1
    gauge.leave(conn)
    gauge.leave(conn)  # answered, then the connection closed
    assert gauge.quiet.is_set() and gauge.answering == 0


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 4)), max_size=60))
def test_quiet_is_set_exactly_when_no_connection_is_open(steps: list[tuple[bool, int]]) -> None:
    gauge = RequestGauge()
    conns = [object() for _ in range(5)]
    open_now: set[int] = set()
    for entering, n in steps:
        if entering:
            gauge.enter(conns[n])
            open_now.add(n)
        else:
            gauge.leave(conns[n])
            open_now.discard(n)
        assert gauge.answering == len(open_now)
        assert gauge.quiet.is_set() == (not open_now)
